"""What the platform does when its database goes away: nothing lost, nothing doubled, no 500.

Each test here reproduces one of the delivery gaps found by fault injection on a running stack
(the database refusing connections as in a failover, a connection cut right after COMMIT, a
client retrying a command) on the real PostgreSQL and the real broker.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.support.auth import bearer
from tests.support.faults import connections_refused
from tests.support.fuzz import serving
from tests.support.metrics import metric_total
from tests.support.proxy import CuttableProxy, database_address, proxied_database_url
from tests.support.publish import publish
from tests.support.runtime import Start, fast_settings, running
from tests.support.waiting import eventually, read_topic
from tests.support.widgets import WIDGETS, WidgetChanged, widget_service
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.db import CommitOutcomeUnknown
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime

pytestmark = pytest.mark.slow

HEADER = b"Idempotency-Key"

DESK = bearer("desk")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def widget_rows(rt: Runtime, widget_id: str) -> list[int]:
    async with rt.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT seq FROM widget_changes WHERE widget_id = $1 ORDER BY id", widget_id
        )
    return [r["seq"] for r in rows]


async def outbox_rows(rt: Runtime, widget_id: str) -> int:
    async with rt.pool.acquire() as conn:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE aggregate_id = $1", widget_id
        )
    return count


@pytest.fixture
async def service(schema: str, start: Start) -> AsyncIterator[Runtime]:
    async with start(widget_service(schema, consume=False)) as rt:
        yield rt


@pytest.fixture
async def client(service: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


# A consumer whose own database refuses connections ------------------------------------------


async def test_a_consumer_waits_out_a_database_that_refuses_connections_and_loses_nothing(
    broker: TansuBroker, schema: str, start: Start, database_url: str
) -> None:
    settings = fast_settings(consumer_lag_interval_s=0.2)
    async with start(widget_service(schema), settings) as rt:
        warm = unique("warm")
        await publish(broker.bootstrap, [WidgetChanged(widget_id=warm, seq=0)], source="other")
        await eventually(lambda: widget_rows(rt, warm))

        widget = unique("w")
        async with connections_refused(database_url, f"tosei-{schema}"):
            await publish(
                broker.bootstrap,
                [WidgetChanged(widget_id=widget, seq=s) for s in range(5)],
                source="other",
            )

            async def lag_shows() -> bool:
                return metric_total(rt.metrics.registry, "tosei_consumer_lag") >= 5

            await eventually(lag_shows, timeout=20)  # measured from the broker, not at commit
            await asyncio.sleep(2)  # several rounds of "the database is away"
            assert metric_total(rt.metrics.registry, "tosei_dlq_messages_total") == 0
            assert metric_total(rt.metrics.registry, "tosei_handler_retries_total") == 0

        await eventually(lambda: _equal(widget_rows(rt, widget), [0, 1, 2, 3, 4]), timeout=30)

        async def caught_up() -> bool:
            return metric_total(rt.metrics.registry, "tosei_consumer_lag") == 0

        await eventually(caught_up, timeout=20)
        assert await read_topic(broker.bootstrap, WIDGETS.dlq.name, expect=0, timeout=1) == []
        async with rt.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM dead_letters") == 0


async def test_a_poison_event_is_not_committed_past_while_its_dead_letter_cannot_be_recorded(
    broker: TansuBroker, schema: str, start: Start, database_url: str
) -> None:
    async with start(widget_service(schema)) as rt:
        poison, after = unique("poison"), unique("after")
        async with connections_refused(database_url, f"tosei-{schema}"):
            await publish(
                broker.bootstrap,
                [WidgetChanged(widget_id=poison, seq=0, fail=True)],
                source="other",
            )
            await publish(broker.bootstrap, [WidgetChanged(widget_id=after, seq=0)], source="o")
            await asyncio.sleep(2)
        await eventually(lambda: widget_rows(rt, after), timeout=30)

        async def letters() -> list[str]:
            async with rt.pool.acquire() as conn:
                return [r["reason"] for r in await conn.fetch("SELECT reason FROM dead_letters")]

        assert await eventually(letters) == ["handler_failed"]
        dlq = await read_topic(broker.bootstrap, WIDGETS.dlq.name, expect=1)
        assert len(dlq) == 1


# Commands while the database refuses connections --------------------------------------------


async def test_commands_and_reads_answer_503_with_retry_after_while_connections_are_refused(
    client: httpx.AsyncClient, service: Runtime, schema: str, database_url: str
) -> None:
    widget = unique("w")
    async with connections_refused(database_url, f"tosei-{schema}"):
        command = await client.post("/widgets", json={"widget_id": widget, "seq": 0}, headers=DESK)
        read = await client.get(f"/widgets/{widget}", headers=DESK)
        ready = await client.get("/readyz")
    for response in (command, read):
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "5"
        assert response.json()["error"] == "database_unavailable"
        assert "何も保存されていません" in response.json()["message"]
    assert ready.status_code == 503
    assert ready.json()["database"] is False
    again = await client.post("/widgets", json={"widget_id": widget, "seq": 0}, headers=DESK)
    assert again.status_code == 201
    assert await widget_rows(service, widget) == [0]


async def test_readiness_follows_the_database_not_the_broker(
    client: httpx.AsyncClient, broker: TansuBroker
) -> None:
    broker.pause()
    try:
        ready = await client.get("/readyz")
        widget = unique("w")
        accepted = await client.post("/widgets", json={"widget_id": widget, "seq": 0}, headers=DESK)
        metrics = (await client.get("/metrics")).text
    finally:
        broker.resume()
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": True, "broker": False}
    assert accepted.status_code == 201
    assert 'tosei_ready{dependency="broker"} 0.0' in metrics
    assert 'tosei_ready{dependency="database"} 1.0' in metrics


# A connection that breaks around COMMIT -------------------------------------------------------


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[CuttableProxy]:
    proxy = CuttableProxy(*database_address(database_url))
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.stop()


@pytest.fixture
async def proxied(
    schema: str, broker: TansuBroker, database_url: str, proxy: CuttableProxy
) -> AsyncIterator[Runtime]:
    async with running(
        widget_service(schema, consume=False),
        fast_settings(),
        database_url=proxied_database_url(database_url, proxy.port),
        bootstrap=broker.bootstrap,
    ) as rt:
        yield rt


async def test_a_connection_dropped_right_after_commit_does_not_turn_success_into_an_error(
    proxied: Runtime, proxy: CuttableProxy
) -> None:
    widget = unique("w")
    async with proxied.pool.acquire() as conn:
        proxy.cut_at_commit("after")
        async with conn.transaction():
            await _insert(conn, widget)
        # handing the dead connection back to the pool must not raise
    assert proxy.commits_cut == 1
    assert await widget_rows(proxied, widget) == [0]


async def test_a_commit_cut_off_says_its_outcome_is_unknown_not_that_nothing_was_written(
    proxied: Runtime, proxy: CuttableProxy
) -> None:
    widget = unique("w")

    async def write() -> None:
        async with proxied.pool.acquire() as conn, conn.transaction():
            await _insert(conn, widget)
            proxy.cut_at_commit("during")

    with pytest.raises(CommitOutcomeUnknown):
        await write()
    assert proxy.commits_cut == 1
    assert await widget_rows(proxied, widget) == [0]  # it was written after all


async def test_a_command_whose_commit_was_cut_off_is_retried_with_its_key_without_doubling(
    proxied: Runtime, proxy: CuttableProxy
) -> None:
    transport = httpx.ASGITransport(app=build_app(proxied))
    widget = unique("w")
    body = {"widget_id": widget, "seq": 0}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        proxy.cut_at_commit("during")
        cut = await client.post("/widgets", json=body, headers=DESK | key)
        assert cut.status_code == 503
        assert cut.json()["error"] == "commit_outcome_unknown"
        assert "何も保存されていません" not in cut.json()["message"]
        retried = await client.post("/widgets", json=body, headers=DESK | key)
    assert retried.status_code == 201
    assert retried.headers["idempotent-replayed"] == "true"
    assert await widget_rows(proxied, widget) == [0]
    assert await outbox_rows(proxied, widget) == 1


async def _insert(conn: Any, widget: str) -> None:
    await conn.execute(
        "INSERT INTO widget_changes (widget_id, seq, event_id) VALUES ($1, 0, $2)",
        widget,
        uuid.uuid4(),
    )


# Idempotency-Key --------------------------------------------------------------------------------


async def test_a_command_repeated_with_its_idempotency_key_has_one_effect_and_the_first_answer(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    widget = unique("w")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"widget_id": widget, "seq": 0}
    first = await client.post("/widgets", json=body, headers=DESK | key)
    second = await client.post("/widgets", json=body, headers=DESK | key)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert second.headers["content-type"] == first.headers["content-type"]
    assert await widget_rows(service, widget) == [0]
    assert await outbox_rows(service, widget) == 1
    assert metric_total(service.metrics.registry, "tosei_idempotent_replays_total") == 1


async def test_the_same_key_with_another_request_is_refused_and_writes_nothing(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    widget, other = unique("w"), unique("other")
    key = {"Idempotency-Key": "form-submission-0001"}
    await client.post("/widgets", json={"widget_id": widget, "seq": 0}, headers=DESK | key)
    reused = await client.post("/widgets", json={"widget_id": other, "seq": 0}, headers=DESK | key)
    assert reused.status_code == 422
    assert reused.json()["error"] == "idempotency_key_reused"
    assert reused.json()["fields"][0]["field"] == "Idempotency-Key"
    assert await widget_rows(service, other) == []


async def test_two_requests_racing_with_one_key_have_one_effect(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    widget = unique("w")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"widget_id": widget, "seq": 0}
    answers = await asyncio.gather(
        *(client.post("/widgets", json=body, headers=DESK | key) for _ in range(4))
    )
    assert [a.status_code for a in answers] == [201] * 4
    assert len({json.dumps(a.json(), sort_keys=True) for a in answers}) == 1
    assert await widget_rows(service, widget) == [0]


async def test_keys_belong_to_their_caller(client: httpx.AsyncClient, service: Runtime) -> None:
    widget = unique("w")
    key = {"Idempotency-Key": "shared-key"}
    body = {"widget_id": widget, "seq": 0}
    mine = await client.post("/widgets", json=body, headers=bearer("desk", "desk-a") | key)
    theirs = await client.post("/widgets", json=body, headers=bearer("desk", "desk-b") | key)
    assert (mine.json()["by"], theirs.json()["by"]) == ("desk:desk-a", "desk:desk-b")
    assert await widget_rows(service, widget) == [0, 0]


async def test_an_answer_that_invites_a_retry_is_not_remembered(
    client: httpx.AsyncClient, service: Runtime, schema: str, database_url: str
) -> None:
    widget = unique("w")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"widget_id": widget, "seq": 0}
    async with connections_refused(database_url, f"tosei-{schema}"):
        refused = await client.post("/widgets", json=body, headers=DESK | key)
    assert refused.status_code == 503
    retried = await client.post("/widgets", json=body, headers=DESK | key)
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers
    assert await widget_rows(service, widget) == [0]


@pytest.mark.parametrize("key", ["", "キー", "x" * 256, "has space"])
async def test_a_malformed_key_is_a_400_that_names_the_header(
    client: httpx.AsyncClient, key: str
) -> None:
    response = await client.post(
        "/widgets",
        json={"widget_id": unique("w"), "seq": 0},
        headers=[*((k.encode(), v.encode()) for k, v in DESK.items()), (HEADER, key.encode())],
    )
    assert response.status_code == 400
    assert response.json()["error"] == "idempotency_key_invalid"


# Error answers leave the connection usable ---------------------------------------------------


async def test_after_a_500_the_keep_alive_connection_still_serves_the_next_request(
    service: Runtime,
) -> None:
    async with serving(build_app(service)) as url:
        answers = await asyncio.to_thread(_two_requests_on_one_connection, url)
    (status, body, closes), (next_status, _, _) = answers
    assert status == 500
    assert json.loads(body)["error"] == "internal_error"
    assert not closes
    assert next_status == 200


def _two_requests_on_one_connection(url: str) -> list[tuple[int, bytes, bool]]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    answers = []
    try:
        for method, path in (("POST", "/widgets/boom"), ("GET", "/healthz")):
            connection.request(method, path, headers=DESK)
            response = connection.getresponse()
            closes = (response.getheader("connection") or "").lower() == "close"
            answers.append((response.status, response.read(), closes))
    finally:
        connection.close()
    return answers


# The relay ------------------------------------------------------------------------------------


async def test_the_relay_marks_what_the_broker_acknowledged_without_waiting_for_more_work(
    broker: TansuBroker, schema: str, start: Start
) -> None:
    settings = fast_settings(relay_poll_interval_s=60)  # nothing else will wake it
    async with start(widget_service(schema, consume=False), settings) as rt:
        await eventually(lambda: _leader(rt))
        widget = unique("w")
        async with rt.pool.acquire() as conn, conn.transaction():
            await rt.outbox.add(conn, WidgetChanged(widget_id=widget, seq=0))
        await read_topic(broker.bootstrap, WIDGETS.name, expect=1)

        async def marked() -> bool:
            async with rt.pool.acquire() as conn:
                return bool(
                    await conn.fetchval("SELECT bool_and(published_at IS NOT NULL) FROM outbox")
                )

        await eventually(marked, timeout=5)


async def _leader(rt: Runtime) -> bool:
    return rt.relay is not None and rt.relay.is_leader


async def _equal(value: object, expected: object) -> bool:
    return bool(await value == expected)  # type: ignore[misc]
