"""Who may do what at the intake desk."""

from __future__ import annotations

from uuid import UUID

from tosei_common.platform.auth import Principal, Role, require
from tosei_common.platform.errors import Forbidden

#: Register consultations and import the old desks' cases.
register = require(Role.DESK, Role.COORDINATOR)
#: Read everything (the auditor reads, changes nothing).
read_all = require(Role.DESK, Role.COORDINATOR, Role.AUDITOR)
#: Read a case: the above, and an expert for the cases currently assigned to them.
read_case = require(Role.DESK, Role.COORDINATOR, Role.AUDITOR, Role.EXPERT)
#: Merge duplicate clients.
merge = require(Role.COORDINATOR)


def own_cases_only(principal: Principal) -> UUID | None:
    """The expert whose cases alone the caller may see, or None when they may see all."""
    if principal.role is not Role.EXPERT:
        return None
    try:
        return UUID(principal.subject)
    except ValueError:
        raise Forbidden(
            "an expert's token must carry their expert id as its subject, "
            f"not {principal.subject!r}"
        ) from None
