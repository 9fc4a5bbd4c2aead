"""Bootstrap of the seminar service."""

from tosei_common.catalogue.seminar import (
    PlaceChanged,
    RegistrationAccepted,
    RegistrationCancelled,
    RegistrationPromoted,
    RegistrationWaitlisted,
    SeminarAttendanceCorrected,
    SeminarCancelled,
    SeminarHeld,
    SeminarRegistrationClosed,
    SeminarRegistrationOpened,
    SeminarRescheduled,
    SeminarScheduled,
)
from tosei_common.platform.service import ServiceSpec
from tosei_seminar.api import routers
from tosei_seminar.db.personal_data import REGISTER as PERSONAL_DATA
from tosei_seminar.domain import access
from tosei_seminar.handlers.retention import run_retention
from tosei_seminar.metrics import SeminarMetrics, refresh

SERVICE = ServiceSpec(
    name="seminar",
    title="Tosei seminar — 在宅医療合同研修会",
    description=(
        "The annual joint home-medical-care seminar of the Tosei region: the host rotation, "
        "venues and their sizing, speakers, budget, the stream for the other towns, "
        "registrations with capacity and wait lists per place, check-in, attendance reports, "
        "certificates of attendance (修了証) and feedback. Registrants need no account: they "
        "keep the reference they are given. Coordinators manage seminars with a bearer token."
    ),
    migrations_package="tosei_seminar.db.migrations",
    personal_data=PERSONAL_DATA,
    audit_readers=access.AUDIT_READERS,
    publishes=(
        SeminarScheduled,
        SeminarRescheduled,
        SeminarRegistrationOpened,
        SeminarRegistrationClosed,
        SeminarHeld,
        SeminarAttendanceCorrected,
        SeminarCancelled,
        RegistrationAccepted,
        RegistrationWaitlisted,
        RegistrationPromoted,
        RegistrationCancelled,
        PlaceChanged,
    ),
    routers=routers,
    setup_metrics=SeminarMetrics,
    refresh_metrics=refresh,
    retention=run_retention,
    sends_mail=True,
)
