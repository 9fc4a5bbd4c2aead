"""Response bodies of the KPI report: the figures of a fiscal year and its breakdowns."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, Field

from tosei_caseflow.domain import kpi
from tosei_caseflow.domain.kpi_sheet import DEFINITIONS
from tosei_common.catalogue import labels
from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import Category
from tosei_common.region.fiscal import fiscal_year_display
from tosei_common.region.municipalities import municipality
from tosei_common.region.small_cells import note


def _absent(value: object) -> bool:
    return value is None


class Figures(BaseModel):
    """The KPI figures of a period (definitions in the report's ``definitions``). For a reader
    without access to the records (a municipal officer), a figure of too few people is null
    and named in ``suppressed``."""

    consultations: int | None
    new_cases: int | None
    new_cases_by_origin: dict[str, int | None]
    distinct_clients: int | None
    repeat_clients: int | None
    founders: int | None
    outcomes: dict[str, int | None]
    jobs_created: int | None
    satisfaction_ratings: int | None
    satisfaction_not_answered: int | None
    satisfaction_average: float | None
    satisfaction_distribution: dict[str, int | None]
    transfers: int | None
    referrals_requested: int | None
    referrals_completed: int | None
    median_days_to_first_session: float | None
    suppressed: list[str] | None = Field(
        default=None,
        exclude_if=_absent,
        description="The figures of this cell hidden (null) as they count fewer people than "
        "the report's small_cells.threshold: names like 'founders' or 'outcomes.founded' (an "
        "entry of a breakdown). Only for readers without access to the records.",
        examples=[["distinct_clients", "outcomes.founded", "satisfaction_average"]],
    )

    @classmethod
    def of(cls, figures: kpi.Figures, hidden: frozenset[str] | None = None) -> Figures:
        return cls.model_validate(_shown(figures, hidden))


def _shown(figures: kpi.Figures, hidden: frozenset[str] | None) -> dict[str, Any]:
    """The figures as the reader sees them: a hidden one null, and the list of them."""
    shown = asdict(figures)
    if hidden is None:
        return shown
    for name in hidden:
        if "." in name:
            kind, key = name.split(".", 1)
            shown[kind][key] = None
        else:
            shown[name] = None
    return shown | {"suppressed": sorted(hidden)}


class MunicipalityFigures(Figures):
    name: str


class LabelledFigures(Figures):
    """Figures of a track or a category, with the words people read for it."""

    label: str = Field(examples=["資金調達"])


class MunicipalityName(BaseModel):
    code: str = Field(examples=["022012"])
    name: str = Field(examples=["青森市"])


class Comparison(BaseModel):
    value: int | None = Field(description="This year's figure; null when it is hidden.")
    baseline: int
    ratio: float | None


class SmallCells(BaseModel):
    """Why some figures are null: cells of too few people are hidden (秘匿) from readers
    without access to the records."""

    threshold: int = Field(description="Counts of fewer people than this are hidden.")
    note: str = Field(examples=["3人未満の区分は、個人が特定されないよう「―」（秘匿）としています"])


class Baseline(BaseModel):
    """What the two old desks did in FY2019, beside this year's figures of each track."""

    fiscal_year: int
    label: str
    tracks: dict[str, dict[str, Comparison]]


class KpiReport(BaseModel):
    fiscal_year: int
    label: str
    municipality: MunicipalityName | None = Field(
        default=None,
        description="The town this report is of (a municipal officer's); null: the region's.",
    )
    definitions: dict[str, str]
    total: Figures
    months: dict[str, Figures]
    by_track: dict[str, LabelledFigures]
    by_municipality: dict[str, MunicipalityFigures]
    by_category: dict[str, LabelledFigures]
    baseline: Baseline
    small_cells: SmallCells | None = Field(
        default=None,
        exclude_if=_absent,
        description="Present when figures of few people are hidden from this reader (a "
        "municipal officer): the threshold and the note to print with the figures.",
    )

    @classmethod
    def of(cls, report: kpi.Report) -> KpiReport:
        def each(figures: dict[str, kpi.Figures]) -> dict[str, Figures]:
            return {
                key: Figures.of(f, report.hidden_in("months", key)) for key, f in figures.items()
            }

        def shown(place: str, key: str, f: kpi.Figures) -> dict[str, Any]:
            return _shown(f, report.hidden_in(place, key))

        def compared(track: str, metric: str, c: dict[str, Any]) -> Comparison:
            if metric in (report.hidden_in("by_track", track) or ()):
                c = c | {"value": None, "ratio": None}
            return Comparison.model_validate(c)

        threshold = report.small_cell_threshold

        return cls(
            fiscal_year=report.fiscal_year,
            label=fiscal_year_display(report.fiscal_year),
            municipality=MunicipalityName(
                code=report.municipality, name=municipality(report.municipality).name
            )
            if report.municipality
            else None,
            definitions=DEFINITIONS,
            total=Figures.of(report.total, report.hidden_in("total")),
            months=each(report.months),
            by_track={
                key: LabelledFigures(**shown("by_track", key, f), label=labels.TRACK[Track(key)])
                for key, f in report.by_track.items()
            },
            by_municipality={
                code: MunicipalityFigures(
                    **shown("by_municipality", code, f), name=municipality(code).name
                )
                for code, f in report.by_municipality.items()
            },
            by_category={
                key: LabelledFigures(
                    **shown("by_category", key, f), label=labels.CATEGORY[Category(key)]
                )
                for key, f in report.by_category.items()
            },
            baseline=Baseline(
                fiscal_year=kpi.BASELINE_FY,
                label=fiscal_year_display(kpi.BASELINE_FY),
                tracks={
                    track: {m: compared(track, m, c) for m, c in metrics.items()}
                    for track, metrics in report.baseline.items()
                },
            ),
            small_cells=SmallCells(threshold=threshold, note=note(threshold))
            if threshold is not None
            else None,
        )
