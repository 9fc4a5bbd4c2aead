"""Who is calling: a role and, for a municipal officer, their municipality.

Pure data, so a service's domain can decide what a caller may do without importing the HTTP
layer (``tosei_common.platform.auth`` reads it from the bearer token).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field

from tosei_common.platform.errors import Forbidden


class Role(StrEnum):
    DESK = "desk"  # staff of the unified consultation desk
    EXPERT = "expert"  # a support expert (支援人材)
    COORDINATOR = "coordinator"  # the council's and the towns' coordinating staff
    MUNICIPALITY = "municipality"  # a municipal officer, bound to one municipality
    AUDITOR = "auditor"  # reads everything, changes nothing


class Principal(BaseModel):
    """Who is calling: recorded with every change they make."""

    subject: str = Field(description="Stable id of the person, e.g. an expert id or a staff login.")
    role: Role
    municipality: str | None = Field(
        default=None, description="全国地方公共団体コード of an officer's municipality."
    )
    name: str | None = Field(default=None, description="Display name, for audit trails.")

    @property
    def actor(self) -> str:
        """How change records name this caller: ``role:subject``."""
        return f"{self.role.value}:{self.subject}"


#: How the roles are called on screen.
ROLE_NAMES: dict[Role, str] = {
    Role.DESK: "相談窓口の職員",
    Role.EXPERT: "支援人材（専門家）",
    Role.COORDINATOR: "コーディネーター",
    Role.MUNICIPALITY: "市町村の職員",
    Role.AUDITOR: "監査担当",
}


def ensure_role(who: Principal, *roles: Role, doing: str | None = None) -> None:
    """Refuse (403) a caller whose role is not one of ``roles``, saying who may."""
    if who.role in roles:
        return
    allowed = "・".join(ROLE_NAMES[r] for r in sorted(roles, key=list(Role).index))
    english = ", ".join(sorted(r.value for r in roles))
    what = f"{doing}は" if doing else "この操作は"
    raise Forbidden(
        f"{what}{allowed}だけが行えます（あなたは{ROLE_NAMES[who.role]}です）",
        en=f"this needs one of the roles {english}; the token has {who.role.value}",
    )


def expert_id_of(who: Principal) -> UUID | None:
    """The expert a caller is: an expert's token carries their expert id (caseflow's UUID) as
    its subject; None for every other role. An expert token with any other subject is refused
    (403), so no service mistakes a login name for an expert's cases."""
    if who.role is not Role.EXPERT:
        return None
    try:
        return UUID(who.subject)
    except ValueError:
        raise Forbidden(
            "専門家の認証情報（トークン）には、利用者として専門家ID（UUID）が必要です"
            f"（「{who.subject}」は専門家IDではありません）",
            en=f"an expert's token must carry their expert id as its subject, not {who.subject!r}",
        ) from None


def figures_scope(
    who: Principal, asked: str | None, overseers: Sequence[Role], *, doing: str
) -> str | None:
    """Whose figures ``who`` may read: overseers the region's (or the town they ``asked`` for);
    a municipal officer their own town's, as the council reports per town — aggregates only,
    never the personal records behind them. Returns the municipality code to keep to (None: all)."""
    if who.role in overseers:
        return asked
    ensure_role(who, *overseers, Role.MUNICIPALITY, doing=doing)
    own = who.municipality
    if own is None:
        raise Forbidden(
            "市町村の職員の認証情報（トークン）に市町村がありません",
            en="a municipality officer's token must carry their municipality",
        )
    if asked is not None and asked != own:
        raise Forbidden(
            f"{doing}は、ご自身の市町村の分だけを閲覧できます",
            en=f"a municipality officer reads their own municipality's figures ({own}) only",
        )
    return own
