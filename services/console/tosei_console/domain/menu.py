"""Which screens each role sees in the console's menu (the services still decide access)."""

from __future__ import annotations

from dataclasses import dataclass

from tosei_common.platform.principal import Role


@dataclass(frozen=True)
class MenuItem:
    path: str
    label: str


DESK = MenuItem("/desk/new", "相談受付")
CLIENTS = MenuItem("/clients", "相談者")
HANDOVER = MenuItem("/handover", "引継ぎ")
CASES = MenuItem("/cases", "案件")
FOLLOW_UPS = MenuItem("/follow-ups", "期限切れのフォローアップ")
EXPERTS = MenuItem("/experts", "支援人材")
KPI = MenuItem("/kpi", "実績")
AUDIT = MenuItem("/audit", "監査記録")
PLAN = MenuItem("/plan", "国土強靱化計画")
REQUESTS = MenuItem("/requests", "重点要望")
SEMINARS = MenuItem("/seminars", "研修会")

_MENUS: dict[Role, tuple[MenuItem, ...]] = {
    Role.DESK: (DESK, CLIENTS, CASES),
    Role.EXPERT: (CASES, FOLLOW_UPS),
    Role.COORDINATOR: (
        DESK,
        CLIENTS,
        HANDOVER,
        CASES,
        FOLLOW_UPS,
        EXPERTS,
        KPI,
        SEMINARS,
        PLAN,
        REQUESTS,
        AUDIT,
    ),
    Role.MUNICIPALITY: (KPI, SEMINARS, PLAN, REQUESTS),
    Role.AUDITOR: (CASES, KPI, SEMINARS, PLAN, REQUESTS, AUDIT),
}


def menu_for(role: Role) -> tuple[MenuItem, ...]:
    return _MENUS[role]


def home_for(role: Role) -> str:
    """Where a person lands after signing in: the first thing they do at the desk."""
    return _MENUS[role][0].path
