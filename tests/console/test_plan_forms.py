"""The plan item's form: a revision sends only what the person changed, and a concurrent change
is redone on the current version without undoing the other person's."""

from __future__ import annotations

from typing import Any

from tosei_console.domain import plan_forms as forms
from tosei_console.domain.plan_words import PlanLists, change_side, shown

ITEM: dict[str, Any] = {
    "title": "冬期道路交通確保のための除雪機械の更新",
    "municipality": "023019",
    "risk_scenario": {"code": "1-6", "name": "暴風雪…"},
    "policy_area": {"code": "transport", "name": "交通・物流"},
    "lead_department": "建設課",
    "estimated_cost_yen": 52_000_000,
    "fiscal_year_from": 2026,
    "fiscal_year_to": 2028,
    "status": "planned",
    "funding_programmes": [{"id": "p-2"}, {"id": "p-1"}],
    "kpis": [{"indicator": "除雪完了率", "unit": "%", "baseline": 82.0, "target": 100.0}],
    "version": 2,
}
#: Version 2 changed the cost (45,000,000 → 52,000,000) and added a programme.
REVISIONS = [
    {"version": 1, "changes": {}},
    {
        "version": 2,
        "changes": {
            "estimated_cost_yen": {"old": 45_000_000, "new": 52_000_000},
            "funding_programmes": {"old": ["p-1"], "new": ["p-1", "p-2"]},
        },
    },
]


def _typed(**changes: str) -> dict[str, Any]:
    form = forms.item_flat(ITEM) | changes
    return forms.typed_flat(form, form["funding_programmes"])


def test_the_same_number_typed_two_ways_is_no_change() -> None:
    typed = _typed(estimated_cost_yen="52,000,000円", **{"kpis.0.baseline": "82"})
    body = forms.patch_body(typed, forms.item_flat(ITEM), version="2", reason="見直し")
    assert body == {"version": 2, "reason": "見直し"}


def test_a_revision_sends_only_the_fields_changed_and_an_emptied_cost_as_null() -> None:
    typed = _typed(title="除雪機械の更新", estimated_cost_yen="")
    body = forms.patch_body(typed, forms.item_flat(ITEM), version="2", reason="見直し")
    assert body == {
        "version": 2,
        "reason": "見直し",
        "title": "除雪機械の更新",
        "estimated_cost_yen": None,
    }


def test_the_version_a_person_read_is_rebuilt_from_the_later_revisions_old_values() -> None:
    base = forms.as_of_version(forms.item_flat(ITEM), REVISIONS, 1)
    assert base["estimated_cost_yen"] == "45000000"
    assert base["funding_programmes"] == ["p-1"]
    assert base["title"] == ITEM["title"]


def test_redoing_a_change_keeps_what_the_other_person_changed_meanwhile() -> None:
    now = forms.item_flat(ITEM)
    # typed on version 1: the old cost and programmes still in the form, a new title
    typed = forms.as_of_version(now, REVISIONS, 1) | {"title": "除雪機械の更新"}
    base = forms.as_of_version(now, REVISIONS, 1)
    mine = forms.changed_fields(typed, base)
    assert mine == ["title"]
    redo = forms.redo_values(now, typed, mine)
    assert (redo["title"], redo["estimated_cost_yen"], redo["funding_programmes"]) == (
        "除雪機械の更新",
        "52000000",
        ["p-1", "p-2"],
    )


def test_kpi_rows_left_blank_are_dropped_and_the_rest_renumbered() -> None:
    form = {
        "kpis.0.indicator": "",
        "kpis.1.indicator": "除雪完了率",
        "kpis.1.target": "100.0",
        "kpis.1.target_fiscal_year": "2028",
    }
    typed = forms.typed_flat(form, [])
    assert forms.field_body(typed, "kpis") == [
        {
            "indicator": "除雪完了率",
            "unit": None,
            "baseline": None,
            "target": 100.0,
            "target_fiscal_year": 2028,
        }
    ]


def test_values_read_in_words() -> None:
    lists = PlanLists(programmes={"p-1": "防災・安全交付金"})
    flat = forms.item_flat(ITEM)
    assert shown("municipality", flat, lists) == "平内町"
    assert shown("estimated_cost_yen", flat, lists) == "52,000,000円"
    assert shown("fiscal_year_to", flat, lists) == "令和10年度"
    assert shown("kpis", flat, lists) == "除雪完了率：現状 82% → 目標 100%"
    assert change_side("estimated_cost_yen", None, None, lists) == "未定"
    assert change_side("superseded_by", ["a", "b"], None, lists, {"a": 3, "b": 4}) == "No.3、No.4"
