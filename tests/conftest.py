"""Fixtures on the real thing: a PostgreSQL database and a Tansu broker started for the tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.support.clock import TEST_NOW
from tests.support.databases import own_database
from tests.support.mailbox import TestMailbox
from tests.support.runtime import Start, fast_settings, running
from tosei_common.devtools.devstack import TansuBroker, free_port, resolve_database
from tosei_common.devtools.mailbox import Mailbox
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.db import with_database
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_common.platform.settings import Settings

#: The files that take minutes, first: `make test` hands whole files to three workers in the order
#: collected, so a long file started last would be the run's tail (the fault suite alone is ~4 min).
LONGEST_FIRST = ("tests/system/", "tests/ops/test_prometheus_end_to_end.py", "tests/console/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid
        return next(
            (i for i, p in enumerate(LONGEST_FIRST) if path.startswith(p)), len(LONGEST_FIRST)
        )

    items.sort(key=rank)  # stable: within a rank, the collected order stays


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A fresh database for this test session on the machine's (or an embedded) PostgreSQL."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("tosei"))
    server = await resolve_database(settings, name="postgres")
    name = f"tosei_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server.url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server.url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        server.stop()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[TansuBroker]:
    """A Tansu broker of the test's own: topics, offsets and groups start empty."""
    tansu = TansuBroker(free_port(), tmp_path / "tansu.log")
    tansu.start()
    try:
        yield tansu
    finally:
        tansu.stop()


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[TestMailbox]:
    """A real SMTP server of the test's own (the development mailbox) on a free port: every
    message it accepts is a ``.eml`` file under the test's directory. ``mailbox.settings()``
    sends a service's mail to it."""
    server = Mailbox(tmp_path / "mail", free_port())
    server.start()
    try:
        yield TestMailbox(server)
    finally:
        server.stop()


@pytest.fixture
def clock() -> SettableClock:
    """What time the services a test starts believe it is: ``tests.support.clock.TEST_NOW``, and
    on from there as the test runs; a test sets it to date what it records."""
    return SettableClock(TEST_NOW, ticking=True)


@pytest.fixture
def start(database_url: str, broker: TansuBroker, clock: SettableClock) -> Start:
    """Run a service against this test's database and broker: ``async with start(spec) as rt``.

    Its clock is the test's ``clock`` unless the test passes another.
    """

    def starter(
        spec: ServiceSpec,
        settings: Settings | None = None,
        **options: Any,
    ) -> AbstractAsyncContextManager[Runtime]:
        options.setdefault("clock", clock)
        return running(
            spec,
            settings or fast_settings(),
            database_url=database_url,
            bootstrap=broker.bootstrap,
            **options,
        )

    return starter


@pytest.fixture
def schema() -> str:
    """A schema name no other test uses."""
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database_url)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def cli_database(database_url: str) -> AsyncIterator[str]:
    """A database of its own, for a ``tosei`` command that works on a service's real schema."""
    async with own_database(database_url, "tosei_cli") as url:
        yield url
