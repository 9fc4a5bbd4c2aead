"""The words behind the codes in a revision's diff: 実施中 beside ``in_progress``.

A diff keeps the values as stored (codes, ids, fiscal years), which is what clients compare; a
person reads the labels next to them. The labels are computed when the history is shown, from
the lists as they are now, so a scenario renamed later reads by its current name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tosei_common.catalogue.resilience import (
    FundingCondition,
    FundingProgrammeField,
    PlanItemField,
    PlanItemStatus,
    RetirementReason,
)
from tosei_common.region.fiscal import fiscal_year_label
from tosei_resilience.domain import labels
from tosei_resilience.domain.plan import Lists
from tosei_resilience.domain.revisions import FieldChange


@dataclass(frozen=True)
class LabelledChange:
    """One field's change: the stored values and, for a coded field, their labels."""

    old: Any
    new: Any
    old_label: str | None
    new_label: str | None


Labeller = Callable[[Any], str | None]


def _enum_label(kind: Callable[[Any], Any], names: Mapping[Any, str]) -> Labeller:
    def label(value: Any) -> str | None:
        if value is None:
            return None
        try:
            return names[kind(value)]
        except (KeyError, ValueError):
            return None  # a value this version does not know: shown by its code alone

    return label


def _fiscal_year(value: Any) -> str | None:
    return fiscal_year_label(value) if isinstance(value, int) else None


def _owner(value: Any) -> str | None:
    try:
        return labels.owner_name(value)
    except (KeyError, ValueError):
        return None


def _item_labellers(lists: Lists) -> dict[str, Labeller]:
    def scenario(code: Any) -> str | None:
        found = lists.scenarios.get(code)
        return None if found is None else found.label

    def area(code: Any) -> str | None:
        found = lists.areas.get(code)
        return None if found is None else found.name

    def programmes(ids: Any) -> str | None:
        if not isinstance(ids, list):
            return None
        if not ids:
            return "なし"
        return "、".join(_programme_name(lists, i) for i in ids)

    return {
        PlanItemField.MUNICIPALITY: _owner,
        PlanItemField.RISK_SCENARIO: scenario,
        PlanItemField.POLICY_AREA: area,
        PlanItemField.FISCAL_YEAR_FROM: _fiscal_year,
        PlanItemField.FISCAL_YEAR_TO: _fiscal_year,
        PlanItemField.STATUS: _enum_label(PlanItemStatus, labels.STATUS),
        PlanItemField.FUNDING_PROGRAMMES: programmes,
        "retirement": _enum_label(RetirementReason, labels.RETIREMENT),
    }


def _programme_name(lists: Lists, programme_id: str) -> str:
    try:
        found = lists.programmes.get(UUID(programme_id))
    except ValueError:
        found = None
    return programme_id if found is None else found.name


_PROGRAMME_LABELLERS: dict[str, Labeller] = {
    FundingProgrammeField.CONDITION: _enum_label(FundingCondition, labels.CONDITION),
    FundingProgrammeField.EFFECTIVE_FROM: _fiscal_year,
}


def _labelled(
    changes: Mapping[str, FieldChange], labellers: Mapping[str, Labeller]
) -> dict[str, LabelledChange]:
    shown: dict[str, LabelledChange] = {}
    for name, change in changes.items():
        label = labellers.get(name)
        old, new = change.get("old"), change.get("new")
        shown[name] = LabelledChange(
            old=old,
            new=new,
            old_label=label(old) if label else None,
            new_label=label(new) if label else None,
        )
    return shown


def item_changes(changes: Mapping[str, FieldChange], lists: Lists) -> dict[str, LabelledChange]:
    """A plan item's diff with the labels of its coded fields (status, scenario, area, owner,
    fiscal years, programmes, retirement reason); other fields' labels are None."""
    return _labelled(changes, _item_labellers(lists))


def programme_changes(changes: Mapping[str, FieldChange]) -> dict[str, LabelledChange]:
    """A funding programme's diff with the labels of its condition and effective fiscal year."""
    return _labelled(changes, _PROGRAMME_LABELLERS)
