"""Benchmark: what one rate-limit check of the public pages costs, shared (the console's
``public_rate_limits`` in PostgreSQL) against the in-process count it replaced, in the same run.

Run with ``make bench-limits`` (or ``.venv/bin/python bench/rate_limits.py --checks N``). It
makes a database of its own on the machine's PostgreSQL (or an embedded one), migrates a console
schema in it, and times:

- in memory: ``SlidingWindowLimiter.hit`` (the rule in this process's memory);
- shared, one at a time: ``handlers.rate_limits.count_hit`` in its unit of work, as the console's
  dependency runs it: a new client each time (the row is inserted), the same client let through
  (its hits always out of the window) and the same client refused (limit 5, reached);
- shared, a storm: 30 checks of one client at once over two console runtimes (each its own
  pool), the wall time of each check, waiting for the row lock included;
- the table as shipped (UNLOGGED) against the same table LOGGED, checks interleaved.

Each figure is the median (and the 95th percentile) in microseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tosei_common.devtools.devstack import resolve_database
from tosei_common.platform.clock import SettableClock, japan_moment
from tosei_common.platform.db import with_database
from tosei_common.platform.rate_limit import SlidingWindow, SlidingWindowLimiter, client_hash
from tosei_common.platform.service import Runtime
from tosei_common.platform.settings import Settings
from tosei_console.app import SERVICE as CONSOLE
from tosei_console.handlers.rate_limits import count_hit

T0 = japan_moment("2026-11-16 10:00")
SECRET = "bench-secret-of-at-least-thirty-two-bytes"


def line(name: str, micros: list[float]) -> str:
    ordered = sorted(micros)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{name:<46} median {statistics.median(micros):9.1f} µs   p95 {p95:9.1f} µs"


async def timed(n: int, check: Callable[[int], Awaitable[object]]) -> list[float]:
    spent = []
    for i in range(n):
        began = time.perf_counter_ns()
        await check(i)
        spent.append((time.perf_counter_ns() - began) / 1000)
    return spent


def in_memory(n: int) -> list[float]:
    limiter = SlidingWindowLimiter(5, timedelta(hours=1))
    spent = []
    for i in range(n):
        at = T0 + timedelta(milliseconds=i)
        began = time.perf_counter_ns()
        limiter.hit(f"203.0.{i % 256}.{i // 256 % 256}", at)
        spent.append((time.perf_counter_ns() - began) / 1000)
    return spent


async def shared(runtime: Runtime, rule: SlidingWindow, client: bytes) -> None:
    async with runtime.unit_of_work("bench") as uow:
        await count_hit(uow, rule, "registrations", client)


async def select_1(runtime: Runtime) -> None:
    async with runtime.reading() as conn:
        await conn.fetchval("SELECT 1")


async def storm(runtimes: list[Runtime], clients: int) -> list[float]:
    """30 checks of one client at once over the runtimes, ``clients`` times over."""
    rule = SlidingWindow(5, timedelta(hours=1))
    spent: list[float] = []

    async def one(runtime: Runtime, client: bytes) -> None:
        began = time.perf_counter_ns()
        await shared(runtime, rule, client)
        spent.append((time.perf_counter_ns() - began) / 1000)

    for c in range(clients):
        client = client_hash(f"198.51.100.{c % 256}-{c}", SECRET)
        await asyncio.gather(*(one(runtimes[n % len(runtimes)], client) for n in range(30)))
    return spent


async def logged_against_unlogged(
    other: Runtime, shipped: Runtime, rule: SlidingWindow, n: int
) -> tuple[list[float], list[float]]:
    """The table as shipped (UNLOGGED, its rows kept out of the WAL) against the same table made
    LOGGED in a schema of its own, checks interleaved so both see the same load."""
    other.schema = "console_logged"
    await other.close_database()
    await other.open_database("tosei-bench")
    async with other.reading() as conn:
        await conn.execute("ALTER TABLE public_rate_limits SET LOGGED")
    hot = client_hash("203.0.113.9", SECRET)
    logged: list[float] = []
    unlogged: list[float] = []
    for _ in range(n):
        for runtime, spent in ((other, logged), (shipped, unlogged)):
            began = time.perf_counter_ns()
            await shared(runtime, rule, hot)
            spent.append((time.perf_counter_ns() - began) / 1000)
    return logged, unlogged


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checks", type=int, default=2000, help="checks per figure")
    args = parser.parse_args()
    n = args.checks

    data_dir = Path(tempfile.mkdtemp(prefix="tosei-bench-"))
    server = await resolve_database(Settings(data_dir=data_dir), name="postgres")
    name = f"tosei_bench_limits_{os.getpid()}"
    admin = await asyncpg.connect(server.url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    clock = SettableClock(T0, ticking=True)
    settings = Settings(db_pool_max=10, log_level="WARNING", auth_secret=SECRET)
    runtimes = [
        Runtime(
            CONSOLE,
            settings,
            database_url=with_database(server.url, name),
            kafka_bootstrap="127.0.0.1:1",  # no broker: only the database is opened
            schema="console",
            clock=clock,
        )
        for _ in range(2)
    ]
    try:
        for runtime in runtimes:
            await runtime.open_database("tosei-bench")
        one = runtimes[0]
        print(f"database {server.origin}, {os.cpu_count()} cores; {n} checks per figure")
        print(line("in memory (SlidingWindowLimiter.hit)", in_memory(n)))
        print(
            line("for scale: one SELECT 1 from the pool", await timed(n, lambda _: select_1(one)))
        )

        few = SlidingWindow(5, timedelta(hours=1))
        # a window shorter than the time between checks: every check is let through
        brief = SlidingWindow(5, timedelta(microseconds=1))
        hot = client_hash("203.0.113.5", SECRET)
        await timed(200, lambda i: shared(one, few, client_hash(f"warm-{i}", SECRET)))
        print(
            line(
                "shared, a new client each time",
                await timed(n, lambda i: shared(one, few, client_hash(f"new-{i}", SECRET))),
            )
        )
        print(
            line(
                "shared, the same client, let through",
                await timed(n, lambda _: shared(one, brief, hot)),
            )
        )
        print(
            line(
                "shared, the same client, refused",
                await timed(n, lambda _: shared(one, few, client_hash("refused", SECRET))),
            )
        )
        print(line("shared, 30 at once over 2 consoles (wall)", await storm(runtimes, n // 30)))
        logged, unlogged = await logged_against_unlogged(runtimes[1], one, brief, n)
        print(line("the same, let through, table LOGGED", logged))
        print(line("the same, let through, table UNLOGGED (as shipped)", unlogged))
    finally:
        for runtime in runtimes:
            await runtime.close_database()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
