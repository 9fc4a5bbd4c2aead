"""Bootstrap of the requests service: the towns' joint priority requests to the prefecture."""

from tosei_common.platform.service import ServiceSpec

SERVICE = ServiceSpec(
    name="requests",
    title="Tosei requests — 県への重点要望",
    description=(
        "The five towns' joint priority requests to Aomori Prefecture (重点要望), the yearly "
        "briefing and the prefecture's answers. Its domain is not built yet: today the process "
        "migrates its schema and serves its health, readiness and metrics endpoints."
    ),
)
