"""Domain gauges of the joint requests, refreshed from the database at scrape time."""

from __future__ import annotations

from prometheus_client import Gauge

from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.service import Runtime
from tosei_requests.db import plan_items as plan_items_db
from tosei_requests.db import request_items as items_db


class RequestMetrics:
    def __init__(self, pipeline: PipelineMetrics) -> None:
        self.items = Gauge(
            "tosei_requests_items",
            "Request items by fiscal year and status.",
            ["fiscal_year", "status"],
            registry=pipeline.registry,
        )
        self.plan_items = Gauge(
            "tosei_requests_plan_items_known",
            "Resilience plan items this service has a copy of (from plan_item events).",
            registry=pipeline.registry,
        )


async def refresh(runtime: Runtime) -> None:
    gauges = runtime.domain_metrics
    assert isinstance(gauges, RequestMetrics)
    async with runtime.reading() as conn:
        counts = await items_db.status_counts(conn)
        known = await plan_items_db.count(conn)
    gauges.items.clear()
    for fiscal_year, status, n in counts:
        gauges.items.labels(fiscal_year=str(fiscal_year), status=status).set(n)
    gauges.plan_items.set(known)
