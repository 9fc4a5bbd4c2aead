"""PostgreSQL access: one asyncpg pool per service, confined to the service's own schema."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit, urlunsplit

import asyncpg

from tosei_common.fiscal import TOKYO
from tosei_common.settings import Settings

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

Pool = asyncpg.Pool
if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    #: A connection of our own or one lent by a pool: handlers accept either.
    Connection: TypeAlias = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]
else:
    Connection = asyncpg.Connection


class DatabaseUnavailable(RuntimeError):
    """PostgreSQL cannot be reached; commands fail fast with 503 and write nothing."""


def check_schema_name(schema: str) -> str:
    """Schema names are interpolated into SQL, so only plain lower-case identifiers are allowed."""
    if not SCHEMA_NAME.match(schema):
        raise ValueError(f"not a valid schema name: {schema!r}")
    return schema


async def create_pool(
    dsn: str, schema: str, settings: Settings, *, application_name: str | None = None
) -> Pool:
    """A pool whose connections see ``schema`` (then ``public``) and speak UTC."""
    check_schema_name(schema)
    try:
        pool = await asyncpg.create_pool(
            dsn,
            init=_read_times_in_japan,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            command_timeout=settings.db_command_timeout_s,
            server_settings={
                "search_path": f"{schema},public",
                "application_name": application_name or f"tosei-{schema}",
                "TimeZone": "UTC",
            },
        )
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        raise DatabaseUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
    assert pool is not None
    return pool


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
    """True for errors that mean 'the database is not there right now', not 'this is wrong'."""
    return isinstance(
        exc,
        DatabaseUnavailable
        | OSError
        | asyncio.TimeoutError
        | asyncpg.PostgresConnectionError
        | asyncpg.CannotConnectNowError
        | asyncpg.TooManyConnectionsError
        | asyncpg.AdminShutdownError
        | asyncpg.ConnectionDoesNotExistError
        | asyncpg.InterfaceError,
    )


def is_transient(exc: BaseException) -> bool:
    """Errors worth retrying as they are: the database was away, or two transactions collided."""
    return is_unavailable(exc) or isinstance(
        exc, asyncpg.SerializationError | asyncpg.DeadlockDetectedError
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
