"""``tosei up`` keeps what it started running: a process that dies is started again.

A service that exits is restarted on its own, with a growing pause between attempts (1 s,
2 s, 4 s … at most 30 s; back to 1 s once it has run for a minute); the others go on serving.
The bundled broker keeps its topics in memory, so when it dies what it held is gone: every
service is stopped, the broker is started again, each service's outbox is set to publish again
every row it still keeps (published rows are kept for ``TOSEI_OUTBOX_RETENTION_DAYS``), and the
services are started again. Their consumers then read the topics from the beginning and their
inboxes absorb what they had already handled, so nothing a service accepted is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.db import check_schema_name
from tosei_common.platform.service import ServiceSpec

FIRST_PAUSE_S = 1.0
LONGEST_PAUSE_S = 30.0
#: A process that ran this long before it died is restarted after the shortest pause again.
STABLE_AFTER_S = 60.0

Say = Callable[[str], None]


def restart_pause(previous_pause: float, ran_for: float) -> float:
    """How long to wait before starting a process again that just died after ``ran_for``."""
    if ran_for >= STABLE_AFTER_S or previous_pause <= 0:
        return FIRST_PAUSE_S
    return min(LONGEST_PAUSE_S, previous_pause * 2)


@dataclass
class Child:
    """One service process under supervision."""

    name: str
    log_path: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    pause: float = 0.0
    restart_at: float | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tosei_common.devtools.cli", "serve", self.name],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started_at = time.monotonic()
        self.restart_at = None

    @property
    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()


@dataclass
class Supervisor:
    """The service processes (and the bundled broker) of one ``tosei up``."""

    services: dict[str, ServiceSpec]
    database_url: str
    env: dict[str, str]
    logs: Path
    broker: TansuBroker | None = None
    say: Say = print
    children: dict[str, Child] = field(default_factory=dict)
    broker_restarts: int = 0

    def start_all(self) -> None:
        for name in self.services:
            child = Child(name, self.logs / f"{name}.log", self.env)
            child.start()
            self.children[name] = child

    def watch(self) -> None:
        """One look at every process: restart what died once its pause is over."""
        if self.broker is not None and self.broker.has_exited():
            self.replace_broker()
            return
        now = time.monotonic()
        for child in self.children.values():
            code = child.exit_code
            if code is None:
                continue
            if child.restart_at is None:
                child.pause = restart_pause(child.pause, now - child.started_at)
                child.restart_at = now + child.pause
                self.say(
                    f"{child.name} exited with {code}; restarting in {child.pause:.0f}s "
                    f"(see {child.log_path})"
                )
            elif now >= child.restart_at:
                child.restarts += 1
                child.start()
                self.say(f"{child.name} restarted (restart {child.restarts})")

    def replace_broker(self) -> None:
        """The bundled broker died and its topics with it: start anew and publish again."""
        assert self.broker is not None
        self.broker_restarts += 1
        self.say(
            f"the broker exited with {self.broker.exit_code}; restarting it and the services, "
            "and publishing the outboxes again"
        )
        stop_children(list(self.children.values()))
        self.broker.start()
        republished = asyncio.run(
            republish_outboxes(self.database_url, [s.schema for s in self.services.values()])
        )
        for child in self.children.values():
            child.restarts += 1
            child.start()
        total = sum(republished.values())
        self.say(
            f"broker restarted (restart {self.broker_restarts}); {total} events to publish "
            f"again ({', '.join(f'{k} {v}' for k, v in republished.items())})"
        )

    def stop_all(self) -> None:
        stop_children(list(self.children.values()))


async def republish_outboxes(database_url: str, schemas: list[str]) -> dict[str, int]:
    """Mark every kept outbox row unpublished, so each relay sends its events again."""
    conn = await asyncpg.connect(database_url)
    try:
        counts: dict[str, int] = {}
        for schema in schemas:
            check_schema_name(schema)
            exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f"{schema}.outbox")
            if not exists:
                continue
            status = await conn.execute(
                f"UPDATE {schema}.outbox SET published_at = NULL WHERE published_at IS NOT NULL"
            )
            counts[schema] = int(status.split()[-1])
        return counts
    finally:
        await conn.close()


def stop_children(children: list[Child], timeout: float = 8.0) -> None:
    """SIGTERM each running process, then SIGKILL what is still there after ``timeout``."""
    running = [c.process for c in children if c.process is not None and c.process.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in running:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
