"""One bootstrap for every service: pool, migrations, topics, broker, relay, consumer.

A service describes itself with a ``ServiceSpec`` (its name, migrations, the events it publishes
and the handlers of the events it consumes, its HTTP routers). ``Runtime`` wires the rest the same
way for all five, and tests start a ``Runtime`` directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import getpass
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faststream.kafka import KafkaBroker

from tosei_common.platform.asyncapi import declare_publishers
from tosei_common.platform.clock import SYSTEM_CLOCK, Clock
from tosei_common.platform.consumer import BatchProcessor, EventHandler
from tosei_common.platform.db import Connection, Pool, create_pool
from tosei_common.platform.events import Envelope, Event, topics_of
from tosei_common.platform.idempotency import prune_idempotency_keys
from tosei_common.platform.kafka import (
    EventSubscription,
    RelayProducer,
    create_broker,
    dead_letter_sender,
)
from tosei_common.platform.mail import MailMetrics, MailOutbox, MailRelay
from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.migrations import migrate, migrations_for, pending
from tosei_common.platform.outbox import Outbox, OutboxRelay, outbox_backlog
from tosei_common.platform.personal_data import ServiceRegister
from tosei_common.platform.principal import Principal, Role
from tosei_common.platform.retention import (
    RETENTION_ACTOR,
    RetentionJob,
    RetentionPreview,
    RetentionReport,
    due_today,
)
from tosei_common.platform.settings import Settings
from tosei_common.platform.topic_setup import ensure_topics
from tosei_common.platform.topics import Topic
from tosei_common.platform.unit_of_work import UnitOfWork, unit_of_work
from tosei_common.region.said import Message

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY_S = 3600.0

RouterFactory = Callable[["Runtime"], Sequence["APIRouter"]]
MetricsRefresher = Callable[["Runtime"], Awaitable[None]]


#: Objects allocated (less freed) between two young-generation collections: 700 by default.
GC_YOUNG_THRESHOLD = 50_000


def tune_garbage_collection() -> None:
    """Collect cycles less often, and never look again at what start-up built.

    The pipeline makes several short-lived objects per event (records, envelopes, payloads,
    query arguments) that reference counting frees; at the default threshold the cycle
    collector still ran every 700 allocations and, every hundred runs, walked the whole heap
    (the imported modules, pydantic's schemas, FastAPI's routes). Measured on the consumer's
    validation of 5,000 events: 26 → 14 µs of CPU per event. ``gc.freeze`` moves what exists
    now (after start-up) out of the collector's sight, once per process (a process that starts
    several runtimes, a test run, does not keep each one's garbage in cycles for ever).
    """
    if not _GC_TUNED:
        _GC_TUNED.append(True)
        gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, max(older, 20), oldest)


_GC_TUNED: list[bool] = []


@dataclass(frozen=True)
class ServiceSpec:
    """What makes one service different from another; everything else is shared."""

    name: str
    title: str
    description: str
    migrations_package: str | None = None
    publishes: Sequence[type[Event]] = ()
    handlers: Mapping[type[Event], EventHandler] = field(default_factory=dict)
    routers: RouterFactory | None = None
    refresh_metrics: MetricsRefresher | None = None
    setup_metrics: Callable[[PipelineMetrics], Any] | None = None
    #: Adds the service's own ``tosei`` subcommands (e.g. intake's ``import-legacy``) to an
    #: argparse subparsers object; each sets ``run_tool=`` a function of (args, ToolContext).
    commands: Callable[[Any], None] | None = None
    #: Handlers of the service's OWN events, used only by ``tosei replay``: a service whose state
    #: also changes by commands applies those changes from the events it published, after the
    #: topics it consumes live have been replayed.
    replay_handlers: Mapping[type[Event], EventHandler] = field(default_factory=dict)
    #: Tables that are records, not read models (registries, personal notes that never go on a
    #: topic): replay copies them from the live schema instead of rebuilding them.
    replay_keeps: Sequence[str] = ()
    #: Runs after the service's migrations (by ``tosei up``/``tosei migrate`` and at start), in
    #: their connection; returns lines to tell the operator once (e.g. the console's first
    #: coordinator and its password). It must do nothing when run again.
    after_migrate: Callable[[Connection, Clock], Awaitable[Sequence[str]]] | None = None
    #: Adds what routers cannot carry to the service's app (the console's static files and
    #: its HTML answers to "sign in first").
    extend_app: Callable[[FastAPI], None] | None = None
    #: Every column of every table the service owns, classified (personal, staff, pseudonym,
    #: nothing personal), grouped into personal-information files: docs/personal-data.md is
    #: generated from it and a test holds it to the schema the migrations build.
    personal_data: ServiceRegister | None = None
    #: Who reads the service's audit trail (``GET /audit-log``): auditors, and the roles the
    #: service's access rules say read everything (coordinators, mostly). Nobody changes it.
    audit_readers: Sequence[Role] = (Role.AUDITOR,)
    #: Anonymises what is past its retention period (``tosei retention``, and daily inside the
    #: running service): tosei_common.platform.retention.
    retention: RetentionJob | None = None
    #: What the service erases without a job of its own (said by ``tosei retention``).
    retention_follows: str | None = None
    #: What it holds about the cases whose clients the others' jobs erase (their reports'
    #: ``cases``), counted for ``tosei retention``'s listing.
    retention_preview: RetentionPreview | None = None
    #: Whether it writes to people: its schema has a ``mail_outbox`` (its own migration), its
    #: commands add mails with ``UnitOfWork.send_mail`` and the runtime runs the mail relay
    #: (tosei_common.platform.mail).
    sends_mail: bool = False
    #: The service's own forgetting of records whose time has passed (the console's rate-limit
    #: counts), run with the platform's hourly housekeeping by any replica: given a connection
    #: and the clock's now, it deletes and says how many rows went.
    housekeeping: Callable[[Connection, datetime], Awaitable[int]] | None = None

    @property
    def schema(self) -> str:
        return self.name

    @property
    def group_id(self) -> str:
        return f"tosei.{self.name}"

    @property
    def consumed_topics(self) -> list[Topic]:
        return topics_of(self.handlers)

    @property
    def replay_topics(self) -> list[Topic]:
        """The topics of the service's own events that replay re-applies (after consumed_topics)."""
        return topics_of(self.replay_handlers)

    @property
    def topics(self) -> list[Topic]:
        """Every topic this service needs to exist: what it publishes, reads, and their DLQs."""
        published = topics_of(self.publishes)
        consumed = self.consumed_topics
        wanted = {t.name: t for t in [*published, *consumed, *(t.dlq for t in consumed)]}
        return list(wanted.values())


@dataclass(frozen=True)
class ToolContext:
    """What a service's own ``tosei`` subcommand gets from the ``tosei`` command."""

    settings: Settings
    services: Mapping[str, ServiceSpec]
    kafka_bootstrap: str
    #: The database to use for the duration of the block (resolved as ``tosei`` resolves it).
    database: Callable[[], AbstractAsyncContextManager[str]]

    @property
    def actor(self) -> str:
        """How change records name the operator at the command line: ``cli:<their login>``."""
        try:
            login = getpass.getuser()
        except (OSError, KeyError):
            login = "unknown"
        return f"cli:{login}"

    @staticmethod
    def read_files(paths: Sequence[Path]) -> tuple[list[tuple[str, bytes]], list[Message]]:
        """The files named on the command line (name, content), and the ones that cannot be
        read, each said in Japanese and English."""
        given: list[tuple[str, bytes]] = []
        problems: list[Message] = []
        for path in paths:
            try:
                given.append((path.name, path.read_bytes()))
            except OSError as exc:
                why = exc.strerror or exc
                problems.append(
                    Message(f"{path}: 読めません（{why}）", f"{path}: cannot read it ({why})")
                )
        return given, problems

    @asynccontextmanager
    async def runtime_of(self, service: str, *, application_name: str) -> AsyncIterator[Runtime]:
        """A service's runtime for one command: its database open, no consumer, no relay."""
        async with self.database() as database_url:
            runtime = Runtime(
                self.services[service],
                self.settings,
                database_url=database_url,
                kafka_bootstrap=self.kafka_bootstrap,
                consume=False,
                relay=False,
            )
            try:
                await runtime.open_database(application_name=application_name)
                yield runtime
            finally:
                await runtime.close_database()


def discover_services() -> dict[str, ServiceSpec]:
    """The installed services, from the ``tosei.services`` entry points, in port order."""
    found: dict[str, ServiceSpec] = {}
    for ep in entry_points(group="tosei.services"):
        spec = ep.load()
        if not isinstance(spec, ServiceSpec):
            raise TypeError(f"entry point {ep.name} is not a ServiceSpec")
        found[spec.name] = spec
    order = ["intake", "caseflow", "seminar", "resilience", "requests", "console"]
    return dict(sorted(found.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))


async def run_after_migrate(spec: ServiceSpec, conn: Connection, clock: Clock) -> Sequence[str]:
    """The service's ``after_migrate`` step on a connection already on its schema."""
    if spec.after_migrate is None:
        return ()
    return await spec.after_migrate(conn, clock)


class Runtime:
    """A running service: its database pool, broker, outbox relay and event subscription.

    The database is required at start (migrations run then). The broker is not: when Kafka is
    away the service still serves commands, the outbox grows, and the broker connection is
    retried in the background until it succeeds.
    """

    def __init__(
        self,
        spec: ServiceSpec,
        settings: Settings,
        *,
        database_url: str,
        kafka_bootstrap: str,
        schema: str | None = None,
        consume: bool = True,
        relay: bool = True,
        on_committed: Callable[[list[Envelope]], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.spec = spec
        self.settings = settings
        #: "Now" and "today" for everything the service decides; tests set it.
        self.clock = clock or SYSTEM_CLOCK
        self.database_url = database_url
        self.kafka_bootstrap = kafka_bootstrap
        self.schema = schema or spec.schema
        self.metrics = PipelineMetrics(spec.name)
        self.domain_metrics = (
            spec.setup_metrics(self.metrics) if spec.setup_metrics is not None else None
        )
        self.outbox = Outbox(spec.name, self.clock)
        self.mail_outbox = MailOutbox(settings, self.clock) if spec.sends_mail else None
        self.mail_metrics = MailMetrics(self.metrics.registry) if spec.sends_mail else None
        self.mail_relay: MailRelay | None = None
        self.broker: KafkaBroker = create_broker(
            spec.name,
            kafka_bootstrap,
            self.metrics,
            request_timeout_ms=settings.kafka_request_timeout_ms,
        )
        declare_publishers(self.broker, spec.publishes)
        self.consume = consume and bool(spec.handlers)
        self.run_relay = relay
        self.on_committed = on_committed
        self._pool: Pool | None = None
        self.relay: OutboxRelay | None = None
        self.relay_producer: RelayProducer | None = None
        self.subscription: EventSubscription | None = None
        self.broker_connected = asyncio.Event()
        self._connect_task: asyncio.Task[None] | None = None
        self._background: list[asyncio.Task[None]] = []
        #: The Japan day of the last scheduled retention run of this process.
        self.retention_ran_on: date | None = None

    @property
    def pool(self) -> Pool:
        if self._pool is None:
            raise RuntimeError("the runtime has not started")
        return self._pool

    def unit_of_work(self, actor: str | Principal) -> AbstractAsyncContextManager[UnitOfWork]:
        """A command's transaction, dated by the service's clock, done by ``actor``."""
        who = actor.actor if isinstance(actor, Principal) else actor
        return self._unit_of_work(who)

    @asynccontextmanager
    async def _unit_of_work(self, who: str) -> AsyncIterator[UnitOfWork]:
        async with unit_of_work(self.pool, self.outbox, self.clock, who, self.mail_outbox) as uow:
            yield uow
        if uow.mails_added and self.mail_relay is not None:
            self.mail_relay.wake()  # committed: send now rather than at the next poll

    def reading(self) -> AbstractAsyncContextManager[Connection]:
        """A connection for reads (a command's own connection when inside one)."""
        return self.pool.acquire()

    async def open_database(
        self,
        application_name: str | None = None,
        *,
        durable_commits: bool = True,
        migrate_schema: bool = True,
    ) -> list[str]:
        """Open the pool on the runtime's schema and bring the schema up to date; with
        ``migrate_schema=False`` change nothing and return the migrations it lacks."""
        self._pool = await create_pool(
            self.database_url,
            self.schema,
            self.settings,
            application_name=application_name or f"tosei-{self.spec.name}",
            durable_commits=durable_commits,
        )
        plan = migrations_for(self.spec.migrations_package)
        if not migrate_schema:
            async with self.pool.acquire() as conn:
                return await pending(conn, self.schema, plan)
        async with self.pool.acquire() as conn:
            applied = await migrate(conn, self.schema, plan)
            told = await run_after_migrate(self.spec, conn, self.clock)
        if applied:
            log.info("%s: applied migrations %s", self.schema, ", ".join(applied))
        for line in told:
            log.warning("%s: %s", self.spec.name, line)
        return []

    async def close_database(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def start(self) -> None:
        """Connect to the database and migrate now; connect to the broker in the background."""
        await self.open_database()
        if self.consume:
            self.metrics.expect_consumed(t.name for t in self.spec.consumed_topics)
            self.subscription = EventSubscription(
                self.processor(dead_letter_sender(self.broker, self.spec.group_id)),
                group_id=self.spec.group_id,
                topics=self.spec.consumed_topics,
                settings=self.settings,
                metrics=self.metrics,
            )
            self.subscription.attach(self.broker)
        if self.run_relay:
            self.relay_producer = RelayProducer(
                self.kafka_bootstrap,
                client_id=f"tosei-{self.spec.name}-relay",
                request_timeout_ms=self.settings.kafka_request_timeout_ms,
            )
            self.relay = OutboxRelay(
                dsn=self.database_url,
                schema=self.schema,
                send=self.relay_producer.send,
                metrics=self.metrics,
                batch_size=self.settings.relay_batch_size,
                poll_interval_s=self.settings.relay_poll_interval_s,
                max_backoff_s=self.settings.relay_max_backoff_s,
                retention_days=self.settings.outbox_retention_days,
            )
        self._connect_task = asyncio.create_task(self._connect_broker(), name="broker-connect")
        self._start_mail_relay()
        self._every(HOUSEKEEPING_EVERY_S, self.housekeeping, "housekeeping")
        if self.spec.retention is not None and self.settings.retention_schedule:
            self._every(
                self.settings.retention_check_interval_s, self.scheduled_retention, "retention"
            )
        tune_garbage_collection()

    def _start_mail_relay(self) -> None:
        """Send the service's mails (they need no broker: the relay starts at once)."""
        if self.mail_metrics is None or not self.run_relay:
            return
        if not self.settings.smtp_host:
            log.warning(
                "%s: no SMTP server (TOSEI_SMTP_HOST): mails are kept in the mail outbox, "
                "unsent, until the service runs with one",
                self.spec.name,
            )
            return
        self.mail_relay = MailRelay(
            pool=self.pool, settings=self.settings, metrics=self.mail_metrics, name=self.schema
        )
        self.mail_relay.start()

    def _every(self, seconds: float, work: Callable[[], Awaitable[Any]], name: str) -> None:
        """Run ``work`` now and every ``seconds`` until stop; a failure waits for the next turn."""

        async def loop() -> None:
            while True:
                try:
                    await work()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("%s: %s failed: %s", self.spec.name, name, exc)
                await asyncio.sleep(seconds)

        self._background.append(asyncio.create_task(loop(), name=f"{self.spec.name}-{name}"))

    async def housekeeping(self) -> None:
        """Forget idempotency records older than their retention, and what the service's own
        ``housekeeping`` forgets (any replica may do it)."""
        async with self.pool.acquire() as conn:
            deleted = await prune_idempotency_keys(conn, self.settings.idempotency_retention_hours)
            own = (
                await self.spec.housekeeping(conn, self.clock.now())
                if self.spec.housekeeping is not None
                else 0
            )
        if deleted:
            log.info("%s: forgot %d idempotency keys", self.spec.name, deleted)
        if own:
            log.info("%s: housekeeping forgot %d rows", self.spec.name, own)

    async def run_retention(self, *, dry_run: bool = False) -> RetentionReport | None:
        """The service's retention job, once, on its clock's day; None when another process of
        the service is running it right now (one at a time per schema)."""
        job = self.spec.retention
        if job is None:
            return None
        async with self.pool.acquire() as conn:
            key = f"tosei.retention.{self.schema}"
            if not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
                return None
            try:
                return await job(
                    lambda actor: self.unit_of_work(actor or RETENTION_ACTOR),
                    self.settings,
                    dry_run,
                    lambda line: log.info("%s: %s", self.spec.name, line),
                )
            finally:
                await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", key)

    async def scheduled_retention(self) -> None:
        """The daily run: from ``retention_hour`` in Japan, once per day."""
        if not due_today(self.clock.now(), self.settings.retention_hour, self.retention_ran_on):
            return
        report = await self.run_retention()
        if report is None:
            return
        self.retention_ran_on = report.today
        log.info("%s: retention: %s", self.spec.name, report.render().splitlines()[0].strip())

    def processor(
        self,
        send_dead_letter: Any,
        handlers: Mapping[type[Event], EventHandler] | None = None,
        *,
        replaying: bool = False,
    ) -> BatchProcessor:
        """A batch processor of this service's handlers (live consumption and replay)."""
        chosen = self.spec.handlers if handlers is None else handlers
        return BatchProcessor(
            pool=self.pool,
            handlers={event.ce_type: handler for event, handler in chosen.items()},
            replaying=replaying,
            outbox=self.outbox,
            metrics=self.metrics,
            send_dead_letter=send_dead_letter,
            max_attempts=self.settings.consumer_max_attempts,
            retry_backoff_s=self.settings.consumer_retry_backoff_s,
            on_committed=self.on_committed,
        )

    async def _connect_broker(self) -> None:
        delay = 0.5
        while True:
            try:
                await ensure_topics(
                    self.kafka_bootstrap,
                    self.spec.topics,
                    replication_factor=self.settings.topic_replication_factor,
                )
                await self.broker.start()
                if self.relay_producer is not None:
                    await self.relay_producer.start()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning(
                    "%s: cannot start on the broker %s (%s: %s); retrying in %.1fs",
                    self.spec.name,
                    self.kafka_bootstrap,
                    type(exc).__name__,
                    exc,
                    delay,
                )
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                if self.relay_producer is not None:
                    with contextlib.suppress(Exception):
                        await self.relay_producer.stop()
                await asyncio.sleep(delay)
                delay = min(10.0, delay * 2)
                continue
            break
        self.broker_connected.set()
        if self.relay is not None:
            self.relay.start()
        if self.subscription is not None:
            self._every(self.settings.consumer_lag_interval_s, self.subscription.measure_lag, "lag")
        log.info("%s: connected to the broker at %s", self.spec.name, self.kafka_bootstrap)

    async def wait_connected(self, seconds: float = 60.0) -> None:
        """Wait until the broker is connected (and the subscription, if any, has started)."""
        await asyncio.wait_for(self.broker_connected.wait(), seconds)

    async def stop(self) -> None:
        """Stop consuming, finish the relay's batch in flight, close the broker and the pool."""
        for task in [*self._background, self._connect_task]:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._background.clear()
        if self.subscription is not None:
            # Commit what was handled; a batch finishing after this is read again by the next
            # member of the group (the inbox absorbs the repeat), as after a crash.
            await self.subscription.committer.flush()
        if self.relay is not None:
            await self.relay.stop()
        if self.mail_relay is not None:
            await self.mail_relay.stop()
            self.mail_relay = None
        if self.relay_producer is not None:
            with contextlib.suppress(Exception):
                await self.relay_producer.stop()
        with contextlib.suppress(Exception):
            await self.broker.stop()
        if self.subscription is not None:
            await self.subscription.committer.stop()
        await self.close_database()

    async def refresh_metrics(self) -> None:
        """Update the gauges read at scrape time: readiness, outbox backlog, domain figures."""
        await self.ready()
        async with self.pool.acquire() as conn:
            backlog, oldest = await outbox_backlog(conn)
        self.metrics.outbox_backlog.set(backlog)
        self.metrics.outbox_oldest_age.set(oldest)
        self.metrics.relay_leader.set(1 if self.relay is not None and self.relay.is_leader else 0)
        if self.mail_metrics is not None:
            async with self.pool.acquire() as conn:
                await self.mail_metrics.refresh(conn)
        if self.spec.refresh_metrics is not None:
            await self.spec.refresh_metrics(self)

    async def ready(self) -> dict[str, bool]:
        """Whether the database and the broker answer now.

        Only the database decides readiness (``/readyz``): with it the service serves every
        command, and while the broker is away the outbox keeps what it accepts. The broker's
        state is the ``tosei_ready{dependency="broker"}`` metric, for an alert.
        """
        status = {"database": False, "broker": False}
        try:
            async with self.pool.acquire(timeout=2) as conn:
                status["database"] = await conn.fetchval("SELECT true") is True
        except Exception as exc:
            log.info("%s: database not ready: %s", self.spec.name, exc)
        if self.broker_connected.is_set():
            with contextlib.suppress(Exception):
                status["broker"] = bool(await self.broker.ping(timeout=2))
        for dependency, ok in status.items():
            self.metrics.ready.labels(dependency=dependency).set(1 if ok else 0)
        return status
