"""Transactional outbox: write events with the state change, relay them to Kafka afterwards.

``Outbox.add`` inserts rows inside the caller's transaction, so an event exists exactly when the
change it describes was committed. ``OutboxRelay`` publishes committed rows in ``seq`` order and
marks a row published only after the broker acknowledged it. One relay per service schema is
active at a time (a PostgreSQL advisory lock elects it), which is what keeps each key's events in
order even when a service runs as several replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from tosei_common.platform.background import BackgroundLoop
from tosei_common.platform.clock import SYSTEM_CLOCK, Clock
from tosei_common.platform.db import Connection, check_schema_name
from tosei_common.platform.events import Envelope, Event, source_of
from tosei_common.platform.metrics import PipelineMetrics

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0


class OutsideTransaction(RuntimeError):
    """Events must be added inside the transaction that makes the change they report."""


class Outbox:
    """Adds a service's outgoing events to its outbox table."""

    def __init__(self, service: str, clock: Clock = SYSTEM_CLOCK) -> None:
        self.service = service
        self.source = source_of(service)
        self.clock = clock

    async def add(self, conn: Connection, *events: Event) -> list[uuid.UUID]:
        """Add events inside the caller's open transaction; return their CloudEvents ids."""
        if not conn.is_in_transaction():
            raise OutsideTransaction("Outbox.add needs the caller's transaction")
        if not events:
            return []
        now = self.clock.utc_now()
        envelopes = [Envelope.wrap(e, source=self.source, time=now) for e in events]
        await conn.execute(
            """
            INSERT INTO outbox (id, topic, aggregate_type, aggregate_id, type, source,
                                occurred_at, payload)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                                 $6::text[], $7::timestamptz[], $8::json[])
            """,
            [env.id for env in envelopes],
            [e.topic.name for e in events],
            [e.aggregate_type for e in events],
            [env.subject for env in envelopes],
            [env.type for env in envelopes],
            [env.source for env in envelopes],
            [env.time for env in envelopes],
            [env.data.decode() for env in envelopes],
        )
        return [env.id for env in envelopes]


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    topic: str
    envelope: Envelope

    @property
    def key(self) -> str:
        return self.envelope.subject


#: Per row and in order: None when the broker acknowledged it, else the error.
Acknowledgements = list[BaseException | None]
#: Hands rows to the producer in order and returns, without waiting for the broker, what awaits
#: their acknowledgements; the relay hands over the next batch only after this returned.
SendBatch = Callable[[Sequence[OutboxRow]], Awaitable[Awaitable[Acknowledgements]]]


def acknowledged_prefix(
    rows: Sequence[OutboxRow], results: Sequence[BaseException | None]
) -> list[int]:
    """The rows that may be marked published: per key, those acknowledged before any failure.

    A row acknowledged after an earlier row of its key failed is sent again together with that
    row, so the key's events reach consumers in order (the inbox absorbs the repeat).
    """
    failed_keys: set[str] = set()
    marked: list[int] = []
    for row, error in zip(rows, results, strict=True):
        if error is not None or row.key in failed_keys:
            failed_keys.add(row.key)
            continue
        marked.append(row.seq)
    return marked


class OutboxRelay(BackgroundLoop):
    """Publishes a schema's outbox to Kafka, woken by LISTEN/NOTIFY and by a polling fallback.

    The relay works on one dedicated connection that holds the leadership lock, listens for new
    rows, and both marks the previous batch and fetches the next one in a single statement.
    """

    def __init__(
        self,
        *,
        dsn: str,
        schema: str,
        send: SendBatch,
        metrics: PipelineMetrics,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
        max_backoff_s: float = 10.0,
        retention_days: int = 7,
    ) -> None:
        self.retention_days = retention_days
        self._last_prune = float("-inf")
        self.dsn = dsn
        self.schema = check_schema_name(schema)
        self.channel = f"tosei_outbox_{schema}"
        self.send = send
        self.metrics = metrics
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self.max_backoff_s = max_backoff_s
        self.is_leader = False
        super().__init__(f"outbox-relay-{self.schema}")

    async def _run(self) -> None:
        backoff = 0.0
        while not self._stopping.is_set():
            try:
                await self._lead()
                backoff = 0.0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.is_leader = False
                backoff = min(self.max_backoff_s, max(0.2, backoff * 2))
                log.warning("outbox relay for %s paused %.1fs: %s", self.schema, backoff, exc)
                await self._sleep(backoff)

    async def _lead(self) -> None:
        """Hold leadership on a dedicated connection that also listens for new rows."""
        conn: Connection = await asyncpg.connect(
            self.dsn,
            server_settings={
                "search_path": self.schema,
                "application_name": f"tosei-{self.schema}-relay",
                "TimeZone": "UTC",
                # Marking need not wait for the WAL flush: a mark lost in a crash only means
                # the row is sent again, and consumers' inboxes absorb the repeat.
                "synchronous_commit": "off",
            },
        )
        try:
            while not self._stopping.is_set():
                took = await conn.fetchval(
                    "SELECT pg_try_advisory_lock(hashtextextended($1, 0))",
                    f"tosei.relay.{self.schema}",
                )
                if took:
                    break
                await self._sleep(self.poll_interval_s * 5)  # another replica relays; stand by
            else:
                return
            self.is_leader = True
            await conn.add_listener(self.channel, self._on_notify)
            await self._drain_forever(conn)
        finally:
            self.is_leader = False
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), timeout=2)

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _drain_forever(self, conn: Connection) -> None:
        """Fetch, send and mark, with one batch on its way to the broker while the next is read.

        Batch N+1 is fetched (and handed to the producer) while N waits for its
        acknowledgements, so the round trips to PostgreSQL and to the broker overlap instead of
        adding up. N is marked in the statement that fetches N+2, right after its last
        acknowledgement. The producer keeps the order: it sends one request per partition at a
        time, N's records before N+1's. When any row of N fails, N+1 is awaited too and the
        per-key rule is applied to both together, so a later row of a failed key is not marked.
        """
        acknowledged: list[OutboxRow] = []  # acknowledged, marked in the next statement
        in_flight: _InFlight | None = None
        failures = 0
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                rows = await self._mark_and_fetch(
                    conn, acknowledged, exclude=in_flight.rows if in_flight else ()
                )
                acknowledged = []
                following = _InFlight(rows, await self._hand_over(rows)) if rows else None
                if in_flight is None:
                    if following is None:
                        await self._prune_when_due(conn)
                        await self._wait_for_work()
                    in_flight = following
                    continue
                results = await in_flight.results
                if all(error is None for error in results):
                    acknowledged = in_flight.rows
                    in_flight = following
                    failures = 0
                    continue
                # A failure: settle the batch behind it as well, mark what may be marked,
                # count the failures, and start again from the unpublished rows after a pause.
                sent, outcome = list(in_flight.rows), list(results)
                if following is not None:
                    sent += following.rows
                    outcome += await following.results
                in_flight = None
                acknowledged = [r for r in sent if r.seq in set(acknowledged_prefix(sent, outcome))]
                await self._mark_and_fetch(conn, acknowledged, limit=0)
                acknowledged = []
                await self._record_failures(conn, sent, outcome)
                failures += 1
                await self._sleep(min(self.max_backoff_s, 0.1 * 2**failures))
        finally:
            if in_flight is not None and not conn.is_closed():
                with contextlib.suppress(Exception):
                    results = await asyncio.wait_for(in_flight.results, 5)
                    acknowledged += [
                        r
                        for r in in_flight.rows
                        if r.seq in set(acknowledged_prefix(in_flight.rows, results))
                    ]
            if acknowledged and not conn.is_closed():
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._mark_and_fetch(conn, acknowledged, limit=0), 5)

    async def _hand_over(self, rows: list[OutboxRow]) -> asyncio.Future[Acknowledgements]:
        return asyncio.ensure_future(await self.send(rows))

    async def _prune_when_due(self, conn: Connection) -> None:
        """Once an hour, when idle, forget rows published long ago (the topics keep them)."""
        now = time.monotonic()
        if now - self._last_prune < PRUNE_EVERY_S:
            return
        self._last_prune = now
        deleted = await prune_published(conn, self.retention_days)
        if deleted:
            log.info(
                "outbox of %s: pruned %d rows published over %d days ago",
                self.schema,
                deleted,
                self.retention_days,
            )

    async def _mark_and_fetch(
        self,
        conn: Connection,
        acknowledged: Sequence[OutboxRow],
        *,
        exclude: Sequence[OutboxRow] = (),
        limit: int | None = None,
    ) -> list[OutboxRow]:
        """Mark acknowledged rows published and fetch the next unpublished ones, in one trip;
        rows in ``exclude`` (sent, not yet acknowledged) are not fetched again."""
        seqs = [row.seq for row in acknowledged]
        records = await conn.fetch(
            """
            WITH marked AS (
                UPDATE outbox SET published_at = clock_timestamp()
                WHERE seq = ANY($1::bigint[])
            )
            SELECT seq, id, topic, aggregate_id, type, source, occurred_at, payload
            FROM outbox
            WHERE published_at IS NULL AND NOT (seq = ANY($1::bigint[]))
              AND NOT (seq = ANY($3::bigint[]))
            ORDER BY seq
            LIMIT $2
            """,
            seqs,
            self.batch_size if limit is None else limit,
            [row.seq for row in exclude],
        )
        for topic, count in Counter(row.topic for row in acknowledged).items():
            self.metrics.outbox_published.labels(topic=topic).inc(count)
        return [_row(r) for r in records]

    async def _record_failures(
        self, conn: Connection, rows: Sequence[OutboxRow], results: Sequence[BaseException | None]
    ) -> None:
        failed = [row.seq for row, error in zip(rows, results, strict=True) if error is not None]
        first = next(e for e in results if e is not None) if failed else None
        if failed:
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $2"
                " WHERE seq = ANY($1::bigint[])",
                failed,
                repr(first)[:500],
            )
            self.metrics.outbox_publish_failures.inc(len(failed))
        log.warning(
            "outbox relay for %s: %d of %d rows not acknowledged (%s); retrying with backoff",
            self.schema,
            len(rows) - len(acknowledged_prefix(rows, results)),
            len(rows),
            first,
        )

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval_s)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)


@dataclass
class _InFlight:
    """A batch handed to the producer, and the task that waits for its acknowledgements."""

    rows: list[OutboxRow]
    results: asyncio.Future[Acknowledgements]


def _row(record: asyncpg.Record) -> OutboxRow:
    occurred: datetime = record["occurred_at"]
    return OutboxRow(
        seq=record["seq"],
        topic=record["topic"],
        envelope=Envelope(
            id=record["id"],
            source=record["source"],
            type=record["type"],
            subject=record["aggregate_id"],
            time=occurred.astimezone(UTC),
            data=record["payload"].encode(),
        ),
    )


async def outbox_backlog(conn: Connection) -> tuple[int, float]:
    """Unpublished rows and the age in seconds of the oldest one (0 when none)."""
    row = await conn.fetchrow(
        """
        SELECT count(*) AS backlog,
               coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) AS oldest
        FROM outbox WHERE published_at IS NULL
        """
    )
    assert row is not None
    return int(row["backlog"]), float(row["oldest"])


async def prune_published(conn: Connection, older_than_days: int = 7) -> int:
    """Delete rows published more than ``older_than_days`` ago; the topics keep the events."""
    status: str = await conn.execute(
        "DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)", older_than_days
    )
    return int(status.split()[-1])
