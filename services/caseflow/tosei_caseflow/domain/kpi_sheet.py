"""The KPI report as people read it: what each figure means, and the sheet for Excel.

One row per figure and breakdown; columns: the year, its twelve months, FY2019.
"""

from __future__ import annotations

from typing import Any

from tosei_caseflow.domain import kpi
from tosei_common.catalogue.caseflow import OutcomeType, Track
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
CATEGORY_LABELS = {
    "founding_plan": "創業計画",
    "financing": "資金調達",
    "sales_channels": "販路開拓",
    "hr": "人材・雇用",
    "it": "IT・デジタル化",
    "succession": "事業承継",
    "crisis": "危機対応",
    "other": "その他",
}
OUTCOME_LABELS = {
    "founded": "創業",
    "sales_increased": "売上増加",
    "financing_obtained": "資金調達",
    "jobs_created": "雇用創出",
    "succession_done": "事業承継",
}
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


def report_csv_rows(report: kpi.Report) -> tuple[list[str], list[list[Any]]]:
    """One row per figure and breakdown; columns: the year, its twelve months, FY2019."""
    months = list(report.months)
    header = [
        "区分",
        "項目",
        fiscal_year_display(report.fiscal_year),
        *[f"{int(m[5:])}月" for m in months],
        f"{fiscal_year_display(kpi.BASELINE_FY)} 実績",
    ]
    rows: list[list[Any]] = []

    def add(section: str, label: str, total: Any, monthly: list[Any], baseline: Any = "") -> None:
        rows.append([section, label, total, *monthly, baseline])

    for key, label in ROWS:
        add(
            "全体",
            label,
            getattr(report.total, key),
            [getattr(report.months[m], key) for m in months],
        )
    for outcome in OutcomeType:
        add(
            "成果",
            OUTCOME_LABELS[outcome.value],
            report.total.outcomes.get(outcome.value, 0),
            [report.months[m].outcomes.get(outcome.value, 0) for m in months],
        )
    for track, figures in report.by_track.items():
        baseline = kpi.BASELINE.get(Track(track), {})
        for key in ("consultations", "new_cases", "founders"):
            label = dict(ROWS)[key]
            add(
                f"支援区分:{TRACK_LABELS[track]}",
                label,
                getattr(figures, key),
                [""] * 12,
                baseline.get(key, ""),
            )
    for code, figures in report.by_municipality.items():
        name = municipality(code).name
        add(f"市町村:{name}", "新規案件数", figures.new_cases, [""] * 12)
        add(f"市町村:{name}", "相談件数", figures.consultations, [""] * 12)
    for category, figures in report.by_category.items():
        add(f"相談区分:{CATEGORY_LABELS[category]}", "新規案件数", figures.new_cases, [""] * 12)
    return header, rows
