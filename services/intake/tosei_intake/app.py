"""Bootstrap of the intake service: the front door of the unified consultation desk."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import Gauge

from tosei_common.catalogue.caseflow import (
    CaseAssigned,
    CaseClosed,
    CaseStateChanged,
    CaseTransferred,
)
from tosei_common.catalogue.intake import (
    CaseOpened,
    ClientErased,
    ClientsMerged,
    ClientsUnmerged,
    ClientUseResumed,
    ClientUseStopped,
    ConsentChanged,
    ConsultationCorrected,
    Origin,
)
from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_intake.api import clients, consultations, disclosure, imports
from tosei_intake.cli import add_commands
from tosei_intake.db import clients as clients_db
from tosei_intake.db import consultations as consultations_db
from tosei_intake.db.personal_data import REGISTER as PERSONAL_DATA
from tosei_intake.domain import access
from tosei_intake.handlers.events import on_case_assigned, on_case_transferred
from tosei_intake.handlers.keys import refresh_keys
from tosei_intake.handlers.retention import (
    on_case_closed,
    on_case_state_changed,
    run_retention,
)


class IntakeMetrics:
    def __init__(self, pipeline: PipelineMetrics) -> None:
        self.consultations = Gauge(
            "tosei_intake_consultations",
            "Consultations on file, by where they came from.",
            ["origin"],
            registry=pipeline.registry,
        )
        self.clients = Gauge(
            "tosei_intake_clients",
            "Distinct clients on file (merged duplicates not counted).",
            registry=pipeline.registry,
        )


async def refresh_metrics(runtime: Runtime) -> None:
    metrics = runtime.domain_metrics
    assert isinstance(metrics, IntakeMetrics)
    async with runtime.reading() as conn:
        counted = await consultations_db.per_origin(conn)
        live_clients = await clients_db.count_live(conn)
    for origin in Origin:
        metrics.consultations.labels(origin=origin.value).set(counted.get(origin.value, 0))
    metrics.clients.set(live_clients)


def routers(runtime: Runtime) -> list[APIRouter]:
    return [
        consultations.router(runtime),
        clients.router(runtime),
        disclosure.router(runtime),
        imports.router(runtime),
    ]


SERVICE = ServiceSpec(
    name="intake",
    title="Tosei intake — 経営の総合相談窓口",
    description=(
        "The front door of the unified business consultation desk (AOMORI STARTUP CENTER): "
        "desk staff register consultations, each of which opens a case (case.opened); the same "
        "person typed differently is one client; the old startup and SME desks' cases are "
        "handed over from their spreadsheets; the council gets its consultation list as CSV or "
        ".xlsx. Experts read the cases caseflow assigned to them."
    ),
    migrations_package="tosei_intake.db.migrations",
    personal_data=PERSONAL_DATA,
    audit_readers=access.AUDIT_READERS,
    publishes=(
        CaseOpened,
        ConsultationCorrected,
        ConsentChanged,
        ClientsMerged,
        ClientsUnmerged,
        ClientErased,
        ClientUseStopped,
        ClientUseResumed,
    ),
    handlers={
        CaseAssigned: on_case_assigned,
        CaseTransferred: on_case_transferred,
        CaseClosed: on_case_closed,
        CaseStateChanged: on_case_state_changed,
    },
    # intake's own records (and who merged what, who recorded which consent, holds and
    # erasures); only case_experts, case_expert_history and case_closures are built from
    # events and rebuilt by replay
    replay_keeps=(
        "clients",
        "client_keys",
        "legacy_imports",
        "consultations",
        "consent_changes",
        "client_merges",
        "client_use_stops",
        "audit_log",
        "legal_holds",
        "client_erasures",
    ),
    routers=routers,
    after_migrate=refresh_keys,
    setup_metrics=IntakeMetrics,
    refresh_metrics=refresh_metrics,
    commands=add_commands,
    retention=run_retention,
)
