"""Query parameters shared by the consultation list, the counts and the export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query

from tosei_common.catalogue.intake import Category, Origin
from tosei_common.platform.errors import Unprocessable
from tosei_common.region.municipalities import UnknownMunicipality, resolve_municipality
from tosei_intake.db.queries import ConsultationFilter
from tosei_intake.domain import values
from tosei_intake.domain.periods import Period, period


@dataclass(frozen=True)
class Filters:
    where: ConsultationFilter
    period: Period


def consultation_filters(
    from_: Annotated[
        str | None,
        Query(
            alias="from",
            max_length=30,
            description="First day (inclusive), as typed: 2026-10-01, 令和8年10月1日, R8.10.1.",
        ),
    ] = None,
    to: Annotated[
        str | None, Query(max_length=30, description="Last day (inclusive), as typed.")
    ] = None,
    fiscal_year: Annotated[
        str | None,
        Query(
            max_length=20, description="A fiscal year instead of dates: 令和8年度, FY2026, 2026."
        ),
    ] = None,
    municipality: Annotated[
        str | None, Query(max_length=40, description="One municipality, as typed (外ケ浜町).")
    ] = None,
    category: Annotated[Category | None, Query()] = None,
    origin: Annotated[Origin | None, Query()] = None,
) -> Filters:
    code = None
    if municipality is not None and municipality.strip():
        try:
            code = resolve_municipality(values.text(municipality, max_length=40)).code
        except (UnknownMunicipality, ValueError) as exc:
            raise Unprocessable(str(exc), fields={"municipality": str(exc)}) from None
    span = period(from_, to, fiscal_year)
    where = ConsultationFilter(
        start=span.start, end=span.end, municipality=code, category=category, origin=origin
    )
    return Filters(where, span)
