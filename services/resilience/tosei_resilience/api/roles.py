"""Who may call what, and the caller as the domain sees them."""

from __future__ import annotations

from tosei_common.platform.auth import Principal, Role, require
from tosei_resilience.domain.access import Editor

#: Every town reads every item; auditors read everything.
READ = require(Role.MUNICIPALITY, Role.COORDINATOR, Role.AUDITOR)
#: Officers change their own town's items (the domain checks which); coordinators any.
EDIT = require(Role.MUNICIPALITY, Role.COORDINATOR)
#: Funding programmes and the plan's lists are kept by the coordinators.
COORDINATE = require(Role.COORDINATOR)


def editor(principal: Principal) -> Editor:
    return Editor(
        actor=principal.actor,
        coordinator=principal.role is Role.COORDINATOR,
        municipality=principal.municipality if principal.role is Role.MUNICIPALITY else None,
    )


def reader(principal: Principal) -> str:
    """Whose bookmark the change feed keeps: a town shares one; anyone else has their own."""
    if principal.role is Role.MUNICIPALITY and principal.municipality is not None:
        return f"municipality:{principal.municipality}"
    return principal.actor
