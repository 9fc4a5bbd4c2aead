"""Bootstrap of the resilience service."""

from tosei_common.service import ServiceSpec

SERVICE = ServiceSpec(
    name="resilience",
    title="Tosei resilience — 国土強靱化地域計画",
    description=(
        "The joint national-resilience plan: plan items with full revision history, funding "
        "programmes and sharing with every town. Its domain is not built yet: today the process"
        " migrates its schema and serves its health, readiness and metrics endpoints."
    ),
)
