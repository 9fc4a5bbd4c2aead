"""Domain gauges of the plan, refreshed from the database at scrape time."""

from __future__ import annotations

from prometheus_client import Gauge

from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.service import Runtime
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.db import review_flags as review_flags_db


class PlanMetrics:
    def __init__(self, pipeline: PipelineMetrics) -> None:
        self.items = Gauge(
            "tosei_resilience_plan_items",
            "Plan items by status.",
            ["status"],
            registry=pipeline.registry,
        )
        self.open_reviews = Gauge(
            "tosei_resilience_open_review_flags",
            "Plan items flagged for review after a funding programme changed, not yet confirmed.",
            registry=pipeline.registry,
        )


async def refresh(runtime: Runtime) -> None:
    gauges = runtime.domain_metrics
    assert isinstance(gauges, PlanMetrics)
    async with runtime.reading() as conn:
        counts = await plan_items_db.status_counts(conn)
        open_flags = await review_flags_db.open_count(conn)
    for status in PlanItemStatus:
        gauges.items.labels(status=status.value).set(counts.get(status.value, 0))
    gauges.open_reviews.set(open_flags)
