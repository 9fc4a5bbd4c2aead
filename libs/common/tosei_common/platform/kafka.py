"""Kafka wiring on FastStream: the broker, the relay's sender, dead letters, the subscriber."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.partitioner import DefaultPartitioner
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka import Topic as FastStreamTopic
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.middlewares import AckPolicy

from tosei_common.platform.consumer import (
    BatchProcessor,
    DeadLetter,
    Record,
    Unavailable,
    Validated,
)
from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.outbox import Acknowledgements, OutboxRow
from tosei_common.platform.settings import Settings
from tosei_common.platform.topics import Topic

log = logging.getLogger(__name__)


def create_broker(
    service: str, bootstrap: str, metrics: PipelineMetrics, *, request_timeout_ms: int = 10_000
) -> KafkaBroker:
    """A FastStream Kafka broker for one service, its metrics on the service's registry.

    The producer is neither idempotent nor transactional (the development broker supports
    neither); effectively-once comes from the outbox and the inbox instead.
    """
    return KafkaBroker(
        bootstrap,
        client_id=f"tosei-{service}",
        acks="all",
        enable_idempotence=False,
        linger_ms=2,
        max_batch_size=256 * 1024,
        request_timeout_ms=request_timeout_ms,
        # Topics are created by ensure_topics() with their declared partitions; subscribers
        # pass Topic(declare=False) so FastStream never creates one with its own defaults.
        allow_auto_create_topics=True,
        middlewares=[
            KafkaPrometheusMiddleware(registry=metrics.registry, app_name=f"tosei-{service}")
        ],
        # FastStream's own logs go through standard logging (not its private stdout handler),
        # and its per-batch lines stay below INFO.
        logger=logging.getLogger(f"faststream.{service}"),
        log_level=logging.DEBUG,
        graceful_timeout=10.0,
        description=f"Tosei {service} service",
    )


class RelayProducer:
    """The outbox relay's own aiokafka producer, which sends rows as record batches.

    Publishing each row through FastStream's ``publish`` cost about 60 µs of command objects and
    middleware per event, three times the send itself; aiokafka's own ``send`` still costs a
    future, a partitioner call and an accumulator lookup per record. The relay builds one record
    batch per partition instead (the partition chosen by the same partitioner that ``send`` uses,
    so a key lands where any other producer puts it) and gets one acknowledgement per batch.
    """

    def __init__(self, bootstrap: str, *, client_id: str, request_timeout_ms: int) -> None:
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            client_id=client_id,
            acks="all",
            enable_idempotence=False,
            linger_ms=2,
            max_batch_size=256 * 1024,
            request_timeout_ms=request_timeout_ms,
        )
        self._partitioner = DefaultPartitioner()
        self._started = False

    async def start(self) -> None:
        await self._producer.start()
        self._started = True

    async def stop(self) -> None:
        if self._started:
            self._started = False
            await self._producer.stop()

    async def send(self, rows: Sequence[OutboxRow]) -> Awaitable[Acknowledgements]:
        """Hand every row to the producer, in order; return what waits for the acknowledgements
        (per row None or its error), so the relay can read the next batch meanwhile."""
        results: list[BaseException | None] = [None] * len(rows)
        waiting: list[tuple[asyncio.Future[Any], list[int]]] = []
        for (topic, partition), indexes in (await self._by_partition(rows, results)).items():
            batch, in_batch = self._producer.create_batch(), []
            for i in indexes:
                if _append(batch, rows[i]):
                    in_batch.append(i)
                    continue
                # the batch is full: send it and start the next one with this row
                waiting.append(await self._send_batch(batch, topic, partition, in_batch))
                batch, in_batch = self._producer.create_batch(), [i]
                if not _append(batch, rows[i]):
                    results[i] = ValueError(f"outbox row {rows[i].seq} is too large to send")
                    in_batch = []
            if in_batch:
                waiting.append(await self._send_batch(batch, topic, partition, in_batch))
        return _acknowledgements(waiting, results)

    async def _by_partition(
        self, rows: Sequence[OutboxRow], results: list[BaseException | None]
    ) -> dict[tuple[str, int], list[int]]:
        """The rows' indexes per (topic, partition), each list in the rows' order."""
        partitions: dict[str, list[int]] = {}
        grouped: dict[tuple[str, int], list[int]] = {}
        for i, row in enumerate(rows):
            try:
                if row.topic not in partitions:
                    partitions[row.topic] = list(await self._producer.partitions_for(row.topic))
                known = partitions[row.topic]
                partition = self._partitioner(row.key.encode(), known, known)
            except Exception as exc:
                results[i] = exc
                continue
            grouped.setdefault((row.topic, partition), []).append(i)
        return grouped

    async def _send_batch(
        self,
        batch: Any,
        topic: str,
        partition: int,
        indexes: list[int],
    ) -> tuple[asyncio.Future[Any], list[int]]:
        try:
            future: asyncio.Future[Any] = await self._producer.send_batch(
                batch, topic, partition=partition
            )
        except Exception as exc:
            future = asyncio.get_running_loop().create_future()
            future.set_exception(exc)
        return future, indexes


def _append(batch: Any, row: OutboxRow) -> bool:
    """Add the row to the record batch; False when the batch has no room left for it."""
    added = batch.append(
        key=row.key.encode(),
        value=row.envelope.data,
        timestamp=None,
        headers=row.envelope.headers(),
    )
    return added is not None


async def _acknowledgements(
    waiting: list[tuple[asyncio.Future[Any], list[int]]], results: list[BaseException | None]
) -> Acknowledgements:
    for future, indexes in waiting:
        try:
            await future
        except Exception as exc:
            for i in indexes:
                results[i] = exc
    return results


def dead_letter_sender(broker: KafkaBroker, consumer_name: str) -> Any:
    """A SendDeadLetter that publishes to ``<topic>.dlq`` and waits for the acknowledgement."""

    async def send(letter: DeadLetter) -> None:
        await broker.publish(
            letter.record.value or b"",
            topic=letter.dlq_topic,
            key=letter.record.key,
            headers=letter.headers(consumer_name),
        )

    return send


class EventSubscription:
    """One batch subscriber per service (one consumer group), committing exact offsets."""

    def __init__(
        self,
        processor: BatchProcessor,
        *,
        group_id: str,
        topics: Sequence[Topic],
        settings: Settings,
        metrics: PipelineMetrics,
    ) -> None:
        self.processor = processor
        self.group_id = group_id
        self.topics = list(topics)
        self.settings = settings
        self.metrics = metrics
        self._pause_s = 0.0
        self._subscriber: Any = None
        self._lag_labels: set[tuple[str, str]] = set()
        self.committer = OffsetCommitter(group_id)

    def attach(self, broker: KafkaBroker) -> None:
        """Register the subscriber on the broker; it starts with the broker."""
        self._subscriber = subscriber = broker.subscriber(
            *[FastStreamTopic(t.name, declare=False) for t in self.topics],
            group_id=self.group_id,
            batch=True,
            max_records=self.settings.consumer_max_records,
            batch_timeout_ms=200,
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.settings.consumer_fetch_max_wait_ms,
            session_timeout_ms=self.settings.consumer_session_timeout_ms,
            heartbeat_interval_ms=max(500, self.settings.consumer_session_timeout_ms // 6),
            title=f"{self.group_id} consumer",
            description="Validates each event, handles it once (inbox) and commits its offset.",
        )

        async def on_batch(message: KafkaMessage) -> None:
            await self.handle(message.raw_message, message.consumer)

        async def as_received(records: Any) -> KafkaMessage:
            consumer = subscriber.consumer
            if consumer is None:
                raise RuntimeError("a batch arrived before the subscriber's consumer started")
            first, last = records[0], records[-1]
            batch = f"{first.topic}-{first.partition}-{first.offset}-{last.offset}"
            return KafkaMessage(
                records, b"", message_id=batch, correlation_id=batch, consumer=consumer
            )

        # The processor reads the raw records itself: FastStream's own JSON decoding of every
        # record would be thrown away (it cost a quarter of the consumer's time), and so would
        # the header dict its parser builds for every record (a twentieth).
        subscriber(on_batch, parser=as_received, decoder=_skip_decoding)

    async def handle(self, records: Sequence[Record], consumer: AIOKafkaConsumer) -> None:
        """Process one batch and commit exactly its offsets; rewind it when the DB is away."""
        if not records:
            return
        try:
            await self.processor.process(records)
        except Unavailable as exc:
            # The database is away: nothing is the events' fault. Rewind to the batch's first
            # records, stop fetching, wait (longer each time), then read the same records again.
            longest = self.settings.consumer_max_pause_s
            self._pause_s = min(longest, max(0.5, self._pause_s * 2))
            log.warning("%s: %s; retrying the batch in %.1fs", self.group_id, exc, self._pause_s)
            first = _first_offsets(records)
            for tp, offset in first.items():
                consumer.seek(tp, offset)
            paused = [tp for tp in first if tp in consumer.assignment()]
            consumer.pause(*paused)
            try:
                await asyncio.sleep(self._pause_s)
            finally:
                consumer.resume(*[tp for tp in paused if tp in consumer.assignment()])
            return
        self._pause_s = 0.0
        # The batch's effects are committed: its offsets may go, without holding up the next
        # batch for the broker's answer.
        self.committer.commit(consumer, _next_offsets(records))
        for topic, count in Counter(r.topic for r in records).items():
            self.metrics.consumer_records.labels(topic=topic).inc(count)

    async def measure_lag(self) -> None:
        """Set ``tosei_consumer_lag`` per owned partition: broker end offset − committed offset.

        Measured from the broker on a timer, not after commits, so a consumer that cannot
        commit shows its lag growing. Partitions this replica no longer owns lose their series.
        The end offset is the larger of the broker's ListOffsets answer (Tansu answers with the
        first offset of the newest batch, so it can undercount by one batch) and the high
        watermark the last fetch reported.
        """
        consumer: AIOKafkaConsumer | None = getattr(self._subscriber, "consumer", None)
        owned = set(consumer.assignment()) if consumer is not None else set()
        labels: set[tuple[str, str]] = set()
        if consumer is not None and owned:
            ordered = sorted(owned, key=lambda tp: (tp.topic, tp.partition))
            ends = await consumer.end_offsets(ordered)
            starts = await consumer.beginning_offsets(ordered)
            for tp in ordered:
                committed = await consumer.committed(tp)
                end = max(ends.get(tp) or 0, consumer.highwater(tp) or 0)
                done = committed if committed is not None else starts.get(tp) or 0
                label = (tp.topic, str(tp.partition))
                self.metrics.consumer_lag.labels(topic=label[0], partition=label[1]).set(
                    max(0, end - done)
                )
                labels.add(label)
        for topic, partition in self._lag_labels - labels:
            self.metrics.consumer_lag.remove(topic, partition)
        self._lag_labels = labels


class OffsetCommitter:
    """The one task that commits a subscriber's offsets, in the background.

    ``commit`` only records the newest offset per partition and returns; the task sends what has
    gathered, one commit request at a time, so batches are handled while a commit is on its way
    and a commit request covers every batch handled since the last one. Offsets only ever move
    forward here, and only offsets whose batch's transaction has committed are given to it. A
    commit that fails (a rebalance took the partition, the broker is away) is retried with the
    newer offsets that came in since, for the partitions still owned; what is never committed
    is read again by the next owner, and the inbox absorbs the repeat. Commits are at least
    ``min_interval_s`` apart, so a busy consumer sends a few a second rather than one a batch.
    """

    def __init__(self, group_id: str, *, min_interval_s: float = 0.05) -> None:
        self.group_id = group_id
        self.min_interval_s = min_interval_s
        self._pending: dict[TopicPartition, int] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None

    def commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        """Commit ``offsets`` soon (each the next offset to read on its partition)."""
        self._consumer = consumer
        for tp, offset in offsets.items():
            self._pending[tp] = max(self._pending.get(tp, offset), offset)
        self._idle.clear()
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"{self.group_id}-commits")

    async def flush(self, timeout: float = 5.0) -> None:
        """Wait until what was given is committed (or ``timeout`` passed)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout)

    async def stop(self) -> None:
        """Stop committing (after the consumer stopped: what is left cannot be committed)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _run(self) -> None:
        failures = 0
        while True:
            await self._wake.wait()
            self._wake.clear()
            consumer, offsets = self._consumer, self._pending
            self._pending = {}
            if consumer is not None:
                owned = consumer.assignment()
                offsets = {tp: o for tp, o in offsets.items() if tp in owned}
            if consumer is None or not offsets:
                self._settle()
                continue
            try:
                await consumer.commit(offsets)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                log.warning("%s: committing offsets failed (%s); retrying", self.group_id, exc)
                for tp, offset in offsets.items():
                    self._pending[tp] = max(self._pending.get(tp, offset), offset)
                self._wake.set()
                await asyncio.sleep(min(5.0, 0.1 * 2**failures))
                continue
            failures = 0
            self._settle()
            # At full speed a batch is handled every few milliseconds: one commit request per
            # interval covers all of them (a commit per batch took 8 % of the consumer's CPU).
            await asyncio.sleep(self.min_interval_s)

    def _settle(self) -> None:
        if not self._pending:
            self._idle.set()


async def _skip_decoding(_: Any) -> None:
    return None


def _first_offsets(records: Sequence[Record]) -> dict[TopicPartition, int]:
    first: dict[TopicPartition, int] = {}
    for r in records:
        tp = TopicPartition(r.topic, r.partition)
        first[tp] = min(first.get(tp, r.offset), r.offset)
    return first


def _next_offsets(records: Sequence[Record]) -> dict[TopicPartition, int]:
    last: dict[TopicPartition, int] = {}
    for r in records:
        tp = TopicPartition(r.topic, r.partition)
        last[tp] = max(last.get(tp, r.offset), r.offset + 1)
    return last


@dataclass
class ReplayRead:
    """What one ``replay_topics`` read: records handled, seconds in all, and of those the
    seconds spent polling after the last record, making sure nothing more was there."""

    records: int = 0
    seconds: float = 0.0
    ending_s: float = 0.0


async def replay_topics(
    processor: BatchProcessor,
    bootstrap: str,
    topics: Sequence[Topic],
    *,
    progress: Any = None,
    quiet_ms: int = 1000,
    max_records: int = 5000,
) -> ReplayRead:
    """Feed every record of ``topics``, from the beginning up to now, through ``processor``.

    No consumer group is used and nothing is committed: the live consumer's position is untouched.
    "Now" is the moment the replay began: records produced later are left for the live consumer.
    A partition is read to its end when the consumer's position reaches the high watermark its
    last fetch reported, or it brought a record produced after the replay began (the broker's
    ListOffsets answer is not used: Tansu's undercounts batched partitions). Should the fetches
    say nothing of a partition, ``quiet_ms`` of polls that bring nothing end the read (the only
    end there was before: it cost ``quiet_ms`` per replay).
    """
    began = time.monotonic()
    started_ms = int(time.time() * 1000)
    read = ReplayRead()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        fetch_max_wait_ms=50,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    await consumer.start()
    handling: asyncio.Future[None] | None = None
    try:
        await consumer.topics()  # fetch metadata
        partitions = [
            TopicPartition(t.name, p)
            for t in topics
            for p in sorted(consumer.partitions_for_topic(t.name) or ())
        ]
        if not partitions:
            return read
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        reading = set(partitions)
        while reading:
            polled = time.monotonic()
            batch = await consumer.getmany(timeout_ms=min(100, quiet_ms), max_records=max_records)
            # the polls after the last record only make sure that nothing more is there
            read.ending_s = 0.0 if batch else read.ending_s + time.monotonic() - polled
            if not batch:
                reading -= {tp for tp in reading if await _at_end(consumer, tp)}
                if read.ending_s * 1000 >= quiet_ms:
                    break
                continue
            records = _produced_before(started_ms, batch, reading)
            reading -= {tp for tp in reading if await _at_end(consumer, tp)}
            if not records:
                continue
            # The next batch is fetched, unpacked and validated while this one is in the
            # database; a batch starts only after the one before it committed (per-key order).
            validated = processor.validate(records)
            if handling is not None:
                await handling
            read.records += len(records)
            handling = asyncio.ensure_future(
                _process_until_done(processor, validated, progress, read.records)
            )
        if handling is not None:
            await handling
    finally:
        if handling is not None and not handling.done():
            handling.cancel()
        await consumer.stop()
        read.seconds = time.monotonic() - began
    return read


def _produced_before(
    started_ms: int, batch: dict[TopicPartition, list[Any]], reading: set[TopicPartition]
) -> list[Record]:
    """The batch's records produced before the replay began; a partition that brought a later
    one is no longer read (the rest of it is the live consumer's)."""
    records: list[Record] = []
    for tp, items in batch.items():
        before = [r for r in items if r.timestamp <= started_ms]
        records += before
        if len(before) < len(items):
            reading.discard(tp)
    return records


async def _process_until_done(
    processor: BatchProcessor, batch: Validated, progress: Any, read: int
) -> None:
    """Process the batch, waiting out a database that is away for as long as it takes."""
    while True:
        try:
            await processor.process(batch)
            if progress is not None:
                progress(read)
            return
        except Unavailable as exc:
            log.warning("replay paused: %s", exc)
            await asyncio.sleep(1.0)


async def _at_end(consumer: AIOKafkaConsumer, tp: TopicPartition) -> bool:
    highwater = consumer.highwater(tp)
    return highwater is not None and await consumer.position(tp) >= highwater


#: A consumer group's position on one partition: (topic, partition) → the next offset to read.
GroupOffsets = dict[tuple[str, int], int]


async def committed_offsets(
    bootstrap: str, group_id: str, topics: Sequence[Topic], *, request_timeout_ms: int = 10_000
) -> GroupOffsets:
    """The offsets ``group_id`` has committed on every partition of ``topics``.

    Read without joining the group, so the running service is not disturbed. A partition the
    group never committed on is left out (the consumer starts there from the beginning).
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
        request_timeout_ms=request_timeout_ms,
    )
    await consumer.start()
    try:
        found: GroupOffsets = {}
        for tp in await _partitions_of(consumer, topics):
            offset = await consumer.committed(tp)
            if offset is not None:
                found[(tp.topic, tp.partition)] = offset
        return found
    finally:
        await consumer.stop()


async def move_group_offsets(
    bootstrap: str,
    group_id: str,
    topics: Sequence[Topic],
    offsets: GroupOffsets,
    *,
    session_timeout_ms: int,
    join_timeout_s: float = 60.0,
) -> GroupOffsets:
    """Set ``group_id``'s committed offsets on every partition of ``topics``; return them.

    A partition missing from ``offsets`` is set to its first offset still on the broker (read
    from the start). The group must have no running members: the offsets are committed by
    joining the group as its only member (the development broker accepts commits from members
    only), which fails when another member keeps some of the partitions.
    """
    consumer = AIOKafkaConsumer(
        *[t.name for t in topics],
        bootstrap_servers=bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(500, session_timeout_ms // 6),
        max_poll_records=1,
    )
    await consumer.start()
    try:
        wanted = await _partitions_of(consumer, topics)
        deadline = time.monotonic() + join_timeout_s
        while set(consumer.assignment()) != set(wanted):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"consumer group {group_id} still has other members after "
                    f"{join_timeout_s:.0f}s; stop the service before moving its offsets"
                )
            await consumer.getmany(timeout_ms=200)  # joins the group; what it reads is unused
        starts = await consumer.beginning_offsets(wanted)
        target = {
            tp: max(offsets.get((tp.topic, tp.partition), 0), starts.get(tp) or 0) for tp in wanted
        }
        if target:
            await consumer.commit(target)
        return {(tp.topic, tp.partition): offset for tp, offset in target.items()}
    finally:
        await consumer.stop()


async def _partitions_of(
    consumer: AIOKafkaConsumer, topics: Sequence[Topic]
) -> list[TopicPartition]:
    await consumer.topics()  # fetch metadata
    return [
        TopicPartition(t.name, p)
        for t in topics
        for p in sorted(consumer.partitions_for_topic(t.name) or ())
    ]
