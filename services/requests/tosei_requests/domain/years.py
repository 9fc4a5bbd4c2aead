"""The fiscal years of the programme: drafting of a year's requests opens when a coordinator says
so, at the earliest in the year before (the requests are drafted for the coming autumn)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tosei_common.platform.errors import Conflict, Message, Unprocessable
from tosei_common.region.fiscal import fiscal_year_label


@dataclass(frozen=True)
class RequestYear:
    fiscal_year: int
    opened_at: datetime
    opened_by: str


def open_year(
    fiscal_year: int, existing: RequestYear | None, *, current_year: int, at: datetime, actor: str
) -> RequestYear:
    label = fiscal_year_label(fiscal_year)
    if existing is not None:
        raise Conflict(
            f"{label}の要望の作成はすでに始まっています",
            en=f"drafting for fiscal year {fiscal_year} is open already",
            fields={"fiscal_year": Message("開始済みです", "open already")},
        )
    if fiscal_year > current_year + 1:
        raise Unprocessable(
            f"{label}はまだ先です。開始できるのは{fiscal_year_label(current_year + 1)}までです",
            en=f"fiscal year {fiscal_year} is too far ahead (up to {current_year + 1})",
            fields={
                "fiscal_year": Message(
                    f"{fiscal_year_label(current_year + 1)}までにしてください",
                    f"at most {current_year + 1}",
                )
            },
        )
    return RequestYear(fiscal_year, at, actor)
