"""Databases of a test's own, on the same server as the session's, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from tosei_common.platform.db import with_database


@asynccontextmanager
async def own_database(server_url: str, prefix: str) -> AsyncIterator[str]:
    """A new empty database named ``<prefix>_<random>``: where services use their real schema
    names (a ``tosei`` command, a restore) without meeting another test's."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
