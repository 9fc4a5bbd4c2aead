"""How the requests service names things on screen and in the request book (Japanese)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tosei_common.catalogue.labels import PLAN_ITEM_STATUS
from tosei_common.catalogue.requests import AnswerStatus, RequestDerivation
from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.region.municipalities import REGION, municipality
from tosei_requests.domain.status import ItemStatus

STATUS: Mapping[ItemStatus, str] = {
    ItemStatus.DRAFT: "作成中",
    ItemStatus.SUBMITTED: "提出済み",
    ItemStatus.ADOPTED: "採択",
    ItemStatus.RETURNED: "差戻し",
    ItemStatus.WITHDRAWN: "取下げ",
}

ANSWER: Mapping[AnswerStatus, str] = {
    AnswerStatus.DONE_OR_PLANNED: "措置済み・対応予定",
    AnswerStatus.UNDER_STUDY: "検討中",
    AnswerStatus.DIFFICULT: "困難",
    AnswerStatus.OTHER: "その他",
}

DERIVATION: Mapping[RequestDerivation, str] = {
    RequestDerivation.CARRIED: "継続",
    RequestDerivation.MERGED: "統合",
    RequestDerivation.SPLIT: "分割",
}

#: The plan's own words for its items' states, as the plan's screens say them.
PLAN_STATUS: Mapping[PlanItemStatus, str] = PLAN_ITEM_STATUS

REGION_CODES: tuple[str, ...] = tuple(m.code for m in REGION)
WHOLE_REGION = "東青圏域5市町村"


def in_council_order(codes: Iterable[str]) -> tuple[str, ...]:
    """The towns in the order the council lists them, each once."""
    wanted = set(codes)
    return tuple(code for code in REGION_CODES if code in wanted)


def towns_label(codes: Iterable[str]) -> str:
    """青森市・平内町, or 東青圏域5市町村 for all five."""
    ordered = in_council_order(codes)
    if len(ordered) == len(REGION_CODES):
        return WHOLE_REGION
    return "・".join(municipality(code).name for code in ordered)


def head_title(code: str, *, deputy: bool = False) -> str:
    """The office of a town's head (青森市長, 平内町長, 蓬田村長) or deputy (青森市副市長)."""
    name = municipality(code).name
    return f"{name}副{name[-1]}長" if deputy else f"{name}長"
