"""The organisers' reports: attendance, feedback, the history of changes."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import Field

from tosei_seminar.api.responses.common import Out
from tosei_seminar.api.responses.seminars import SeminarSummary
from tosei_seminar.domain.history import Entry, summary
from tosei_seminar.domain.reports import AttendanceReport, AttendanceRow
from tosei_seminar.domain.seminar import Seminar
from tosei_seminar.handlers.reads import FeedbackRead


class AttendanceRowOut(Out):
    key: str
    label: str
    registered: int
    attended: int
    rate: float | None


def _rows(items: list[AttendanceRow]) -> list[AttendanceRowOut]:
    return [
        AttendanceRowOut(
            key=i.key, label=i.label, registered=i.registered, attended=i.attended, rate=i.rate
        )
        for i in items
    ]


class AttendanceOut(Out):
    seminar: SeminarSummary
    registered: int
    attended: int
    no_shows: int
    by_role: list[AttendanceRowOut]
    by_municipality: list[AttendanceRowOut]
    by_mode: list[AttendanceRowOut]

    @classmethod
    def of(cls, seminar: Seminar, report: AttendanceReport) -> AttendanceOut:
        return cls(
            seminar=SeminarSummary.of(seminar),
            registered=report.registered,
            attended=report.attended,
            no_shows=report.no_shows,
            by_role=_rows(report.by_role),
            by_municipality=_rows(report.by_municipality),
            by_mode=_rows(report.by_mode),
        )


class Comment(Out):
    role: str
    municipality: str
    text: str


class FeedbackFigures(Out):
    seminar: SeminarSummary
    responses: int
    attended: int
    response_rate: float | None
    satisfaction_mean: float | None
    usefulness_mean: float | None
    satisfaction_distribution: dict[str, int]
    usefulness_distribution: dict[str, int]
    satisfaction_by_role: dict[str, float]


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
    if not read.with_comments:
        return FeedbackFigures.model_validate(figures)
    comments = [Comment(**asdict(c)) for c in summary.comments]
    return FeedbackWithComments.model_validate(figures | {"comments": comments})


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
