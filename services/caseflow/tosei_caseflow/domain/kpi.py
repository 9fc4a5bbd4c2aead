"""The council's KPIs: figures of a fiscal year and its months, by track, municipality, category.

Definitions (they are printed in the report too):

- 相談件数 (consultations): sessions held in the period (each meeting of an expert and a client).
- 新規案件数 (new cases): cases opened in the period, new desk and handed-over apart.
- 来訪相談者数 (distinct clients, 実相談者数): clients with a case opened or a session held in
  the period; リピート相談者数 (repeat clients): those consulted on two or more different days
  in the period (sessions, as 延べ相談件数 counts them: registering at the desk and a first
  session on the same day is one visit, not a repeat).
- 創業者数 (founders): cases with a "business founded" outcome achieved in the period.
- 満足度 (satisfaction): ratings (1–5) given when cases closed in the period; a case closed
  more than once (reopened) counts its latest closing only, and a closing the client did not
  rate counts as 回答なし (not answered). The mean is rounded half up (四捨五入) to 2 decimals,
  as the ratios to the baseline are to 3.
- median days to first session: for cases opened in the period that had a session.

Per-track figures use the track each fact had when it happened (a case transferred from the
startup to the SME track counts its earlier sessions for startup). Municipality and category
figures follow the case.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from tosei_common.catalogue.caseflow import OutcomeType, ReferralStatus, Track
from tosei_common.catalogue.intake import Category, Origin
from tosei_common.region.fiscal import fiscal_year_bounds
from tosei_common.region.rounding import mean, ratio

#: What the two old desks reported for FY2019, the year before they merged.
BASELINE_FY = 2019
BASELINE: dict[Track, dict[str, int]] = {
    Track.STARTUP: {"consultations": 500, "founders": 20},
    Track.SME: {"consultations": 244},
}


@dataclass(frozen=True)
class CaseFact:
    case_id: UUID
    client_id: UUID
    opened_on: date
    origin: Origin
    track: Track  # the track triage gave it when it opened
    municipality: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class SessionFact:
    case_id: UUID
    held_on: date
    track: Track


@dataclass(frozen=True)
class OutcomeFact:
    case_id: UUID
    type: OutcomeType
    achieved_on: date
    jobs: int | None
    track: Track


@dataclass(frozen=True)
class CloseFact:
    case_id: UUID
    closed_on: date
    satisfaction: int | None
    track: Track


@dataclass(frozen=True)
class TransferFact:
    case_id: UUID
    on: date
    from_track: Track
    to_track: Track


@dataclass(frozen=True)
class ReferralFact:
    case_id: UUID
    requested_on: date
    completed_on: date | None
    status: ReferralStatus
    track: Track


@dataclass(frozen=True)
class Facts:
    cases: tuple[CaseFact, ...] = ()
    sessions: tuple[SessionFact, ...] = ()
    outcomes: tuple[OutcomeFact, ...] = ()
    closes: tuple[CloseFact, ...] = ()
    transfers: tuple[TransferFact, ...] = ()
    referrals: tuple[ReferralFact, ...] = ()

    def of_cases(self, keep: Callable[[CaseFact], bool]) -> Facts:
        """Only the facts of the cases ``keep`` accepts."""
        ids = {c.case_id for c in self.cases if keep(c)}
        return Facts(
            cases=tuple(c for c in self.cases if c.case_id in ids),
            sessions=tuple(s for s in self.sessions if s.case_id in ids),
            outcomes=tuple(o for o in self.outcomes if o.case_id in ids),
            closes=tuple(c for c in self.closes if c.case_id in ids),
            transfers=tuple(t for t in self.transfers if t.case_id in ids),
            referrals=tuple(r for r in self.referrals if r.case_id in ids),
        )

    def track_on(self, case_id: UUID, day: date, recorded: Track) -> Track:
        """The track a case had on ``day``: the one it opened with, moved by each transfer
        before that day. Sessions and outcomes are entered after the fact (a founding recorded
        once the case has moved to the SME experts still happened on the startup track). On
        the very day of a transfer the dates cannot tell before from after, so the track the
        fact was recorded with decides."""
        moves = sorted((t for t in self.transfers if t.case_id == case_id), key=lambda t: t.on)
        if any(t.on == day for t in moves):
            return recorded
        opened = next((c.track for c in self.cases if c.case_id == case_id), recorded)
        track = opened
        for move in moves:
            if move.on < day:
                track = move.to_track
        return track

    def of_track(self, track: Track) -> Facts:
        """Each fact in the track it had when it happened."""
        return Facts(
            cases=tuple(c for c in self.cases if c.track is track),
            sessions=tuple(
                s for s in self.sessions if self.track_on(s.case_id, s.held_on, s.track) is track
            ),
            outcomes=tuple(
                o
                for o in self.outcomes
                if self.track_on(o.case_id, o.achieved_on, o.track) is track
            ),
            closes=tuple(c for c in self.closes if c.track is track),
            transfers=tuple(t for t in self.transfers if t.from_track is track),
            referrals=tuple(r for r in self.referrals if r.track is track),
        )


@dataclass
class Figures:
    consultations: int = 0
    new_cases: int = 0
    new_cases_by_origin: dict[str, int] = field(default_factory=dict)
    distinct_clients: int = 0
    repeat_clients: int = 0
    founders: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    jobs_created: int = 0
    satisfaction_ratings: int = 0
    satisfaction_not_answered: int = 0
    satisfaction_average: float | None = None
    satisfaction_distribution: dict[str, int] = field(default_factory=dict)
    transfers: int = 0
    referrals_requested: int = 0
    referrals_completed: int = 0
    median_days_to_first_session: float | None = None
    #: The cases the median is of (its base: not shown, decides whether the median may be).
    first_session_waits: int = 0


def figures(facts: Facts, first: date, last: date, *, first_sessions: dict[UUID, date]) -> Figures:
    """The figures of the period [first, last] (both days included)."""

    def within(day: date) -> bool:
        return first <= day <= last

    opened = [c for c in facts.cases if within(c.opened_on)]
    sessions = [s for s in facts.sessions if within(s.held_on)]
    client_of = {c.case_id: c.client_id for c in facts.cases}
    contacts = {c.client_id for c in opened}
    consulted_days: dict[UUID, set[date]] = {}
    for s in sessions:
        if s.case_id in client_of:
            contacts.add(client_of[s.case_id])
            consulted_days.setdefault(client_of[s.case_id], set()).add(s.held_on)
    outcomes = [o for o in facts.outcomes if within(o.achieved_on)]
    closes = [c for c in facts.closes if within(c.closed_on)]
    ratings = [c.satisfaction for c in closes if c.satisfaction is not None]
    not_answered = sum(1 for c in closes if c.satisfaction is None)
    # A session dated before its case opened is refused now; one recorded before that rule
    # contradicts time and tells nothing about the wait.
    waits = [
        days
        for c in opened
        if c.case_id in first_sessions
        and (days := (first_sessions[c.case_id] - c.opened_on).days) >= 0
    ]
    return Figures(
        consultations=len(sessions),
        new_cases=len(opened),
        new_cases_by_origin=dict(sorted(Counter(c.origin.value for c in opened).items())),
        distinct_clients=len(contacts),
        repeat_clients=sum(1 for days in consulted_days.values() if len(days) >= 2),
        founders=len({o.case_id for o in outcomes if o.type is OutcomeType.FOUNDED}),
        outcomes=dict(sorted(Counter(o.type.value for o in outcomes).items())),
        jobs_created=sum(o.jobs or 0 for o in outcomes if o.type is OutcomeType.JOBS_CREATED),
        satisfaction_ratings=len(ratings),
        satisfaction_not_answered=not_answered,
        satisfaction_average=mean(ratings),
        satisfaction_distribution={str(k): v for k, v in sorted(Counter(ratings).items())},
        transfers=sum(1 for t in facts.transfers if within(t.on)),
        referrals_requested=sum(1 for r in facts.referrals if within(r.requested_on)),
        referrals_completed=sum(
            1 for r in facts.referrals if r.completed_on is not None and within(r.completed_on)
        ),
        median_days_to_first_session=float(statistics.median(waits)) if waits else None,
        first_session_waits=len(waits),
    )


def months_of(fy: int) -> list[tuple[int, int]]:
    """(year, month) of a fiscal year's months, April first."""
    return [(fy, m) for m in range(4, 13)] + [(fy + 1, m) for m in range(1, 4)]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    last_day = date(year + month // 12, month % 12 + 1, 1) - date.resolution
    return date(year, month, 1), last_day


@dataclass
class Report:
    fiscal_year: int
    municipality: str | None  # one town's report (a municipal officer's), or the region's
    total: Figures
    months: dict[str, Figures]
    by_track: dict[str, Figures]
    by_municipality: dict[str, Figures]
    by_category: dict[str, Figures]
    baseline: dict[str, dict[str, dict[str, float | int | None]]]
    #: The breakdowns month by month (for the spreadsheet): {"startup": {"2026-04": …}}.
    monthly: dict[str, dict[str, dict[str, Figures]]] = field(default_factory=dict)
    #: For readers without access to the records: the figures hidden in each cell, by the
    #: cell's place in the report (``kpi_cells``); None: nothing is hidden from this reader.
    hidden: dict[tuple[str, ...], frozenset[str]] | None = None
    #: The threshold the hidden cells are below (with ``hidden``).
    small_cell_threshold: int | None = None

    def hidden_in(self, *place: str) -> frozenset[str] | None:
        """What is hidden in the cell at ``place`` (e.g. "by_track", "sme"); None: nothing
        is hidden from this reader."""
        return None if self.hidden is None else self.hidden.get(place, frozenset())


def first_session_days(sessions: Iterable[SessionFact]) -> dict[UUID, date]:
    firsts: dict[UUID, date] = {}
    for s in sessions:
        if s.case_id not in firsts or s.held_on < firsts[s.case_id]:
            firsts[s.case_id] = s.held_on
    return firsts


def latest_closes(closes: Iterable[CloseFact]) -> tuple[CloseFact, ...]:
    """Each case's last closing: a case reopened and closed again is rated once."""
    latest: dict[UUID, CloseFact] = {}
    for close in closes:
        if close.case_id not in latest or close.closed_on >= latest[close.case_id].closed_on:
            latest[close.case_id] = close
    return tuple(latest.values())


def report(
    facts: Facts, fy: int, *, municipality: str | None = None, monthly: bool = False
) -> Report:
    """The KPI report of fiscal year ``fy``: the region's, or one ``municipality``'s;
    ``monthly`` adds each breakdown month by month (the spreadsheet has a column per month)."""
    first, last = fiscal_year_bounds(fy)
    if municipality is not None:
        facts = facts.of_cases(_in(municipality))
    facts = replace(facts, closes=latest_closes(facts.closes))
    firsts = first_session_days(facts.sessions)

    def of(subset: Facts, a: date = first, b: date = last) -> Figures:
        return figures(subset, a, b, first_sessions=firsts)

    def each_month(subset: Facts) -> dict[str, Figures]:
        return {f"{y}-{m:02d}": of(subset, *month_bounds(y, m)) for y, m in months_of(fy)}

    tracks = {t.value: facts.of_track(t) for t in Track}
    towns = {
        code: facts.of_cases(_in(code)) for code in sorted({c.municipality for c in facts.cases})
    }
    topics = {
        c.value: facts.of_cases(_about(c))
        for c in Category
        if any(c in f.categories for f in facts.cases)
    }
    by_track = {key: of(subset) for key, subset in tracks.items()}
    breakdowns = {"track": tracks, "municipality": towns, "category": topics}
    return Report(
        fiscal_year=fy,
        municipality=municipality,
        total=of(facts),
        months=each_month(facts),
        by_track=by_track,
        by_municipality={key: of(subset) for key, subset in towns.items()},
        by_category={key: of(subset) for key, subset in topics.items()},
        baseline=compare_with_baseline(by_track),
        monthly={
            kind: {key: each_month(subset) for key, subset in subsets.items()}
            for kind, subsets in breakdowns.items()
        }
        if monthly
        else {},
    )


def _in(municipality: str) -> Callable[[CaseFact], bool]:
    return lambda case: case.municipality == municipality


def _about(category: Category) -> Callable[[CaseFact], bool]:
    return lambda case: category in case.categories


def compare_with_baseline(
    by_track: dict[str, Figures],
) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """Each track's figures beside what its old desk did in FY2019, and the ratio."""
    comparison: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for track, wanted in BASELINE.items():
        now = by_track[track.value]
        comparison[track.value] = {}
        for metric, before in wanted.items():
            value = int(getattr(now, metric))
            comparison[track.value][metric] = {
                "value": value,
                "baseline": before,
                "ratio": ratio(value, before),
            }
    return comparison
