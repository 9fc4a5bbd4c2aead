"""Counts and the consultation list for the council, in the words the council reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from tosei_common.catalogue import labels
from tosei_common.catalogue.intake import Category
from tosei_common.region.fiscal import fiscal_year, fiscal_year_label, tokyo_date
from tosei_common.region.municipalities import REGION, municipality
from tosei_intake.domain.consultations import Consultation


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


def export_row(consultation: Consultation) -> list[Any]:
    """One consultation as a line of the council's list. Phone numbers and e-mail addresses
    are left out: the council needs to know who was helped with what, not how to call them."""
    c, legacy = consultation, consultation.legacy
    return [
        str(c.id),
        tokyo_date(c.consulted_at),
        fiscal_year_label(fiscal_year(c.consulted_at)),
        c.person_name,
        c.furigana,
        c.business_name,
        labels.STAGE[c.stage],
        municipality(c.municipality).name,
        labels.categories(c.categories),
        labels.CHANNEL[c.channel],
        c.description,
        c.consent_to_share,
        labels.ORIGIN[c.origin],
        labels.LEGACY_STATUS[legacy.status] if legacy else None,
        legacy.staff_name if legacy else None,
        c.created_by,
    ]
