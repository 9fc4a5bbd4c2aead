"""Venue sizing: the smallest candidate hall that holds the expected in-person audience.

Expected audience = the demand for the main venue less the no-show rate; seats needed = that
audience plus a safety margin, rounded up. The demand is, in this order: the coordinator's
expected turnout; the registrations so far; last year's seminar's registrations at its venue,
with the share of them that stayed away. With none of these there is nothing to size from, and
the answer asks for an expected turnout. The recommendation is the candidate with the fewest
seats that still has enough (then the cheaper), and the answer says why in the words the
coordinators use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.municipalities import municipality
from tosei_common.region.rounding import half_up, ratio

#: The share of registrants who do not come, when nothing better is known.
DEFAULT_NO_SHOW_RATE = 0.1


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
class PastTurnout:
    """Last year's seminar at its main venue: who registered, who came."""

    fiscal_year: int
    registered: int
    attended: int

    @property
    def no_show_rate(self) -> float:
        stayed_away = ratio(self.registered - self.attended, self.registered)
        return 0.0 if stayed_away is None else stayed_away


@dataclass(frozen=True)
class Demand:
    """How many people the main venue should expect before no-shows, and on what basis."""

    basis: str  # "expected_turnout", "registrations" or "last_year"
    people: int
    no_show_rate: float
    words: str  # the head of the reason, up to the people


def demand(
    *,
    expected_turnout: int | None,
    registrations: int,
    last_year: PastTurnout | None,
    no_show_rate: float | None,
) -> Demand:
    """The basis the sizing uses: the one the coordinator gave, else what is known, best first."""
    if expected_turnout is not None:
        rate = DEFAULT_NO_SHOW_RATE if no_show_rate is None else no_show_rate
        return Demand("expected_turnout", expected_turnout, rate, "会場参加の見込み参加者数")
    if registrations:
        rate = DEFAULT_NO_SHOW_RATE if no_show_rate is None else no_show_rate
        return Demand("registrations", registrations, rate, "会場参加の申込者数")
    if last_year is not None and last_year.registered:
        rate = last_year.no_show_rate if no_show_rate is None else no_show_rate
        label = fiscal_year_label(last_year.fiscal_year)
        return Demand(
            "last_year",
            last_year.registered,
            rate,
            f"まだ申込がないため昨年度（{label}）の実績で見積もります。昨年度の会場参加の申込者数",
        )
    raise Unprocessable(
        "会場の規模を見積もる根拠がありません（会場参加の申込がまだなく、昨年度の開催実績も"
        "ありません）。見込み参加者数（expected_turnout）を指定してください",
        en="nothing to size the venue from (no registrations for the venue yet, no seminar held "
        "last year): give an expected turnout",
        fields={
            "expected_turnout": Message(
                "会場参加の見込み人数を入力してください", "the expected number at the venue"
            )
        },
    )


@dataclass(frozen=True)
class Recommendation:
    basis: str  # "expected_turnout", "registrations" or "last_year"
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


def recommend(candidates: Sequence[Candidate], wanted: Demand, *, margin: float) -> Recommendation:
    no_show_rate = wanted.no_show_rate
    expected, needed = seats_needed(wanted.people, no_show_rate, margin)
    fits = [CandidateFit(c, c.capacity >= needed, c.capacity - needed) for c in candidates]
    fits.sort(key=lambda f: (f.candidate.capacity, f.candidate.fee, f.candidate.name))
    chosen = next((f.candidate for f in fits if f.fits), None)
    head = (
        f"{wanted.words}{wanted.people}人、欠席率{_percent(no_show_rate)}で来場見込み{expected}人、"
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
        basis=wanted.basis,
        registrations=wanted.people,
        no_show_rate=no_show_rate,
        margin=margin,
        expected_audience=expected,
        seats_needed=needed,
        recommended=chosen,
        candidates=fits,
        reason=reason,
    )


def _percent(rate: float) -> str:
    shown = half_up(Decimal(str(rate)) * 100, 1).normalize()
    return f"{shown:f}%"
