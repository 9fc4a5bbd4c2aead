"""A real Prometheus scraping the five services as `tosei serve` runs them, checked through its
HTTP API: every target up, domain figures that move when a case is opened, and every alert rule
and dashboard query evaluating without error (and no NaN on an idle platform)."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.intake.helpers import DESK, consultation
from tests.ops.prometheus import (
    Prometheus,
    Services,
    alert_expressions,
    dashboard_queries,
    prometheus,
    scrape_config,
    serving,
    wait_until,
)
from tests.support.auth import SECRET
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.service import discover_services

pytestmark = pytest.mark.slow

SERVICES = list(discover_services())


@dataclass
class Watched:
    services: Services
    prometheus: Prometheus
    http: httpx.AsyncClient


@pytest.fixture
async def watched(own_database: str, broker: TansuBroker, tmp_path: Path) -> AsyncIterator[Watched]:
    env = {
        "TOSEI_DATABASE_URL": own_database,
        "TOSEI_KAFKA_BOOTSTRAP": broker.bootstrap,
        "TOSEI_AUTH_SECRET": SECRET,
        "TOSEI_HOST": "127.0.0.1",
        "TOSEI_DATA_DIR": str(tmp_path / "data"),
        "TOSEI_CONSUMER_SESSION_TIMEOUT_MS": "2000",  # joins in ~1 s (fast_settings says why)
        "TOSEI_CONSUMER_LAG_INTERVAL_S": "1",
        "TOSEI_RELAY_POLL_INTERVAL_S": "0.2",
        "TOSEI_LOG_LEVEL": "WARNING",
    }
    with serving(SERVICES, env, tmp_path / "logs") as services:
        async with httpx.AsyncClient(timeout=10) as http:
            for service, url in services.urls.items():
                # six processes importing and migrating at once on a busy 2-core machine (the
                # suite runs in parallel): readiness is waited for, not timed
                await wait_until(
                    lambda url=url: _ready(http, url), timeout=240, what=f"{service} ready"
                )
            with prometheus(scrape_config(services.urls), tmp_path / "prometheus") as prom:
                yield Watched(services, prom, http)


async def _ready(http: httpx.AsyncClient, url: str) -> bool:
    response = await http.get(f"{url}/readyz")
    return response.status_code == 200 and response.json()["broker"] is True


async def test_prometheus_sees_every_service_every_rule_and_panel_and_a_case_opening(
    watched: Watched,
) -> None:
    prom, http = watched.prometheus, watched.http

    async def all_targets_up() -> bool:
        answer = (await http.get(f"{prom.url}/api/v1/targets")).json()
        active = answer["data"]["activeTargets"]
        health = {t["labels"]["job"]: t["health"] for t in active}
        assert health == dict.fromkeys(SERVICES, "up"), health
        return True

    await wait_until(all_targets_up, timeout=60, what="every target up")
    jobs = (
        await http.get(
            f"{prom.url}/api/v1/label/job/values", params={"match[]": "tosei_service_info"}
        )
    ).json()["data"]
    assert sorted(jobs) == sorted(SERVICES)  # the dashboard's service picker

    # Idle platform: every alert expression and panel query evaluates, and none gives NaN.
    for name, expr in {**alert_expressions(), **dashboard_queries()}.items():
        answer = await prom.query(http, expr)
        assert answer["status"] == "success", (name, expr, answer.get("error"))
        values = [float(r["value"][1]) for r in answer["data"]["result"]]
        assert not [v for v in values if math.isnan(v)], (name, expr, values)

    async def rules_evaluated() -> bool:
        groups = (await http.get(f"{prom.url}/api/v1/rules")).json()["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        assert {r["name"] for r in rules} == set(alert_expressions())
        bad = [(r["name"], r["health"], r.get("lastError")) for r in rules if r["health"] != "ok"]
        assert bad == [], bad
        return True

    await wait_until(rules_evaluated, timeout=30, what="every rule evaluated, healthy")
    firing = (await http.get(f"{prom.url}/api/v1/alerts")).json()["data"]["alerts"]
    assert [a["labels"]["alertname"] for a in firing if a["state"] == "firing"] == []

    # A consultation at the desk: the figures move, as Prometheus sees them.
    urls = watched.services.urls
    assert await prom.value(http, 'sum(tosei_caseflow_open_cases{job="caseflow"})') in (None, 0)

    opened = await http.post(f"{urls['intake']}/consultations", json=consultation(), headers=DESK)
    assert opened.status_code == 201, opened.text

    figures = {
        'tosei_intake_consultations{job="intake", origin="new_desk"}': 1,
        'sum(tosei_caseflow_open_cases{job="caseflow"})': 1,
        'sum(tosei_inbox_processed_total{job="caseflow", type=~".+case.opened.v1"})': 1,
        'sum(tosei_outbox_published_total{job="intake", topic="tosei.intake.cases"})': 1,
        'sum(tosei_consumer_records_total{job="caseflow", topic="tosei.intake.cases"})': 1,
        'sum(tosei_http_requests_total{job="intake", route="/consultations", status="2xx"})': 1,
    }
    for expr, least in figures.items():
        await wait_until(
            lambda expr=expr, least=least: _at_least(prom, http, expr, least),
            timeout=60,
            what=expr,
        )


async def _at_least(prom: Prometheus, http: httpx.AsyncClient, expr: str, least: float) -> bool:
    value = await prom.value(http, expr)
    return value is not None and value >= least
