"""Idempotent consumption: validate, handle in one transaction with the inbox, then commit offsets.

For each batch the broker hands over:

1. every record is read as a CloudEvent and validated against the catalogue; an invalid one is
   dead-lettered at once (retrying cannot fix it);
2. all valid events are handled in ONE transaction that first claims their ids in the inbox, so a
   redelivered event has no second effect;
3. when that transaction fails, each event is handled alone, with bounded retries and backoff, and
   one that keeps failing goes to ``<topic>.dlq`` with the error in its headers;
4. only then are exactly the batch's offsets committed: a crash before that means redelivery,
   which the inbox absorbs, never loss.

When the database itself is unreachable (an outage is never the event's fault) nothing is
dead-lettered: the batch is rewound and tried again after a pause, as often as it takes.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from asyncpg.pgproto.pgproto import UUID as FastUUID

from tosei_common.platform.clock import SYSTEM_CLOCK
from tosei_common.platform.db import Connection, Pool, is_transient, is_unavailable
from tosei_common.platform.events import Envelope, Event, InvalidEvent
from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.outbox import Outbox
from tosei_common.platform.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class Record(Protocol):
    """The parts of a Kafka consumer record the pipeline reads (aiokafka's ConsumerRecord)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]


@dataclass
class HandlerContext(UnitOfWork):
    """An event handler's unit of work: the transaction that already holds the event's inbox
    row, the event's envelope, and ``emit``/``audit`` as for a command (actor ``system:<service>``).

    ``replaying`` is true while ``tosei replay`` rebuilds the service: decisions the service made
    live (and published as its own events) are then re-applied from those events, not re-made.
    """

    envelope: Envelope
    replaying: bool = False

    def batch(self) -> BatchContext:
        """The same transaction as a batch handler's context."""
        return BatchContext(self.conn, self.at, self.actor, self.outbox, self.replaying)


EventHandler = Callable[[HandlerContext, Any], Awaitable[None]]


@dataclass
class BatchContext(UnitOfWork):
    """A batch handler's unit of work: the transaction that holds every event's inbox row."""

    replaying: bool = False


@dataclass(frozen=True)
class Delivery:
    """One event of a batch, with its envelope (its id, time and subject)."""

    envelope: Envelope
    event: Any


class BatchHandler:
    """Handles a run of events of one type in one call, so that it can write their effects in
    one statement (a multi-row INSERT, ``unnest`` arrays or COPY) instead of one per event.

    The consumer gives it the events of a batch that are new to the inbox, consecutive and of
    its type, in offset order, all in the batch's one transaction; its effect must equal that of
    handling them one after the other (the same aggregate may appear twice). When the batch's
    transaction fails, each event is handled alone, as for any handler (called with a list of
    one, with retries, and a dead letter for one that keeps failing). Register it in
    ``ServiceSpec.handlers`` like a function; called with one event it handles a list of one.
    """

    def __init__(self, handle: Callable[[BatchContext, Sequence[Delivery]], Awaitable[None]]):
        self.handle = handle
        self.__name__ = getattr(handle, "__name__", type(self).__name__)
        self.__doc__ = handle.__doc__

    async def __call__(self, ctx: HandlerContext, event: Any) -> None:
        await self.handle(ctx.batch(), [Delivery(ctx.envelope, event)])


#: Publishes a dead letter and waits for the broker's acknowledgement.
SendDeadLetter = Callable[["DeadLetter"], Awaitable[None]]


@dataclass(frozen=True)
class DeadLetter:
    record: Record
    reason: str  # "invalid" or "handler_failed"
    error: BaseException
    attempts: int
    envelope: Envelope | None = None

    @property
    def dlq_topic(self) -> str:
        return f"{self.record.topic}.dlq"

    def headers(self, consumer: str) -> dict[str, str]:
        """The original headers plus why, where from and when it failed."""
        headers = {k: v.decode(errors="replace") for k, v in self.record.headers}
        headers.update(
            {
                "dlq_reason": self.reason,
                "dlq_error": f"{type(self.error).__name__}: {self.error}"[:2000],
                "dlq_original_topic": self.record.topic,
                "dlq_original_partition": str(self.record.partition),
                "dlq_original_offset": str(self.record.offset),
                "dlq_consumer": consumer,
                "dlq_attempts": str(self.attempts),
                "dlq_failed_at": SYSTEM_CLOCK.utc_now().isoformat(),
            }
        )
        return headers


@dataclass
class _Item:
    record: Record
    envelope: Envelope
    event: Event
    handler: EventHandler


@dataclass(frozen=True)
class Validated:
    """A batch read and checked against the catalogue, not yet handled (``validate``)."""

    records: Sequence[Record]
    items: list[_Item]
    dead: list[DeadLetter]


@dataclass
class BatchResult:
    handled: list[Envelope] = field(default_factory=list)
    duplicates: int = 0
    dead: list[DeadLetter] = field(default_factory=list)


class Unavailable(RuntimeError):
    """The database (or the DLQ) is away: rewind and try the batch again later."""


class BatchProcessor:
    """Turns a batch of records into committed effects; knows nothing of offsets."""

    def __init__(
        self,
        *,
        pool: Pool,
        handlers: Mapping[str, EventHandler],
        outbox: Outbox,
        metrics: PipelineMetrics,
        send_dead_letter: SendDeadLetter,
        max_attempts: int = 3,
        retry_backoff_s: float = 0.05,
        on_committed: Callable[[list[Envelope]], None] | None = None,
        replaying: bool = False,
    ) -> None:
        self.replaying = replaying
        self.pool = pool
        self.handlers = dict(handlers)
        self.outbox = outbox
        self.metrics = metrics
        self.send_dead_letter = send_dead_letter
        self.max_attempts = max_attempts
        self.retry_backoff_s = retry_backoff_s
        self.on_committed = on_committed

    def validate(self, records: Sequence[Record]) -> Validated:
        """Read and check a batch without touching the database, so that a reader can check
        the next batch while this one's transaction is under way; ``process`` takes it."""
        dead: list[DeadLetter] = []
        return Validated(records, self._validate(records, dead), dead)

    async def process(self, batch: Sequence[Record] | Validated) -> BatchResult:
        """Handle a batch; raise Unavailable when it must be retried as a whole (the same
        ``Validated`` may be given again)."""
        validated = batch if isinstance(batch, Validated) else self.validate(batch)
        result = BatchResult(dead=list(validated.dead))
        items = validated.items
        if items:
            try:
                handled = await self._handle_together(items, result)
            except Exception as exc:
                if is_unavailable(exc):
                    raise Unavailable(str(exc)) from exc
                log.info("batch of %d failed (%s); handling its events one by one", len(items), exc)
                for item in items:
                    await self._handle_alone(item, result)
            else:
                self._committed(handled)
        for letter in result.dead:
            await self._dead_letter(letter)
        return result

    def _validate(self, records: Sequence[Record], dead: list[DeadLetter]) -> list[_Item]:
        items: list[_Item] = []
        for record in records:
            try:
                envelope = Envelope.from_record(
                    record.headers, record.value, parse_id=read_event_id
                )
            except InvalidEvent as exc:
                dead.append(DeadLetter(record, "invalid", exc, attempts=0))
                continue
            handler = self.handlers.get(envelope.type)
            if handler is None:
                # Another type on a shared topic, or a version this service does not read yet.
                self.metrics.events_ignored.labels(topic=record.topic, reason="not_handled").inc()
                continue
            try:
                event = envelope.decode()
            except InvalidEvent as exc:
                dead.append(DeadLetter(record, "invalid", exc, attempts=0, envelope=envelope))
                continue
            items.append(_Item(record, envelope, event, handler))
        return items

    async def _handle_together(self, items: list[_Item], result: BatchResult) -> list[Envelope]:
        handled: list[Envelope] = []
        repeated: list[_Item] = []
        async with self.pool.acquire() as conn, conn.transaction():
            fresh = await _claim(conn, items)
            new: list[_Item] = []
            for item in items:
                if item.envelope.id not in fresh:
                    repeated.append(item)
                    continue
                fresh.discard(item.envelope.id)  # the same id twice in one batch: once
                new.append(item)
            for run in _runs(new):
                handler = run[0].handler
                if isinstance(handler, BatchHandler):
                    context = self._context(conn, run[0]).batch()
                    await handler.handle(context, [Delivery(i.envelope, i.event) for i in run])
                else:
                    await handler(self._context(conn, run[0]), run[0].event)
                handled.extend(i.envelope for i in run)
        result.handled.extend(handled)
        for item in repeated:
            self._duplicate(item, result)
        return handled

    def _context(self, conn: Connection, item: _Item) -> HandlerContext:
        return HandlerContext(
            conn=conn,
            at=self.outbox.clock.now(),
            actor=f"system:{self.outbox.service}",
            outbox=self.outbox,
            envelope=item.envelope,
            replaying=self.replaying,
        )

    def _duplicate(self, item: _Item, result: BatchResult) -> None:
        result.duplicates += 1
        self.metrics.inbox_duplicates.labels(topic=item.record.topic).inc()

    async def _handle_alone(self, item: _Item, result: BatchResult) -> None:
        last_error: BaseException | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    fresh = await _claim(conn, [item])
                    if fresh:
                        await item.handler(self._context(conn, item), item.event)
            except Exception as exc:
                if is_unavailable(exc):
                    raise Unavailable(str(exc)) from exc
                last_error = exc
                self.metrics.handler_retries.labels(type=item.envelope.type).inc()
                log.warning(
                    "handling %s %s failed (attempt %d of %d): %s",
                    item.envelope.type,
                    item.envelope.id,
                    attempt,
                    self.max_attempts,
                    exc,
                )
                if attempt < self.max_attempts:
                    await asyncio.sleep(self.retry_backoff_s * 4 ** (attempt - 1))
                continue
            if fresh:
                result.handled.append(item.envelope)
                self._committed([item.envelope])
            else:
                self._duplicate(item, result)
            return
        assert last_error is not None
        reason = "transient_exhausted" if is_transient(last_error) else "handler_failed"
        result.dead.append(
            DeadLetter(item.record, reason, last_error, self.max_attempts, item.envelope)
        )

    def _committed(self, envelopes: list[Envelope]) -> None:
        for event_type, count in Counter(e.type for e in envelopes).items():
            self.metrics.inbox_processed.labels(type=event_type).inc(count)
        if self.on_committed is not None and envelopes:
            self.on_committed(envelopes)

    async def _dead_letter(self, letter: DeadLetter) -> None:
        """Record the dead letter and publish it, both or neither.

        The row is written in a transaction that commits only after the broker acknowledged
        the DLQ record, so an offset is never committed past a poison record that neither the
        DLQ topic nor the ``dead_letters`` table holds. A failure of either rewinds the batch.
        """
        try:
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute(
                    """
                    INSERT INTO dead_letters (event_id, type, topic, partition, "offset", reason,
                                              error, attempts)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """,
                    letter.envelope.id if letter.envelope else None,
                    letter.envelope.type if letter.envelope else None,
                    letter.record.topic,
                    letter.record.partition,
                    letter.record.offset,
                    letter.reason,
                    "".join(traceback.format_exception_only(letter.error)).strip()[:4000],
                    letter.attempts,
                )
                try:
                    await self.send_dead_letter(letter)
                except Exception as exc:
                    raise Unavailable(f"cannot publish to {letter.dlq_topic}: {exc}") from exc
        except Unavailable:
            raise
        except Exception as exc:
            raise Unavailable(f"cannot record the dead letter: {exc}") from exc
        self.metrics.dlq_messages.labels(topic=letter.record.topic, reason=letter.reason).inc()
        log.error(
            "sent %s offset %d of %s to %s: %s",
            letter.envelope.type if letter.envelope else "record",
            letter.record.offset,
            letter.record.topic,
            letter.dlq_topic,
            letter.error,
        )


def read_event_id(text: str) -> uuid.UUID:
    """``uuid.UUID(text)``, about seven times faster for the usual spelling: asyncpg's UUID (a
    ``uuid.UUID``, equal and hashing alike) parses it in C; the spellings it does not read
    (braces, ``urn:uuid:``) still go to ``uuid.UUID``, which accepts or refuses them as ever."""
    try:
        return FastUUID(text)
    except ValueError:
        return uuid.UUID(text)


def _runs(items: list[_Item]) -> list[list[_Item]]:
    """The items in order, cut into runs: consecutive items of one batch handler go together,
    every other item is a run of its own."""
    runs: list[list[_Item]] = []
    for item in items:
        if runs and isinstance(item.handler, BatchHandler) and runs[-1][-1].handler is item.handler:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


async def _claim(conn: Connection, items: Sequence[_Item]) -> set[Any]:
    """Insert the events' ids into the inbox; return the ids that were not there before."""
    rows = await conn.fetch(
        """
        INSERT INTO inbox (event_id, type, source, topic, partition, "offset")
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[],
                             $6::bigint[])
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id
        """,
        [i.envelope.id for i in items],
        [i.envelope.type for i in items],
        [i.envelope.source for i in items],
        [i.record.topic for i in items],
        [i.record.partition for i in items],
        [i.record.offset for i in items],
    )
    return {r["event_id"] for r in rows}
