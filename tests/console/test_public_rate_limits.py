"""The public pages' rate limits are counted in the console's database, so that every replica of
the console counts the same hits: two consoles on one schema let exactly the limit through
however a storm is spread over them, decide as the in-memory rule does, keep only a keyed hash of
the client, and forget a client once its hits have left the window."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta

import asyncpg
import pytest

from tests.support.runtime import Start, fast_settings
from tosei_common.platform.clock import SettableClock, japan_moment
from tosei_common.platform.rate_limit import (
    SlidingWindow,
    SlidingWindowLimiter,
    Verdict,
    client_hash,
)
from tosei_common.platform.service import Runtime
from tosei_console.app import SERVICE as CONSOLE
from tosei_console.handlers.rate_limits import count_hit

T0 = japan_moment("2026-11-16 10:00")
SETTINGS = fast_settings()
STORM = "198.51.100.66"


@asynccontextmanager
async def consoles(
    start: Start, schema: str, clock: SettableClock, n: int = 2
) -> AsyncIterator[list[Runtime]]:
    """``n`` console processes on one schema, as the replicas of deploy/k8s are."""
    async with AsyncExitStack() as running:
        yield [
            await running.enter_async_context(
                start(CONSOLE, SETTINGS, schema=schema, clock=clock, connected=False)
            )
            for _ in range(n)
        ]


async def check(runtime: Runtime, rule: SlidingWindow, address: str) -> Verdict:
    async with runtime.unit_of_work("test:rate-limit") as uow:
        return await count_hit(
            uow, rule, "registrations", client_hash(address, SETTINGS.auth_secret)
        )


async def rows(db: asyncpg.Connection, schema: str) -> list[asyncpg.Record]:
    return await db.fetch(f"SELECT * FROM {schema}.public_rate_limits ORDER BY forget_at")


async def test_a_storm_spread_over_two_consoles_gets_exactly_the_limit(
    start: Start, schema: str
) -> None:
    rule = SlidingWindow(5, timedelta(hours=1))
    clock = SettableClock(T0, ticking=True)
    async with consoles(start, schema, clock) as (one, two):
        verdicts = await asyncio.gather(
            *(check(one if n % 2 else two, rule, STORM) for n in range(30))
        )
        later = await check(one, rule, STORM)
    assert sum(v.allowed for v in verdicts) == 5
    refused = [v for v in verdicts if not v.allowed]
    assert all(timedelta(minutes=59) < v.retry_after <= timedelta(hours=1) for v in refused)
    assert not later.allowed


async def test_the_shared_count_decides_as_the_rule_does_in_memory(
    start: Start, schema: str
) -> None:
    rule = SlidingWindow(2, timedelta(minutes=10))
    in_memory = SlidingWindowLimiter(rule.limit, rule.window)
    clock = SettableClock(T0)
    minutes = [0, 5, 9, 10, 11, 15, 15, 40, 40.5, 41]
    shared, expected = [], []
    async with consoles(start, schema, clock) as replicas:
        for n, minute in enumerate(minutes):
            clock.set(T0 + timedelta(minutes=minute))
            shared.append(await check(replicas[n % 2], rule, "203.0.113.5"))
            expected.append(in_memory.hit("203.0.113.5", clock.now()))
    assert shared == expected
    assert [v.allowed for v in shared] == [1, 1, 0, 1, 0, 1, 0, 1, 1, 0]


async def test_only_a_keyed_hash_is_kept_and_a_client_is_forgotten_when_its_window_passes(
    start: Start, schema: str, db: asyncpg.Connection
) -> None:
    rule = SlidingWindow(5, timedelta(hours=1))
    clock = SettableClock(T0)
    async with consoles(start, schema, clock, n=1) as (console,):
        for address in ("203.0.113.5", "2001:db8:1:2::/64"):
            await check(console, rule, address)
        kept = await rows(db, schema)
        assert [r["client_hash"] for r in kept] == [
            client_hash("203.0.113.5", SETTINGS.auth_secret),
            client_hash("2001:db8:1:2::/64", SETTINGS.auth_secret),
        ]
        assert all(len(r["client_hash"]) == 16 for r in kept)
        stored = " ".join(str(dict(r)) for r in kept)
        assert "203.0.113" not in stored
        assert "2001:db8" not in stored
        assert {r["forget_at"] for r in kept} == {T0 + timedelta(hours=1)}

        clock.set(T0 + timedelta(minutes=30))
        await check(console, rule, "203.0.113.5")  # seen again: remembered for longer
        clock.set(T0 + timedelta(hours=1))
        await check(console, rule, "198.51.100.7")  # anyone's check sweeps the past ones
        left = await rows(db, schema)
        assert [r["client_hash"] for r in left] == [
            client_hash("203.0.113.5", SETTINGS.auth_secret),
            client_hash("198.51.100.7", SETTINGS.auth_secret),
        ]

        # nobody comes any more: the hourly housekeeping forgets the rest
        clock.set(T0 + timedelta(hours=2))
        await console.housekeeping()
        assert await rows(db, schema) == []


@pytest.mark.parametrize("kind", ["registrations", "lookups"])
async def test_each_kind_of_use_has_its_own_count(start: Start, schema: str, kind: str) -> None:
    rule = SlidingWindow(1, timedelta(hours=1))
    hashed = client_hash(STORM, SETTINGS.auth_secret)
    other = "lookups" if kind == "registrations" else "registrations"
    async with consoles(start, schema, SettableClock(T0), n=1) as (console,):
        async with console.unit_of_work("test") as uow:
            assert (await count_hit(uow, rule, kind, hashed)).allowed
        async with console.unit_of_work("test") as uow:
            assert (await count_hit(uow, rule, other, hashed)).allowed
        async with console.unit_of_work("test") as uow:
            assert not (await count_hit(uow, rule, kind, hashed)).allowed
