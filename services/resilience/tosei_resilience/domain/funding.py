"""National funding programmes (subsidies and grants) and what they ask of the plan.

The national government increasingly prioritises (重点化) or requires (要件化) that a project be in
the regional resilience plan before it is funded. When what a programme asks changes, every plan
item relying on it needs its owner's review; a change of name or ministry does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from tosei_common.catalogue.resilience import FundingChange, FundingCondition, FundingProgrammeField
from tosei_common.platform.errors import Conflict, Message, NotFound, ensure_current
from tosei_common.region.text import tidy
from tosei_resilience.domain.revisions import (
    FieldChange,
    build,
    diff,
    ensure_changed,
)

FIELDS: tuple[str, ...] = tuple(f.value for f in FundingProgrammeField)

#: Changes to these fields change what the programme asks of the plan.
CONDITION_FIELDS = frozenset(
    {
        FundingProgrammeField.CONDITION,
        FundingProgrammeField.CONDITION_NOTE,
        FundingProgrammeField.EFFECTIVE_FROM,
    }
)


class ProgrammeContent(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    ministry: str
    condition: FundingCondition
    condition_note: str | None = None
    effective_from_fiscal_year: int | None = None


class FundingProgramme(ProgrammeContent):
    id: UUID
    version: int

    @property
    def label(self) -> Message:
        return Message(f"交付金・補助金「{self.name}」", f"funding programme 「{self.name}」")


@dataclass(frozen=True)
class ProgrammeChange:
    kind: FundingChange
    programme: FundingProgramme
    changes: dict[str, FieldChange]

    @property
    def changed_fields(self) -> list[FundingProgrammeField]:
        return [FundingProgrammeField(f) for f in self.changes]

    @property
    def conditions_changed(self) -> bool:
        """Whether the items relying on the programme must be reviewed."""
        return self.kind is FundingChange.REVISED and bool(
            CONDITION_FIELDS.intersection(self.changed_fields)
        )

    @property
    def snapshot(self) -> dict[str, Any]:
        return self.programme.model_dump(mode="json")


@dataclass(frozen=True)
class ProgrammeRevision:
    """A stored revision of a programme: what changed, who, when and why."""

    version: int
    change: str
    changes: dict[str, FieldChange]
    reason: str
    actor: str
    recorded_at: datetime


def no_such_programme(programme_id: UUID) -> NotFound:
    return NotFound(
        f"交付金・補助金（ID: {programme_id}）が見つかりません",
        en=f"no funding programme {programme_id}",
    )


def add_programme(programme_id: UUID, content: ProgrammeContent) -> ProgrammeChange:
    programme = FundingProgramme(**content.model_dump(), id=programme_id, version=1)
    everything = {f: {"old": None, "new": v} for f, v in content.model_dump(mode="json").items()}
    return ProgrammeChange(FundingChange.ADDED, programme, everything)


def revise_programme(
    programme: FundingProgramme, *, expected_version: int, changes: Mapping[str, Any]
) -> ProgrammeChange:
    ensure_current(programme.version, expected_version, programme.label)
    revised = build(
        FundingProgramme,
        {**programme.model_dump(), **changes, "version": programme.version + 1},
    )
    changed = diff(programme, revised, FIELDS)
    ensure_changed(changed, changes, programme.label)
    return ProgrammeChange(FundingChange.REVISED, revised, changed)


def ensure_name_free(
    name: str, programmes: Iterable[FundingProgramme], other_than: UUID | None = None
) -> None:
    """Two programmes never share a name, however it was typed (full-width or not, spaces)."""
    key = tidy(name)
    for p in programmes:
        if p.id != other_than and tidy(p.name) == key:
            raise Conflict(
                f"交付金・補助金「{p.name}」はすでに登録されています",
                en=f"a funding programme named 「{p.name}」 exists already",
                fields={"name": Message("同じ名前の交付金・補助金があります", "name taken")},
            )
