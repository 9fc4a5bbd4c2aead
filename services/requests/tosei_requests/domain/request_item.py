"""Request items (要望項目) and the rules for drafting and revising them.

An item is one fiscal year's request: what the towns ask the prefecture (要望内容), why (現状と
課題), which prefectural departments it is addressed to, which towns ask (one, several, or all
five: a joint item), their priorities, the amount where there is one, and the resilience plan
items it relates to. Every change is a revision based on the item's current version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tosei_common.catalogue.requests import RequestDerivation
from tosei_common.platform.errors import InvalidTransition, Message, Unprocessable, ensure_current
from tosei_common.platform.events import Event
from tosei_requests.domain.departments import Department, ensure_departments
from tosei_requests.domain.labels import in_council_order
from tosei_requests.domain.plan_items import PlanItemCopy
from tosei_requests.domain.revisions import (
    FieldChange,
    created,
    diff,
    ensure_changed,
    ensure_reason,
)
from tosei_requests.domain.status import ItemStatus

CONTENT_FIELDS: tuple[str, ...] = (
    "title",
    "body",
    "background",
    "departments",
    "municipalities",
    "town_priority",
    "requested_amount_yen",
    "plan_item_ids",
)
#: Why a change to an adopted item needs a reason once its year's agenda is fixed.
AFTER_FIXING = Message("議題の確定後の変更です", "the agenda of its year is fixed")


class RequestContent(BaseModel):
    """What a request says: everything a revision can change."""

    model_config = ConfigDict(frozen=True)

    title: str
    body: str  # 要望内容
    background: str  # 現状と課題
    departments: tuple[str, ...] = Field(min_length=1)
    municipalities: tuple[str, ...] = Field(min_length=1)
    town_priority: int | None = Field(default=None, ge=1)
    requested_amount_yen: int | None = Field(default=None, ge=0)
    plan_item_ids: tuple[UUID, ...] = ()

    @field_validator("municipalities")
    @classmethod
    def _council_order(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return in_council_order(value)

    @field_validator("departments")
    @classmethod
    def _each_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @field_validator("plan_item_ids")
    @classmethod
    def _as_a_set(cls, value: tuple[UUID, ...]) -> tuple[UUID, ...]:
        # Order carries no meaning; a canonical order keeps revisions from showing false diffs.
        return tuple(sorted(set(value), key=str))

    @property
    def joint(self) -> bool:
        """Asked by more than one town (共同要望)."""
        return len(self.municipalities) > 1


class RequestItem(RequestContent):
    """A request item as it stands at one version."""

    id: UUID
    fiscal_year: int
    number: int = Field(ge=1)
    status: ItemStatus
    return_reason: str | None = None
    derivation: RequestDerivation | None = None
    derived_from: tuple[UUID, ...] = ()
    version: int = Field(ge=1)

    @property
    def reference(self) -> str:
        """How people cite it: 2020-003."""
        return f"{self.fiscal_year}-{self.number:03d}"

    @property
    def label(self) -> str:
        return f"要望{self.reference}「{self.title}」"

    @property
    def content(self) -> RequestContent:
        return RequestContent.model_validate(self.model_dump(include=set(CONTENT_FIELDS)))


@dataclass(frozen=True)
class References:
    """What an item may name: the departments of the list and the plan items the copy knows."""

    departments: Mapping[str, Department]
    plan_items: Mapping[UUID, PlanItemCopy]


@dataclass(frozen=True)
class ItemChange:
    """One revision of an item: what it did, the state after it, the field diff, and the events
    that announce it."""

    action: str
    item: RequestItem
    changes: dict[str, FieldChange]
    reason: str | None = None
    events: tuple[Event, ...] = ()
    created: bool = False


@dataclass(frozen=True)
class ItemFilter:
    """Which items a list shows."""

    fiscal_year: int | None = None
    municipality: str | None = None
    status: ItemStatus | None = None
    #: An officer's town: other towns' drafts are left out.
    drafts_of: str | None = None
    all_drafts: bool = True


def locked(item: RequestItem, agenda_fixed: bool) -> bool:
    """An adopted item of a year whose agenda is fixed changes only by a coordinator, with a
    recorded reason."""
    return agenda_fixed and item.status is ItemStatus.ADOPTED


def check_content(
    content: RequestContent,
    refs: References,
    *,
    before: RequestContent | None = None,
    where: str = "",
) -> None:
    """The departments are on the list and the linked plan items are known to the copy.

    What the item named already may stay (a department retired since, a plan item retired
    since); only new names are checked against today's lists.
    """
    ensure_departments(
        content.departments,
        refs.departments,
        field=f"{where}departments",
        allow_retired=before.departments if before else (),
    )
    kept = set(before.plan_item_ids) if before else set()
    for plan_item_id in content.plan_item_ids:
        if plan_item_id in kept:
            continue
        copy = refs.plan_items.get(plan_item_id)
        if copy is None:
            raise Unprocessable(
                f"国土強靱化地域計画に事業 {plan_item_id} がありません",
                en=f"the resilience plan has no item {plan_item_id} (as far as this service "
                "has heard from the resilience service)",
                fields={
                    f"{where}plan_item_ids": Message(
                        f"計画にない事業です: {plan_item_id}", f"unknown plan item {plan_item_id}"
                    )
                },
            )
        if copy.retired:
            raise Unprocessable(
                f"{copy.label}は計画から廃止されているため、新たに関連付けられません",
                en=f"plan item No.{copy.number} is retired from the plan; it cannot be linked",
                fields={
                    f"{where}plan_item_ids": Message(
                        f"事業番号{copy.number}は廃止されています",
                        f"plan item No.{copy.number} is retired",
                    )
                },
            )


def draft_item(
    item_id: UUID,
    fiscal_year: int,
    number: int,
    content: RequestContent,
    refs: References,
    *,
    reason: str | None = None,
    derivation: RequestDerivation | None = None,
    derived_from: tuple[UUID, ...] = (),
    inherited: RequestContent | None = None,
    where: str = "",
    events: tuple[Event, ...] = (),
) -> ItemChange:
    """A new draft at version 1. ``inherited`` is what a carried-over item takes from its
    predecessor unchecked (links and departments that were valid then)."""
    check_content(content, refs, before=inherited, where=where)
    item = RequestItem(
        **content.model_dump(),
        id=item_id,
        fiscal_year=fiscal_year,
        number=number,
        status=ItemStatus.DRAFT,
        derivation=derivation,
        derived_from=derived_from,
        version=1,
    )
    fields = (*CONTENT_FIELDS, "status") + (("derivation", "derived_from") if derivation else ())
    return ItemChange(
        "created", item, created(item, fields), reason=reason, events=events, created=True
    )


def revise_item(
    item: RequestItem,
    *,
    version: int,
    changes: Mapping[str, Any],
    refs: References,
    agenda_fixed: bool,
    reason: str | None,
) -> ItemChange:
    """The item with ``changes`` applied, as the next version, with the field diff."""
    ensure_current(item.version, version, item.label)
    if item.status is ItemStatus.WITHDRAWN:
        raise InvalidTransition(
            f"{item.label}は取り下げられているため変更できません",
            en=f"request {item.reference} is withdrawn; a withdrawn request is not revised",
        )
    if locked(item, agenda_fixed):
        ensure_reason(reason, AFTER_FIXING)
    unknown = sorted(set(changes) - set(CONTENT_FIELDS))
    if unknown:
        raise Unprocessable(
            f"変更できない項目です: {'、'.join(unknown)}",
            en=f"these fields cannot be revised: {', '.join(unknown)}",
            fields={f: Message("変更できない項目です", "not a revisable field") for f in unknown},
        )
    try:
        revised = RequestItem.model_validate(
            {**item.model_dump(), **changes, "version": item.version + 1}
        )
    except ValidationError as exc:
        fields = {
            ".".join(str(p) for p in e["loc"]): Message("値が正しくありません", e["msg"])
            for e in exc.errors()
        }
        raise Unprocessable(
            "変更後の内容が正しくありません", en="the revised item is invalid", fields=fields
        ) from exc
    check_content(revised, refs, before=item)
    changed = diff(item, revised, CONTENT_FIELDS)
    ensure_changed(changed, changes, item.label)
    return ItemChange("revised", revised, changed, reason=reason)
