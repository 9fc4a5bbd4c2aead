"""Rebuild a service's state by re-consuming the topics it reads, from the beginning."""

from __future__ import annotations

import time
from collections.abc import Callable

import asyncpg

from tosei_common.platform.consumer import DeadLetter
from tosei_common.platform.db import Connection, check_schema_name
from tosei_common.platform.kafka import replay_topics
from tosei_common.platform.migrations import drop_schema
from tosei_common.platform.service import Runtime, ServiceSpec, tune_garbage_collection
from tosei_common.platform.settings import Settings


async def replay_service(
    spec: ServiceSpec,
    settings: Settings,
    *,
    database_url: str,
    kafka_bootstrap: str,
    into: str | None = None,
    live_schema: str | None = None,
    out: Callable[[str], object] = print,
) -> int:
    """Replay ``spec``'s topics into an empty schema; swap it in unless ``into`` is given.

    Order: the tables the service keeps (``replay_keeps``) are copied from the live schema; the
    topics it consumes are replayed; then its own topics, through ``replay_handlers``. Handlers
    see ``ctx.replaying``. Events the handlers emit while replaying were published by the live
    run already, so the rebuilt outbox is marked published rather than sent again; rows the live
    outbox had not sent yet are carried over. Returns a process exit code.
    """
    live = check_schema_name(live_schema or spec.schema)
    target = check_schema_name(into or f"{live}_replay")
    if target == live:
        out(f"--into must name another schema than the live one ({live})")
        return 2
    admin = await asyncpg.connect(database_url)
    try:
        if into is None and await _service_connected(admin, spec):
            out(f"{spec.name} is running; stop it first, or replay --into another schema")
            return 1
        await drop_schema(admin, target)
    finally:
        await admin.close()

    runtime = Runtime(
        spec, settings, database_url=database_url, kafka_bootstrap=kafka_bootstrap, schema=target
    )
    # The rebuilt schema is used only once complete (and swapped in by a durable commit, which
    # flushes everything before it): a crash halfway means replaying again, so the batches'
    # commits need not wait for the disk.
    await runtime.open_database(application_name="tosei-replay", durable_commits=False)
    tune_garbage_collection()
    started = time.monotonic()
    try:
        read = await _rebuild(runtime, live, target, kafka_bootstrap, out)
    finally:
        await runtime.close_database()
    topics = ", ".join(t.name for t in [*spec.consumed_topics, *spec.replay_topics])
    took = time.monotonic() - started
    out(f"replayed {read} records from {topics} into {target} in {took:.1f}s")
    if into is None:
        await _swap_in(database_url, live, target)
        out(f"{target} is now {live}; the state before the replay is kept in {live}_previous")
    return 0


async def _rebuild(
    runtime: Runtime, live: str, target: str, kafka_bootstrap: str, out: Callable[[str], object]
) -> int:
    """Fill the target schema: kept tables copied, topics replayed, unsent rows carried over."""
    spec = runtime.spec
    last_report = 0.0

    def progress(read: int) -> None:
        nonlocal last_report
        now = time.monotonic()
        if now - last_report >= 1.0:
            last_report = now
            out(f"… {read} records so far")

    async def keep_dead_letter(_: DeadLetter) -> None:
        """Replay re-reads what the live consumer dead-lettered already: record, do not resend."""

    async with runtime.pool.acquire() as conn:
        # Commands answered before the replay stay answered: a retry of one is not redone.
        for table in (*spec.replay_keeps, "idempotency_keys"):
            await copy_table(conn, live, target, table)
    read = 0
    ending = 0.0
    for replayed, handlers in (
        (spec.consumed_topics, spec.handlers),
        (spec.replay_topics, spec.replay_handlers),
    ):
        if replayed:
            done = await replay_topics(
                runtime.processor(keep_dead_letter, handlers, replaying=True),
                kafka_bootstrap,
                replayed,
                progress=lambda n, before=read: progress(before + n),
            )
            read += done.records
            ending += done.ending_s
    out(f"… {ending:.2f}s of it after the last record, making sure there was nothing more")
    async with runtime.pool.acquire() as conn:
        await conn.execute(
            "UPDATE outbox SET published_at = clock_timestamp() WHERE published_at IS NULL"
        )
        carried = await carry_unpublished(conn, live, target)
    if carried:
        out(f"carried {carried} unpublished outbox rows over from {live}")
    return read


async def _swap_in(database_url: str, live: str, target: str) -> None:
    admin = await asyncpg.connect(database_url)
    try:
        async with admin.transaction():
            await drop_schema(admin, f"{live}_previous")
            if await admin.fetchval("SELECT true FROM pg_namespace WHERE nspname = $1", live):
                await admin.execute(f"ALTER SCHEMA {live} RENAME TO {live}_previous")
            await admin.execute(f"ALTER SCHEMA {target} RENAME TO {live}")
    finally:
        await admin.close()


async def carry_unpublished(conn: Connection, source: str, target: str) -> int:
    """Move the live outbox's not-yet-published rows into the rebuilt schema, in their order,
    so events the live service committed but had not sent yet are still sent."""
    exists = await conn.fetchval(
        "SELECT true FROM information_schema.tables"
        " WHERE table_schema = $1 AND table_name = 'outbox'",
        source,
    )
    if not exists:
        return 0
    columns = (
        "id, topic, aggregate_type, aggregate_id, type, source, occurred_at, payload, created_at,"
        " attempts, last_error"
    )
    status: str = await conn.execute(
        f"INSERT INTO {target}.outbox ({columns}) SELECT {columns} FROM {source}.outbox"
        " WHERE published_at IS NULL ORDER BY seq"
    )
    return int(status.split()[-1])


async def copy_table(conn: Connection, source: str, target: str, table: str) -> None:
    """Copy a kept table's rows from the live schema, and move its sequences past them.

    The live rows replace whatever the migrations put into the rebuilt table (a seeded list,
    which the live service may have changed since).
    """
    check_schema_name(table)
    exists = await conn.fetchval(
        "SELECT true FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
        source,
        table,
    )
    if not exists:
        return
    await conn.execute(f"DELETE FROM {target}.{table}")
    await conn.execute(f"INSERT INTO {target}.{table} SELECT * FROM {source}.{table}")
    columns = await conn.fetch(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = $1 AND table_name = $2",
        target,
        table,
    )
    for column in columns:
        sequence = await conn.fetchval(
            "SELECT pg_get_serial_sequence($1, $2)", f"{target}.{table}", column["column_name"]
        )
        if sequence is not None:
            await conn.execute(
                f"SELECT setval($1, coalesce((SELECT max({column['column_name']})"
                f" FROM {target}.{table}), 0) + 1, false)",
                sequence,
            )


async def _service_connected(conn: Connection, spec: ServiceSpec) -> bool:
    count = await conn.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND application_name = $1",
        f"tosei-{spec.name}",
    )
    return bool(count)
