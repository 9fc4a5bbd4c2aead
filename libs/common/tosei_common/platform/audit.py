"""The audit trail every service keeps in its own schema (``audit_log``): who changed or read
which record, when, and why — never on a topic.

One shape for every service:

- a **change** names its fields old → new: ``{"title": {"old": "…", "new": "…"}}``. A new
  record's facts are ``{"old": None, "new": v}``, a removed one's ``{"old": v, "new": None}``
  (``created``, ``removed``, ``changed`` build them; ``field_changes`` brings anything else
  into the shape, so a call site cannot write another one);
- a **read** (閲覧記録) is an entry whose action is ``viewed``, whose ``changes`` say which part
  was shown (``{"part": "confidential_notes"}``) and never the values read;
- ``subject_id`` is the pseudonymous id of the person the entry is about (a client, a
  registration, a console account), so an auditor reads the trail per person.

The table refuses UPDATE, DELETE and TRUNCATE (platform migration 0005); only erasure, inside a
transaction that says ``SET LOCAL tosei.erasure = 'on'``, may rewrite ``reason`` and ``changes``.

This module is pure (a service's domain builds changes with it); the SQL is in ``audit_log``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.region.fiscal import TOKYO, DateParseError, parse_date

__all__ = [
    "ACTION_NAMES",
    "ENTITY_NAMES",
    "VIEWED",
    "AuditFilter",
    "AuditRow",
    "FieldChange",
    "Viewed",
    "audit_filter",
    "changed",
    "created",
    "field_changes",
    "removed",
]

#: One field's change: ``{"old": …, "new": …}`` in JSON values.
FieldChange = dict[str, Any]

#: The action of a read entry.
VIEWED = "viewed"


def created(values: Mapping[str, Any]) -> dict[str, FieldChange]:
    """A new record's (or a new part's) facts, as changes from nothing."""
    return {k: {"old": None, "new": v} for k, v in values.items()}


def removed(values: Mapping[str, Any]) -> dict[str, FieldChange]:
    """What a removed record (or part) said, as changes to nothing."""
    return {k: {"old": v, "new": None} for k, v in values.items()}


def changed(
    old: Mapping[str, Any], new: Mapping[str, Any], fields: Iterable[str] | None = None
) -> dict[str, FieldChange]:
    """The fields (of ``fields``, or of both mappings) whose values differ, old → new."""
    names = list(fields) if fields is not None else sorted({*old, *new})
    return {f: {"old": old.get(f), "new": new.get(f)} for f in names if old.get(f) != new.get(f)}


def field_changes(changes: Mapping[str, Any] | None) -> dict[str, FieldChange]:
    """``changes`` in the one shape: a value already ``{"old", "new"}`` stays; the older
    ``{"from", "to"}`` is renamed; any other value is what the field was set to (old None)."""
    shaped: dict[str, FieldChange] = {}
    for name, value in (changes or {}).items():
        if isinstance(value, Mapping) and set(value) == {"old", "new"}:
            shaped[name] = {"old": value["old"], "new": value["new"]}
        elif isinstance(value, Mapping) and value and set(value) <= {"from", "to"}:
            shaped[name] = {"old": value.get("from"), "new": value.get("to")}
        else:
            shaped[name] = {"old": None, "new": value}
    return shaped


@dataclass(frozen=True)
class Viewed:
    """One record shown to a member of staff: which record, whose, and which part of it."""

    entity: str
    entity_id: str | UUID
    subject: str | UUID | None = None
    #: What was shown when it is not the whole record: ``contacts``, ``confidential_notes``…
    part: str | None = None


#: How the auditors' CSV and the console name the kinds of record and the actions the
#: services record most.
ENTITY_NAMES: dict[str, str] = {
    "client": "相談者",
    "consultation": "相談",
    "case": "案件",
    "expert": "支援人材",
    "external_expert": "外部専門家",
    "seminar": "研修会",
    "registration": "参加申込",
    "rotation": "当番の輪番",
    "account": "コンソールのアカウント",
    "audit_log": "監査記録",
    "plan_item": "計画事業",
    "funding_programme": "交付金・補助金",
    "request_item": "要望事項",
    "briefing": "要望説明会",
    "answer": "県の回答",
}
ACTION_NAMES: dict[str, str] = {
    VIEWED: "閲覧",
    "corrected": "訂正",
    "registered": "登録",
    "merged": "統合",
    "unmerged": "統合の取り消し",
    "consent_changed": "共有同意の変更",
    "signed_in": "ログイン",
    "signed_in_with_provider": "ログイン（自治体の認証基盤）",
    "sign_in_failed": "ログインの失敗",
    "locked_out": "ロック",
    "added": "追加",
    "signed_out": "ログアウト",
}


# --- the auditors' query --------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """Which entries an auditor asks for: about one person, by one member of staff, of one kind
    of record, in a period (``start`` inclusive, ``end`` exclusive)."""

    subject: str | None = None
    actor: str | None = None
    entity: str | None = None
    start: datetime | None = None
    end: datetime | None = None


#: The query parameters of a period, as a person reads them.
PERIOD_FIELDS = {"from": "期間の始まり", "to": "期間の終わり"}


def _day(field: str, text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return parse_date(text)
    except DateParseError as exc:
        raise Unprocessable(
            f"{PERIOD_FIELDS[field]}（{field}）: {exc.message.ja}",
            en=f"{field}: {exc.message.en}",
            fields={field: exc.message},
        ) from exc


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=TOKYO)


def audit_filter(
    *,
    subject: str | None = None,
    actor: str | None = None,
    entity: str | None = None,
    from_text: str | None = None,
    to_text: str | None = None,
) -> AuditFilter:
    """The filter of the query parameters; ``from``/``to`` are days in Japan as people type
    them (2026-10-01, 令和8年10月1日), both inclusive. A day that cannot be read, or a period
    that ends before it starts, is refused (422) naming the parameter."""
    first, last = _day("from", from_text), _day("to", to_text)
    if first and last and last < first:
        raise Unprocessable(
            f"期間の終わり（{last}）が始まり（{first}）より前です",
            en=f"the period ends ({last}) before it starts ({first})",
            fields={"to": Message("期間の始まりより前の日付です", "is before from")},
        )
    return AuditFilter(
        subject=subject or None,
        actor=actor or None,
        entity=entity or None,
        start=_midnight(first) if first else None,
        end=_midnight(last + timedelta(days=1)) if last else None,
    )


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    subject_id: str | None
    action: str
    reason: str | None
    changes: dict[str, Any]
