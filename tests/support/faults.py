"""Faults the tests inject into the real PostgreSQL: what a failover or a maintenance looks like."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from tosei_common.platform.db import database_name, with_database


async def terminate(database_url: str, application_prefix: str) -> int:
    """Kill the server side of every connection whose application name starts with the prefix."""
    admin = await asyncpg.connect(with_database(database_url, "postgres"))
    try:
        killed: int = await admin.fetchval(
            """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = $1 AND application_name LIKE $2 || '%' AND pid <> pg_backend_pid()
            """,
            database_name(database_url),
            application_prefix,
        )
        return killed
    finally:
        await admin.close()


@asynccontextmanager
async def connections_refused(database_url: str, application_prefix: str) -> AsyncIterator[None]:
    """While inside: the database refuses new connections (``ALLOW_CONNECTIONS false``) and the
    connections of the named application are cut, so every client has to connect anew."""
    name = database_name(database_url)
    admin = await asyncpg.connect(with_database(database_url, "postgres"))
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await terminate(database_url, application_prefix)
        yield
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
