"""Response bodies of the KPI report: the figures of a fiscal year and its breakdowns."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel, Field

from tosei_caseflow.domain import kpi
from tosei_caseflow.domain.kpi_sheet import DEFINITIONS
from tosei_common.catalogue import labels
from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import Category
from tosei_common.region.fiscal import fiscal_year_display
from tosei_common.region.municipalities import municipality


class Figures(BaseModel):
    """The KPI figures of a period (definitions in the report's ``definitions``)."""

    consultations: int
    new_cases: int
    new_cases_by_origin: dict[str, int]
    distinct_clients: int
    repeat_clients: int
    founders: int
    outcomes: dict[str, int]
    jobs_created: int
    satisfaction_ratings: int
    satisfaction_not_answered: int
    satisfaction_average: float | None
    satisfaction_distribution: dict[str, int]
    transfers: int
    referrals_requested: int
    referrals_completed: int
    median_days_to_first_session: float | None

    @classmethod
    def of(cls, figures: kpi.Figures) -> Figures:
        return cls(**asdict(figures))


class MunicipalityFigures(Figures):
    name: str


class LabelledFigures(Figures):
    """Figures of a track or a category, with the words people read for it."""

    label: str = Field(examples=["資金調達"])


class MunicipalityName(BaseModel):
    code: str = Field(examples=["022012"])
    name: str = Field(examples=["青森市"])


class Comparison(BaseModel):
    value: int
    baseline: int
    ratio: float | None


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

    @classmethod
    def of(cls, report: kpi.Report) -> KpiReport:
        def each(figures: dict[str, kpi.Figures]) -> dict[str, Figures]:
            return {key: Figures.of(f) for key, f in figures.items()}

        return cls(
            fiscal_year=report.fiscal_year,
            label=fiscal_year_display(report.fiscal_year),
            municipality=MunicipalityName(
                code=report.municipality, name=municipality(report.municipality).name
            )
            if report.municipality
            else None,
            definitions=DEFINITIONS,
            total=Figures.of(report.total),
            months=each(report.months),
            by_track={
                key: LabelledFigures(**asdict(f), label=labels.TRACK[Track(key)])
                for key, f in report.by_track.items()
            },
            by_municipality={
                code: MunicipalityFigures(**asdict(f), name=municipality(code).name)
                for code, f in report.by_municipality.items()
            },
            by_category={
                key: LabelledFigures(**asdict(f), label=labels.CATEGORY[Category(key)])
                for key, f in report.by_category.items()
            },
            baseline=Baseline(
                fiscal_year=kpi.BASELINE_FY,
                label=fiscal_year_display(kpi.BASELINE_FY),
                tracks={
                    track: {m: Comparison.model_validate(c) for m, c in metrics.items()}
                    for track, metrics in report.baseline.items()
                },
            ),
        )
