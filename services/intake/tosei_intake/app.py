"""Bootstrap of the intake service."""

from tosei_common.service import ServiceSpec

SERVICE = ServiceSpec(
    name="intake",
    title="Tosei intake — 経営の総合相談窓口",
    description=(
        "The front door of the unified business consultation desk (AOMORI STARTUP CENTER): "
        "consultations, de-duplicated clients and the hand-over of the old desks' cases. Its "
        "domain is not built yet: today the process migrates its schema and serves its health, "
        "readiness and metrics endpoints."
    ),
)
