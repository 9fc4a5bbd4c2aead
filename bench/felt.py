"""What a person feels: start-up, the desk's POST /consultations, and case.assigned on the topic.

Run with ``.venv/bin/python bench/felt.py`` (``make bench-felt``). It starts the platform as
``tosei up`` does, on a PostgreSQL server of its own (as ``make soak`` does), and measures:

- start-up: from launching ``tosei up`` to every service answering ``/readyz`` with 200;
- at a steady 20 and 100 consultations/s (``--rates``), for ``--seconds`` each: the HTTP latency
  of ``POST /consultations`` and, for each consultation, the time from sending the request to
  caseflow's ``case.assigned`` for its case arriving on ``tosei.caseflow.cases`` (read by a
  plain consumer in this process, so the figure includes one Kafka hop to a subscriber);
- the resident memory of every service after start and after the load.

Each figure is the median (min–max) of ``--reps`` repetitions of the load; start-up is one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.system.load import consultation, desk_token
from tests.system.platform import SERVICES, Platform, database_server, register_experts, tosei_up
from tosei_common.catalogue.caseflow import CASES, CaseAssigned


class Assignments:
    """Watches caseflow's topic and notes when each case's case.assigned arrived."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.seen: dict[str, float] = {}
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap, group_id=None, fetch_max_wait_ms=10
        )
        await consumer.start()
        await consumer.topics()
        partitions = [
            TopicPartition(CASES.name, p) for p in consumer.partitions_for_topic(CASES.name) or ()
        ]
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        self._task = asyncio.create_task(self._watch(consumer))

    async def _watch(self, consumer: AIOKafkaConsumer) -> None:
        wanted = CaseAssigned.ce_type.encode()
        try:
            while not self._stop.is_set():
                batch = await consumer.getmany(timeout_ms=100)
                now = time.time()
                for records in batch.values():
                    for record in records:
                        headers = dict(record.headers)
                        if headers.get("ce_type") == wanted:
                            self.seen.setdefault(headers["ce_subject"].decode(), now)
        finally:
            await consumer.stop()

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task


async def steady_load(
    platform: Platform, assignments: Assignments, rate: int, seconds: float, run: str
) -> tuple[list[float], list[float], int]:
    """POST consultations at ``rate``/s for ``seconds``; HTTP latencies, POST→assigned latencies
    (of the cases assigned within 30 s of the end) and how many were accepted."""
    headers = desk_token()
    sent_at: dict[str, float] = {}
    http: list[float] = []
    retried: list[int] = []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(
        base_url=platform.urls["intake"], timeout=30, limits=limits
    ) as client:

        async def one(n: int) -> None:
            """One consultation, sent again with its key after a cut connection (as the desk
            does); its latencies count from the first try."""
            began = time.time()
            key = {**headers, "Idempotency-Key": str(uuid.uuid4())}
            for _ in range(5):
                try:
                    response = await client.post(
                        "/consultations", json=consultation(f"[{run}#{n}]", n), headers=key
                    )
                except httpx.HTTPError:
                    retried.append(n)
                    continue
                if response.status_code < 300:
                    http.append(time.time() - began)
                    sent_at[response.json()["id"]] = began
                return

        started = time.perf_counter()
        tasks = []
        for n in range(int(rate * seconds)):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(c not in assignments.seen for c in sent_at):  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    assigned = [assignments.seen[c] - t for c, t in sent_at.items() if c in assignments.seen]
    if retried:
        print(f"  {len(retried)} requests sent again after a cut connection", flush=True)
    return http, assigned, len(sent_at)


def rss_mb(platform: Platform) -> dict[str, float]:
    found: dict[str, float] = {}
    for name in SERVICES:
        with contextlib.suppress(LookupError):
            found[name] = platform.child(f"serve {name}").memory_info().rss / 2**20
    return found


def p(values: list[float], q: float) -> float:
    ordered = sorted(values) or [float("nan")]
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def spread(values: list[float], fmt: str = ".0f") -> str:
    if len(values) == 1:
        return format(values[0], fmt)
    return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}–{max(values):{fmt}})"


async def felt(rates: list[int], seconds: float, reps: int) -> str:
    with tempfile.TemporaryDirectory(prefix="tosei-felt-") as tmp:
        data = Path(tmp)
        with database_server(data / "pg") as database:
            launched = time.perf_counter()
            with tosei_up(data / "up", database) as up:
                await up.wait_ready()
                startup = time.perf_counter() - launched
                at_start = rss_mb(up)
                await register_experts(up)
                assignments = Assignments(up.bootstrap)
                await assignments.start()
                figures: dict[int, dict[str, list[float]]] = {}
                total = 0
                try:
                    for rep in range(reps):
                        for rate in rates:
                            print(f"[{rep + 1}/{reps}] {rate}/s for {seconds:.0f}s …", flush=True)
                            http, assigned, accepted = await steady_load(
                                up, assignments, rate, seconds, f"felt-{rep}-{rate}"
                            )
                            total += accepted
                            row = figures.setdefault(rate, {})
                            for key, value in (
                                ("http_p50", p(http, 0.5)),
                                ("http_p99", p(http, 0.99)),
                                ("assigned_p50", p(assigned, 0.5)),
                                ("assigned_p99", p(assigned, 0.99)),
                                ("missing", accepted - len(assigned)),
                            ):
                                row.setdefault(key, []).append(value)
                finally:
                    await assignments.stop()
                after = rss_mb(up)
    lines = [
        f"start-up (tosei up launched → every /readyz 200): {startup:.1f} s",
        "",
        "| at a steady rate | POST /consultations p50 | p99 | → case.assigned p50 | p99 |",
        "|---|---:|---:|---:|---:|",
    ]
    for rate, row in figures.items():
        ms = {k: [v * 1000 for v in vs] for k, vs in row.items() if k != "missing"}
        lines.append(
            f"| {rate}/s | {spread(ms['http_p50'])} ms | {spread(ms['http_p99'])} ms "
            f"| {spread(ms['assigned_p50'])} ms | {spread(ms['assigned_p99'])} ms |"
        )
        if any(row["missing"]):
            lines.append(f"| (not assigned within 30 s: {row['missing']}) | | | | |")
    lines += [
        "",
        f"RSS after start and after {total:,} consultations: "
        + ", ".join(f"{n} {at_start[n]:.0f}→{after.get(n, 0):.0f} MB" for n in at_start),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rates", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each load")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    print("\n" + asyncio.run(felt(args.rates, args.seconds, args.reps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
