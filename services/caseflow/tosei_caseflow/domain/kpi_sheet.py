"""The KPI report as people read it: what each figure means, and the sheet for Excel.

One row per figure and breakdown; columns: the year, its twelve months, FY2019.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tosei_caseflow.domain import kpi, kpi_cells
from tosei_caseflow.domain.kpi_cells import Place
from tosei_common.catalogue import labels
from tosei_common.catalogue.caseflow import OutcomeType, Track
from tosei_common.catalogue.intake import Category, Origin
from tosei_common.region.fiscal import fiscal_year_display
from tosei_common.region.municipalities import municipality
from tosei_common.region.small_cells import MARK, note

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


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    name: str  # the figure: "consultations", or "outcomes.founded" for one count by kind
    place: Place  # where its year's cell is in the report: ("total",), ("by_track", "sme")
    total: kpi.Figures
    monthly: dict[str, kpi.Figures]
    baseline: Any = ""

    def month_place(self, month: str) -> Place:
        if self.place == ("total",):
            return ("months", month)
        attr, key = self.place
        return ("monthly", MONTHLY_KIND[attr], key, month)


MONTHLY_KIND = dict(kpi_cells.BREAKDOWNS)


def _whole_desk(report: kpi.Report) -> Iterator[Row]:
    total, months, place = report.total, report.months, ("total",)
    for key, label in ROWS:
        yield Row("全体", label, key, place, total, months, REGION_BASELINE.get(key, ""))
    for origin in Origin:
        name = f"new_cases_by_origin.{origin.value}"
        yield Row("新規案件の受付元", labels.ORIGIN[origin], name, place, total, months)
    for rating in range(5, 0, -1):
        name = f"satisfaction_distribution.{rating}"
        yield Row("満足度の分布", f"満足度{rating}", name, place, total, months)
    for outcome in OutcomeType:
        name = f"outcomes.{outcome.value}"
        yield Row("成果", labels.OUTCOME_TYPE[outcome], name, place, total, months)


def _breakdowns(report: kpi.Report) -> Iterator[Row]:
    monthly = report.monthly
    for track, figures in report.by_track.items():
        baseline = kpi.BASELINE.get(Track(track), {})
        months = monthly.get("track", {}).get(track, {})
        for key in BREAKDOWN_ROWS:
            section = f"支援区分:{TRACK_LABELS[track]}"
            label = dict(ROWS)[key]
            place = ("by_track", track)
            yield Row(section, label, key, place, figures, months, baseline.get(key, ""))
    for code, figures in report.by_municipality.items():
        months = monthly.get("municipality", {}).get(code, {})
        for key in BREAKDOWN_ROWS:
            section = f"市町村:{municipality(code).name}"
            yield Row(section, dict(ROWS)[key], key, ("by_municipality", code), figures, months)
    for category, figures in report.by_category.items():
        months = monthly.get("category", {}).get(category, {})
        for key in ("new_cases", "consultations"):
            section = f"相談区分:{labels.CATEGORY[Category(category)]}"
            place = ("by_category", category)
            yield Row(section, dict(ROWS)[key], key, place, figures, months)


def _cell(report: kpi.Report, name: str, place: Place, figures: kpi.Figures) -> Any:
    """A figure, or 「―」 where it is hidden from this reader."""
    if name in (report.hidden_in(*place) or ()):
        return MARK
    return kpi_cells.value(figures, name)


def report_csv_rows(report: kpi.Report) -> tuple[list[str], list[list[Any]]]:
    """One row per figure and breakdown; columns: the year, its twelve months, FY2019 (on every
    row the old desks' figures compare with). Breakdowns by month need
    ``kpi.report(..., monthly=True)``; without it their month cells stay empty. A figure hidden
    from this reader (``kpi_cells``) is 「―」, and a last row 注記 says why."""
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
            _cell(report, row.name, row.place, row.total),
            *[
                _cell(report, row.name, row.month_place(m), row.monthly[m])
                if m in row.monthly
                else ""
                for m in months
            ],
            row.baseline,
        ]
        for row in (*_whole_desk(report), *_breakdowns(report))
    ]
    if report.small_cell_threshold is not None:
        rows.append(["注記", note(report.small_cell_threshold), *[""] * (len(header) - 2)])
    return header, rows
