"""Soak: the whole platform at a steady 50 consultations a second for 10 minutes.

Run with ``make soak`` (or ``.venv/bin/python bench/soak.py --minutes 10 --rate 50``). It starts
the platform as ``tosei up`` does on a PostgreSQL server of its own (as the fault suite does),
registers experts, and keeps the desk's load going. Every 10 s it samples the resident memory of
every process ``tosei up`` started and the outbox backlog of every service; at the end it
reconciles every accepted consultation (one consultation, one case, one assignment, one event of
each kind on the topics) and writes the figures into docs/reliability.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.system.load import Desk
from tests.system.platform import (
    SERVICES,
    Platform,
    database_server,
    register_experts,
    tosei_up,
)
from tests.system.reconcile import reconcile, settled
from tosei_common.platform.clock import SYSTEM_CLOCK

START = "<!-- soak:start (written by bench/soak.py) -->"
END = "<!-- soak:end -->"
DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"


@dataclass
class Samples:
    rss_mb: dict[str, list[float]] = field(default_factory=dict)
    backlog: list[int] = field(default_factory=list)


def _processes(platform: Platform) -> dict[str, psutil.Process]:
    found = {}
    for name in SERVICES:
        with contextlib.suppress(LookupError):
            found[name] = platform.child(f"serve {name}")
    with contextlib.suppress(LookupError):
        found["broker"] = platform.child("tansu")
    return found


async def _backlog(platform: Platform) -> int:
    conn = await asyncpg.connect(platform.database.url)
    try:
        total = 0
        for name in SERVICES:
            total += await conn.fetchval(
                f"SELECT count(*) FROM {name}.outbox WHERE published_at IS NULL"
            )
        return total
    finally:
        await conn.close()


async def _sample(platform: Platform, samples: Samples, stop: asyncio.Event) -> None:
    started = time.monotonic()
    while not stop.is_set():
        for name, proc in _processes(platform).items():
            with contextlib.suppress(psutil.Error):
                rss = proc.memory_info().rss / 1024 / 1024
                samples.rss_mb.setdefault(name, []).append(rss)
        backlog = await _backlog(platform)
        samples.backlog.append(backlog)
        elapsed = time.monotonic() - started
        memory = ", ".join(f"{n} {v[-1]:.0f}" for n, v in samples.rss_mb.items())
        print(f"{elapsed:6.0f}s  backlog {backlog:5d}  RSS MB: {memory}", flush=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 10)


async def soak(minutes: float, rate: float) -> str:
    with tempfile.TemporaryDirectory(prefix="tosei-soak-") as tmp:
        data = Path(tmp)
        with database_server(data / "pg") as database, tosei_up(data / "up", database) as up:
            await up.wait_ready()
            await register_experts(up)
            desk = Desk(up.urls["intake"], f"soak-{int(time.time())}")
            stop, sampling_stop = asyncio.Event(), asyncio.Event()
            samples = Samples()
            sampler = asyncio.create_task(_sample(up, samples, sampling_stop))
            load = asyncio.create_task(desk.load(rate, stop))
            await asyncio.sleep(minutes * 60)
            stop.set()
            outcome = await load
            stopped_at = time.monotonic()
            settled_at = await settled(database.url, outcome, timeout=600)
            sampling_stop.set()
            await sampler
            result = await reconcile(database.url, up.bootstrap, outcome, desk.run)
    seconds = minutes * 60
    latencies = sorted(outcome.accept_latencies) or [0.0]
    p50, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99)]
    settling = "never" if settled_at is None else f"{settled_at - stopped_at:.1f} s"
    lines = [
        f"Last run: {SYSTEM_CLOCK.now():%Y-%m-%d %H:%M} JST, {minutes:g} min at {rate:g}/s: "
        f"{result.accepted:,} accepted ({result.accepted / seconds:.1f}/s), "
        f"{len(result.lost)} lost, {len(result.doubled)} doubled, "
        f"{outcome.retried} requests retried; the desk's answer p50 {p50 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms; every case assigned {settling} after the load stopped.",
        "",
        "| process | RSS at start | RSS at the end | highest |",
        "|---|---:|---:|---:|",
    ]
    for name, values in samples.rss_mb.items():
        lines.append(
            f"| {name} | {values[0]:.0f} MB | {values[-1]:.0f} MB | {max(values):.0f} MB |"
        )
    lines += [
        "",
        f"Outbox backlog (all services, sampled every 10 s): highest {max(samples.backlog)}, "
        f"median {statistics.median(samples.backlog):.0f}, last {samples.backlog[-1]}.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=50.0, help="consultations a second")
    parser.add_argument("--no-write", action="store_true", help="do not update the document")
    args = parser.parse_args()
    report = asyncio.run(soak(args.minutes, args.rate))
    print("\n" + report)
    if not args.no_write:
        text = DOCUMENT.read_text(encoding="utf-8")
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        DOCUMENT.write_text(f"{head}{START}\n\n{report}\n\n{END}{tail}", encoding="utf-8")
        print(f"\nwritten to {DOCUMENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
