"""A service's state can be rebuilt by replaying the topics it consumes from the beginning."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from tests.support.runtime import Start, fast_settings
from tests.support.waiting import eventually, read_topic
from tests.support.widgets import WIDGETS, WidgetChanged, widget_service
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.outbox import Outbox
from tosei_common.platform.replay import replay_service

pytestmark = pytest.mark.slow

STATE = "SELECT widget_id, seq, event_id FROM {}.widget_changes ORDER BY widget_id, seq"


async def test_replay_into_another_schema_equals_the_live_state(
    database_url: str, broker: TansuBroker, schema: str, start: Start, db: asyncpg.Connection
) -> None:
    spec = widget_service(schema)
    widgets = [f"w{i}-{uuid.uuid4().hex[:6]}" for i in range(5)]
    async with start(spec) as rt:
        for seq in range(4):
            async with rt.pool.acquire() as conn, conn.transaction():
                await rt.outbox.add(conn, *(WidgetChanged(widget_id=w, seq=seq) for w in widgets))
        async with rt.pool.acquire() as conn, conn.transaction():
            await rt.outbox.add(conn, WidgetChanged(widget_id=widgets[0], seq=9, fail=True))

        async def all_handled() -> bool:
            count = await db.fetchval(f"SELECT count(*) FROM {schema}.widget_changes")
            letters = await db.fetchval(f"SELECT count(*) FROM {schema}.dead_letters")
            return bool(count == 20 and letters == 1)

        await eventually(all_handled, timeout=30)

    lines: list[str] = []
    code = await replay_service(
        spec,
        fast_settings(),
        database_url=database_url,
        kafka_bootstrap=broker.bootstrap,
        into=f"{schema}_rebuilt",
        out=lines.append,
    )

    assert code == 0, lines
    live = await db.fetch(STATE.format(schema))
    rebuilt = await db.fetch(STATE.format(f"{schema}_rebuilt"))
    assert len(live) == 20
    assert [tuple(r) for r in rebuilt] == [tuple(r) for r in live]
    assert lines[-1].startswith(f"replayed 21 records from {WIDGETS.name} into {schema}_rebuilt")
    # The poison event is recorded again but not sent to the DLQ a second time.
    assert await db.fetchval(f"SELECT count(*) FROM {schema}_rebuilt.dead_letters") == 1
    assert len(await read_topic(broker.bootstrap, WIDGETS.dlq.name, expect=1, timeout=3)) == 1
    # Re-derived outgoing events are not published again.
    assert (
        await db.fetchval(
            f"SELECT count(*) FROM {schema}_rebuilt.outbox WHERE published_at IS NULL"
        )
        == 0
    )


async def test_replay_replaces_the_live_schema_and_keeps_the_previous_one(
    database_url: str, broker: TansuBroker, schema: str, start: Start, db: asyncpg.Connection
) -> None:
    spec = widget_service(schema)
    widget = f"w-{uuid.uuid4().hex[:6]}"
    async with start(spec) as rt:
        async with rt.pool.acquire() as conn, conn.transaction():
            await rt.outbox.add(conn, WidgetChanged(widget_id=widget, seq=1))

        async def handled() -> bool:
            count = await db.fetchval(f"SELECT count(*) FROM {schema}.widget_changes")
            return bool(count == 1)

        await eventually(handled)
    # Someone damaged the read model; replay repairs it.
    await db.execute(f"DELETE FROM {schema}.widget_changes")
    # An event committed while the broker was away, not sent when the service stopped.
    await db.execute(f"SET search_path TO {schema}")
    async with db.transaction():
        (pending,) = await Outbox(schema).add(db, WidgetChanged(widget_id=widget, seq=2))
    await db.execute("RESET search_path")

    code = await replay_service(
        spec,
        fast_settings(),
        database_url=database_url,
        kafka_bootstrap=broker.bootstrap,
        out=lambda _: None,
    )

    assert code == 0
    repaired = await db.fetch(STATE.format(schema))
    assert [(r["widget_id"], r["seq"]) for r in repaired] == [(widget, 1)]
    assert await db.fetchval(f"SELECT count(*) FROM {schema}_previous.widget_changes") == 0
    unsent = await db.fetch(f"SELECT id FROM {schema}.outbox WHERE published_at IS NULL")
    assert [r["id"] for r in unsent] == [pending]


async def test_replay_refuses_to_replace_a_running_service(
    database_url: str, broker: TansuBroker, schema: str, start: Start
) -> None:
    spec = widget_service(schema)
    lines: list[str] = []
    async with start(spec):
        code = await replay_service(
            spec,
            fast_settings(),
            database_url=database_url,
            kafka_bootstrap=broker.bootstrap,
            out=lines.append,
        )
    assert code == 1
    assert "is running" in lines[0]
