"""The requests screens' forms as the requests service's bodies, and its answers said on them:
pure mapping, no I/O.

Blank boxes become absent values, so the service says what is missing; the service's rules
decide and its Japanese messages are shown beside the fields. Only the joint order typed as
numbers is read here (the service takes the order, not the numbers).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tosei_common.platform.principal import Role
from tosei_common.region.fiscal import TOKYO
from tosei_common.region.municipalities import REGION

#: What each field of the service is called on screen (its errors and its history name it so).
FIELD_LABELS: Mapping[str, str] = {
    "fiscal_year": "年度",
    "title": "要望事項（件名）",
    "body": "要望内容",
    "background": "現状と課題",
    "departments": "担当部局",
    "municipalities": "要望する市町村",
    "town_priority": "市町村の優先順位",
    "requested_amount_yen": "要望額（円）",
    "plan_item_ids": "関連する国土強靱化地域計画の事業",
    "status": "状態",
    "return_reason": "差戻しの理由",
    "derivation": "経緯",
    "derived_from": "前年度の要望",
    "reason": "理由",
    "version": "版",
    "held_on": "説明会の日",
    "starts_at": "開始時刻",
    "ends_at": "終了時刻",
    "place": "会場",
    "attendees": "市町村の出席者",
    "prefectural_attendees": "県の出席者",
    "items": "議題",
    "agenda": "議題",
    "grouping": "議題の並べ方",
    "agenda_fixed_at": "議題の確定",
    "received_on": "回答の受領日",
    "text": "回答の内容",
    "department": "回答した部局",
    "item_id": "要望",
    "book_published_at": "要望書の公開",
}

#: What each entry of an item's history is called.
ACTIONS: Mapping[str, str] = {
    "created": "作成",
    "revised": "編集",
    "submitted": "提出",
    "adopted": "採択",
    "returned": "差戻し",
    "withdrawn": "取下げ",
    "redrafted": "作成中に戻す",
    "answered": "県の回答を記録",
    "answer_corrected": "県の回答を訂正",
}

GROUPINGS: Sequence[tuple[str, str]] = (
    ("joint_then_town", "共同要望を先に、続いて市町村ごと（市町村の順）"),
    ("joint_order", "一つの順番（この画面の順番のまま）"),
)
OFFICES: Sequence[tuple[str, str]] = (("head", "首長"), ("deputy", "代理（副首長）"))
ANSWER_STATUSES: Sequence[tuple[str, str]] = (
    ("done_or_planned", "措置済み・対応予定"),
    ("under_study", "検討中"),
    ("difficult", "困難"),
    ("other", "その他"),
)
#: An answer that lets a request go on into the next year (or none yet).
CARRIED_ON = frozenset({"under_study", "difficult"})
#: Rows for the prefecture's attendees on the briefing form.
PREFECTURAL_ROWS = 3


def _text(form: Mapping[str, Any], name: str) -> str | None:
    value = str(form.get(name, "") or "")
    return value if value.strip() else None


def _number(value: str | None) -> int | str | None:
    """1,500,000 or １５００００００ as a whole number; anything else as typed, for the service
    to refuse by name."""
    if value is None:
        return None
    plain = unicodedata.normalize("NFKC", value).strip().replace(",", "").removesuffix("円")
    return int(plain) if plain.isdigit() else value


def item_body(
    form: Mapping[str, Any], *, departments: list[str], towns: list[str], plan_items: list[str]
) -> dict[str, Any]:
    """A request item as typed: what the draft and the revision send (a blank box as None)."""
    return {
        "title": _text(form, "title"),
        "background": _text(form, "background"),
        "body": _text(form, "body"),
        "departments": departments,
        "municipalities": towns,
        "town_priority": _number(_text(form, "town_priority")),
        "requested_amount_yen": _number(_text(form, "requested_amount_yen")),
        "plan_item_ids": plan_items,
    }


def draft_body(content: Mapping[str, Any], fiscal_year: str) -> dict[str, Any]:
    """A new item: blank boxes left out, so the service says 入力してください of each."""
    body = {k: v for k, v in content.items() if v is not None}
    body["fiscal_year"] = fiscal_year
    return body


def item_values(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item as its edit form shows it (the amount with its commas)."""
    amount = item["requested_amount_yen"]
    priority = item["town_priority"]
    return {
        "title": item["title"],
        "background": item["background"],
        "body": item["body"],
        "departments": [d["code"] for d in item["departments"]],
        "municipalities": [m["code"] for m in item["municipalities"]],
        "town_priority": "" if priority is None else str(priority),
        "requested_amount_yen": "" if amount is None else f"{amount:,}",
        "plan_item_ids": [p["item_id"] for p in item["plan_items"]],
        "version": str(item["version"]),
    }


def revision_body(form: Mapping[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    """The whole item as it now reads, on the version the form was opened on. Required fields
    left blank go as absent values: the service names them."""
    version = _text(form, "version") or "0"
    body: dict[str, Any] = {
        "version": int(version) if version.isdigit() else version,
        "reason": _text(form, "reason"),
    }
    body.update(content)
    return body


def briefing_body(form: Mapping[str, Any]) -> dict[str, Any]:
    """The briefing: the day, the times, the place, each town's head or deputy (a town left
    at 出席なし is not listed), and the prefecture's attendees."""
    attendees = []
    for town in REGION:
        office = _text(form, f"attendee.{town.code}.office")
        if office:
            attendees.append(
                {
                    "municipality": town.code,
                    "office": office,
                    "name": _text(form, f"attendee.{town.code}.name"),
                }
            )
    prefectural = []
    for row in range(PREFECTURAL_ROWS):
        title = _text(form, f"pref.{row}.title")
        if title:
            prefectural.append(
                {
                    "title": title,
                    "department": _text(form, f"pref.{row}.department"),
                }
            )
    return {
        "held_on": _text(form, "held_on"),
        "starts_at": _text(form, "starts_at"),
        "ends_at": _text(form, "ends_at"),
        "place": _text(form, "place"),
        "attendees": attendees,
        "prefectural_attendees": prefectural,
        "reason": _text(form, "reason"),
    }


def briefing_values(briefing: Mapping[str, Any]) -> dict[str, str]:
    """A scheduled briefing as the form shows it."""
    values = {
        "held_on": str(briefing["held_on"]),
        "starts_at": _japan_time(str(briefing["starts_at"])),
        "ends_at": _japan_time(str(briefing["ends_at"])),
        "place": str(briefing["place"]),
    }
    for a in briefing["attendees"]:
        code = a["municipality"]["code"]
        values[f"attendee.{code}.office"] = str(a["office"])
        values[f"attendee.{code}.name"] = str(a["name"] or "")
    for row, a in enumerate(briefing["prefectural_attendees"][:PREFECTURAL_ROWS]):
        values[f"pref.{row}.title"] = str(a["title"])
        if a["department"]:
            values[f"pref.{row}.department"] = str(a["department"]["code"])
    return values


def _japan_time(moment: str) -> str:
    return f"{datetime.fromisoformat(moment).astimezone(TOKYO):%H:%M}"


@dataclass(frozen=True)
class JointOrder:
    """The joint order read from the numbers typed beside the items (順位), or what is wrong
    with them, by field."""

    items: list[str]
    errors: dict[str, str] = field(default_factory=dict)


def joint_order(form: Mapping[str, Any], listed: Sequence[str]) -> JointOrder:
    """The listed items in the order of their 順位: each a whole number from 1, each once. An
    item left blank is not on the agenda."""
    ranked: list[tuple[int, str]] = []
    errors: dict[str, str] = {}
    seen: dict[int, str] = {}
    for item_id in listed:
        name = f"rank.{item_id}"
        typed = _text(form, name)
        if typed is None:
            continue
        value = _number(typed)
        if not isinstance(value, int) or value < 1:
            errors[name] = "順位は1以上の数字で入力してください"
            continue
        if value in seen:
            errors[name] = f"順位{value}がほかの要望と重複しています"
            errors.setdefault(f"rank.{seen[value]}", f"順位{value}がほかの要望と重複しています")
            continue
        seen[value] = item_id
        ranked.append((value, item_id))
    if not ranked and not errors:
        errors["items"] = "議題にする要望の順位を入力してください"
    return JointOrder([item_id for _, item_id in sorted(ranked)], errors)


def agenda_errors(service_fields: Mapping[str, str], order: Sequence[str]) -> dict[str, str]:
    """The service names an agenda's item by its place in the order (``items.1``): said
    beside that item's 順位."""
    shown: dict[str, str] = {}
    for name, message in service_fields.items():
        head, _, index = name.partition(".")
        if head == "items" and index.isdigit() and int(index) < len(order):
            shown[f"rank.{order[int(index)]}"] = message
        else:
            shown[name] = message
    return shown


def answer_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "received_on": _text(form, "received_on"),
        "status": _text(form, "status"),
        "department": _text(form, "department"),
        "text": _text(form, "text"),
        "reason": _text(form, "reason"),
    }


def reason_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {"reason": _text(form, "reason")}


#: Words for the codes an item's history records.
_STATUS_WORDS = {
    "draft": "作成中",
    "submitted": "提出済み",
    "adopted": "採択",
    "returned": "差戻し",
    "withdrawn": "取下げ",
    **dict(ANSWER_STATUSES),
}
_SHORT = 60


def change_text(name: str, value: Any, departments: Mapping[str, str]) -> str:
    """A value of an item's history as people read it: towns and departments by name, linked
    plan items counted, long text cut short."""
    if value is None or value == [] or value == "":
        return "（なし）"
    if name == "municipalities" and isinstance(value, list):
        return "・".join(_town_name(str(v)) for v in value)
    if name in ("departments", "department"):
        listed = value if isinstance(value, list) else [value]
        return "・".join(departments.get(str(v), str(v)) for v in listed)
    if name in ("plan_item_ids", "derived_from") and isinstance(value, list):
        return f"{len(value)}件"
    if name == "status":
        return _STATUS_WORDS.get(str(value), str(value))
    if name == "requested_amount_yen" and isinstance(value, int):
        return f"{value:,}円"
    text = "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= _SHORT else text[:_SHORT] + "…"


def _town_name(code: str) -> str:
    return next((m.name for m in REGION if m.code == code), code)


def summary(message: str, errors: Mapping[str, str], *, validation: bool) -> str:
    """The sentence above a refused form. The service's own sentence says what is wrong with
    the request as a whole; a request that failed its input checks is said by the fields'
    names on screen, not by their names in the API (``title``)."""
    if not validation or not errors:
        return message
    named = [f"{label_of(name)}（{text}）" for name, text in errors.items()]
    return "入力内容を確認してください。" + "、".join(named)


def label_of(name: str) -> str:
    """``attendees.0.name`` → 市町村の出席者; ``title`` → 要望事項（件名）."""
    return FIELD_LABELS.get(name, FIELD_LABELS.get(name.split(".")[0], name))


@dataclass(frozen=True)
class Move:
    """A change of an item's state offered on its page."""

    to: str
    label: str
    reason_label: str | None = None  # the move says why
    danger: bool = False


RETURN = Move("returned", "差し戻す", "差し戻す理由")
WITHDRAW = Move("withdrawn", "取り下げる", "取り下げる理由", danger=True)


def moves_for(role: Role, status: str, *, own: bool, agenda_fixed: bool = False) -> list[Move]:
    """The moves a person is offered (the service still decides): towns submit, withdraw and
    rework their items; coordinators adopt and return them. An item on a fixed agenda is
    taken off the agenda before it moves, so its page offers none."""
    if agenda_fixed and status == "adopted":
        return []
    if role is Role.COORDINATOR:
        offered = {
            "submitted": [Move("adopted", "採択する"), RETURN],
            "adopted": [RETURN],
            "draft": [Move("submitted", "提出する")],
            "returned": [Move("draft", "作成中に戻す")],
        }.get(status, [])
    elif role is Role.MUNICIPALITY and own:
        offered = {
            "draft": [Move("submitted", "提出する")],
            "returned": [Move("draft", "作成中に戻して直す")],
        }.get(status, [])
    else:
        return []
    if status in ("draft", "submitted", "returned"):
        offered = [*offered, WITHDRAW]
    return offered


def may_edit(role: Role, item: Mapping[str, Any], *, own: bool) -> bool:
    """Whether the page offers 編集する (the service still decides)."""
    if item["status"] == "withdrawn":
        return False
    if role is Role.COORDINATOR:
        return True
    if role is not Role.MUNICIPALITY or not own or item["agenda_fixed"]:
        return False
    if item["joint"]:
        return bool(item["status"] == "draft")
    return True


def may_carry_over(item: Mapping[str, Any]) -> bool:
    """A request on its year's fixed agenda, unanswered, 検討中 or 困難, may go on."""
    if not item["agenda_fixed"] or item["status"] != "adopted":
        return False
    answer = item.get("answer")
    return answer is None or answer["status"] in CARRIED_ON
