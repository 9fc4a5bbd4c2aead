"""Benchmark: the outbox → relay → Kafka → consumer → inbox pipeline against raw aiokafka.

Run with ``make bench`` (or ``.venv/bin/python bench/pipeline.py --help``). Everything runs in one
process, in one run, on the same broker (a Tansu started for the run) and the same PostgreSQL, so
the pipeline's figures are printed as ratios of the raw ones measured minutes apart, not against
numbers from another day.

Throughput: N events written as fast as possible while being consumed; the clock runs from the
first write to the last consume (raw) or the last consuming transaction's commit (pipeline).
Latency: events written at a steady rate; for the pipeline from the producing transaction's commit
to the consuming transaction's commit, for raw aiokafka from ``send()`` to the consumer's receipt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import ClassVar

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pydantic import Field

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tosei_common.devtools.devstack import TansuBroker, free_port, resolve_database
from tosei_common.platform.consumer import HandlerContext
from tosei_common.platform.db import with_database
from tosei_common.platform.events import Envelope, Event
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_common.platform.settings import Settings
from tosei_common.platform.topic_setup import ensure_topics
from tosei_common.platform.topics import Topic

RAW_THROUGHPUT = Topic("bench.raw.throughput", "raw aiokafka baseline", partitions=6)
RAW_LATENCY = Topic("bench.raw.latency", "raw aiokafka baseline", partitions=6)
RAW_TOPICS = [RAW_THROUGHPUT, RAW_LATENCY]
EVENTS = Topic("tosei.bench.samples", "pipeline benchmark events", partitions=6)
PAYLOAD_BYTES = 500
HANDLER_INSERT = os.environ.get("TOSEI_BENCH_HANDLER_INSERT") == "1"


class BenchSample(Event):
    """One benchmark event, padded to about the size of the raw messages."""

    ce_type: ClassVar[str] = "jp.tosei.bench.sample.recorded.v1"
    topic: ClassVar[Topic] = EVENTS
    subject_field: ClassVar[str] = "key"

    key: str
    n: int
    padding: str = Field(default="")


async def record_sample(ctx: HandlerContext, event: BenchSample) -> None:
    """With --handler-insert the handler adds one row per event, as a simple domain effect does;
    without it the effect is the inbox row alone, which measures the plumbing."""
    if HANDLER_INSERT:
        await ctx.conn.execute("INSERT INTO samples (n) VALUES ($1)", event.n)


def bench_spec(name: str, *, consume: bool) -> ServiceSpec:
    return ServiceSpec(
        name=name,
        title=name,
        description="benchmark",
        migrations_package="bench.migrations",
        publishes=(BenchSample,),
        handlers={BenchSample: record_sample} if consume else {},
    )


@dataclass
class Figures:
    throughput: float  # messages per second
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    relay_p50_ms: float = 0.0  # outbox insert → broker acknowledged (the relay's share)
    relay_p99_ms: float = 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# the consuming side runs in a process of its own, as a service does ---------------------------


def consumer_process(pipe: Connection, mode: str, bootstrap: str, database_url: str) -> None:
    """Child process: consume and report, per message, the wall-clock time it was done.

    ``raw``: a plain aiokafka consumer on the raw topics, done = received.
    ``pipeline``: the benchmark consumer service (FastStream batch subscriber + inbox), done = the
    consuming transaction committed.
    """
    asyncio.run(_consume(pipe, mode, bootstrap, database_url))


async def _consume(pipe: Connection, mode: str, bootstrap: str, database_url: str) -> None:
    done: dict[str, float] = {}

    def on_committed(envelopes: list[Envelope]) -> None:
        now = time.time()
        for envelope in envelopes:
            done[str(envelope.id)] = now

    stop = asyncio.Event()
    if mode == "raw":
        tasks = [asyncio.create_task(_drain_raw(bootstrap, t.name, done, stop)) for t in RAW_TOPICS]
        runtime = None
    else:
        settings = Settings(db_pool_max=10, log_level="WARNING")
        runtime = Runtime(
            bench_spec("bench_consumer", consume=True),
            settings,
            database_url=database_url,
            kafka_bootstrap=bootstrap,
            on_committed=on_committed,
            relay=False,
        )
        await runtime.start()
        await runtime.wait_connected()
        tasks = []
    pipe.send("ready")
    loop = asyncio.get_running_loop()
    while True:
        request = await loop.run_in_executor(None, pipe.recv)
        if request is None:
            break
        expected = int(request)
        while len(done) < expected:  # noqa: ASYNC110 - polled across a process boundary
            await asyncio.sleep(0.01)
        pipe.send(dict(done))
        done.clear()
    stop.set()
    for task in tasks:
        await task
    if runtime is not None:
        await runtime.stop()


async def _drain_raw(
    bootstrap: str, topic: str, done: dict[str, float], stop: asyncio.Event
) -> None:
    consumer = await _assigned_consumer(bootstrap, topic)
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100, max_records=5000)
            now = time.time()
            for records in batch.values():
                for record in records:
                    done[(record.key or b"").decode()] = now
    finally:
        await consumer.stop()


class ConsumerProcess:
    def __init__(self, mode: str, bootstrap: str, database_url: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipe, child = context.Pipe()
        self.process = context.Process(
            target=consumer_process, args=(child, mode, bootstrap, database_url), daemon=True
        )
        self.process.start()
        if not self.pipe.poll(60) or self.pipe.recv() != "ready":
            raise RuntimeError(f"the {mode} consumer process did not start")

    def collect(self, expected: int, timeout: float = 300) -> dict[str, float]:
        self.pipe.send(expected)
        if not self.pipe.poll(timeout):
            raise TimeoutError(f"the consumer did not finish {expected} messages in {timeout}s")
        result: dict[str, float] = self.pipe.recv()
        return result

    def close(self) -> None:
        self.pipe.send(None)
        self.process.join(30)


async def _assigned_consumer(bootstrap: str, topic: str) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=20
    )
    await consumer.start()
    await consumer.topics()
    numbers = sorted(consumer.partitions_for_topic(topic) or ())
    partitions = [TopicPartition(topic, p) for p in numbers]
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    return consumer


# producing -----------------------------------------------------------------------------------


async def _at_rate(rate: int, total: int, action: Callable[[int], Awaitable[None]]) -> None:
    """Start ``action(n)`` for n in 0..total-1 at ``rate`` per second, in 10 ms ticks."""
    tick = 0.01
    per_tick = max(1, int(rate * tick))
    started = time.perf_counter()
    pending: set[asyncio.Task[None]] = set()
    for first in range(0, total, per_tick):
        for n in range(first, min(total, first + per_tick)):
            task = asyncio.ensure_future(action(n))
            pending.add(task)
            task.add_done_callback(pending.discard)
        delay = started + (first // per_tick + 1) * tick - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    if pending:
        await asyncio.gather(*pending)


async def raw_throughput(
    bootstrap: str, consumer: ConsumerProcess, count: int
) -> tuple[float, float]:
    """Produce ``count`` messages as fast as aiokafka can; return produce and end-to-end msg/s."""
    value = b"x" * PAYLOAD_BYTES
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=2, max_batch_size=256 * 1024
    )
    await producer.start()
    started = time.time()
    futures = [
        await producer.send(RAW_THROUGHPUT.name, value, key=f"t{n}".encode()) for n in range(count)
    ]
    await asyncio.gather(*futures)
    produced = time.time()
    await producer.stop()
    done = await asyncio.to_thread(consumer.collect, count)
    return count / (produced - started), count / (max(done.values()) - started)


async def raw_latency(
    bootstrap: str, consumer: ConsumerProcess, rate: int, seconds: float
) -> Figures:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    await producer.start()
    sent_at: dict[str, float] = {}
    total = int(rate * seconds)

    async def send(n: int) -> None:
        key = f"l{n}"
        sent_at[key] = time.time()
        await producer.send(RAW_LATENCY.name, b"x" * PAYLOAD_BYTES, key=key.encode())

    await _at_rate(rate, total, send)
    await producer.flush()
    await producer.stop()
    done = await asyncio.to_thread(consumer.collect, total)
    return _latency_figures(rate, sent_at, done)


async def pipeline_throughput(
    producer: Runtime, consumer: ConsumerProcess, count: int, per_tx: int
) -> Figures:
    padding = "x" * (PAYLOAD_BYTES - 60)
    started = time.time()
    writers = 4

    async def write(part: int) -> None:
        for first in range(part * per_tx, count, per_tx * writers):
            async with producer.pool.acquire() as conn, conn.transaction():
                await producer.outbox.add(
                    conn,
                    *(
                        BenchSample(key=str(n % 1000), n=n, padding=padding)
                        for n in range(first, min(count, first + per_tx))
                    ),
                )

    await asyncio.gather(*(write(p) for p in range(writers)))
    done = await asyncio.to_thread(consumer.collect, count)
    return Figures(throughput=count / (max(done.values()) - started))


async def pipeline_latency(
    producer: Runtime, consumer: ConsumerProcess, rate: int, seconds: float
) -> Figures:
    total = int(rate * seconds)
    padding = "x" * (PAYLOAD_BYTES - 60)
    committed_at: dict[str, float] = {}

    async def write_one(n: int) -> None:
        async with producer.pool.acquire() as conn, conn.transaction():
            (event_id,) = await producer.outbox.add(
                conn, BenchSample(key=str(n % 1000), n=n, padding=padding)
            )
        committed_at[str(event_id)] = time.time()

    await _at_rate(rate, total, write_one)
    done = await asyncio.to_thread(consumer.collect, total)
    figures = _latency_figures(rate, committed_at, done)
    async with producer.pool.acquire() as conn:
        row = await conn.fetchrow(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY published_at - created_at) AS p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY published_at - created_at) AS p99
            FROM outbox WHERE id = ANY($1::uuid[])
            """,
            list(committed_at),
        )
    assert row is not None
    figures.relay_p50_ms = row["p50"].total_seconds() * 1000
    figures.relay_p99_ms = row["p99"].total_seconds() * 1000
    return figures


def _latency_figures(rate: int, started: dict[str, float], done: dict[str, float]) -> Figures:
    latencies = [done[k] - t for k, t in started.items() if k in done]
    return Figures(
        throughput=rate,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
    )


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=30_000, help="messages per throughput run")
    parser.add_argument("--rate", type=int, default=1_000, help="events/s for the latency runs")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each latency run")
    parser.add_argument("--per-tx", type=int, default=100, help="events per producing transaction")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--handler-insert",
        action="store_true",
        help="the consumer's handler inserts one row per event (default: inbox row only)",
    )
    args = parser.parse_args()
    if args.handler_insert:
        os.environ["TOSEI_BENCH_HANDLER_INSERT"] = "1"  # read by the consumer process

    data_dir = Path(tempfile.mkdtemp(prefix="tosei-bench-"))
    broker = TansuBroker(free_port(), data_dir / "tansu.log")
    broker.start()
    server = await resolve_database(Settings(data_dir=data_dir), name="postgres")
    name = f"tosei_bench_{os.getpid()}"
    admin = await asyncpg.connect(server.url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    database_url = with_database(server.url, name)
    try:
        await ensure_topics(broker.bootstrap, RAW_TOPICS)
        print(
            f"broker {broker.bootstrap} (Tansu), database {server.origin}, {os.cpu_count()} cores",
            flush=True,
        )

        raw_consumer = ConsumerProcess("raw", broker.bootstrap, database_url)
        try:
            print(f"raw aiokafka: {args.events} × {PAYLOAD_BYTES} B produce→consume …", flush=True)
            raw_produce, raw_e2e = await raw_throughput(broker.bootstrap, raw_consumer, args.events)
            print(f"raw aiokafka: latency at {args.rate}/s for {args.seconds:.0f}s …", flush=True)
            raw_lat = await raw_latency(broker.bootstrap, raw_consumer, args.rate, args.seconds)
        finally:
            raw_consumer.close()

        settings = Settings(db_pool_max=10, log_level="WARNING")
        producer = Runtime(
            bench_spec("bench_producer", consume=False),
            settings,
            database_url=database_url,
            kafka_bootstrap=broker.bootstrap,
        )
        await producer.start()
        await producer.wait_connected()
        consumer = ConsumerProcess("pipeline", broker.bootstrap, database_url)
        try:
            await pipeline_throughput(producer, consumer, 500, args.per_tx)  # warm up
            print(f"pipeline: {args.events} events outbox→relay→consumer→inbox …", flush=True)
            pipe = await pipeline_throughput(producer, consumer, args.events, args.per_tx)
            print(f"pipeline: latency at {args.rate}/s for {args.seconds:.0f}s …", flush=True)
            pipe_lat = await pipeline_latency(producer, consumer, args.rate, args.seconds)
        finally:
            consumer.close()
            await producer.stop()
    finally:
        broker.stop()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        server.stop()

    report(args.rate, raw_produce, raw_e2e, raw_lat, pipe, pipe_lat, as_json=args.json)
    return 0


def report(
    rate: int,
    raw_produce: float,
    raw_e2e: float,
    raw_lat: Figures,
    pipe: Figures,
    pipe_lat: Figures,
    *,
    as_json: bool,
) -> None:
    ratio = pipe.throughput / raw_e2e
    print()
    print(f"{'':30}{'raw aiokafka':>14}{'pipeline':>12}{'pipeline/raw':>14}")
    print(f"{'produce msg/s':30}{raw_produce:>14,.0f}")
    print(f"{'produce→consume msg/s':30}{raw_e2e:>14,.0f}{pipe.throughput:>12,.0f}{ratio:>14.2f}")
    for label, raw_ms, pipe_ms in (
        ("p50", raw_lat.p50_ms, pipe_lat.p50_ms),
        ("p99", raw_lat.p99_ms, pipe_lat.p99_ms),
    ):
        print(
            f"{label + ' latency ms @ ' + str(rate) + '/s':30}{raw_ms:>14.1f}{pipe_ms:>12.1f}"
            f"{pipe_ms / max(raw_ms, 1e-9):>14.1f}"
        )
    print(f"{'  of which insert→acknowledged':30}{'':14}{pipe_lat.relay_p50_ms:>12.1f}  (p50)")
    print(f"{'':30}{'':14}{pipe_lat.relay_p99_ms:>12.1f}  (p99)")
    print()
    print(
        f"goal: pipeline throughput ≥ 1/3 of raw produce→consume: {ratio:.2f} "
        f"({'met' if ratio >= 1 / 3 else 'NOT met'})"
    )
    print(
        f"goal: pipeline p99 < 50 ms at {rate}/s: {pipe_lat.p99_ms:.1f} ms "
        f"({'met' if pipe_lat.p99_ms < 50 else 'NOT met'})"
    )
    if as_json:
        print(
            json.dumps(
                {
                    "raw": {
                        "produce": raw_produce,
                        "produce_consume": raw_e2e,
                        "p50_ms": raw_lat.p50_ms,
                        "p99_ms": raw_lat.p99_ms,
                    },
                    "pipeline": {
                        "produce_consume": pipe.throughput,
                        "p50_ms": pipe_lat.p50_ms,
                        "p99_ms": pipe_lat.p99_ms,
                    },
                    "throughput_ratio": ratio,
                }
            )
        )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
