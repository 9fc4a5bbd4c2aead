"""deploy/postgres/service-roles.sh, as the compose stack runs it: one role per service owning
only its schema. The services migrate and work under their roles, and cannot touch the rest."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from tests.intake.helpers import DESK, consultation
from tests.support.runtime import fast_settings, running
from tests.support.waiting import eventually
from tosei_caseflow.app import SERVICE as CASEFLOW
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.http import build_app
from tosei_common.platform.service import discover_services
from tosei_intake.app import SERVICE as INTAKE

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "postgres" / "service-roles.sh"
SERVICES = list(discover_services())

pytestmark = pytest.mark.slow


def as_role(url: str, role: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}:pw-{role}@{host}"))


@pytest.fixture
async def platform(database_url: str, own_database: str) -> AsyncIterator[str]:
    """A new database set up by the script, as the postgres image runs it on a new volume."""
    parts = urlsplit(database_url)
    env = {
        **os.environ,
        "PGHOST": parts.hostname or "127.0.0.1",
        "PGPORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "postgres",
        "POSTGRES_DB": urlsplit(own_database).path.lstrip("/"),
        **{f"TOSEI_{s.upper()}_DB_PASSWORD": f"pw-tosei_{s}" for s in SERVICES},
    }
    try:
        for _ in range(2):  # the second run shows it is safe to run again
            done = await asyncio.to_thread(
                subprocess.run,
                ["sh", str(SCRIPT)],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
        yield own_database
    finally:
        roles = ", ".join(f'"tosei_{service}"' for service in SERVICES)
        admin = await asyncpg.connect(own_database)
        try:
            # their schemas and grants, in this database only; then the roles themselves
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            await admin.execute(f"DROP OWNED BY {roles}")
            await admin.execute(f"DROP ROLE {roles}")
        finally:
            await admin.close()


async def test_each_service_works_in_its_own_schema_under_its_own_role_and_nowhere_else(
    platform: str, broker: TansuBroker
) -> None:
    settings = fast_settings()
    async with (
        running(
            INTAKE,
            settings,
            database_url=as_role(platform, "tosei_intake"),
            bootstrap=broker.bootstrap,
        ) as intake,
        running(
            CASEFLOW,
            settings,
            database_url=as_role(platform, "tosei_caseflow"),
            bootstrap=broker.bootstrap,
        ) as caseflow,
    ):
        transport = httpx.ASGITransport(app=build_app(intake))
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as http:
            opened = await http.post("/consultations", json=consultation(), headers=DESK)
        assert opened.status_code == 201, opened.text

        async def triaged() -> int:
            async with caseflow.pool.acquire() as conn:
                count: int = await conn.fetchval("SELECT count(*) FROM cases")
            return count

        await eventually(triaged, timeout=30)

    owners = await _fetch(
        as_role(platform, "tosei_intake"),
        "SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace"
        " WHERE nspname = ANY($1::text[])",
        SERVICES,
    )
    assert {r["nspname"]: r["owner"] for r in owners} == {s: f"tosei_{s}" for s in SERVICES}

    intake_url = as_role(platform, "tosei_intake")
    for refused in (
        "SELECT count(*) FROM caseflow.cases",
        "SELECT count(*) FROM caseflow.outbox",
        "CREATE TABLE caseflow.stolen (i int)",
        "CREATE SCHEMA another",
        "CREATE TABLE public.stray (i int)",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await _fetch(intake_url, refused)


async def _fetch(url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        rows: list[asyncpg.Record] = await conn.fetch(sql, *args)
        return rows
    finally:
        await conn.close()
