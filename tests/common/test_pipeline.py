"""The delivery guarantees, shown on the real PostgreSQL and the real (Tansu) broker."""

from __future__ import annotations

import json
import uuid
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from tests.support.clock import TEST_NOW
from tests.support.metrics import metric_total
from tests.support.runtime import Start, fast_settings
from tests.support.waiting import eventually, header, read_topic
from tests.support.widgets import BATCH_CALLS, ECHOES, WIDGETS, WidgetChanged, widget_service
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.events import Envelope, source_of
from tosei_common.platform.kafka import dead_letter_sender
from tosei_common.platform.outbox import Outbox, OutsideTransaction
from tosei_common.platform.service import Runtime

pytestmark = pytest.mark.slow


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def changes(rt: Runtime, widget_id: str) -> list[int]:
    async with rt.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT seq FROM widget_changes WHERE widget_id = $1 ORDER BY id", widget_id
        )
    return [r["seq"] for r in rows]


async def emit(rt: Runtime, *events: WidgetChanged) -> None:
    async with rt.pool.acquire() as conn, conn.transaction():
        await rt.outbox.add(conn, *events)


async def test_an_event_of_a_rolled_back_transaction_is_never_published(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    spec = widget_service(schema, consume=False)
    async with start(spec) as rt:
        kept, dropped = unique("kept"), unique("dropped")
        async with rt.pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            await rt.outbox.add(conn, WidgetChanged(widget_id=dropped, seq=0))
            await transaction.rollback()
        await emit(rt, WidgetChanged(widget_id=kept, seq=0))

        records = await read_topic(broker.bootstrap, WIDGETS.name, expect=1)
        subjects = [header(r, "ce_subject") for r in records]
        assert subjects == [kept]
        async with rt.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM outbox") == 1


async def test_outbox_refuses_events_outside_a_transaction(schema: str, start: Start) -> None:
    spec = widget_service(schema, consume=False)
    async with (
        start(spec, connected=False) as rt,
        rt.pool.acquire() as conn,
    ):
        with pytest.raises(OutsideTransaction):
            await rt.outbox.add(conn, WidgetChanged(widget_id="w", seq=0))
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0


async def test_published_events_carry_the_cloudevents_headers_and_key(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    spec = widget_service(schema, consume=False)
    async with start(spec) as rt:
        widget = unique("w")
        await emit(rt, WidgetChanged(widget_id=widget, seq=7))
        (record,) = await read_topic(broker.bootstrap, WIDGETS.name, expect=1)
        async with rt.pool.acquire() as conn:
            row = await conn.fetchrow("SELECT id, published_at FROM outbox")
        assert row is not None
        assert row["published_at"] is not None
        assert record.key == widget.encode()
        assert header(record, "ce_id") == str(row["id"])
        assert header(record, "ce_specversion") == "1.0"
        assert header(record, "ce_type") == "jp.tosei.testkit.widget.changed.v1"
        assert header(record, "ce_source") == source_of(schema)
        assert header(record, "ce_subject") == widget
        assert (header(record, "ce_time") or "").endswith("Z")
        assert header(record, "content-type") == "application/json"
        assert json.loads(record.value) == {"widget_id": widget, "seq": 7, "fail": False}


async def test_a_redelivered_event_has_one_effect_when_the_relay_crashed_before_marking(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    spec = widget_service(schema)
    async with start(spec) as rt:
        widget = unique("w")
        await emit(rt, WidgetChanged(widget_id=widget, seq=1))
        await eventually(lambda: changes(rt, widget))

        # The relay published but "crashed" before marking: the row is unmarked again, so the
        # next relay run sends the same event (same ce_id) a second time.
        async with rt.pool.acquire() as conn:
            await conn.execute(
                "UPDATE outbox SET published_at = NULL WHERE aggregate_id = $1", widget
            )
        assert rt.relay is not None
        rt.relay.wake()
        await eventually(lambda: _count(broker, WIDGETS.name, widget, at_least=2), timeout=20)
        await eventually(lambda: _duplicates(rt))
        assert await changes(rt, widget) == [1]


async def test_a_redelivered_event_has_one_effect_when_the_consumer_crashed_before_acking(
    schema: str, start: Start
) -> None:
    spec = widget_service(schema)
    settings = fast_settings()

    class Crash(Exception):
        pass

    def crash_after_commit(_: list[Envelope]) -> None:
        raise Crash("the process died after its transaction committed, before the offset commit")

    widget = unique("w")
    async with start(spec, settings, on_committed=crash_after_commit) as first:
        await emit(first, WidgetChanged(widget_id=widget, seq=1))
        await eventually(lambda: changes(first, widget))

    # A new process of the same service (same group, same schema) gets the event again.
    async with start(spec, settings) as second:
        await eventually(lambda: _duplicates(second), timeout=30)
        assert await changes(second, widget) == [1]


async def test_writes_continue_while_the_broker_is_down_and_arrive_in_order_after(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    spec = widget_service(schema)
    async with start(spec) as rt:
        widgets = [unique("w") for _ in range(3)]
        await emit(rt, *(WidgetChanged(widget_id=w, seq=0) for w in widgets))
        await eventually(lambda: _all_seen(rt, widgets, 1))
        await eventually(lambda: _backlog_is(rt, 0))

        broker.pause()
        try:
            for seq in range(1, 21):
                await emit(rt, *(WidgetChanged(widget_id=w, seq=seq) for w in widgets))
            assert await _backlog_is(rt, 60)
            # Held until the relay's sends time out (request_timeout_ms), so the retry with
            # backoff is exercised, not only a slow acknowledgement.
            await eventually(
                lambda: _positive(rt, "tosei_outbox_publish_failures_total"), timeout=30
            )
            assert await _backlog_is(rt, 60)
            assert metric_total(rt.metrics.registry, "tosei_outbox_oldest_age_seconds") >= 1
        finally:
            broker.resume()

        await eventually(lambda: _all_seen(rt, widgets, 21), timeout=90)
        for w in widgets:
            assert await changes(rt, w) == list(range(21))
        await eventually(lambda: _backlog_is(rt, 0))  # the handler's echoes went out too


async def test_a_poison_event_goes_to_the_dlq_and_the_partition_moves_on(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    spec = widget_service(schema)
    async with start(spec) as rt:
        widget = unique("w")  # one key: every event below is on the same partition
        await emit(rt, WidgetChanged(widget_id=widget, seq=0))
        await emit(rt, WidgetChanged(widget_id=widget, seq=1, fail=True))
        await _produce_invalid(broker.bootstrap, widget)
        await emit(rt, WidgetChanged(widget_id=widget, seq=2))

        await eventually(lambda: _seqs_are(rt, widget, [0, 2]), timeout=30)
        letters = await read_topic(broker.bootstrap, WIDGETS.dlq.name, expect=2)
        reasons = sorted((header(r, "dlq_reason"), header(r, "dlq_error")) for r in letters)
        assert [r for r, _ in reasons] == ["handler_failed", "invalid"]
        assert "asked to fail" in (reasons[0][1] or "")
        assert "seq" in (reasons[1][1] or "")
        for record in letters:
            assert header(record, "dlq_original_topic") == WIDGETS.name
            assert header(record, "dlq_consumer") == spec.group_id
            assert record.key == widget.encode()
        async with rt.pool.acquire() as conn:
            kept = await conn.fetch("SELECT reason FROM dead_letters ORDER BY id")
        assert sorted(r["reason"] for r in kept) == ["handler_failed", "invalid"]
        assert metric_total(rt.metrics.registry, "tosei_dlq_messages_total") == 2


async def test_the_handler_s_outgoing_events_are_published_too(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    spec = widget_service(schema)
    async with start(spec) as rt:
        widget = unique("w")
        await emit(rt, WidgetChanged(widget_id=widget, seq=3))
        echoes = await read_topic(broker.bootstrap, ECHOES.name, expect=1)
        assert [json.loads(r.value) for r in echoes] == [{"widget_id": widget, "seq": 3}]
        assert header(echoes[0], "ce_type") == "jp.tosei.testkit.widget.echoed.v1"


async def test_topics_are_created_with_the_declared_partitions(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    spec = widget_service(schema)
    async with start(spec):
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics([t.name for t in spec.topics])
        finally:
            await admin.close()
        partitions = {d["topic"]: len(d["partitions"]) for d in described}
        assert partitions == {t.name: t.partitions for t in spec.topics}
        assert f"{WIDGETS.name}.dlq" in partitions


# helpers -----------------------------------------------------------------------------------


async def _count(broker: TansuBroker, topic: str, subject: str, at_least: int) -> bool:
    records = await read_topic(broker.bootstrap, topic, expect=at_least, timeout=2)
    return sum(1 for r in records if header(r, "ce_subject") == subject) >= at_least


async def _duplicates(rt: Runtime) -> bool:
    return metric_total(rt.metrics.registry, "tosei_inbox_duplicates_total") >= 1


async def _positive(rt: Runtime, name: str) -> bool:
    return metric_total(rt.metrics.registry, name) > 0


async def _backlog_is(rt: Runtime, expected: int) -> bool:
    await rt.refresh_metrics()
    return metric_total(rt.metrics.registry, "tosei_outbox_backlog") == expected


async def _all_seen(rt: Runtime, widgets: list[str], count: int) -> bool:
    return all([len(await changes(rt, w)) >= count for w in widgets])


async def _seqs_are(rt: Runtime, widget: str, expected: list[int]) -> bool:
    return await changes(rt, widget) == expected


async def _produce_invalid(bootstrap: str, widget: str) -> None:
    """A record that claims to be a widget change but whose payload breaks the schema."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        envelope = Envelope(
            id=uuid.uuid4(),
            source="/tosei/elsewhere",
            type=WidgetChanged.ce_type,
            subject=widget,
            time=TEST_NOW,
            data=json.dumps({"widget_id": widget, "seq": -5}).encode(),
        )
        await producer.send_and_wait(
            WIDGETS.name, envelope.data, key=widget.encode(), headers=envelope.headers()
        )
    finally:
        await producer.stop()


async def test_the_relay_forgets_rows_published_long_ago_and_keeps_the_rest(
    schema: str, start: Start, db: asyncpg.Connection
) -> None:
    spec = widget_service(schema, consume=False)
    old, recent = unique("old"), unique("recent")
    async with start(spec) as rt:
        await emit(rt, WidgetChanged(widget_id=old, seq=0), WidgetChanged(widget_id=recent, seq=0))
        await eventually(lambda: _backlog_is(rt, 0))
    await db.execute(
        f"UPDATE {schema}.outbox SET published_at = now() - interval '8 days'"
        " WHERE aggregate_id = $1",
        old,
    )
    # unsent however old: never dropped (the relay sends it when it starts again)
    await db.execute(f"SET search_path TO {schema}")
    async with db.transaction():
        await Outbox(schema).add(db, WidgetChanged(widget_id="unsent", seq=0))
    await db.execute("RESET search_path")

    async with start(spec):  # the relay prunes when it first finds nothing to send

        async def remaining() -> list[str]:
            rows = await db.fetch(f"SELECT aggregate_id FROM {schema}.outbox ORDER BY 1")
            return [r["aggregate_id"] for r in rows]

        await eventually(lambda: _equals(remaining(), sorted([recent, "unsent"])))


async def _equals(value: Any, expected: Any) -> bool:
    return bool(await value == expected)


async def test_a_batch_handler_handles_a_batch_in_one_call_and_each_event_once(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    """A batch with a poison event in its middle and an event delivered twice: the batch call
    fails, each event is then handled alone, the poison goes to the DLQ, the others have their
    effect once and in order; a clean batch is one call."""
    spec = widget_service(schema, batch=True)
    async with start(spec, consume=False) as rt:
        a, b = unique("a"), unique("b")
        await emit(
            rt,
            WidgetChanged(widget_id=a, seq=0),
            WidgetChanged(widget_id=b, seq=0),
            WidgetChanged(widget_id=b, seq=1, fail=True),
            WidgetChanged(widget_id=a, seq=1),
            WidgetChanged(widget_id=a, seq=2),
        )
        records = list(await read_topic(broker.bootstrap, WIDGETS.name, expect=5))
        processor = rt.processor(dead_letter_sender(rt.broker, spec.group_id))
        BATCH_CALLS.clear()

        result = await processor.process([*records, records[0]])  # the first one twice

        assert BATCH_CALLS[0] == 5  # the batch's five distinct events in one call, which fails
        assert len(result.handled) == 4
        assert result.duplicates == 1
        assert await changes(rt, a) == [0, 1, 2]
        assert await changes(rt, b) == [0]
        assert [letter.reason for letter in result.dead] == ["handler_failed"]
        dlq = await read_topic(broker.bootstrap, WIDGETS.dlq.name, expect=1)
        assert [header(r, "ce_subject") for r in dlq] == [b]

        # Read again (a redelivery): nothing has a second effect; a clean batch is one call.
        BATCH_CALLS.clear()
        clean = [r for r in records if header(r, "ce_subject") == a]
        again = await processor.process(clean)
        assert again.duplicates == 3
        assert BATCH_CALLS == []
        await emit(rt, *(WidgetChanged(widget_id=b, seq=n) for n in (1, 2, 3)))
        fresh = await read_topic(broker.bootstrap, WIDGETS.name, expect=8)
        news = [
            r
            for r in fresh
            if (r.partition, r.offset) not in {(x.partition, x.offset) for x in records}
        ]
        await processor.process(news)
        assert BATCH_CALLS == [3]
        assert await changes(rt, b) == [0, 1, 2, 3]
        echoes = await read_topic(broker.bootstrap, ECHOES.name, expect=7)
        assert len(echoes) == 7  # 4 + 3 echoes, each emitted once
