"""The seminar's figures as those without access to the registrations read them: municipal
officers (the attendance report, the feedback summary) and integrators (``seminar.held``).

In a small town, or a rare role, a cell of one or two is a person: "今別町 1人", or the
satisfaction mean of the one physician who answered. The rule is
``tosei_common.region.small_cells``; this says what the cells are:

- Attendance: each row of a breakdown (a role, a town, a mode) counts people registered and
  attended; the rows of a breakdown partition the seminar's totals. A row is hidden whole
  (registered, attended and rate together: one without the other would say whether its one
  or two people came). The totals are hidden too when they are small themselves.
- Feedback: the answers per rating 1–5 partition the responses; a mean is hidden when fewer
  than threshold answered, or when a rating of its distribution is hidden (the mean and the
  shown ratings would give the hidden ones back); each role's mean by that role's answers.
- The held / corrected events: attendees per mode, town and role partition ``attended``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tosei_common.region.small_cells import Partition, hidden, hides_statistic, note
from tosei_seminar.domain.labels import ROLE_LABELS
from tosei_seminar.domain.reports import AttendanceReport, Feedback, FeedbackSummary

BREAKDOWNS = ("by_role", "by_municipality", "by_mode")
MEASURES = ("registered", "attended")


@dataclass(frozen=True)
class Hidden:
    """What is hidden from this reader: names like "by_role.physician" (a row),
    "satisfaction_by_role.医師" or "satisfaction_mean"."""

    threshold: int
    names: frozenset[str]

    @property
    def note(self) -> str:
        return note(self.threshold)

    def __contains__(self, name: object) -> bool:
        return name in self.names


def attendance_hidden(report: AttendanceReport, threshold: int) -> Hidden:
    """The rows (and totals) of the attendance report too small to show."""
    cells: dict[tuple[str, str], int] = {
        ("", "registered"): report.registered,
        ("", "attended"): report.attended,
    }
    partitions: list[Partition[tuple[str, str]]] = []
    linked: list[tuple[tuple[str, str], ...]] = [(("", "registered"), ("", "attended"))]
    for breakdown in BREAKDOWNS:
        rows = getattr(report, breakdown)
        for row in rows:
            name = f"{breakdown}.{row.key}"
            cells[(name, "registered")] = row.registered
            cells[(name, "attended")] = row.attended
            linked.append(((name, "registered"), (name, "attended")))
        for measure in MEASURES:
            parts = tuple((f"{breakdown}.{row.key}", measure) for row in rows)
            partitions.append(Partition(parts, ("", measure)))
    secret = hidden(cells, threshold, partitions, linked)
    names = {name or measure for name, measure in secret}
    return Hidden(threshold, frozenset(names))


def feedback_hidden(
    answers: Sequence[Feedback], summary: FeedbackSummary, threshold: int
) -> Hidden:
    """The ratings, means and roles' means of the feedback too few to show."""
    names: set[str] = set()
    for figure in ("satisfaction", "usefulness"):
        distribution: dict[int, int] = getattr(summary, f"{figure}_distribution")
        cells = {f"{figure}_distribution.{k}": n for k, n in distribution.items()}
        cells["responses"] = summary.responses
        parts = Partition(tuple(f"{figure}_distribution.{k}" for k in distribution), "responses")
        secret = hidden(cells, threshold, [parts])
        names |= secret - {"responses"}
        if hides_statistic(summary.responses, threshold) or secret:
            names.add(f"{figure}_mean")
    if hides_statistic(summary.responses, threshold):
        names.add("responses")
    per_role = Counter(ROLE_LABELS[a.role] for a in answers)
    names |= {
        f"satisfaction_by_role.{role}"
        for role in summary.satisfaction_by_role
        if hides_statistic(per_role[role], threshold)
    }
    return Hidden(threshold, frozenset(names))


def event_counts(
    attended: int, counts: Mapping[str, dict[str, int]], threshold: int
) -> tuple[dict[str, dict[str, int]], list[str]]:
    """The event's breakdowns (field → key → attendees) without the keys too small to
    publish, and their names ("attended_by_role.physician"), sorted."""
    cells = {(field, key): n for field, by in counts.items() for key, n in by.items()}
    cells[("", "attended")] = attended
    partitions = [
        Partition(tuple((field, key) for key in by), ("", "attended"))
        for field, by in counts.items()
    ]
    secret = hidden(cells, threshold, partitions) - {("", "attended")}
    kept = {
        field: {key: n for key, n in by.items() if (field, key) not in secret}
        for field, by in counts.items()
    }
    return kept, sorted(f"{field}.{key}" for field, key in secret)
