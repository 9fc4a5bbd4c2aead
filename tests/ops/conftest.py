"""Fixtures of the operators' tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support import databases


@pytest.fixture
async def own_database(database_url: str) -> AsyncIterator[str]:
    """A database of the test's own, where services use their real schema names."""
    async with databases.own_database(database_url, "tosei_ops") as url:
        yield url
