"""Caseflow's gauges for operators: open cases by track and state, overdue follow-ups."""

from __future__ import annotations

from prometheus_client import Gauge

from tosei_caseflow.db import reports
from tosei_common.catalogue.caseflow import Track
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
    async with rt.reading() as conn:
        by_state = await reports.open_cases_by_track_and_state(conn)
        overdue = await reports.overdue_by_track(conn, rt.clock.today())
    gauges.open_cases.clear()
    for count in by_state:
        assert count.state is not None
        gauges.open_cases.labels(track=count.track.value, state=count.state.value).set(count.n)
    gauges.overdue.clear()
    for track in Track:
        gauges.overdue.labels(track=track.value).set(0)
    for count in overdue:
        gauges.overdue.labels(track=count.track.value).set(count.n)
