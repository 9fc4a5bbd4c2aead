"""Domain gauges read at scrape time: seats and wait lists of the seminars taking registrations."""

from __future__ import annotations

from prometheus_client import Gauge

from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.service import Runtime
from tosei_seminar.db import places as places_db


class SeminarMetrics:
    def __init__(self, pipeline: PipelineMetrics) -> None:
        labels = ["fiscal_year", "mode"]
        self.seats = Gauge(
            "tosei_seminar_seats",
            "Seats of open seminars' places.",
            labels,
            registry=pipeline.registry,
        )
        self.seated = Gauge(
            "tosei_seminar_seated",
            "Accepted registrations of open seminars' places.",
            labels,
            registry=pipeline.registry,
        )
        self.waiting = Gauge(
            "tosei_seminar_waiting",
            "People on the wait lists of open seminars' places.",
            labels,
            registry=pipeline.registry,
        )


async def refresh(rt: Runtime) -> None:
    metrics = rt.domain_metrics
    if not isinstance(metrics, SeminarMetrics):
        return
    async with rt.reading() as conn:
        rows = await places_db.seat_figures(conn)
    for gauge in (metrics.seats, metrics.seated, metrics.waiting):
        gauge.clear()
    for row in rows:
        labels = {"fiscal_year": str(row.fiscal_year), "mode": row.mode}
        metrics.seats.labels(**labels).set(row.capacity)
        metrics.seated.labels(**labels).set(row.seated)
        metrics.waiting.labels(**labels).set(row.waiting)
