"""Backups of the services' schemas that restore: ``tosei backup`` and ``tosei restore``.

A backup is one ``pg_dump`` custom-format file per service schema — its tables, the outbox, the
inbox, the dead letters, the audit log and ``schema_migrations`` — and a manifest (JSON) next to
it that says what the file holds, so a restore can check what it restores.

What Postgres cannot hold is the consumer group's position in Kafka. It is read from the broker
*before* the database snapshot is taken: offsets are committed only after their effects are
(``consumer.py``), so every event before those offsets has its effect in the snapshot. A restore
sets the group back to those offsets before the service starts again, and the events after them
are delivered again: those the snapshot already holds are found in the restored inbox and have
no second effect, the others are handled. Without that step the group's offsets in Kafka would
still be where the lost database had got to, and the events in between would never be handled.

Every service of a backup set is dumped from ONE exported snapshot, so the set shows the whole
platform at one instant. docs/operations.md is the operators' guide.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg
from pydantic import BaseModel, Field

from tosei_common.platform.clock import Clock
from tosei_common.platform.db import Connection, check_schema_name
from tosei_common.platform.kafka import GroupOffsets, committed_offsets, move_group_offsets
from tosei_common.platform.migrations import drop_schema, migrations_for
from tosei_common.platform.service import ServiceSpec
from tosei_common.platform.settings import Settings
from tosei_common.platform.topic_setup import ensure_topics

Say = Callable[[str], object]

#: How long a backup waits for the broker's answer before it records no offsets.
BROKER_TIMEOUT_S = 15.0


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


class Position(BaseModel):
    """Where a consumer group resumes on one partition: the next offset it reads."""

    topic: str
    partition: int
    offset: int


class AppliedMigration(BaseModel):
    source: str
    version: int
    name: str
    checksum: str

    @property
    def label(self) -> str:
        return f"{self.source}/{self.version:04d}_{self.name}"


class OutboxState(BaseModel):
    rows: int
    unpublished: int = Field(description="rows the relay had not sent yet: sent after a restore")
    highest_seq: int | None
    highest_published_seq: int | None


class BackupManifest(BaseModel):
    """What one dump file holds; written next to it as ``<service>-<stamp>.json``."""

    format: Literal[1] = 1
    service: str
    schema_name: str
    owner: str = Field(description="the role that owned the schema")
    dump: str = Field(description="the dump's file name, in the manifest's directory")
    sha256: str
    taken_at: datetime
    pg_dump: str
    server_version: str
    migrations: list[AppliedMigration]
    tables: dict[str, int] = Field(description="rows per table in the snapshot")
    outbox: OutboxState
    inbox_events: int
    dead_letters: int
    consumer_group: str | None
    consumer_offsets: list[Position] | None = Field(
        description="the group's committed offsets, read before the snapshot; null when the "
        "broker could not be reached (the restore then uses inbox_positions)"
    )
    inbox_positions: list[Position] = Field(
        description="per partition, one past the highest offset the inbox or the dead letters "
        "recorded"
    )

    @property
    def migration_version(self) -> str:
        """The newest applied migration of each source, e.g. ``platform/0004 service/0012``."""
        newest: dict[str, int] = {}
        for m in self.migrations:
            newest[m.source] = max(newest.get(m.source, 0), m.version)
        return " ".join(f"{source}/{version:04d}" for source, version in sorted(newest.items()))


def resume_positions(manifest: BackupManifest) -> GroupOffsets:
    """Where the restored service's consumer group resumes, per partition.

    The offsets read before the snapshot are a safe place: nothing before them lacks its effect
    in the backup. Without them (the broker was away), the inbox says how far the service had
    got; it undercounts only what it never recorded (events of types the service ignores), and
    reading those again changes nothing.
    """
    chosen = (
        manifest.consumer_offsets
        if manifest.consumer_offsets is not None
        else manifest.inbox_positions
    )
    return {(p.topic, p.partition): p.offset for p in chosen}


@dataclass(frozen=True)
class BackupTarget:
    directory: Path
    stamp: str

    @classmethod
    def make(cls, directory: Path, taken_at: datetime) -> BackupTarget:
        directory.mkdir(parents=True, exist_ok=True)
        return cls(directory, taken_at.strftime("%Y%m%dT%H%M%S"))

    def dump(self, service: str) -> Path:
        return self.directory / f"{service}-{self.stamp}.dump"

    def manifest(self, service: str) -> Path:
        return self.directory / f"{service}-{self.stamp}.json"


async def backup_services(
    specs: Sequence[ServiceSpec],
    *,
    database_url: str,
    kafka_bootstrap: str,
    directory: Path,
    clock: Clock,
    skip_missing: bool = False,
    out: Say = print,
) -> list[Path]:
    """Dump each service's schema, all from one snapshot; return the manifests written.

    ``skip_missing`` (``--all``) passes over services whose schema does not exist yet.
    """
    pg_dump = _tool("pg_dump")
    taken_at = clock.now()
    target = BackupTarget.make(directory, taken_at)
    conn = await asyncpg.connect(database_url)
    written: list[Path] = []
    try:
        chosen: list[ServiceSpec] = []
        for spec in specs:
            if await _schema_exists(conn, spec.schema):
                chosen.append(spec)
            elif skip_missing:
                out(f"{spec.name:<11} no schema {spec.schema} in the database; skipped")
            else:
                raise BackupError(
                    f"{spec.name}: the database has no schema {spec.schema}; nothing to back up"
                )
        # Offsets before the snapshot, so that every effect before them is in it.
        offsets = {spec.name: await _group_offsets(spec, kafka_bootstrap, out) for spec in chosen}
        version = await _tool_version(pg_dump)
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            for spec in chosen:
                dump = target.dump(spec.name)
                partial = dump.with_suffix(".dump.partial")
                facts = await _facts(conn, spec)
                await _run(
                    pg_dump,
                    "--format=custom",
                    f"--schema={spec.schema}",
                    f"--snapshot={snapshot}",
                    f"--file={partial}",
                    database_url=database_url,
                )
                manifest = BackupManifest(
                    service=spec.name,
                    schema_name=spec.schema,
                    dump=dump.name,
                    sha256=_finish(partial, dump),
                    taken_at=taken_at,
                    pg_dump=version,
                    consumer_group=spec.group_id if spec.consumed_topics else None,
                    consumer_offsets=offsets[spec.name],
                    **facts,
                )
                written.append(_write_manifest(target.manifest(spec.name), manifest))
                out(
                    f"{spec.name:<11} {dump}  ({_size(dump)}; {sum(manifest.tables.values())} "
                    f"rows in {len(manifest.tables)} tables, outbox {manifest.outbox.rows} "
                    f"({manifest.outbox.unpublished} unsent), inbox {manifest.inbox_events}, "
                    f"migrations {manifest.migration_version})"
                )
    finally:
        await conn.close()
    return written


async def _group_offsets(
    spec: ServiceSpec, kafka_bootstrap: str, out: Say
) -> list[Position] | None:
    if not spec.consumed_topics:
        return []
    try:
        found = await asyncio.wait_for(
            committed_offsets(kafka_bootstrap, spec.group_id, spec.consumed_topics),
            BROKER_TIMEOUT_S,
        )
    except Exception as exc:
        out(
            f"{spec.name:<11} warning: cannot read the offsets of {spec.group_id} from the broker "
            f"at {kafka_bootstrap} ({type(exc).__name__}: {exc}); a restore will resume from "
            "what the inbox recorded"
        )
        return None
    return [Position(topic=t, partition=p, offset=o) for (t, p), o in sorted(found.items())]


async def _facts(conn: Connection, spec: ServiceSpec) -> dict[str, object]:
    """What the manifest says about the schema, read in the dump's own snapshot."""
    schema = check_schema_name(spec.schema)
    tables = {
        r["table_name"]: await conn.fetchval(f'SELECT count(*) FROM {schema}."{r["table_name"]}"')
        for r in await conn.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
            schema,
        )
    }
    migrations = [
        AppliedMigration(**dict(r))
        for r in await conn.fetch(
            f"SELECT source, version, name, checksum FROM {schema}.schema_migrations"
            " ORDER BY source, version"
        )
    ]
    outbox = await conn.fetchrow(
        f"""
        SELECT count(*) AS rows,
               count(*) FILTER (WHERE published_at IS NULL) AS unpublished,
               max(seq) AS highest_seq,
               max(seq) FILTER (WHERE published_at IS NOT NULL) AS highest_published_seq
          FROM {schema}.outbox
        """
    )
    positions = await conn.fetch(
        f"""
        SELECT topic, partition, max("offset") + 1 AS offset
          FROM (SELECT topic, partition, "offset" FROM {schema}.inbox
                UNION ALL
                SELECT topic, partition, "offset" FROM {schema}.dead_letters) recorded
         GROUP BY topic, partition ORDER BY topic, partition
        """
    )
    return {
        "owner": await conn.fetchval(
            "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1", schema
        ),
        "server_version": await conn.fetchval("SHOW server_version"),
        "migrations": migrations,
        "tables": tables,
        "outbox": OutboxState(**dict(outbox or {})),
        "inbox_events": tables.get("inbox", 0),
        "dead_letters": tables.get("dead_letters", 0),
        "inbox_positions": [Position(**dict(r)) for r in positions],
    }


def _finish(partial: Path, dump: Path) -> str:
    """Give the finished dump its name (a partial file never looks like a backup); its sha256."""
    partial.rename(dump)
    return _sha256(dump)


def _write_manifest(path: Path, manifest: BackupManifest) -> Path:
    path.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def newest_manifest(directory: Path, service: str) -> Path | None:
    """The newest backup of ``service`` in ``directory`` (file names sort by time)."""
    found = sorted(directory.glob(f"{service}-*.json"))
    return found[-1] if found else None


def read_manifest(path: Path) -> BackupManifest:
    try:
        return BackupManifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: not a backup manifest ({exc})") from exc


async def restore_service(
    spec: ServiceSpec,
    manifest_path: Path,
    *,
    database_url: str,
    kafka_bootstrap: str,
    settings: Settings,
    replace: bool = False,
    no_owner: bool = False,
    keep_offsets: bool = False,
    out: Say = print,
) -> BackupManifest:
    """Restore one service's schema from a backup, with its consumer group's position.

    The order: check the backup (its file, its checksum, migrations this code knows) and the
    target (the service is not running, the schema is empty or ``replace`` is given, the owner
    role exists); set the consumer group back to the backup's offsets; restore the schema in one
    transaction; check every table has the rows the manifest counted. The offsets come first
    because moving them back is harmless on its own (the inbox absorbs what is read again),
    while a restored schema whose offsets could not be moved would skip events.
    """
    pg_restore = _tool("pg_restore")
    manifest, dump = checked_backup(spec, manifest_path)
    schema = spec.schema
    conn = await asyncpg.connect(database_url)
    try:
        held = await _check_target(conn, spec, manifest, replace=replace, no_owner=no_owner)
        if spec.consumed_topics and not keep_offsets:
            moved = await _move_offsets(spec, manifest, kafka_bootstrap, settings)
            out(f"{spec.name:<11} {spec.group_id} resumes at {_describe(moved)}")
        kept = f"{schema}_before_restore"
        if held:
            await drop_schema(conn, kept)
            await conn.execute(f"ALTER SCHEMA {schema} RENAME TO {kept}")
        else:
            await drop_schema(conn, schema)  # an empty schema, e.g. made by service-roles.sh
        try:
            await _run(
                pg_restore,
                "--exit-on-error",
                "--single-transaction",
                *(["--no-owner", "--no-privileges"] if no_owner else []),
                str(dump),
                database_url=database_url,
            )
            await _check_restored(conn, spec, manifest)
        except BaseException:
            if held:
                await drop_schema(conn, schema)
                await conn.execute(f"ALTER SCHEMA {kept} RENAME TO {schema}")
            raise
    finally:
        await conn.close()
    out(
        f"{spec.name:<11} restored {dump.name} ({sum(manifest.tables.values())} rows, migrations "
        f"{manifest.migration_version}; {manifest.outbox.unpublished} outbox rows to send)"
        + (f"; the schema before is kept as {kept}" if held else "")
    )
    return manifest


def checked_backup(spec: ServiceSpec, manifest_path: Path) -> tuple[BackupManifest, Path]:
    """The manifest and its dump, once they are known to be this service's, whole, and of
    migrations this code knows (a newer version's backup is refused, not half-understood)."""
    manifest = read_manifest(manifest_path)
    if manifest.service != spec.name or manifest.schema_name != spec.schema:
        raise BackupError(
            f"{manifest_path} is a backup of {manifest.service} (schema {manifest.schema_name}),"
            f" not of {spec.name}"
        )
    dump = manifest_path.parent / manifest.dump
    if not dump.is_file():
        raise BackupError(f"{spec.name}: {dump} is missing")
    if _sha256(dump) != manifest.sha256:
        raise BackupError(f"{spec.name}: {dump} does not match its manifest's sha256; not restored")
    _check_migrations(spec, manifest)
    return manifest, dump


async def _check_target(
    conn: Connection, spec: ServiceSpec, manifest: BackupManifest, *, replace: bool, no_owner: bool
) -> int:
    """Refuse a target the restore would harm; return how many tables the schema holds now."""
    schema = check_schema_name(spec.schema)
    if await _service_connected(conn, spec):
        raise BackupError(f"{spec.name} is running on that database; stop it first")
    if not no_owner and not await conn.fetchval(
        "SELECT true FROM pg_roles WHERE rolname = $1", manifest.owner
    ):
        raise BackupError(
            f"{spec.name}: role {manifest.owner} (owner of the schema in the backup) does not "
            "exist on the target server; create the service roles first "
            "(deploy/postgres/service-roles.sh), or pass --no-owner"
        )
    held = await _tables_in(conn, schema)
    if held and not replace:
        raise BackupError(
            f"{spec.name}: schema {schema} already holds {held} tables; pass --replace to "
            f"keep it as {schema}_before_restore and restore over it"
        )
    return held


async def _check_restored(conn: Connection, spec: ServiceSpec, manifest: BackupManifest) -> None:
    restored = {
        table: await conn.fetchval(f'SELECT count(*) FROM {spec.schema}."{table}"')
        for table in manifest.tables
    }
    differ = [t for t in manifest.tables if restored[t] != manifest.tables[t]]
    if differ:
        raise BackupError(f"{spec.name}: restored rows differ in {', '.join(differ)}")


def _check_migrations(spec: ServiceSpec, manifest: BackupManifest) -> None:
    known = {(m.source, m.version): m for m in migrations_for(spec.migrations_package)}
    for applied in manifest.migrations:
        here = known.get((applied.source, applied.version))
        if here is None:
            raise BackupError(
                f"{spec.name}: the backup was taken by a newer version ({applied.label} is "
                "unknown here); restore it with that version"
            )
        if here.checksum != applied.checksum:
            raise BackupError(
                f"{spec.name}: {applied.label} differs from the file of that version here; "
                "restore the backup with the version that took it"
            )


async def _move_offsets(
    spec: ServiceSpec, manifest: BackupManifest, kafka_bootstrap: str, settings: Settings
) -> GroupOffsets:
    try:
        # The topics exist before the service first ran; on a new broker they are made here.
        await ensure_topics(
            kafka_bootstrap, spec.topics, replication_factor=settings.topic_replication_factor
        )
        return await move_group_offsets(
            kafka_bootstrap,
            spec.group_id,
            spec.consumed_topics,
            resume_positions(manifest),
            session_timeout_ms=settings.consumer_session_timeout_ms,
        )
    except Exception as exc:
        raise BackupError(
            f"{spec.name}: cannot set {spec.group_id}'s offsets on the broker at "
            f"{kafka_bootstrap} ({type(exc).__name__}: {exc}); nothing was restored"
        ) from exc


def _describe(offsets: GroupOffsets) -> str:
    if not offsets:
        return "the start (no partitions yet)"
    return ", ".join(f"{t}[{p}]@{o}" for (t, p), o in sorted(offsets.items()))


async def _schema_exists(conn: Connection, schema: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM pg_namespace WHERE nspname = $1", schema))


async def _tables_in(conn: Connection, schema: str) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S')",
        schema,
    )
    return count


async def _service_connected(conn: Connection, spec: ServiceSpec) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = $1",
            f"tosei-{spec.name}",
        )
    )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed (PostgreSQL client tools, e.g. postgresql-client)"
        )
    return found


async def _tool_version(tool: str) -> str:
    process = await asyncio.create_subprocess_exec(
        tool, "--version", stdout=asyncio.subprocess.PIPE
    )
    stdout, _ = await process.communicate()
    return stdout.decode().strip()


async def _run(tool: str, *args: str, database_url: str) -> None:
    """Run a PostgreSQL client tool on ``database_url``, the password in its environment only."""
    url, password = _without_password(database_url)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    process = await asyncio.create_subprocess_exec(
        tool,
        *args,
        f"--dbname={url}",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    _, stderr = await process.communicate()
    if process.returncode != 0:
        said = stderr.decode(errors="replace").strip()
        raise BackupError(f"{Path(tool).name} failed ({process.returncode}): {said}")


def _without_password(url: str) -> tuple[str, str | None]:
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.netloc.rsplit("@", 1)[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}")), unquote(parts.password)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024:.0f} KiB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MiB"
