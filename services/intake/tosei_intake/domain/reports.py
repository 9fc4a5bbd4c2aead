"""Counts and the consultation list for the council, in the words the council reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin
from tosei_common.region.fiscal import fiscal_year, fiscal_year_label, tokyo_date
from tosei_common.region.municipalities import REGION, municipality
from tosei_intake.domain import labels


class CountBy(StrEnum):
    DAY = "day"
    MUNICIPALITY = "municipality"
    CATEGORY = "category"


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


def count_rows(by: CountBy, counted: Mapping[Any, int]) -> list[CountRow]:
    """Counts in the order reports list them. Every municipality and every category appears,
    with 0 where there were none (a council table has all five towns); days only when counted.
    """
    if by is CountBy.MUNICIPALITY:
        return [CountRow(m.code, m.name, counted.get(m.code, 0)) for m in REGION]
    if by is CountBy.CATEGORY:
        return [CountRow(c.value, labels.CATEGORY[c], counted.get(c.value, 0)) for c in Category]
    days: list[date] = sorted(counted)
    return [CountRow(d.isoformat(), f"{d.month}月{d.day}日", counted[d]) for d in days]


EXPORT_HEADER = (
    "受付番号",
    "受付日",
    "年度",
    "相談者名",
    "ふりがな",
    "事業者名",
    "事業段階",
    "市町村",
    "相談区分",
    "相談経路",
    "相談内容",
    "外部専門家への共有同意",
    "受付元",
    "旧窓口の状況",
    "旧担当者",
    "登録者",
)


def export_row(row: Any) -> list[Any]:
    """One consultation as a line of the council's list. Phone numbers and e-mail addresses
    are left out: the council needs to know who was helped with what, not how to call them."""
    consulted_at: datetime = row["consulted_at"]
    legacy_status = row["legacy_status"]
    return [
        str(row["id"]),
        tokyo_date(consulted_at),
        fiscal_year_label(fiscal_year(consulted_at)),
        row["person_name"],
        row["furigana"],
        row["business_name"],
        labels.STAGE[BusinessStage(row["stage"])],
        municipality(row["municipality"]).name,
        [labels.CATEGORY[Category(c)] for c in row["categories"]],
        labels.CHANNEL[Channel(row["channel"])],
        row["description"],
        row["consent_to_share"],
        labels.ORIGIN[Origin(row["origin"])],
        labels.LEGACY_STATUS[LegacyStatus(legacy_status)] if legacy_status else None,
        row["legacy_staff_name"],
        row["created_by"],
    ]
