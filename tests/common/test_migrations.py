"""Migrations: ordered, recorded, guarded by a lock, and refusing edited history."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from tosei_common.platform.migrations import Migration, MigrationError, migrate, migrations_for


async def tables(conn: asyncpg.Connection, schema: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
        schema,
    )
    return [r["table_name"] for r in rows]


async def test_migrations_applied_twice_leave_one_schema(
    db: asyncpg.Connection, schema: str
) -> None:
    plan = migrations_for("tests.support.migrations")
    first = await migrate(db, schema, plan)
    second = await migrate(db, schema, plan)

    assert first == [
        "platform/0001_outbox",
        "platform/0002_inbox",
        "platform/0003_idempotency",
        "platform/0004_audit",
        "platform/0005_audit_reads",
        "service/0001_widgets",
    ]
    assert second == []
    assert await tables(db, schema) == [
        "audit_log",
        "dead_letters",
        "idempotency_keys",
        "inbox",
        "outbox",
        "schema_migrations",
        "widget_changes",
    ]
    assert await db.fetchval(f"SELECT count(*) FROM {schema}.schema_migrations") == len(plan)


async def test_two_processes_migrating_at_once_leave_one_correct_schema(
    database_url: str, schema: str
) -> None:
    plan = migrations_for("tests.support.migrations")
    conns = [await asyncpg.connect(database_url) for _ in range(4)]
    try:
        results = await asyncio.gather(*(migrate(c, schema, plan) for c in conns))
        applied = [r for r in results if r]
        assert len(applied) == 1, results  # exactly one migrator did the work
        assert applied[0] == [m.label for m in plan]
        assert await conns[0].fetchval(f"SELECT count(*) FROM {schema}.schema_migrations") == len(
            plan
        )
    finally:
        for c in conns:
            await c.close()


async def test_an_applied_migration_that_was_edited_stops_the_run(
    db: asyncpg.Connection, schema: str
) -> None:
    plan = migrations_for("tests.support.migrations")
    await migrate(db, schema, plan)
    edited = [*plan[:-1], Migration("service", 1, "widgets", plan[-1].sql + "\n-- edited\n")]

    with pytest.raises(MigrationError, match="changed after it was applied"):
        await migrate(db, schema, edited)


async def test_a_failing_migration_leaves_nothing_half_applied(
    db: asyncpg.Connection, schema: str
) -> None:
    plan = [
        *migrations_for(None),
        Migration("service", 1, "good", "CREATE TABLE good (id int);"),
        Migration("service", 2, "bad", "CREATE TABLE broken (id nosuchtype);"),
    ]
    with pytest.raises(asyncpg.UndefinedObjectError):
        await migrate(db, schema, plan)

    assert await tables(db, schema) == []
