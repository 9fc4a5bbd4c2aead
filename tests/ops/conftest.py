"""Fixtures of the operators' tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from tosei_common.platform.db import with_database


@pytest.fixture
async def own_database(database_url: str) -> AsyncIterator[str]:
    """A database of the test's own, where services use their real schema names."""
    name = f"tosei_ops_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(database_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(database_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
