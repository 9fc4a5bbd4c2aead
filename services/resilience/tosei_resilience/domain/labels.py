"""The Japanese words people see for the plan's codes (screens, CSV/xlsx headers, reports)."""

from __future__ import annotations

from tosei_common.catalogue import labels as catalogue_labels
from tosei_common.catalogue.resilience import Derivation
from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.inputs import check_text
from tosei_common.region.municipalities import (
    REGION,
    UnknownMunicipality,
    municipality,
    resolve_municipality,
)
from tosei_common.region.said import InputError
from tosei_common.region.text import tidy
from tosei_resilience.domain.revisions import RevisionKind, RevisionSource

#: How an item of the whole region (no single owning town) is shown.
REGION_NAME = "圏域全体"
#: Words that mean "the whole region" where a municipality is asked for.
REGION_WORDS = frozenset({REGION_NAME, "圏域", "東青圏域", "全域", "region"})

# The words other services and the console read too live in the catalogue's labels.
STATUS = catalogue_labels.PLAN_ITEM_STATUS
ITEM_FIELD = catalogue_labels.PLAN_ITEM_FIELD
PROGRAMME_FIELD = catalogue_labels.FUNDING_PROGRAMME_FIELD
CONDITION = catalogue_labels.FUNDING_CONDITION
RETIREMENT = catalogue_labels.RETIREMENT_REASON

DERIVATION = {Derivation.SPLIT: "分割", Derivation.MERGED: "統合"}

REVISION_KIND = {
    RevisionKind.ADDED: "追加",
    RevisionKind.REVISED: "変更",
    RevisionKind.RETIRED: "廃止",
}


REVISION_SOURCE = {RevisionSource.LIVE: "入力", RevisionSource.IMPORT: "取込"}


def owner_name(code: str | None) -> str:
    """The owning municipality's name, or 圏域全体 for an item of the whole region."""
    return REGION_NAME if code is None else municipality(code).name


def owner_code(text: str) -> str | None:
    """The six-digit code of the municipality ``text`` names, or None for the whole region."""
    typed = check_text(text, max_length=40)
    if tidy(typed).lower() in REGION_WORDS:
        return None
    try:
        return resolve_municipality(typed).code
    except UnknownMunicipality as exc:
        towns = "・".join(m.name for m in REGION)
        raise InputError(
            f"「{typed}」は東青圏域の市町村ではありません。{towns}のいずれか、"
            f"または圏域全体の事業なら{REGION_NAME}と入力してください",
            f"{exc}, or {REGION_NAME} for the whole region",
        ) from exc


def fiscal_years_text(first: int, last: int) -> str:
    """令和4年度～令和8年度, or one label when the item runs a single year."""
    if first == last:
        return fiscal_year_label(first)
    return f"{fiscal_year_label(first)}～{fiscal_year_label(last)}"


def field_names(fields: list[str]) -> str:
    """Changed plan-item field names in Japanese, joined as a person lists them."""
    return "、".join(_ITEM_FIELD_BY_NAME.get(f, f) for f in fields)


def programme_field_label(name: str) -> str:
    return _PROGRAMME_FIELD_BY_NAME.get(name, name)


_ITEM_FIELD_BY_NAME = {f.value: label for f, label in ITEM_FIELD.items()} | (
    catalogue_labels.PLAN_RETIREMENT_FIELD
)
_PROGRAMME_FIELD_BY_NAME = {f.value: label for f, label in PROGRAMME_FIELD.items()}
