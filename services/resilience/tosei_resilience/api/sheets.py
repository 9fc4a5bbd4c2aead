"""The plan and the annual summary as spreadsheets for council meetings (Japanese headers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tosei_common.catalogue.resilience import RetirementReason
from tosei_common.region.fiscal import fiscal_year_label, tokyo_date
from tosei_resilience.domain import labels
from tosei_resilience.domain.plan import PlanView
from tosei_resilience.domain.plan_item import Kpi, PlanItem
from tosei_resilience.domain.summary import AnnualSummary

PLAN_HEADER = (
    "事業番号",
    "事業名",
    "実施主体",
    "起きてはならない最悪の事態",
    "施策分野",
    "担当部署",
    "概算事業費（円）",
    "実施年度（開始）",
    "実施年度（終了）",
    "進捗状況",
    "活用する交付金・補助金",
    "重点化・要件化",
    "重要業績指標（KPI）",
    "分割・統合元",
    "廃止理由",
    "分割・統合先",
    "版",
)

#: Columns of amounts, shown as 45,000,000 in the workbook.
PLAN_MONEY_COLUMNS = ("概算事業費（円）",)

SUMMARY_HEADER = (
    "区分",
    "事業番号",
    "事業名",
    "実施主体",
    "変更項目",
    "変更回数",
    "廃止理由",
    "最終変更日",
    "理由",
)


def plan_rows(view: PlanView) -> list[list[Any]]:
    return [_plan_row(item, view) for item in view.items]


def _plan_row(item: PlanItem, view: PlanView) -> list[Any]:
    lists = view.lists
    scenario = lists.scenarios.get(item.risk_scenario)
    area = lists.areas.get(item.policy_area)
    programmes = [lists.programmes[p] for p in item.funding_programmes if p in lists.programmes]
    return [
        item.number,
        item.title,
        labels.owner_name(item.municipality),
        scenario.label if scenario else item.risk_scenario,
        area.name if area else item.policy_area,
        item.lead_department,
        item.estimated_cost_yen,
        fiscal_year_label(item.fiscal_year_from),
        fiscal_year_label(item.fiscal_year_to),
        labels.STATUS[item.status],
        [p.name for p in programmes],
        [f"{p.name}：{labels.CONDITION[p.condition]}" for p in programmes],
        [_kpi(k) for k in item.kpis],
        _numbers(item.derived_from, view),
        labels.RETIREMENT[item.retirement] if item.retirement else None,
        _numbers(item.superseded_by, view),
        item.version,
    ]


def _numbers(ids: Sequence[Any], view: PlanView) -> list[str]:
    return [f"No.{view.numbers[i]}" for i in ids if i in view.numbers]


def _kpi(k: Kpi) -> str:
    baseline = "" if k.baseline is None else f"{_figure(k.baseline)}{k.unit}→"
    by = "" if k.target_fiscal_year is None else f"（{fiscal_year_label(k.target_fiscal_year)}）"
    return f"{k.indicator} {baseline}{_figure(k.target)}{k.unit}{by}"


def _figure(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def summary_rows(summary: AnnualSummary) -> list[list[Any]]:
    return [
        [
            "・".join(labels.REVISION_KIND[k] for k in i.kinds),
            i.number,
            i.title,
            labels.owner_name(i.municipality),
            labels.field_names(list(i.changed_fields)),
            i.revisions,
            labels.RETIREMENT[RetirementReason(i.retirement)] if i.retirement else None,
            tokyo_date(i.last_changed_at),
            " / ".join(i.reasons),
        ]
        for i in summary.items
    ]
