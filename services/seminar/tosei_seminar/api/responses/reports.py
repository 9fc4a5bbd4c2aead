"""The organisers' reports: attendance, feedback, the history of changes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import Field

from tosei_seminar.api.responses.common import Out
from tosei_seminar.api.responses.seminars import SeminarSummary
from tosei_seminar.domain.history import Entry, summary
from tosei_seminar.domain.reports import AttendanceReport, AttendanceRow
from tosei_seminar.domain.seminar import Seminar
from tosei_seminar.domain.small_cells import Hidden
from tosei_seminar.handlers.reads import FeedbackRead


def _absent(value: object) -> bool:
    return value is None


class SmallCellsOut(Out):
    """Why some figures are null: groups of too few people are hidden (秘匿) from readers
    without access to the registrations (municipal officers)."""

    threshold: int = Field(description="Groups of fewer people than this are hidden.")
    note: str = Field(examples=["3人未満の区分は、個人が特定されないよう「―」（秘匿）としています"])
    suppressed: list[str] = Field(
        description="What is hidden (null): rows like 'by_role.physician', or figures like "
        "'satisfaction_mean' and 'satisfaction_by_role.医師'.",
        examples=[["by_municipality.023035", "by_role.physician"]],
    )

    @classmethod
    def of(cls, hidden: Hidden | None) -> SmallCellsOut | None:
        if hidden is None:
            return None
        return cls(threshold=hidden.threshold, note=hidden.note, suppressed=sorted(hidden.names))


_SMALL_CELLS = Field(
    default=None,
    exclude_if=_absent,
    description="Present when figures of few people are hidden from this reader.",
)


class AttendanceRowOut(Out):
    key: str
    label: str
    registered: int | None = Field(description="null: hidden (too few people, see small_cells)")
    attended: int | None
    rate: float | None


def _rows(
    breakdown: str, items: list[AttendanceRow], hidden: Hidden | None
) -> list[AttendanceRowOut]:
    def shown(i: AttendanceRow) -> bool:
        return hidden is None or f"{breakdown}.{i.key}" not in hidden

    return [
        AttendanceRowOut(
            key=i.key, label=i.label, registered=i.registered, attended=i.attended, rate=i.rate
        )
        if shown(i)
        else AttendanceRowOut(key=i.key, label=i.label, registered=None, attended=None, rate=None)
        for i in items
    ]


class AttendanceOut(Out):
    seminar: SeminarSummary
    registered: int | None
    attended: int | None
    no_shows: int | None
    by_role: list[AttendanceRowOut]
    by_municipality: list[AttendanceRowOut]
    by_mode: list[AttendanceRowOut]
    small_cells: SmallCellsOut | None = _SMALL_CELLS

    @classmethod
    def of(
        cls, seminar: Seminar, report: AttendanceReport, hidden: Hidden | None = None
    ) -> AttendanceOut:
        totals = hidden is None or "registered" not in hidden
        return cls(
            seminar=SeminarSummary.of(seminar),
            registered=report.registered if totals else None,
            attended=report.attended if totals else None,
            no_shows=report.no_shows if totals else None,
            by_role=_rows("by_role", report.by_role, hidden),
            by_municipality=_rows("by_municipality", report.by_municipality, hidden),
            by_mode=_rows("by_mode", report.by_mode, hidden),
            small_cells=SmallCellsOut.of(hidden),
        )


class Comment(Out):
    role: str
    municipality: str
    text: str


class FeedbackFigures(Out):
    seminar: SeminarSummary
    responses: int | None
    attended: int
    response_rate: float | None
    satisfaction_mean: float | None
    usefulness_mean: float | None
    satisfaction_distribution: dict[str, int | None]
    usefulness_distribution: dict[str, int | None]
    satisfaction_by_role: dict[str, float | None]
    small_cells: SmallCellsOut | None = _SMALL_CELLS


class FeedbackWithComments(FeedbackFigures):
    comments: list[Comment]


FeedbackOut = FeedbackWithComments | FeedbackFigures


def feedback_out(read: FeedbackRead) -> FeedbackOut:
    """The summary; the comments only for those who may read personal data."""
    summary = read.summary
    figures = {
        "seminar": SeminarSummary.of(read.seminar),
        "responses": summary.responses,
        "attended": summary.attended,
        "response_rate": summary.response_rate,
        "satisfaction_mean": summary.satisfaction_mean,
        "usefulness_mean": summary.usefulness_mean,
        "satisfaction_distribution": {
            str(k): v for k, v in summary.satisfaction_distribution.items()
        },
        "usefulness_distribution": {str(k): v for k, v in summary.usefulness_distribution.items()},
        "satisfaction_by_role": summary.satisfaction_by_role,
    }
    if read.hidden is not None:
        figures = _without(figures, read.hidden) | {"small_cells": SmallCellsOut.of(read.hidden)}
    if not read.with_comments:
        return FeedbackFigures.model_validate(figures)
    comments = [Comment(**asdict(c)) for c in summary.comments]
    return FeedbackWithComments.model_validate(figures | {"comments": comments})


def _without(figures: dict[str, Any], hidden: Hidden) -> dict[str, Any]:
    """The figures with those hidden from this reader null."""
    shown = {k: dict(v) if isinstance(v, dict) else v for k, v in figures.items()}
    for name in hidden.names:
        if "." in name:
            figure, key = name.split(".", 1)
            shown[figure][key] = None
        else:
            shown[name] = None
    if "responses" in hidden.names:
        shown["response_rate"] = None
    return shown


class Change(Out):
    at: str
    actor: str
    action: str
    summary: str = Field(description="What happened, in Japanese (names and seats, not ids).")
    detail: dict[str, object]
    reason: str | None


class HistoryOut(Out):
    changes: list[Change]

    @classmethod
    def of(cls, entries: list[Entry]) -> HistoryOut:
        return cls(
            changes=[
                Change(
                    at=e.at.isoformat(),
                    actor=e.actor,
                    action=e.action,
                    summary=summary(e),
                    detail=e.changes,
                    reason=e.reason,
                )
                for e in entries
            ]
        )
