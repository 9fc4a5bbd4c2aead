"""Which KPI figures a reader without access to the records may not see (small cells).

A municipal officer reads their town's report: in a small town a cell of one or two names a
client ("今別町, 創業, 6月: 1人"). The rule is ``tosei_common.region.small_cells``; this says what
the report's cells, partitions and statistics are.

- Every count of the report counts people, or facts each belonging to one client — a case,
  a session (相談件数 counts visits, so 1 or 2 is one or two people), an outcome, a rating or
  a closing left unrated, a transfer, a referral — so each is hidden when 1 ≤ n < threshold:
  consultations, new_cases, new_cases_by_origin.*, distinct_clients, repeat_clients,
  founders, outcomes.*, satisfaction_ratings, satisfaction_not_answered,
  satisfaction_distribution.*, transfers, referrals_requested, referrals_completed.
- Partitions (secondary suppression): the twelve months of a year (the year's figure and
  each breakdown's), the two tracks and the towns of a total, month by month too; within a
  cell, the origins of new_cases and the ratings 1–5 of satisfaction_ratings. Categories
  overlap (a case has several) and 来訪相談者数 / リピート相談者数 do not add up over months or
  tracks (one client in two months is one client of the year): primary suppression only.
- Statistics: 満足度平均 is hidden when fewer than threshold ratings were given, or when a
  cell of its distribution is hidden (the mean and the shown ratings would give the hidden
  ones back); the median days to a first session when fewer than threshold cases are its base;
  雇用創出数 (a sum of jobs, not of people) whenever the count of its outcomes is hidden.
- Linked: 創業者数 and the count of "founded" outcomes are the same cases; a town's report
  shows the town's row beside the total, the same figures.
"""

from __future__ import annotations

from dataclasses import replace

from tosei_caseflow.domain import kpi
from tosei_common.region.small_cells import Partition, hidden, hides_statistic

Place = tuple[str, ...]
Cell = tuple[Place, str]

COUNTS = (
    "consultations",
    "new_cases",
    "distinct_clients",
    "repeat_clients",
    "founders",
    "satisfaction_ratings",
    "satisfaction_not_answered",
    "transfers",
    "referrals_requested",
    "referrals_completed",
)
#: Figures that are counts by kind: each entry a count (named "outcomes.founded").
COUNTED_BY_KIND = ("new_cases_by_origin", "outcomes", "satisfaction_distribution")
#: A client of two months (tracks) is one client of the year: these do not add up.
NOT_ADDITIVE = frozenset({"distinct_clients", "repeat_clients"})
#: Counts by kind that add up to another figure of the same cell.
PARTS_OF = {"new_cases_by_origin": "new_cases", "satisfaction_distribution": "satisfaction_ratings"}
#: Breakdowns that partition the whole desk (by_category overlaps), with their monthly name.
PARTITIONING = (("by_track", "track"), ("by_municipality", "municipality"))
BREAKDOWNS = (*PARTITIONING, ("by_category", "category"))


def value(figures: kpi.Figures, name: str) -> int | float | None:
    """A figure by its name: "consultations", or "outcomes.founded" for one count by kind."""
    if "." in name:
        kind, key = name.split(".", 1)
        counted: dict[str, int] = getattr(figures, kind)
        return counted.get(key, 0)
    shown: int | float | None = getattr(figures, name)
    return shown


def places(report: kpi.Report) -> dict[Place, kpi.Figures]:
    """Every cell of the report by its place: ("total",), ("months", "2026-04"),
    ("by_track", "sme"), ("monthly", "track", "sme", "2026-04")…"""
    at: dict[Place, kpi.Figures] = {("total",): report.total}
    at |= {("months", month): f for month, f in report.months.items()}
    for attr, kind in BREAKDOWNS:
        breakdown: dict[str, kpi.Figures] = getattr(report, attr)
        for key, f in breakdown.items():
            at[(attr, key)] = f
            for month, mf in report.monthly.get(kind, {}).get(key, {}).items():
                at[("monthly", kind, key, month)] = mf
    return at


def hidden_figures(report: kpi.Report, threshold: int) -> dict[Place, frozenset[str]]:
    """What to hide in each cell of ``report`` from a reader without access to the records."""
    at = places(report)
    names = _names(at)
    cells: dict[Cell, int] = {
        (place, name): int(value(f, name) or 0) for place, f in at.items() for name in names
    }
    secret = hidden(
        cells, threshold, _partitions(report, at, names, cells), _links(report, at, names)
    )
    return {
        place: frozenset(
            {n for n in names if (place, n) in secret} | _statistics(f, place, secret, threshold)
        )
        for place, f in at.items()
    }


def _names(at: dict[Place, kpi.Figures]) -> list[str]:
    names = list(COUNTS)
    for kind in COUNTED_BY_KIND:
        keys = sorted({k for f in at.values() for k in getattr(f, kind)})
        names += [f"{kind}.{k}" for k in keys]
    return names


def _partitions(
    report: kpi.Report, at: dict[Place, kpi.Figures], names: list[str], cells: dict[Cell, int]
) -> list[Partition[Cell]]:
    additive = [n for n in names if n not in NOT_ADDITIVE]
    months = list(report.months)
    partitions: list[Partition[Cell]] = []

    def adding_up(parts: list[Place], whole: Place, of: list[str]) -> None:
        if all((p, of[0]) in cells for p in parts):
            partitions.extend(Partition(tuple((p, n) for p in parts), (whole, n)) for n in of)

    adding_up([("months", m) for m in months], ("total",), additive)
    for attr, kind in BREAKDOWNS:
        for key in getattr(report, attr):
            adding_up([("monthly", kind, key, m) for m in months], (attr, key), additive)
    for attr, kind in PARTITIONING:
        keys = list(getattr(report, attr))
        adding_up([(attr, k) for k in keys], ("total",), additive)
        for m in months:
            adding_up([("monthly", kind, k, m) for k in keys], ("months", m), additive)
    for place in at:
        for kind, whole in PARTS_OF.items():
            parts = tuple((place, n) for n in names if n.startswith(f"{kind}."))
            partitions.append(Partition(parts, (place, whole)))
    return partitions


def _links(
    report: kpi.Report, at: dict[Place, kpi.Figures], names: list[str]
) -> list[tuple[Cell, ...]]:
    linked: list[tuple[Cell, ...]] = []
    if "outcomes.founded" in names:
        linked += [((place, "founders"), (place, "outcomes.founded")) for place in at]
    if report.municipality is not None:  # a town's report: the town's row is the total
        town = report.municipality
        same: list[tuple[Place, Place]] = [(("total",), ("by_municipality", town))]
        same += [(("months", m), ("monthly", "municipality", town, m)) for m in report.months]
        linked += [((a, n), (b, n)) for a, b in same if a in at and b in at for n in names]
    return linked


def _statistics(f: kpi.Figures, place: Place, secret: frozenset[Cell], threshold: int) -> set[str]:
    shut: set[str] = set()
    distribution_hidden = any(
        p == place and n.startswith("satisfaction_distribution.") for p, n in secret
    )
    if hides_statistic(f.satisfaction_ratings, threshold) or distribution_hidden:
        shut.add("satisfaction_average")
    if hides_statistic(f.first_session_waits, threshold):
        shut.add("median_days_to_first_session")
    if (place, "outcomes.jobs_created") in secret:
        shut.add("jobs_created")
    return shut


def suppress(report: kpi.Report, threshold: int) -> kpi.Report:
    """The report as a reader without access to the records reads it: its small cells hidden."""
    return replace(report, hidden=hidden_figures(report, threshold), small_cell_threshold=threshold)
