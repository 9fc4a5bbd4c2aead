"""What the organisers read afterwards: attendance by role, town and mode, and the feedback."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.region.municipalities import REGION, municipality
from tosei_common.region.rounding import mean, ratio
from tosei_seminar.domain.labels import MODE_LABELS, ROLE_LABELS


@dataclass(frozen=True)
class Attendee:
    """One accepted registration, as the reports count it (no name needed)."""

    role: AttendeeRole
    municipality: str
    mode: AttendanceMode
    attended: bool


@dataclass(frozen=True)
class AttendanceRow:
    key: str
    label: str
    registered: int
    attended: int

    @property
    def rate(self) -> float | None:
        return ratio(self.attended, self.registered)


@dataclass(frozen=True)
class AttendanceReport:
    registered: int
    attended: int
    by_role: list[AttendanceRow]
    by_municipality: list[AttendanceRow]
    by_mode: list[AttendanceRow]

    @property
    def no_shows(self) -> int:
        return self.registered - self.attended


def attendance(attendees: Sequence[Attendee]) -> AttendanceReport:
    """Registered (accepted) and attended, by role, town and mode; every category listed."""

    def rows(keys: Iterable[tuple[str, str]], key_of: str) -> list[AttendanceRow]:
        registered = Counter(str(getattr(a, key_of)) for a in attendees)
        attended = Counter(str(getattr(a, key_of)) for a in attendees if a.attended)
        return [AttendanceRow(k, label, registered[k], attended[k]) for k, label in keys]

    return AttendanceReport(
        registered=len(attendees),
        attended=sum(1 for a in attendees if a.attended),
        by_role=rows(((r.value, ROLE_LABELS[r]) for r in AttendeeRole), "role"),
        by_municipality=rows(((m.code, m.name) for m in REGION), "municipality"),
        by_mode=rows(((m.value, MODE_LABELS[m]) for m in AttendanceMode), "mode"),
    )


def attended_counts(attendees: Sequence[Attendee]) -> tuple[dict[str, int], ...]:
    """Attendees per mode, municipality and role, for the ``seminar.held`` event."""
    present = [a for a in attendees if a.attended]
    return (
        dict(Counter(a.mode.value for a in present)),
        dict(Counter(a.municipality for a in present)),
        dict(Counter(a.role.value for a in present)),
    )


# feedback -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    role: AttendeeRole
    municipality: str
    satisfaction: int  # 1..5 満足度
    usefulness: int  # 1..5 業務・生活に役立つか
    comment: str | None


@dataclass(frozen=True)
class FeedbackComment:
    role: str
    municipality: str
    text: str


@dataclass(frozen=True)
class FeedbackSummary:
    responses: int
    attended: int
    satisfaction_mean: float | None
    usefulness_mean: float | None
    satisfaction_distribution: dict[int, int]
    usefulness_distribution: dict[int, int]
    satisfaction_by_role: dict[str, float]
    comments: list[FeedbackComment]

    @property
    def response_rate(self) -> float | None:
        return ratio(self.responses, self.attended)


def summarise_feedback(answers: Sequence[Feedback], attended: int) -> FeedbackSummary:
    """Means and 1–5 distributions, means per role, and the comments (role and town only);
    means and the response rate rounded half up (四捨五入)."""

    by_role: dict[str, list[int]] = {}
    for a in answers:
        by_role.setdefault(ROLE_LABELS[a.role], []).append(a.satisfaction)
    return FeedbackSummary(
        responses=len(answers),
        attended=attended,
        satisfaction_mean=mean([a.satisfaction for a in answers]),
        usefulness_mean=mean([a.usefulness for a in answers]),
        satisfaction_distribution={
            s: sum(a.satisfaction == s for a in answers) for s in range(1, 6)
        },
        usefulness_distribution={s: sum(a.usefulness == s for a in answers) for s in range(1, 6)},
        satisfaction_by_role={role: mean(v) or 0.0 for role, v in by_role.items()},
        comments=[
            FeedbackComment(ROLE_LABELS[a.role], municipality(a.municipality).name, a.comment)
            for a in answers
            if a.comment
        ],
    )
