"""Caseflow's gauges for operators: open cases by track and state, overdue follow-ups."""

from __future__ import annotations

from prometheus_client import Gauge

from tosei_caseflow.db import queries
from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.service import Runtime


class CaseflowMetrics:
    def __init__(self, pipeline: PipelineMetrics) -> None:
        self.open_cases = Gauge(
            "tosei_caseflow_open_cases",
            "Cases not closed, by track and state.",
            ["track", "state"],
            registry=pipeline.registry,
        )
        self.overdue = Gauge(
            "tosei_caseflow_overdue_followups",
            "Cases being worked on whose next-action date has passed, by track.",
            ["track"],
            registry=pipeline.registry,
        )


async def refresh(rt: Runtime) -> None:
    gauges = rt.domain_metrics
    assert isinstance(gauges, CaseflowMetrics)
    async with rt.pool.acquire() as conn:
        by_state = await queries.open_cases_by_track_and_state(conn)
        overdue = await queries.overdue_count(conn, rt.clock.today())
    gauges.open_cases.clear()
    for row in by_state:
        gauges.open_cases.labels(track=row["track"], state=row["state"]).set(row["n"])
    gauges.overdue.clear()
    for track in ("startup", "sme"):
        gauges.overdue.labels(track=track).set(0)
    for row in overdue:
        gauges.overdue.labels(track=row["track"]).set(row["n"])
