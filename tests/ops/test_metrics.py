"""What operators scrape: HTTP rate, errors and duration per route, the process collectors, and
the consumer's counters present at 0 from the start (so the first dead letter raises an alert)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.auth import bearer
from tests.support.runtime import Start
from tests.support.waiting import eventually
from tests.support.widgets import WIDGETS, widget_service
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


@pytest.fixture
async def service(schema: str, start: Start) -> AsyncIterator[Runtime]:
    async with start(widget_service(schema)) as rt:
        yield rt


@pytest.fixture
async def client(service: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(service), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_requests_are_counted_by_route_template_method_and_status_class(
    client: httpx.AsyncClient,
) -> None:
    desk = bearer("desk")
    assert (
        await client.post("/widgets", json={"widget_id": "a", "seq": 0}, headers=desk)
    ).is_success
    assert (await client.get("/widgets/a", headers=desk)).status_code == 200
    assert (await client.get("/widgets/none-such", headers=desk)).status_code == 404
    assert (await client.post("/widgets/boom", headers=desk)).status_code == 500
    for path in ("/no/such/thing", "/and/another"):
        assert (await client.get(path)).status_code == 404
    text = (await client.get("/metrics")).text

    counted = "tosei_http_requests_total"
    assert value(text, counted, route="/widgets", method="POST", status="2xx") == 1
    assert value(text, counted, route="/widgets/{widget_id}", method="GET", status="2xx") == 1
    assert value(text, counted, route="/widgets/{widget_id}", method="GET", status="4xx") == 1
    assert value(text, counted, route="/widgets/boom", method="POST", status="5xx") == 1
    # random URLs make one series, not one each
    assert value(text, counted, route="unmatched", method="GET", status="4xx") == 2
    assert not [key for key in samples(text) if ("route", "/no/such/thing") in key[1]]

    timed = "tosei_http_request_duration_seconds_count"
    assert value(text, timed, route="/widgets/{widget_id}", method="GET") == 2
    assert (
        value(
            text,
            "tosei_http_request_duration_seconds_bucket",
            route="/widgets",
            method="POST",
            le="10.0",
        )
        == 1
    )


async def test_the_process_and_python_collectors_are_on_the_service_s_registry(
    client: httpx.AsyncClient,
) -> None:
    text = (await client.get("/metrics")).text
    names = {name for name, _ in samples(text)}
    assert {
        "process_resident_memory_bytes",
        "process_start_time_seconds",
        "process_cpu_seconds_total",
        "process_open_fds",
        "python_info",
    } <= names
    assert any(name.startswith("python_gc_") for name in names)
    assert (value(text, "process_resident_memory_bytes") or 0) > 0


async def test_the_consumer_s_counters_exist_at_zero_before_the_first_dead_letter(
    client: httpx.AsyncClient,
) -> None:
    text = (await client.get("/metrics")).text
    for reason in ("invalid", "handler_failed", "transient_exhausted"):
        assert value(text, "tosei_dlq_messages_total", topic=WIDGETS.name, reason=reason) == 0
    assert value(text, "tosei_consumer_records_total", topic=WIDGETS.name) == 0


async def test_committed_records_are_counted_per_topic(client: httpx.AsyncClient) -> None:
    desk = bearer("desk")
    for seq in range(3):
        made = await client.post("/widgets", json={"widget_id": "c", "seq": seq}, headers=desk)
        assert made.status_code == 201

    async def consumed() -> bool:
        text = (await client.get("/metrics")).text
        return (value(text, "tosei_consumer_records_total", topic=WIDGETS.name) or 0) >= 3

    await eventually(consumed, timeout=30)
