"""Which town hosts the joint seminar in a fiscal year.

The host rotates in a fixed order from the first seminar (FY2021, Aomori City): 青森市, 平内町,
外ヶ浜町, then 青森市 again. When a town cannot host, the coordinators record an override with
its reason. An override changes that one year only: the other years keep the turns the order
gives them (two overrides swap two towns' turns).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from tosei_common.platform.errors import BadRequest, Conflict, Message, NotFound, Unprocessable
from tosei_common.region.fiscal import fiscal_year as fiscal_year_on
from tosei_common.region.fiscal import fiscal_year_display, fiscal_year_label, tokyo_date
from tosei_common.region.municipalities import (
    AOMORI,
    HIRANAI,
    SOTOGAHAMA,
    Municipality,
    municipality,
)
from tosei_seminar.domain.seminar import Seminar, SeminarState

ORDER: tuple[Municipality, ...] = (AOMORI, HIRANAI, SOTOGAHAMA)
FIRST_YEAR = 2021
LAST_YEAR = 2200  # far enough for any plan; bounds what people can ask for


@dataclass(frozen=True)
class Override:
    fiscal_year: int
    host: str  # municipality code
    reason: str
    set_by: str


@dataclass(frozen=True)
class RotationYear:
    fiscal_year: int
    host: Municipality
    by_rotation: Municipality  # whose turn the order says it is
    override: Override | None

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


def check_year(fiscal_year: int) -> int:
    """A fiscal year the rotation covers, or a 422 naming the field."""
    if not FIRST_YEAR <= fiscal_year <= LAST_YEAR:
        raise Unprocessable(
            f"合同研修会は{fiscal_year_display(FIRST_YEAR)}に始まりました。"
            f"{fiscal_year}年度は輪番の範囲外です",
            en=f"the joint seminar began in FY{FIRST_YEAR} ({fiscal_year_label(FIRST_YEAR)}); "
            f"FY{fiscal_year} is outside the rotation",
            fields={
                "fiscal_year": Message(
                    f"{FIRST_YEAR}年度から{LAST_YEAR}年度の間にしてください",
                    f"between {FIRST_YEAR} and {LAST_YEAR}",
                )
            },
        )
    return fiscal_year


def fiscal_year_of(at: datetime) -> int:
    """The fiscal year a moment falls in, in Japan."""
    return fiscal_year_on(tokyo_date(at))


def turn_of(fiscal_year: int) -> Municipality:
    """Whose turn it is by the order alone."""
    return ORDER[(check_year(fiscal_year) - FIRST_YEAR) % len(ORDER)]


def host_of(fiscal_year: int, overrides: Mapping[int, Override]) -> RotationYear:
    """The host of a fiscal year: the override when there is one, else the town whose turn it is."""
    by_rotation = turn_of(fiscal_year)
    override = overrides.get(fiscal_year)
    host = municipality(override.host) if override is not None else by_rotation
    return RotationYear(fiscal_year, host, by_rotation, override)


def upcoming(first: int, years: int, overrides: Mapping[int, Override]) -> list[RotationYear]:
    """``years`` consecutive fiscal years from ``first``, each with its host."""
    if not 1 <= years <= 50:
        raise Unprocessable(
            "1年から50年の間で指定してください",
            en="list 1 to 50 years",
            fields={"years": Message("1から50の間にしてください", "between 1 and 50")},
        )
    first = max(first, FIRST_YEAR)
    return [host_of(fy, overrides) for fy in range(first, min(first + years, LAST_YEAR + 1))]


def check_override(fiscal_year: int, host: Municipality, reason: str) -> None:
    """Refuse an override that names no reason or the town whose turn it is anyway."""
    check_year(fiscal_year)
    if not reason.strip():
        raise Unprocessable(
            "その町が当番を務められない理由を入力してください",
            en="say why the town cannot host",
            fields={"reason": Message("入力してください", "required")},
        )
    if host.code == turn_of(fiscal_year).code:
        raise BadRequest(
            f"{host.name}は輪番どおり{fiscal_year_label(fiscal_year)}の当番です。"
            "変更するときは別の町を指定してください",
            en=f"{host.name} hosts FY{fiscal_year} by the rotation already; "
            "an override names another town",
        )


@dataclass(frozen=True)
class OverrideChange:
    """An override set or removed, and the year's seminar with its new host (when it has one)."""

    fiscal_year: int
    override: Override | None  # None: removed, the town whose turn it is hosts
    host: Municipality
    seminar: Seminar | None


def change_override(
    fiscal_year: int,
    host: Municipality | None,
    reason: str | None,
    *,
    current: Override | None,
    seminar: Seminar | None,
    actor: str,
    at: datetime,
) -> OverrideChange:
    """Set the override of a year (``host`` and ``reason``), or remove it (``host`` None).

    The year's seminar follows its host while it is planned; once scheduled its host is fixed.
    A year that is over keeps the host it had: the rotation's past is a record, not a plan.
    """
    if host is not None:
        check_override(fiscal_year, host, reason or "")
    check_year(fiscal_year)
    this_year = fiscal_year_of(at)
    if fiscal_year < this_year:
        raise Conflict(
            f"{fiscal_year_label(fiscal_year)}は終わった年度です。過去の年度の当番は記録として"
            f"残すため変更できません（変更できるのは{fiscal_year_label(this_year)}以降です）",
            en=f"FY{fiscal_year} is over: its host is a matter of record and cannot change "
            f"(from FY{this_year} on it can)",
            reason="year_over",
        )
    if seminar is not None and seminar.state is not SeminarState.PLANNED:
        raise Conflict(
            f"{fiscal_year_label(fiscal_year)}の研修会はすでに「{seminar.state.label}」で当番が"
            "決まっています。当番を変えられるのは企画中のあいだだけです",
            en=f"the FY{fiscal_year} seminar is {seminar.state.value} already with its host; "
            "the host can change only while it is planned",
        )
    if host is None:
        if current is None:
            raise NotFound(
                f"{fiscal_year_label(fiscal_year)}には当番の変更がありません",
                en=f"FY{fiscal_year} has no override",
            )
        override, new_host = None, turn_of(fiscal_year)
    else:
        override, new_host = Override(fiscal_year, host.code, reason or "", actor), host
    moved = seminar.changed(actor, at, host_municipality=new_host.code) if seminar else None
    return OverrideChange(fiscal_year, override, new_host, moved)
