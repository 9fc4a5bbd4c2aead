"""The desk's experts (支援人材) and the nationwide network's external experts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import Category
from tosei_common.platform.errors import Message, NotFound, Unprocessable


@dataclass(frozen=True)
class Expert:
    expert_id: UUID
    name: str
    track: Track
    specialities: tuple[Category, ...]
    weekly_capacity: int
    active: bool


@dataclass(frozen=True)
class ExternalExpert:
    external_expert_id: UUID
    name: str
    organisation: str
    speciality: Category
    active: bool


@dataclass(frozen=True)
class ExpertChanges:
    """What a coordinator changes of an expert; None leaves a detail as it is."""

    track: Track | None = None
    specialities: Sequence[Category] | None = None
    weekly_capacity: int | None = None
    active: bool | None = None

    def columns(self) -> dict[str, Any]:
        """The registry's columns that change, with their new values (specialities as a set)."""
        changed: dict[str, Any] = {}
        if self.track is not None:
            changed["track"] = self.track.value
        if self.specialities is not None:
            changed["specialities"] = speciality_codes(self.specialities)
        if self.weekly_capacity is not None:
            changed["weekly_capacity"] = self.weekly_capacity
        if self.active is not None:
            changed["active"] = self.active
        return changed


def speciality_codes(specialities: Sequence[Category]) -> list[str]:
    """Specialities as the registry keeps them: each once, in a stable order."""
    return sorted({s.value for s in specialities})


def no_expert(expert_id: UUID) -> NotFound:
    return NotFound(f"専門家が見つかりません（{expert_id}）", en=f"no expert {expert_id}")


def ensure_active(expert: Expert | None, expert_id: UUID, field: str) -> Expert:
    """The expert named in ``field``, who must be registered and active to take a case."""
    if expert is None:
        raise Unprocessable(
            f"専門家が見つかりません（{expert_id}）",
            en=f"no expert {expert_id}",
            fields={field: Message("登録されていない専門家です", "unknown expert")},
        )
    if not expert.active:
        raise Unprocessable(
            f"{expert.name}さんは現在、案件を担当できません（無効になっています）",
            en=f"{expert.name} is not active",
            fields={field: Message("無効になっている専門家です", "inactive expert")},
        )
    return expert


def ensure_active_external(
    external: ExternalExpert | None, external_expert_id: UUID
) -> ExternalExpert:
    """An external expert a case is referred to: registered and active."""
    if external is None or not external.active:
        raise Unprocessable(
            f"有効な外部専門家が見つかりません（{external_expert_id}）",
            en=f"no active external expert {external_expert_id}",
            fields={
                "external_expert_id": Message(
                    "登録されていないか、無効になっている外部専門家です", "unknown or inactive"
                )
            },
        )
    return external
