"""How the plan's values read on screen: names behind codes, yen, fiscal years in the era, KPIs
(pure: the lists come from the plan's service)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tosei_common.catalogue import labels
from tosei_common.catalogue.resilience import PlanItemField, PlanItemStatus
from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.municipalities import BY_CODE
from tosei_console.domain.plan_forms import KPI_PARTS, REGION, field_flat, group


@dataclass(frozen=True)
class PlanLists:
    """The plan's reference lists as the service has them now: codes and their names."""

    goals: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    scenarios: dict[str, str] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)
    programmes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, goals: Any, areas: Any, programmes: Any) -> PlanLists:
        grouped = [
            (
                f"{g['number']} {g['name']}",
                [(s["code"], f"{s['code']} {s['name']}") for s in g["scenarios"]],
            )
            for g in (goals or {}).get("goals", [])
        ]
        return cls(
            goals=grouped,
            scenarios={code: name for _, rows in grouped for code, name in rows},
            areas={a["code"]: a["name"] for a in (areas or {}).get("policy_areas", [])},
            programmes={
                p["id"]: p["name"] for p in (programmes or {}).get("funding_programmes", [])
            },
        )


def field_label(name: str) -> str:
    """事業名 for ``title``; a field this console does not know, by its name."""
    try:
        return labels.PLAN_ITEM_FIELD[PlanItemField(name)]
    except ValueError:
        return labels.PLAN_RETIREMENT_FIELD.get(name, name)


def owner_name(code: str) -> str:
    if code in ("", REGION):
        return REGION
    found = BY_CODE.get(code)
    return found.name if found else code


def yen(text: str) -> str:
    return f"{int(text):,}円" if text.isdigit() else (text or "未定")


def year(text: str) -> str:
    return fiscal_year_label(int(text)) if text.isdigit() else text


def kpi_text(row: Mapping[str, str]) -> str:
    unit = row.get("unit", "")
    baseline = row.get("baseline", "")
    start = f"現状 {baseline}{unit} → " if baseline else ""
    when = f"（{year(row['target_fiscal_year'])}）" if row.get("target_fiscal_year") else ""
    return f"{row.get('indicator', '')}：{start}目標 {row.get('target', '')}{unit}{when}"


def shown(name: str, flat: Mapping[str, Any], lists: PlanLists) -> str:
    """One field of a form (typed or on file) in words."""
    value = group(flat, name)
    if name == "municipality":
        return owner_name(value)
    if name == "risk_scenario":
        return str(lists.scenarios.get(value, value))
    if name == "policy_area":
        return str(lists.areas.get(value, value))
    if name == "status":
        try:
            return labels.PLAN_ITEM_STATUS[PlanItemStatus(value)]
        except ValueError:
            return value or "計画"
    if name == "estimated_cost_yen":
        return yen(value)
    if name in ("fiscal_year_from", "fiscal_year_to"):
        return year(value)
    if name == "funding_programmes":
        return "、".join(lists.programmes.get(p, p) for p in value) or "なし"
    if name == "kpis":
        rows = [dict(zip(KPI_PARTS, row, strict=True)) for row in value]
        return "／".join(kpi_text(r) for r in rows) or "なし"
    return str(value) if value else "（なし）"


def change_side(
    name: str,
    stored: Any,
    label: str | None,
    lists: PlanLists,
    numbers: Mapping[str, int | None] | None = None,
) -> str:
    """One side of a revision's diff: the service's label for a coded field, else the value in
    words (yen, KPIs, text; the items a split or merger led to by their 事業番号)."""
    if label is not None:
        return label
    if name == "superseded_by":
        known = numbers or {}
        return "、".join(f"No.{known.get(str(i)) or '？'}" for i in stored or []) or "なし"
    if stored is None and name != "estimated_cost_yen":
        return "（なし）"
    if name == "retirement":
        return str(stored)
    return shown(name, field_flat(name, stored), lists)
