"""The KPI report as people read it: what each figure means, and the sheet for Excel.

One row per figure and breakdown; columns: the year, its twelve months, FY2019.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tosei_caseflow.domain import kpi
from tosei_common.catalogue import labels
from tosei_common.catalogue.caseflow import OutcomeType, Track
from tosei_common.catalogue.intake import Category, Origin
from tosei_common.region.fiscal import fiscal_year_display
from tosei_common.region.municipalities import municipality

DEFINITIONS = {
    "consultations": "相談件数: sessions held in the period",
    "new_cases": "新規案件数: cases opened in the period (new desk and handed over)",
    "distinct_clients": "来訪相談者数: clients with a case opened or a session in the period",
    "repeat_clients": "リピート相談者数: clients consulted (sessions) on two or more "
    "different days in the period",
    "founders": "創業者数: cases whose business was founded in the period",
    "satisfaction_average": "満足度: mean of the 1–5 ratings given when cases closed (a case's "
    "latest closing only)",
    "satisfaction_not_answered": "満足度 回答なし: closings the client did not rate",
    "median_days_to_first_session": "for cases opened in the period that had a session",
}

TRACK_LABELS = {"startup": "創業支援", "sme": "経営支援"}
ROWS: list[tuple[str, str]] = [
    ("consultations", "相談件数"),
    ("new_cases", "新規案件数"),
    ("distinct_clients", "来訪相談者数"),
    ("repeat_clients", "リピート相談者数"),
    ("founders", "創業者数"),
    ("jobs_created", "雇用創出数"),
    ("satisfaction_ratings", "満足度回答数"),
    ("satisfaction_not_answered", "満足度 回答なし"),
    ("satisfaction_average", "満足度平均"),
    ("transfers", "担当変更件数"),
    ("referrals_requested", "外部専門家派遣依頼件数"),
    ("referrals_completed", "外部専門家派遣完了件数"),
    ("median_days_to_first_session", "初回面談までの日数(中央値)"),
]


#: What the two old desks did in FY2019, for the rows of the whole desk they compare with.
REGION_BASELINE = {
    "consultations": sum(b.get("consultations", 0) for b in kpi.BASELINE.values()),
    "founders": sum(b.get("founders", 0) for b in kpi.BASELINE.values()),
}
BREAKDOWN_ROWS = ("consultations", "new_cases", "distinct_clients", "founders")


Value = Callable[[kpi.Figures], Any]


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    total: kpi.Figures
    monthly: dict[str, kpi.Figures]
    value: Value
    baseline: Any = ""


def _figure(key: str) -> Value:
    return lambda f: getattr(f, key)


def _counted(key: str, code: str) -> Value:
    return lambda f: getattr(f, key).get(code, 0)


def _whole_desk(report: kpi.Report) -> Iterator[Row]:
    total, months = report.total, report.months
    for key, label in ROWS:
        yield Row("全体", label, total, months, _figure(key), REGION_BASELINE.get(key, ""))
    for origin in Origin:
        value = _counted("new_cases_by_origin", origin.value)
        yield Row("新規案件の受付元", labels.ORIGIN[origin], total, months, value)
    for rating in range(5, 0, -1):
        value = _counted("satisfaction_distribution", str(rating))
        yield Row("満足度の分布", f"満足度{rating}", total, months, value)
    for outcome in OutcomeType:
        value = _counted("outcomes", outcome.value)
        yield Row("成果", labels.OUTCOME_TYPE[outcome], total, months, value)


def _breakdowns(report: kpi.Report) -> Iterator[Row]:
    monthly = report.monthly
    for track, figures in report.by_track.items():
        baseline = kpi.BASELINE.get(Track(track), {})
        months = monthly.get("track", {}).get(track, {})
        for key in BREAKDOWN_ROWS:
            section = f"支援区分:{TRACK_LABELS[track]}"
            label = dict(ROWS)[key]
            yield Row(section, label, figures, months, _figure(key), baseline.get(key, ""))
    for code, figures in report.by_municipality.items():
        months = monthly.get("municipality", {}).get(code, {})
        for key in BREAKDOWN_ROWS:
            section = f"市町村:{municipality(code).name}"
            yield Row(section, dict(ROWS)[key], figures, months, _figure(key))
    for category, figures in report.by_category.items():
        months = monthly.get("category", {}).get(category, {})
        for key in ("new_cases", "consultations"):
            section = f"相談区分:{labels.CATEGORY[Category(category)]}"
            yield Row(section, dict(ROWS)[key], figures, months, _figure(key))


def report_csv_rows(report: kpi.Report) -> tuple[list[str], list[list[Any]]]:
    """One row per figure and breakdown; columns: the year, its twelve months, FY2019 (on every
    row the old desks' figures compare with). Breakdowns by month need
    ``kpi.report(..., monthly=True)``; without it their month cells stay empty."""
    months = list(report.months)
    header = [
        "区分",
        "項目",
        fiscal_year_display(report.fiscal_year),
        *[f"{int(m[5:])}月" for m in months],
        f"{fiscal_year_display(kpi.BASELINE_FY)} 実績",
    ]
    rows = [
        [
            row.section,
            row.label,
            row.value(row.total),
            *[row.value(row.monthly[m]) if m in row.monthly else "" for m in months],
            row.baseline,
        ]
        for row in (*_whole_desk(report), *_breakdowns(report))
    ]
    return header, rows
