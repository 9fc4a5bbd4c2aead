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
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import ClassVar

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pydantic import Field

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tosei_caseflow.app import SERVICE as CASEFLOW
from tosei_common.catalogue.intake import BusinessStage, CaseOpened, Category, Channel, Origin
from tosei_common.devtools.devstack import TansuBroker, free_port, resolve_database
from tosei_common.platform.consumer import BatchContext, BatchHandler, Delivery
from tosei_common.platform.db import with_database
from tosei_common.platform.events import Envelope, Event, source_of
from tosei_common.platform.replay import replay_service
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_common.platform.settings import Settings
from tosei_common.platform.topic_setup import ensure_topics
from tosei_common.platform.topics import Topic

RAW_THROUGHPUT = Topic("bench.raw.throughput", "raw aiokafka baseline", partitions=6)
RAW_LATENCY = Topic("bench.raw.latency", "raw aiokafka baseline", partitions=6)
RAW_TOPICS = [RAW_THROUGHPUT, RAW_LATENCY]
EVENTS = Topic("tosei.bench.samples", "pipeline benchmark events", partitions=6)
PAYLOAD_BYTES = 500
#: The consumer's handler effect, switched by the parent between runs (see ``ConsumerProcess``).
HANDLER = {"insert": False}


class BenchSample(Event):
    """One benchmark event, padded to about the size of the raw messages."""

    ce_type: ClassVar[str] = "jp.tosei.bench.sample.recorded.v1"
    topic: ClassVar[Topic] = EVENTS
    subject_field: ClassVar[str] = "key"

    key: str
    n: int
    padding: str = Field(default="")


async def record_samples(ctx: BatchContext, deliveries: Sequence[Delivery]) -> None:
    """With the insert effect the handler adds one row per event, as a simple domain effect does,
    all of a batch's rows in one statement (a batch handler); without it the effect is the inbox
    row alone, which measures the plumbing."""
    if HANDLER["insert"]:
        await ctx.conn.execute(
            "INSERT INTO samples (n) SELECT unnest($1::int[])", [d.event.n for d in deliveries]
        )


def bench_spec(name: str, *, consume: bool) -> ServiceSpec:
    return ServiceSpec(
        name=name,
        title=name,
        description="benchmark",
        migrations_package="bench.migrations",
        publishes=(BenchSample,),
        handlers={BenchSample: BatchHandler(record_samples)} if consume else {},
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
    await _answer(pipe, done)
    stop.set()
    for task in tasks:
        await task
    if runtime is not None:
        await runtime.stop()


async def _answer(pipe: Connection, done: dict[str, float]) -> None:
    """Answer the parent's requests until it sends None."""
    loop = asyncio.get_running_loop()
    while (request := await loop.run_in_executor(None, pipe.recv)) is not None:
        if request == "cpu":  # the CPU seconds this process has used so far
            pipe.send(time.process_time())
        elif isinstance(request, tuple):  # ("insert", bool): the handler's effect from now on
            HANDLER["insert"] = bool(request[1])
            pipe.send("ok")
        else:  # a number: answer when that many are done, with when each was
            while len(done) < int(request):  # noqa: ASYNC110 - polled across processes
                await asyncio.sleep(0.01)
            pipe.send(dict(done))
            done.clear()


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

    def handler_inserts(self, insert: bool) -> None:
        """From now on the handler adds one row per event (True) or only the inbox row."""
        self.pipe.send(("insert", insert))
        if not self.pipe.poll(30) or self.pipe.recv() != "ok":
            raise RuntimeError("the consumer did not switch its handler")

    def cpu(self) -> float:
        """The CPU seconds the consumer process has used so far."""
        self.pipe.send("cpu")
        if not self.pipe.poll(30):
            raise RuntimeError("the consumer did not say its CPU time")
        used: float = self.pipe.recv()
        return used

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
    bootstrap: str, consumer: ConsumerProcess, count: int, tag: str
) -> tuple[float, float]:
    """Produce ``count`` messages as fast as aiokafka can; return produce and end-to-end msg/s."""
    value = b"x" * PAYLOAD_BYTES
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=2, max_batch_size=256 * 1024
    )
    await producer.start()
    started = time.time()
    futures = [
        await producer.send(RAW_THROUGHPUT.name, value, key=f"t{tag}-{n}".encode())
        for n in range(count)
    ]
    await asyncio.gather(*futures)
    produced = time.time()
    await producer.stop()
    done = await asyncio.to_thread(consumer.collect, count)
    return count / (produced - started), count / (max(done.values()) - started)


async def raw_latency(
    bootstrap: str, consumer: ConsumerProcess, rate: int, seconds: float, tag: str
) -> Figures:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    await producer.start()
    sent_at: dict[str, float] = {}
    total = int(rate * seconds)

    async def send(n: int) -> None:
        key = f"l{tag}-{n}"
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


# replay: tosei replay caseflow --into … over case.opened events ------------------------------


async def produce_cases_opened(bootstrap: str, count: int) -> None:
    """``count`` case.opened events on intake's topic, as intake publishes them."""
    await ensure_topics(bootstrap, [CaseOpened.topic])
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=256 * 1024
    )
    await producer.start()
    source = source_of("intake")
    opened = datetime(2026, 4, 1, tzinfo=UTC)
    try:
        futures = []
        for n in range(count):
            event = CaseOpened(
                case_id=uuid.uuid4(),
                client_id=uuid.uuid4(),
                municipality=("022012", "023019", "023035", "023043", "023078")[n % 5],
                stage=list(BusinessStage)[n % len(BusinessStage)],
                categories=[list(Category)[n % len(Category)]],
                channel=list(Channel)[n % len(Channel)],
                origin=Origin.NEW_DESK,
                consent_to_share=n % 2 == 0,
                opened_at=opened + timedelta(minutes=n),
            )
            envelope = Envelope.wrap(event, source=source, time=event.opened_at)
            futures.append(
                await producer.send(
                    CaseOpened.topic.name,
                    envelope.data,
                    key=envelope.subject.encode(),
                    headers=envelope.headers(),
                )
            )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def raw_read(bootstrap: str, topic: str, count: int) -> float:
    """Records/s of a plain aiokafka consumer reading ``count`` records of ``topic``."""
    started = time.perf_counter()
    consumer = await _assigned_consumer(bootstrap, topic)
    read = 0
    try:
        while read < count:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            read += sum(len(records) for records in batch.values())
    finally:
        await consumer.stop()
    return count / (time.perf_counter() - started)


async def replay_caseflow(bootstrap: str, database_url: str, count: int) -> dict[str, float]:
    """``tosei replay caseflow --into bench_caseflow_replay``: records/s over the whole command
    and the seconds it spent after the last record making sure the topics had nothing more."""
    said: list[str] = []
    started = time.perf_counter()
    code = await replay_service(
        CASEFLOW,
        Settings(log_level="WARNING"),
        database_url=database_url,
        kafka_bootstrap=bootstrap,
        into="bench_caseflow_replay",
        out=said.append,
    )
    took = time.perf_counter() - started
    replayed = next(line for line in said if line.startswith("replayed "))
    ending = next(line for line in said if "making sure" in line)
    if code != 0 or int(replayed.split()[1]) != count:
        raise RuntimeError(f"the replay did not read {count} records: {said}")
    return {"replay": count / took, "replay_ending_s": float(ending.split()[1].rstrip("s"))}


# the run: repetitions, each pairing a raw figure with the pipeline's, minutes apart ---------------


@dataclass
class Row:
    """One line of the report: per repetition a raw figure, a pipeline figure, or both."""

    label: str
    raw: list[float]
    pipeline: list[float]
    fmt: str = ",.0f"

    def ratios(self) -> list[float]:
        return [p / max(r, 1e-9) for r, p in zip(self.raw, self.pipeline, strict=False)]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def spread(values: list[float], fmt: str) -> str:
    """``median (min–max)``, or the single value of a single repetition."""
    if not values:
        return ""
    if len(values) == 1:
        return format(values[0], fmt)
    return f"{median(values):{fmt}} ({min(values):{fmt}}–{max(values):{fmt}})"


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=5, help="repetitions of every measurement")
    parser.add_argument("--events", type=int, default=30_000, help="messages per throughput run")
    parser.add_argument("--rate", type=int, default=1_000, help="events/s for the latency runs")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each latency run")
    parser.add_argument("--per-tx", type=int, default=100, help="events per producing transaction")
    parser.add_argument("--json", action="store_true", help="print every repetition as JSON too")
    parser.add_argument(
        "--replay-records",
        type=int,
        default=100_000,
        help="case.opened events for the replay runs (0: no replay runs)",
    )
    parser.add_argument(
        "--handlers",
        choices=("both", "inbox", "insert"),
        default="both",
        help="the consumer's handler effect in the throughput runs: the inbox row alone "
        "(the plumbing), one more row per event (a simple domain effect), or both (default)",
    )
    parser.add_argument(
        "--handler-insert",
        action="store_const",
        const="insert",
        dest="handlers",
        help="the same as --handlers insert",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="tosei-bench-"))
    broker = TansuBroker(free_port(), data_dir / "tansu.log")
    broker.start()
    server = await resolve_database(Settings(data_dir=data_dir), name="postgres")
    name = f"tosei_bench_{os.getpid()}"
    admin = await asyncpg.connect(server.url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    database_url = with_database(server.url, name)
    runs: list[dict[str, float]] = []
    try:
        await ensure_topics(broker.bootstrap, RAW_TOPICS)
        print(
            f"broker {broker.bootstrap} (Tansu), database {server.origin}, {os.cpu_count()} cores; "
            f"{args.reps} repetitions",
            flush=True,
        )
        settings = Settings(db_pool_max=10, log_level="WARNING")
        producer = Runtime(
            bench_spec("bench_producer", consume=False),
            settings,
            database_url=database_url,
            kafka_bootstrap=broker.bootstrap,
        )
        await producer.start()
        await producer.wait_connected()
        raw_consumer = ConsumerProcess("raw", broker.bootstrap, database_url)
        consumer = ConsumerProcess("pipeline", broker.bootstrap, database_url)
        try:
            # warm up both: the first runs pay for connections, metadata and first fetches
            await raw_throughput(broker.bootstrap, raw_consumer, 2000, "warm")
            await pipeline_throughput(producer, consumer, 500, args.per_tx)
            if args.replay_records:
                print(f"{args.replay_records} case.opened events for the replay …", flush=True)
                await produce_cases_opened(broker.bootstrap, args.replay_records)
            for rep in range(args.reps):
                runs.append(
                    await one_repetition(
                        args, rep, broker.bootstrap, producer, consumer, raw_consumer
                    )
                )
        finally:
            consumer.close()
            raw_consumer.close()
            await producer.stop()
    finally:
        broker.stop()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        server.stop()

    report(args, runs)
    return 0


async def one_repetition(
    args: argparse.Namespace,
    rep: int,
    bootstrap: str,
    producer: Runtime,
    consumer: ConsumerProcess,
    raw_consumer: ConsumerProcess,
) -> dict[str, float]:
    """Every measurement once, each pipeline figure right after the raw one it is divided by."""
    run: dict[str, float] = {}
    say = f"[{rep + 1}/{args.reps}]"
    print(f"{say} throughput, {args.events} × {PAYLOAD_BYTES} B …", flush=True)
    cpu = (time.process_time(), raw_consumer.cpu())
    run["raw_produce"], run["raw_e2e"] = await raw_throughput(
        bootstrap, raw_consumer, args.events, str(rep)
    )
    run["raw_cpu_produce_us"] = (time.process_time() - cpu[0]) / args.events * 1e6
    run["raw_cpu_consume_us"] = (raw_consumer.cpu() - cpu[1]) / args.events * 1e6
    for insert in (False, True):
        if args.handlers == ("inbox" if insert else "insert"):
            continue
        consumer.handler_inserts(insert)
        cpu = (time.process_time(), consumer.cpu())
        figures = await pipeline_throughput(producer, consumer, args.events, args.per_tx)
        key = "pipe_insert" if insert else "pipe"
        run[f"{key}_e2e"] = figures.throughput
        run[f"{key}_cpu_produce_us"] = (time.process_time() - cpu[0]) / args.events * 1e6
        run[f"{key}_cpu_consume_us"] = (consumer.cpu() - cpu[1]) / args.events * 1e6
    consumer.handler_inserts(False)
    print(f"{say} latency at {args.rate}/s for {args.seconds:.0f}s …", flush=True)
    raw_lat = await raw_latency(bootstrap, raw_consumer, args.rate, args.seconds, str(rep))
    pipe_lat = await pipeline_latency(producer, consumer, args.rate, args.seconds)
    run.update(
        raw_p50=raw_lat.p50_ms,
        raw_p99=raw_lat.p99_ms,
        pipe_p50=pipe_lat.p50_ms,
        pipe_p99=pipe_lat.p99_ms,
        relay_p50=pipe_lat.relay_p50_ms,
        relay_p99=pipe_lat.relay_p99_ms,
    )
    if args.replay_records:
        print(f"{say} replay of {args.replay_records} case.opened into caseflow …", flush=True)
        run["raw_read"] = await raw_read(bootstrap, CaseOpened.topic.name, args.replay_records)
        run.update(await replay_caseflow(bootstrap, producer.database_url, args.replay_records))
    return run


def report(args: argparse.Namespace, runs: list[dict[str, float]]) -> None:
    def col(key: str) -> list[float]:
        return [run[key] for run in runs if key in run]

    rate = args.rate
    rows = [
        Row("produce msg/s", col("raw_produce"), []),
        Row("produce→consume msg/s", col("raw_e2e"), col("pipe_e2e")),
        Row("… with one insert per event", col("raw_e2e"), col("pipe_insert_e2e")),
        Row(
            "… its CPU µs per event consuming",
            col("raw_cpu_consume_us"),
            col("pipe_insert_cpu_consume_us"),
            fmt=".1f",
        ),
        Row(
            "CPU µs per event: producing (writers + relay)",
            col("raw_cpu_produce_us"),
            col("pipe_cpu_produce_us"),
            fmt=".1f",
        ),
        Row(
            "CPU µs per event: consuming",
            col("raw_cpu_consume_us"),
            col("pipe_cpu_consume_us"),
            fmt=".1f",
        ),
        Row(f"p50 latency ms at {rate}/s", col("raw_p50"), col("pipe_p50"), fmt=".1f"),
        Row(f"p99 latency ms at {rate}/s", col("raw_p99"), col("pipe_p99"), fmt=".1f"),
        Row("… of which insert→acknowledged p50", [], col("relay_p50"), fmt=".1f"),
        Row("… of which insert→acknowledged p99", [], col("relay_p99"), fmt=".1f"),
        Row(
            f"replay caseflow, {args.replay_records:,} case.opened: records/s",
            col("raw_read"),
            col("replay"),
        ),
        Row("… of which s after the last record", [], col("replay_ending_s"), fmt=".2f"),
    ]
    print()
    print(
        f"median (min–max) of {len(runs)} repetitions; ratios are per repetition, then the median"
    )
    print()
    print("|  | raw aiokafka | pipeline | pipeline / raw |")
    print("|---|---:|---:|---:|")
    for row in rows:
        if not row.raw and not row.pipeline:
            continue
        ratios = row.ratios() if row.raw and row.pipeline else []
        print(
            f"| {row.label} | {spread(row.raw, row.fmt)} | {spread(row.pipeline, row.fmt)} "
            f"| {spread(ratios, '.2f')} |"
        )
    print()
    goals: list[tuple[str, bool]] = []
    if col("pipe_e2e"):
        ratio = median(rows[1].ratios())
        goals.append((f"throughput ≥ 1/3 of raw produce→consume: {ratio:.2f}", ratio >= 1 / 3))
    if col("pipe_insert_e2e"):
        ratio = median(next(r for r in rows if r.label.startswith("… with one")).ratios())
        goals.append((f"with one insert per event ≥ 1/5 of raw: {ratio:.2f}", ratio >= 1 / 5))
    p99_ratio = median(next(r for r in rows if r.label.startswith("p99")).ratios())
    worst = max(col("pipe_p99"))
    goals.append((f"p99 at {rate}/s ≤ 2 × raw p99: {p99_ratio:.2f}", p99_ratio <= 2.0))
    goals.append((f"p99 at {rate}/s < 50 ms in every repetition: worst {worst:.1f} ms", worst < 50))
    if col("replay"):
        slowest = min(col("replay"))
        goals.append((f"replay ≥ 20,000 records/s: slowest {slowest:,.0f}", slowest >= 20_000))
    for text, met in goals:
        print(f"goal: {text} ({'met' if met else 'NOT met'})")
    if args.json:
        print(json.dumps({"repetitions": runs}))


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
