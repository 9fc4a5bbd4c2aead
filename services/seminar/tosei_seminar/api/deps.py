"""Who may call what: coordinators manage, auditors read, registrants hold a reference."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tosei_common.platform.auth import Principal, Role, current_principal, require
from tosei_common.platform.errors import Unprocessable
from tosei_common.region.fiscal import DateParseError, parse_fiscal_year
from tosei_seminar.api.models import ScheduleFields
from tosei_seminar.domain.seminar import Schedule, schedule

#: The roles that may read personal data: registrants' names and contacts, and the free-text
#: feedback comments (in a small town a comment tagged with role and town names its writer).
PERSONAL = frozenset({Role.COORDINATOR, Role.AUDITOR})
STAFF = PERSONAL

manage = require(Role.COORDINATOR)
read_personal = require(*PERSONAL)
read_figures = require(*PERSONAL, Role.MUNICIPALITY)

_bearer = HTTPBearer(auto_error=False, description="Optional here: staff see more.")


def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """The caller when a token is sent (and valid: a bad token is still a 401), else None."""
    if credentials is None:
        return None
    return current_principal(request, credentials)


def is_staff(principal: Principal | None) -> bool:
    return principal is not None and principal.role in STAFF


def reads_personal(principal: Principal) -> bool:
    """Whether the caller may read personal data (what ``read_personal`` lets through)."""
    return principal.role in PERSONAL


def fiscal_year_param(text: str) -> int:
    try:
        return parse_fiscal_year(text)
    except DateParseError as exc:
        raise Unprocessable(str(exc), fields={"fiscal_year": "e.g. 2026 or 令和8年度"}) from exc


def schedule_of(body: ScheduleFields, fiscal_year: int) -> Schedule | None:
    """The seminar's times from date, start_time and end_time (all three, or none)."""
    given = {"date": body.date, "start_time": body.start_time, "end_time": body.end_time}
    if all(v is None for v in given.values()):
        return None
    missing = [k for k, v in given.items() if v is None]
    if missing:
        raise Unprocessable(
            "give the date, the start time and the end time together",
            fields={k: "required with the others" for k in missing},
        )
    assert body.date is not None
    assert body.start_time is not None
    assert body.end_time is not None
    return schedule(fiscal_year, body.date, body.start_time, body.end_time)
