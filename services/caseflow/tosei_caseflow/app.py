"""Bootstrap of the caseflow service: case lifecycle at the unified consultation desk."""

from __future__ import annotations

from fastapi import APIRouter

from tosei_caseflow import metrics
from tosei_caseflow.api import case_work, cases, disclosure, experts, queue, reports
from tosei_caseflow.db import erasure
from tosei_caseflow.db.personal_data import REGISTER as PERSONAL_DATA
from tosei_caseflow.domain import access
from tosei_caseflow.handlers.events import (
    on_case_opened,
    on_client_erased,
    on_client_use_resumed,
    on_client_use_stopped,
    on_clients_merged,
    on_clients_unmerged,
    on_consent_changed,
    on_consultation_corrected,
)
from tosei_caseflow.handlers.projection import REPLAY_HANDLERS
from tosei_common.catalogue.caseflow import (
    CaseAssigned,
    CaseClosed,
    CaseOutcomeRecorded,
    CaseOutcomeVoided,
    CaseReferred,
    CaseSessionRecorded,
    CaseSessionVoided,
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
)
from tosei_common.platform.service import Runtime, ServiceSpec


def routers(runtime: Runtime) -> list[APIRouter]:
    return [
        cases.router(runtime),
        case_work.router(runtime),
        queue.router(runtime),
        experts.router(runtime),
        reports.router(runtime),
        disclosure.router(runtime),
    ]


SERVICE = ServiceSpec(
    name="caseflow",
    title="Tosei caseflow — 相談案件の管理",
    description=(
        "Cases of the unified business consultation desk (AOMORI STARTUP CENTER): triage to "
        "the right expert, sessions, transfers between experts with the whole history kept, "
        "referrals to external experts, outcomes, and the council's KPI reports by fiscal year."
    ),
    migrations_package="tosei_caseflow.db.migrations",
    personal_data=PERSONAL_DATA,
    audit_readers=access.AUDIT_READERS,
    publishes=(
        CaseAssigned,
        CaseTransferred,
        CaseReferred,
        CaseOutcomeRecorded,
        CaseClosed,
        CaseStateChanged,
        CaseSessionRecorded,
        CaseSessionVoided,
        CaseOutcomeVoided,
    ),
    handlers={
        CaseOpened: on_case_opened,
        ConsentChanged: on_consent_changed,
        ConsultationCorrected: on_consultation_corrected,
        ClientsMerged: on_clients_merged,
        ClientsUnmerged: on_clients_unmerged,
        ClientErased: on_client_erased,
        ClientUseStopped: on_client_use_stopped,
        ClientUseResumed: on_client_use_resumed,
    },
    replay_handlers=REPLAY_HANDLERS,
    replay_keeps=("experts", "external_experts", "journal", "audit_log"),
    routers=routers,
    setup_metrics=metrics.CaseflowMetrics,
    refresh_metrics=metrics.refresh,
    retention_preview=erasure.held_about,
    retention_follows=(
        "erases its notes of a client's cases when intake announces client.erased "
        "(no period of its own)"
    ),
)
