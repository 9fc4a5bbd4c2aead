"""Who may do what in the seminar service.

Coordinators manage everything. Auditors read everything coordinators read, and change nothing.
Municipal officers read the figures: the attendance report and the feedback summary without the
free-text comments (in a small town a comment tagged with role and town names its writer),
and with groups of too few people hidden (``small_cells``).
Anyone reads the rotation and the published seminars and registers without an account; a
registrant acts on their own registration by the reference they were given, which is all it
takes (the handlers find the registration by it, and only it).
"""

from __future__ import annotations

from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.errors import NotFound
from tosei_common.platform.principal import Principal, Role, ensure_role
from tosei_seminar.domain.registration import Registration, RegistrationStatus
from tosei_seminar.domain.seminar import Seminar, SeminarState

#: Who reads personal data (registrants' names and contacts, the feedback comments), the
#: seminars still being planned, fees, candidate venues and the budget.
STAFF = (Role.COORDINATOR, Role.AUDITOR)
#: Who reads the figures (attendance, feedback without comments).
FIGURES = (*STAFF, Role.MUNICIPALITY)
#: How an unknown member of the public is recorded until the command knows their registration.
PUBLIC = "public:anonymous"
#: Who reads the audit trail (who changed a seminar, who saw whose contacts): the staff above.
AUDIT_READERS = STAFF


def ensure_may_manage(who: Principal, doing: str = "研修会の企画・運営") -> None:
    """Only coordinators plan and run seminars (and check people in)."""
    ensure_role(who, Role.COORDINATOR, doing=doing)


def ensure_may_read_personal(who: Principal, doing: str = "参加者の個人情報の閲覧") -> None:
    ensure_role(who, *STAFF, doing=doing)


def ensure_may_read_figures(who: Principal, doing: str = "集計の閲覧") -> None:
    ensure_role(who, *FIGURES, doing=doing)


def is_staff(who: Principal | None) -> bool:
    """Whether the caller sees what the public does not (fees, budget, unpublished seminars)."""
    return who is not None and who.role in STAFF


def reads_comments(who: Principal) -> bool:
    """Whether the caller reads the free-text feedback comments."""
    return who.role in STAFF


def ensure_visible(who: Principal | None, seminar: Seminar) -> Seminar:
    """The public does not see seminars still being planned: to them they do not exist yet."""
    if not is_staff(who) and not seminar.published:
        raise NotFound("研修会が見つかりません", en=f"no seminar {seminar.id}")
    return seminar


def actor_of(who: Principal | None) -> str:
    """How a command's unit of work records the caller before it knows more."""
    return who.actor if who is not None else PUBLIC


def registrant_actor(who: Principal | None, registration_id: UUID) -> str:
    """Staff acting for a registrant (a phone call) are recorded as themselves; registrants by
    their registration."""
    return who.actor if who is not None else f"registrant:{registration_id}"


def ensure_published(seminar: Seminar) -> Seminar:
    """What the registration pages offer is what the public sees: published seminars only."""
    return ensure_visible(None, seminar)


def stream_for(registration: Registration, seminar: Seminar) -> str | None:
    """The stream's address, for a registrant with an online seat of a seminar that takes
    place (the address is not public: the online seats are counted)."""
    watching = (
        registration.status is RegistrationStatus.ACCEPTED
        and registration.mode is AttendanceMode.ONLINE
        and seminar.state is not SeminarState.CANCELLED
    )
    return seminar.stream_url if watching else None
