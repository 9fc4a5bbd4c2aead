"""Bootstrap of the caseflow service."""

from tosei_common.service import ServiceSpec

SERVICE = ServiceSpec(
    name="caseflow",
    title="Tosei caseflow — 相談案件の管理",
    description=(
        "Case lifecycle at the consultation desk: triage, assignment to experts, transfers, "
        "referrals to external experts, outcomes and the council's KPI reports. Its domain is "
        "not built yet: today the process migrates its schema and serves its health, readiness "
        "and metrics endpoints."
    ),
)
