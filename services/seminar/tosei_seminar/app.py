"""Bootstrap of the seminar service."""

from tosei_common.service import ServiceSpec

SERVICE = ServiceSpec(
    name="seminar",
    title="Tosei seminar — 在宅医療合同研修会",
    description=(
        "The annual joint home-medical-care seminar: host rotation, venues, speakers, "
        "registrations, capacity, wait lists and attendance. Its domain is not built yet: today"
        " the process migrates its schema and serves its health, readiness and metrics "
        "endpoints."
    ),
)
