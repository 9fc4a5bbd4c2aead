"""PostgreSQL access: one asyncpg pool per service, confined to the service's own schema."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit, urlunsplit

import asyncpg
import asyncpg.transaction

from tosei_common.platform.settings import Settings
from tosei_common.region.fiscal import TOKYO

log = logging.getLogger(__name__)

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    #: A connection of our own or one lent by a pool: handlers accept either.
    Connection: TypeAlias = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]
else:
    Connection = asyncpg.Connection


class DatabaseUnavailable(RuntimeError):
    """PostgreSQL cannot be reached; commands fail fast with 503 and write nothing."""


class CommitOutcomeUnknown(DatabaseUnavailable):
    """The connection broke while COMMIT was on its way: the change may or may not be saved.

    Only a retry with the same ``Idempotency-Key`` can tell, so nobody may say "nothing was
    written" about it.
    """


#: SQLSTATE classes and codes that mean "the database cannot serve right now", not "this is
#: wrong": 08 connection exception, 53 insufficient resources, 57 operator intervention
#: (shutdown, restart, cancelled by an operator), 55000 (the database refuses connections:
#: ``ALLOW_CONNECTIONS false`` during a failover or maintenance).
UNAVAILABLE_CLASSES = frozenset({"08", "53", "57"})
UNAVAILABLE_STATES = frozenset({"55000"})
#: Two transactions collided; the same work succeeds when tried again.
COLLISION_STATES = frozenset({"40001", "40P01"})


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE a server error carries (None for errors raised on the client side)."""
    state = getattr(exc, "sqlstate", None)
    return state if isinstance(state, str) and len(state) == 5 else None


def _client_side_outage(exc: BaseException) -> bool:
    # The socket is gone or never came: refused, reset, timed out, closed under us.
    return isinstance(
        exc,
        DatabaseUnavailable
        | OSError
        | TimeoutError
        | asyncpg.InterfaceError
        | asyncpg.exceptions.InternalClientError,
    )


def check_schema_name(schema: str) -> str:
    """Schema names are interpolated into SQL, so only plain lower-case identifiers are allowed."""
    if not SCHEMA_NAME.match(schema):
        raise ValueError(f"not a valid schema name: {schema!r}")
    return schema


async def create_pool(
    dsn: str,
    schema: str,
    settings: Settings,
    *,
    application_name: str | None = None,
    durable_commits: bool = True,
) -> Pool:
    """A pool whose connections see ``schema`` (then ``public``) and speak UTC.

    ``durable_commits=False`` lets a commit return before its WAL is flushed, for work that is
    redone whole after a crash (a replay into a schema not yet swapped in); never for a live
    consumer, whose offsets are committed on the strength of its commits.
    """
    check_schema_name(schema)
    server_settings = {
        "search_path": f"{schema},public",
        "application_name": application_name or f"tosei-{schema}",
        "TimeZone": "UTC",
    }
    if not durable_commits:
        server_settings["synchronous_commit"] = "off"
    try:
        pool = await asyncpg.create_pool(
            dsn,
            connection_class=TrackedConnection,
            init=_read_times_in_japan,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            command_timeout=settings.db_command_timeout_s,
            server_settings=server_settings,
        )
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        raise DatabaseUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
    assert pool is not None
    return ServicePool(pool)


_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _decode_timestamptz(value: tuple[int]) -> datetime:
    return (_PG_EPOCH + timedelta(microseconds=value[0])).astimezone(TOKYO)


def _encode_timestamptz(moment: datetime) -> tuple[int]:
    if moment.tzinfo is None:
        raise ValueError(f"a moment without a time zone cannot be stored: {moment}")
    delta = moment - _PG_EPOCH
    return ((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds,)


async def _read_times_in_japan(conn: asyncpg.Connection) -> None:
    """Moments are stored in UTC and read as Japan time (+09:00), so every service shows the
    region's clock without converting; they are the same instants, and compare as such."""
    await conn.set_type_codec(
        "timestamptz",
        schema="pg_catalog",
        encoder=_encode_timestamptz,
        decoder=_decode_timestamptz,
        format="tuple",
    )


def is_unavailable(exc: BaseException) -> bool:
    """True for errors that mean 'the database is not there right now', not 'this is wrong'.

    Decided by SQLSTATE class for server errors, so a new error code of an outage class
    (a failover's, a maintenance's) counts without anyone listing it here.
    """
    state = sqlstate(exc)
    if state is not None:
        return state[:2] in UNAVAILABLE_CLASSES or state in UNAVAILABLE_STATES
    return _client_side_outage(exc)


def is_collision(exc: BaseException) -> bool:
    """True when PostgreSQL undid a transaction because another one changed the same rows."""
    return sqlstate(exc) in COLLISION_STATES


def is_transient(exc: BaseException) -> bool:
    """Errors worth retrying as they are: the database was away, or two transactions collided."""
    return is_unavailable(exc) or is_collision(exc)


class _CommitAwareTransaction(asyncpg.transaction.Transaction):
    """A transaction that tells a failed COMMIT (outcome unknown) from a failure before it."""

    __slots__ = ()

    async def __aexit__(self, extype: object, ex: object, tb: object) -> None:
        nested: bool = getattr(self, "_nested")  # noqa: B009  (asyncpg's own slot)
        connection: asyncpg.Connection[Any] = getattr(self, "_connection")  # noqa: B009
        if extype is not None or nested or connection.is_closed():
            await super().__aexit__(extype, ex, tb)
            return
        try:
            await super().__aexit__(None, None, None)
        except Exception as exc:
            if is_unavailable(exc):
                raise CommitOutcomeUnknown(f"the connection broke during COMMIT: {exc}") from exc
            raise


if TYPE_CHECKING:
    _BaseConnection = asyncpg.Connection[asyncpg.Record]
else:
    _BaseConnection = asyncpg.Connection


class TrackedConnection(_BaseConnection):
    """The connections of a service's pool: their transactions report an unknown outcome."""

    def transaction(
        self, *, isolation: Any = None, readonly: bool = False, deferrable: bool = False
    ) -> asyncpg.transaction.Transaction:
        self._check_open()  # type: ignore[attr-defined]
        return _CommitAwareTransaction(self, isolation, readonly, deferrable)


class ServicePool:
    """A service's connection pool.

    Two things differ from a bare asyncpg pool: inside a command that runs in one transaction
    (an idempotent request) every ``acquire`` lends that command's connection; and an error
    while handing a connection back (the server dropped it right after COMMIT) is logged
    instead of raised, because the work it would report as failed is already committed.
    """

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.raw = pool

    @contextlib.asynccontextmanager
    async def acquire(self, *, timeout: float | None = None) -> AsyncIterator[Connection]:
        ambient = _AMBIENT.get()
        if ambient is not None and ambient[0] is self:
            yield ambient[1]
            return
        conn = await self.raw.acquire(timeout=timeout)
        try:
            yield conn
        finally:
            try:
                await self.raw.release(conn)
            except Exception as exc:
                log.warning("a database connection failed on its way back to the pool: %s", exc)

    @contextlib.contextmanager
    def lend(self, conn: Connection) -> Any:
        """Within this block, every ``acquire`` of this pool (in this task) yields ``conn``."""
        token = _AMBIENT.set((self, conn))
        try:
            yield conn
        finally:
            _AMBIENT.reset(token)

    async def close(self) -> None:
        await self.raw.close()


Pool = ServicePool

#: The connection of the HTTP command in progress, when the command runs in one transaction
#: with its idempotency record (see ``tosei_common.platform.idempotency``). ``ServicePool.acquire``
#: lends it instead of a pooled one, so every handler joins that transaction unchanged.
_AMBIENT: ContextVar[tuple[ServicePool, Connection] | None] = ContextVar(
    "tosei_ambient_connection", default=None
)


async def ensure_database(dsn: str) -> None:
    """Create the database named in ``dsn`` when it does not exist (connecting to ``postgres``)."""
    try:
        conn = await asyncpg.connect(dsn)
    except asyncpg.InvalidCatalogNameError:
        pass
    else:
        await conn.close()
        return
    name = database_name(dsn)
    admin = await asyncpg.connect(dsn, database="postgres")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    except asyncpg.DuplicateDatabaseError:
        pass  # another process created it meanwhile
    finally:
        await admin.close()


def database_name(dsn: str) -> str:
    """The database a PostgreSQL URL names (``postgres`` when it names none)."""
    parts = urlsplit(dsn)
    query = parse_qs(parts.query)
    name = query.get("dbname", [""])[0] or unquote(parts.path.lstrip("/")) or "postgres"
    if '"' in name:
        raise ValueError(f"unusable database name {name!r}")
    return name


def with_database(dsn: str, name: str) -> str:
    """The same URL naming another database."""
    parts = urlsplit(dsn)
    query = {k: v for k, v in parse_qs(parts.query).items() if k != "dbname"}
    return urlunsplit(
        (parts.scheme, parts.netloc, "/" + quote(name), urlencode(query, doseq=True), "")
    )
