"""A migration runner over ordered SQL files, one schema per service.

Files are named ``NNNN_description.sql``. Applied files are recorded in the schema's
``schema_migrations`` table with a checksum; an applied file that was edited afterwards stops the
run instead of leaving two databases that claim the same version but differ. Everything runs in one
transaction under an advisory lock, so two processes migrating at once leave one correct schema.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

from tosei_common.platform.db import Connection, check_schema_name

FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
PLATFORM_SOURCE = ("platform", "tosei_common.platform.sql")


class MigrationError(RuntimeError):
    """The migrations on disk and the ones recorded in the database disagree."""


@dataclass(frozen=True)
class Migration:
    source: str
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()

    @property
    def label(self) -> str:
        return f"{self.source}/{self.version:04d}_{self.name}"


def load_migrations(source: str, package: str) -> list[Migration]:
    """The SQL files of a package directory, in version order."""
    found: list[Migration] = []
    for entry in resources.files(package).iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = FILE_NAME.match(entry.name)
        if match is None:
            raise MigrationError(f"{package}/{entry.name}: expected NNNN_name.sql")
        found.append(Migration(source, int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"{package}: two files share a version number")
    return found


def migrations_for(service_package: str | None) -> list[Migration]:
    """The platform's tables (outbox, inbox, dead letters) first, then the service's own files."""
    plan = load_migrations(*PLATFORM_SOURCE)
    if service_package is not None:
        plan += load_migrations("service", service_package)
    return plan


async def migrate(conn: Connection, schema: str, plan: list[Migration]) -> list[str]:
    """Bring ``schema`` up to date with ``plan``; return the labels of the files applied now."""
    check_schema_name(schema)
    applied_now: list[str] = []
    async with conn.transaction():
        # Serialise migrators of the same schema; the lock is released at commit or rollback.
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"tosei.migrate.{schema}"
        )
        # Created only when missing: a service's own role owns its schema and may not create
        # schemas (CREATE SCHEMA IF NOT EXISTS needs that right even when the schema exists).
        if not await conn.fetchval(
            "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", schema
        ):
            await conn.execute(f"CREATE SCHEMA {schema}")
        await conn.execute(f"SET LOCAL search_path TO {schema}, public")
        await conn.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                source     text        NOT NULL,
                version    integer     NOT NULL,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (source, version)
            )
            """
        )
        recorded = {
            (r["source"], r["version"]): r
            for r in await conn.fetch(
                "SELECT source, version, name, checksum FROM schema_migrations"
            )
        }
        for migration in plan:
            done = recorded.get((migration.source, migration.version))
            if done is not None:
                if done["checksum"] != migration.checksum:
                    raise MigrationError(
                        f"{schema}: {migration.label} was changed after it was applied; "
                        "add a new migration instead of editing an applied one"
                    )
                continue
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (source, version, name, checksum)"
                " VALUES ($1, $2, $3, $4)",
                migration.source,
                migration.version,
                migration.name,
                migration.checksum,
            )
            applied_now.append(migration.label)
    return applied_now


async def pending(conn: Connection, schema: str, plan: list[Migration]) -> list[str]:
    """The labels of ``plan``'s files that ``schema`` has not applied, read without changing
    anything (all of them when the schema or its record of migrations does not exist)."""
    check_schema_name(schema)
    if not await conn.fetchval(
        "SELECT EXISTS (SELECT FROM pg_tables WHERE schemaname = $1"
        " AND tablename = 'schema_migrations')",
        schema,
    ):
        return [m.label for m in plan]
    recorded = {
        (r["source"], r["version"])
        for r in await conn.fetch(f"SELECT source, version FROM {schema}.schema_migrations")
    }
    return [m.label for m in plan if (m.source, m.version) not in recorded]


async def drop_schema(conn: Connection, schema: str) -> None:
    """Remove a schema and everything in it (replay targets, tests)."""
    check_schema_name(schema)
    await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
