"""Venue sizing: the smallest candidate hall that holds the expected in-person audience.

Expected audience = registrations for the main venue (or the coordinator's expected turnout)
less the no-show rate; seats needed = that audience plus a safety margin, rounded up. The
recommendation is the candidate with the fewest seats that still has enough (then the cheaper),
and the answer says why in the words the coordinators use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from tosei_common.region.municipalities import municipality


@dataclass(frozen=True)
class Candidate:
    venue_id: UUID
    name: str
    municipality: str
    capacity: int
    fee: int


@dataclass(frozen=True)
class CandidateFit:
    candidate: Candidate
    fits: bool
    spare_seats: int  # negative: short by that many


@dataclass(frozen=True)
class Recommendation:
    basis: str  # "registrations" or "expected_turnout"
    registrations: int  # what the estimate starts from
    no_show_rate: float
    margin: float
    expected_audience: int
    seats_needed: int
    recommended: Candidate | None
    candidates: list[CandidateFit]
    reason: str


def seats_needed(demand: int, no_show_rate: float, margin: float) -> tuple[int, int]:
    """(expected audience, seats needed with the margin), both rounded up: a person is whole."""
    # Round before ceil so 100 x (1 - 0.1) is 90, not 90.00000000000001 → 91.
    expected = math.ceil(round(demand * (1 - no_show_rate), 6))
    return expected, math.ceil(round(expected * (1 + margin), 6))


def recommend(
    candidates: Sequence[Candidate],
    demand: int,
    *,
    no_show_rate: float,
    margin: float,
    basis: str,
) -> Recommendation:
    expected, needed = seats_needed(demand, no_show_rate, margin)
    fits = [CandidateFit(c, c.capacity >= needed, c.capacity - needed) for c in candidates]
    fits.sort(key=lambda f: (f.candidate.capacity, f.candidate.fee, f.candidate.name))
    chosen = next((f.candidate for f in fits if f.fits), None)
    source = "申込者数" if basis == "registrations" else "見込み参加者数"
    head = (
        f"会場参加の{source}{demand}人、欠席率{_percent(no_show_rate)}で来場見込み{expected}人、"
        f"余裕{_percent(margin)}を見て{needed}席が必要です。"
    )
    if not candidates:
        reason = head + "候補会場が登録されていません。"
    elif chosen is not None:
        smaller = [f for f in fits if not f.fits]
        why_not = (
            "より小さい候補（"
            + "、".join(f"{f.candidate.name} {f.candidate.capacity}席" for f in smaller)
            + "）では足りません。"
            if smaller
            else ""
        )
        reason = (
            head
            + f"{needed}席以上の候補のうち最も小さい「{chosen.name}」"
            + f"（{municipality(chosen.municipality).name}、{chosen.capacity}席、"
            + f"使用料{chosen.fee:,}円）を推奨します。"
            + why_not
        )
    else:
        largest = fits[-1].candidate
        reason = (
            head
            + f"最も大きい候補「{largest.name}」（{largest.capacity}席）でも"
            + f"{needed - largest.capacity}席足りません。より大きな会場を候補に加えるか、"
            + "サテライト会場・オンラインの案内を増やしてください。"
        )
    return Recommendation(
        basis=basis,
        registrations=demand,
        no_show_rate=no_show_rate,
        margin=margin,
        expected_audience=expected,
        seats_needed=needed,
        recommended=chosen,
        candidates=fits,
        reason=reason,
    )


def _percent(rate: float) -> str:
    return f"{round(rate * 100, 1):g}%"
