"""The HTTP face every service shares: health, readiness, metrics, auth, JSON errors, 503."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker

from tests.support.auth import SECRET, bearer
from tests.support.proxy import CuttableProxy, database_address, proxied_database_url
from tests.support.runtime import Start, fast_settings, running
from tests.support.widgets import widget_service
from tosei_common.platform.asyncapi import asyncapi_document, declare_publishers
from tosei_common.platform.auth import mint_token
from tosei_common.platform.errors import Conflict, ensure_current
from tosei_common.platform.http import build_app
from tosei_common.platform.idempotency import IdempotencyMiddleware, commits_by_itself
from tosei_common.platform.service import Runtime
from tosei_common.platform.validation import field_path


@pytest.fixture
async def service(schema: str, start: Start) -> AsyncIterator[Runtime]:
    async with start(widget_service(schema, consume=False)) as rt:
        yield rt


@pytest.fixture
async def client(service: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def test_a_route_that_commits_by_itself_is_known_inside_its_router() -> None:
    """FastAPI wraps each included router: the mark is found on the route inside it."""
    app = FastAPI()
    router = APIRouter(prefix="/imports")

    @router.post("/legacy")
    @commits_by_itself
    async def upload() -> None: ...

    @router.post("/other")
    async def other() -> None: ...

    app.include_router(router)
    middleware = IdempotencyMiddleware(app, pool=lambda: None, verify=lambda _: None)  # type: ignore[arg-type, return-value]

    def scope(path: str) -> dict[str, object]:
        return {"type": "http", "method": "POST", "path": path, "root_path": "", "app": app}

    assert middleware._commits_by_itself(scope("/imports/legacy"))
    assert not middleware._commits_by_itself(scope("/imports/other"))
    assert not middleware._commits_by_itself(scope("/nowhere"))


async def test_health_and_readiness(client: httpx.AsyncClient, service: Runtime) -> None:
    health = await client.get("/healthz")
    assert health.json() == {"status": "ok", "service": service.spec.name}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": True, "broker": True}


async def test_metrics_expose_the_pipeline_in_prometheus_text(client: httpx.AsyncClient) -> None:
    made = await client.post("/widgets", json={"widget_id": "m1", "seq": 0}, headers=bearer("desk"))
    assert made.status_code == 201
    response = await client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    for name in (
        "tosei_outbox_backlog",
        "tosei_outbox_oldest_age_seconds",
        "tosei_inbox_duplicates_total",
        "tosei_dlq_messages_total",
        "tosei_consumer_lag",
    ):
        assert f"# TYPE {name.removesuffix('_total')}" in text, name
    assert "tosei_outbox_backlog " in text


async def test_a_command_records_who_made_it(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/widgets", json={"widget_id": "w1", "seq": 0}, headers=bearer("desk")
    )
    assert response.status_code == 201
    assert response.json()["by"] == "desk:desk-1"


async def test_no_token_is_401_with_a_json_reason(client: httpx.AsyncClient) -> None:
    response = await client.post("/widgets", json={"widget_id": "w", "seq": 0})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"] == "unauthorized"


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-token",
        "Bearer " + mint_token("another-secret-of-thirty-two-bytes!", subject="x", role="desk"),
        "Bearer " + mint_token(SECRET, subject="x", role="desk", ttl=timedelta(seconds=-5)),
        "Basic dXNlcjpwYXNz",
    ],
)
async def test_bad_tokens_are_401(client: httpx.AsyncClient, authorization: str) -> None:
    response = await client.post(
        "/widgets", json={"widget_id": "w", "seq": 0}, headers={"Authorization": authorization}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


async def test_the_wrong_role_is_403_and_changes_nothing(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    response = await client.post(
        "/widgets", json={"widget_id": "w403", "seq": 0}, headers=bearer("auditor")
    )
    assert response.status_code == 403
    assert "相談窓口の職員" in response.json()["message"]  # who may, said in Japanese
    english = await client.post(
        "/widgets",
        json={"widget_id": "w403", "seq": 0},
        headers=bearer("auditor") | {"Accept-Language": "en"},
    )
    assert "desk" in english.json()["message"]
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0


@pytest.mark.parametrize(
    ("accept_language", "message", "seq"),
    [
        (None, "入力内容を確認してください", "0以上にしてください"),
        ("ja,en;q=0.8", "入力内容を確認してください", "0以上にしてください"),
        ("en-US,en;q=0.9,ja;q=0.5", "invalid request", "greater than or equal to 0"),
    ],
)
async def test_errors_are_in_japanese_unless_the_client_asks_for_english(
    client: httpx.AsyncClient, accept_language: str | None, message: str, seq: str
) -> None:
    headers = bearer("desk") | ({"Accept-Language": accept_language} if accept_language else {})
    response = await client.post("/widgets", json={"widget_id": "w", "seq": -1}, headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_failed"  # the code is the same in every language
    assert message in body["message"]
    assert body["fields"] == [{"field": "seq", "message": body["fields"][0]["message"]}]
    assert seq in body["fields"][0]["message"]
    route = await client.get("/no/such/route", headers=headers)
    assert route.json()["error"] == "not_found"
    assert ("URL" in route.json()["message"]) or ("there is nothing" in route.json()["message"])


async def test_invalid_input_is_422_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/widgets", json={"widget_id": "", "seq": -1}, headers=bearer("desk")
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_failed"
    assert {f["field"] for f in body["fields"]} == {"widget_id", "seq"}


def test_a_field_called_body_is_named_in_full() -> None:
    """Only the leading part of pydantic's location says where the value came from."""
    assert field_path(("body", "parts", 0, "body")) == "parts.0.body"
    assert field_path(("body", "body")) == "body"
    assert field_path(("query", "municipality")) == "municipality"
    assert field_path(("body",)) == "body"


async def test_two_requests_that_deadlock_get_a_409_to_retry_not_a_500(
    client: httpx.AsyncClient,
) -> None:
    first, second = await asyncio.gather(
        client.post("/widgets/locks/71/72", headers=bearer("desk")),
        client.post("/widgets/locks/72/71", headers=bearer("desk")),
    )
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [204, 409]
    refused = first if first.status_code == 409 else second
    assert refused.json()["error"] == "concurrent_change"
    assert refused.headers["retry-after"] == "1"


async def test_unknown_things_are_json_404s(client: httpx.AsyncClient) -> None:
    missing = await client.get("/widgets/none-such", headers=bearer("auditor"))
    assert missing.status_code == 404
    assert missing.json() == {"error": "not_found", "message": "no widget none-such"}
    route = await client.get("/no/such/route")
    assert route.status_code == 404
    assert route.json()["error"] == "not_found"


async def test_asyncapi_documents_each_message_with_its_headers_and_key(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/asyncapi.json")).json()
    assert document["asyncapi"] == "3.0.0"
    channel = document["channels"]["tosei.testkit.widgets"]
    assert channel["bindings"]["kafka"]["partitions"] == 3
    assert set(channel["messages"]) == {"jp.tosei.testkit.widget.changed.v1"}
    message = document["components"]["messages"]["jp.tosei.testkit.widget.changed.v1"]
    headers = message["headers"]["properties"]
    assert headers["ce_type"]["const"] == "jp.tosei.testkit.widget.changed.v1"
    assert {"ce_id", "ce_source", "ce_subject", "ce_time"} <= set(headers)
    assert "widget_id" in message["bindings"]["kafka"]["key"]["description"]
    schema = document["components"]["schemas"]["WidgetChanged"]
    assert schema["properties"]["seq"]["minimum"] == 0
    # a publisher documents no DLQ; the consumer of a topic documents its own
    assert "tosei.testkit.widgets.dlq" not in document["channels"]
    consuming = widget_service("testkit_consumer")
    broker = KafkaBroker("127.0.0.1:1")
    declare_publishers(broker, consuming.publishes)
    channels = asyncapi_document(consuming, broker)["channels"]
    assert channels["tosei.testkit.widgets.dlq"]["bindings"]["kafka"]["partitions"] == 1
    assert "dlq_reason" in channels["tosei.testkit.widgets.dlq"]["description"]
    assert document["operations"]["tosei.testkit.widgets.publish"]["action"] == "send"


async def test_when_postgres_is_down_commands_fail_fast_with_503_and_write_nothing(
    database_url: str, broker: object, schema: str
) -> None:
    proxy = CuttableProxy(*database_address(database_url))
    await proxy.start()
    spec = widget_service(schema, consume=False)
    try:
        async with running(
            spec,
            fast_settings(db_command_timeout_s=2),
            database_url=proxied_database_url(database_url, proxy.port),
            bootstrap=broker.bootstrap,  # type: ignore[attr-defined]
        ) as rt:
            transport = httpx.ASGITransport(app=build_app(rt), raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                proxy.cut()
                down = await client.post(
                    "/widgets", json={"widget_id": "during", "seq": 0}, headers=bearer("desk")
                )
                assert down.status_code == 503
                assert down.json()["error"] == "database_unavailable"
                not_ready = await client.get("/readyz")
                assert not_ready.status_code == 503
                assert not_ready.json()["database"] is False

                proxy.restore()
                up = await client.post(
                    "/widgets", json={"widget_id": "after", "seq": 0}, headers=bearer("desk")
                )
                assert up.status_code == 201
                async with rt.pool.acquire() as conn:
                    ids = await conn.fetch("SELECT widget_id FROM widget_changes")
                    outbox = await conn.fetchval("SELECT count(*) FROM outbox")
                assert [r["widget_id"] for r in ids] == ["after"]
                assert outbox == 1
    finally:
        await proxy.stop()


async def test_fuzzing_the_api_finds_no_server_error(service: Runtime) -> None:
    from tests.support.fuzz import server_errors

    failures = await server_errors(build_app(service), bearer("desk"), max_examples=30)
    assert failures == []


def test_a_version_behind_is_someone_elses_change_and_one_ahead_was_never_there() -> None:
    ensure_current(3, 3, "要望")
    with pytest.raises(Conflict) as behind:
        ensure_current(3, 2, "要望", field="sources.0.version")
    with pytest.raises(Conflict) as ahead:
        ensure_current(3, 9, "要望")

    assert behind.value.message.ja.startswith("要望は他の人が変更しました（現在は第3版、")
    assert behind.value.fields_in("ja") == {"sources.0.version": "現在は第3版です"}
    assert ahead.value.message.ja.startswith("要望に第9版はありません（現在は第3版です）")
    assert ahead.value.fields_in("ja") == {"version": "第9版はありません（現在は第3版です）"}
    assert ahead.value.extra == {"current_version": 3, "sent_version": 9}
