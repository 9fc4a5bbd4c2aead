"""The plan's rules without a database: revisions, transitions, lineage, funding, access."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest

from tests.resilience.plan import AOMORI, HIRANAI, jst
from tosei_common.catalogue.resilience import (
    FundingChange,
    FundingCondition,
    PlanItemStatus,
    RetirementReason,
)
from tosei_common.platform.errors import Conflict, Forbidden, InvalidTransition, Unprocessable
from tosei_common.platform.principal import Principal, Role
from tosei_resilience.api.parameters import parse_moment
from tosei_resilience.domain.access import ensure_may_edit, ensure_may_move
from tosei_resilience.domain.change_labels import item_changes
from tosei_resilience.domain.funding import ProgrammeContent, add_programme, revise_programme
from tosei_resilience.domain.labels import fiscal_years_text, owner_code
from tosei_resilience.domain.lineage import NewPart, merge_items, split_item
from tosei_resilience.domain.plan import Lists
from tosei_resilience.domain.plan_item import (
    TRANSITIONS,
    Kpi,
    PlanItem,
    PlanItemContent,
    add_item,
    retire_item,
    revise_item,
)
from tosei_resilience.domain.revisions import RevisionKind, RevisionRecord
from tosei_resilience.domain.summary import summarise_year

SAFETY_GRANT = uuid.UUID("9a1d7f3e-2b4c-4e8a-8f6d-1c3b5a7e9d20")
FIRE_SUBSIDY = uuid.UUID("0b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9")


def content(**changes: Any) -> PlanItemContent:
    values: dict[str, Any] = {
        "title": "冬期道路交通確保のための除雪機械の更新",
        "municipality": HIRANAI,
        "risk_scenario": "1-6",
        "policy_area": "transport",
        "lead_department": "建設課",
        "estimated_cost_yen": 45_000_000,
        "fiscal_year_from": 2022,
        "fiscal_year_to": 2026,
        "status": PlanItemStatus.PLANNED,
        "funding_programmes": (SAFETY_GRANT, FIRE_SUBSIDY),
        "kpis": (Kpi(indicator="除雪完了率", unit="%", baseline=82, target=100),),
    }
    values.update(changes)
    return PlanItemContent(**values)


def new_item(number: int = 1, **changes: Any) -> PlanItem:
    return add_item(uuid.uuid4(), number, content(**changes)).item


def test_a_revision_diffs_only_the_fields_that_changed() -> None:
    ploughs = new_item()
    change = revise_item(
        ploughs,
        expected_version=1,
        changes={
            "estimated_cost_yen": 52_000_000,
            "title": ploughs.title,
            "funding_programmes": [FIRE_SUBSIDY, SAFETY_GRANT],  # same set, other order
        },
    )
    assert change.kind is RevisionKind.REVISED
    assert change.item.version == 2
    assert change.changes == {"estimated_cost_yen": {"old": 45_000_000, "new": 52_000_000}}
    assert change.snapshot["estimated_cost_yen"] == 52_000_000


def test_a_kpi_change_is_diffed_as_the_whole_list() -> None:
    change = revise_item(
        new_item(),
        expected_version=1,
        changes={"kpis": [Kpi(indicator="除雪完了率", unit="%", baseline=82, target=95)]},
    )
    assert change.changed_fields == ["kpis"]
    assert change.changes["kpis"]["old"][0]["target"] == 100
    assert change.changes["kpis"]["new"][0]["target"] == 95


def test_a_stale_version_is_a_conflict_naming_the_current_one() -> None:
    revised = revise_item(new_item(), expected_version=1, changes={"lead_department": "道路課"})
    with pytest.raises(Conflict) as raised:
        revise_item(revised.item, expected_version=1, changes={"lead_department": "建設課"})
    assert raised.value.extra == {"current_version": 2, "sent_version": 1}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": None}, "title"),
        ({"fiscal_year_to": "いつか"}, "fiscal_year_to"),
        ({"kpis": [{"indicator": "x"}]}, "kpis.0.target"),
    ],
)
def test_a_revision_to_an_impossible_value_is_unprocessable(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(Unprocessable) as raised:
        revise_item(new_item(), expected_version=1, changes=changes)
    assert list(raised.value.fields) == [field]


def test_a_revision_cannot_end_before_it_starts() -> None:
    with pytest.raises(Unprocessable) as raised:
        revise_item(new_item(), expected_version=1, changes={"fiscal_year_from": 2027})
    assert "fiscal_year_to" in raised.value.fields


ACTIVE = [s for s in PlanItemStatus if s is not PlanItemStatus.RETIRED]


@pytest.mark.parametrize(("start", "to"), [(a, b) for a in ACTIVE for b in ACTIVE if a is not b])
def test_status_changes_follow_the_transitions(start: PlanItemStatus, to: PlanItemStatus) -> None:
    item = new_item(status=start)
    if to in TRANSITIONS[start]:
        assert revise_item(item, expected_version=1, changes={"status": to}).item.status is to
    else:
        with pytest.raises(InvalidTransition):
            revise_item(item, expected_version=1, changes={"status": to})


def test_retirement_is_final_and_recorded_as_a_change() -> None:
    change = retire_item(new_item(), expected_version=1, reason=RetirementReason.ABOLISHED)
    assert change.kind is RevisionKind.RETIRED
    assert change.changes == {
        "status": {"old": "planned", "new": "retired"},
        "retirement": {"old": None, "new": "abolished"},
    }
    with pytest.raises(InvalidTransition):
        revise_item(change.item, expected_version=2, changes={"title": "再開"})
    with pytest.raises(InvalidTransition):
        retire_item(change.item, expected_version=2, reason=RetirementReason.OTHER)


def test_a_split_retires_the_item_and_its_parts_name_it() -> None:
    whole = new_item()
    parts = [NewPart(uuid.uuid4(), n, content(title=t)) for n, t in ((2, "除雪車"), (3, "車庫"))]
    retired, added = split_item(whole, expected_version=1, parts=parts)
    assert retired.item.retirement is RetirementReason.SPLIT
    assert retired.item.superseded_by == (parts[0].id, parts[1].id)
    assert [a.item.derived_from for a in added] == [(whole.id,), (whole.id,)]

    with pytest.raises(Unprocessable):
        split_item(whole, expected_version=1, parts=parts[:1])


def test_a_merger_needs_two_different_items() -> None:
    one = new_item()
    merged = NewPart(uuid.uuid4(), 9, content(title="除雪体制の強化"))
    with pytest.raises(Unprocessable):
        merge_items([(one, 1), (one, 1)], merged)
    retired, added = merge_items([(one, 1), (new_item(2), 1)], merged)
    assert [r.item.superseded_by for r in retired] == [(merged.id,), (merged.id,)]
    assert len(added.item.derived_from) == 2


def test_a_merger_names_each_item_once() -> None:
    one, two = new_item(1), new_item(2)
    merged = NewPart(uuid.uuid4(), 9, content(title="除雪体制の強化"))
    with pytest.raises(Unprocessable) as raised:
        merge_items([(one, 1), (one, 1), (two, 1)], merged)
    assert list(raised.value.fields) == ["sources"]
    assert "No.1" in raised.value.fields["sources"].en


def test_a_kpi_is_listed_once() -> None:
    kpi = Kpi(indicator="除雪完了率", target=100)
    with pytest.raises(Unprocessable) as raised:
        add_item(uuid.uuid4(), 1, content(kpis=(kpi, kpi)))
    assert "kpis" in raised.value.fields


def test_only_a_change_of_conditions_asks_for_a_review() -> None:
    added = add_programme(
        SAFETY_GRANT,
        ProgrammeContent(name="防災・安全交付金", ministry="国土交通省", condition="prioritised"),
    )
    assert added.kind is FundingChange.ADDED
    assert not added.conditions_changed
    renamed = revise_programme(
        added.programme, expected_version=1, changes={"name": "防災・安全交付金（道路）"}
    )
    assert not renamed.conditions_changed
    for changes in (
        {"condition": FundingCondition.REQUIRED},
        {"condition_note": "地域計画に明記された事業に限る"},
        {"effective_from_fiscal_year": 2025},
    ):
        assert revise_programme(
            renamed.programme, expected_version=2, changes=changes
        ).conditions_changed


HIRANAI_OFFICER = Principal(subject="hiranai-kimura", role=Role.MUNICIPALITY, municipality=HIRANAI)
COORDINATOR = Principal(subject="kikaku-sato", role=Role.COORDINATOR)


def test_an_officer_edits_their_own_town_only() -> None:
    ensure_may_edit(HIRANAI_OFFICER, HIRANAI)
    with pytest.raises(Forbidden, match="平内町's plan items; this plan item belongs to 青森市"):
        ensure_may_edit(HIRANAI_OFFICER, AOMORI)
    with pytest.raises(Forbidden, match="whole region"):
        ensure_may_edit(HIRANAI_OFFICER, None)
    with pytest.raises(Forbidden, match="coordinator"):
        ensure_may_move(HIRANAI_OFFICER, HIRANAI, None)


def test_a_coordinator_edits_and_moves_any_item() -> None:
    for owner in (HIRANAI, AOMORI, None):
        ensure_may_edit(COORDINATOR, owner)
    ensure_may_move(COORDINATOR, HIRANAI, None)


def _record(
    item_id: uuid.UUID, version: int, kind: RevisionKind, at: datetime, **snapshot: Any
) -> RevisionRecord:
    fields = tuple(snapshot.pop("changed", ()))
    return RevisionRecord(
        seq=version,
        item_id=item_id,
        version=version,
        kind=kind,
        changed_fields=fields,
        changes={f: {"old": None, "new": None} for f in fields},
        snapshot={"number": 1, "title": "除雪機械の更新", "municipality": HIRANAI, **snapshot},
        reason=f"理由{version}",
        actor="municipality:x",
        recorded_at=at,
    )


def test_the_annual_summary_takes_the_revisions_of_the_japanese_fiscal_year() -> None:
    ploughs, radio = uuid.uuid4(), uuid.uuid4()
    records = [
        _record(ploughs, 1, RevisionKind.ADDED, jst("2023-03-31 23:30")),  # FY2022 in Japan
        _record(ploughs, 2, RevisionKind.REVISED, jst("2023-04-01 00:10"), changed=["status"]),
        _record(ploughs, 3, RevisionKind.REVISED, jst("2023-09-01 10:00"), changed=["kpis"]),
        _record(radio, 1, RevisionKind.ADDED, jst("2023-10-01 10:00"), number=2, municipality=None),
        _record(
            radio,
            2,
            RevisionKind.RETIRED,
            jst("2024-03-31 23:59"),
            number=2,
            municipality=None,
            retirement="abolished",
        ),
        _record(ploughs, 4, RevisionKind.REVISED, jst("2024-04-01 00:00"), changed=["title"]),
    ]
    year_end = [{"status": "in_progress"}, {"status": "planned"}, {"status": "in_progress"}]

    summary = summarise_year(2023, records, year_end)

    first, second = summary.items
    assert (first.number, first.revisions, first.changed_fields) == (1, 2, ("status", "kpis"))
    assert first.kinds == [RevisionKind.REVISED]
    assert (second.number, second.added, second.retired, second.retirement) == (
        2,
        True,
        True,
        "abolished",
    )
    assert second.reasons == ("理由1", "理由2")
    assert summary.totals.added == 1
    assert summary.totals.revised == 1
    assert summary.totals.retired == 1
    assert summary.by_municipality[None].retired == 1
    assert summary.by_municipality[HIRANAI].revised == 1
    assert summary.field_counts == {"status": 1, "kpis": 1}
    assert summary.status_at_year_end == {"planned": 1, "in_progress": 2, "done": 0}


@pytest.mark.parametrize(
    ("typed", "code"),
    [("外ケ浜", "023078"), ("０２３０７８", "023078"), ("平内町", HIRANAI), ("圏域全体", None)],
)
def test_owners_are_accepted_as_people_type_them(typed: str, code: str | None) -> None:
    assert owner_code(typed) == code


def test_a_date_means_the_end_of_that_day_in_japan() -> None:
    assert parse_moment("令和5年3月31日") == jst("2023-03-31 23:59:59.999999")
    assert parse_moment("2023-04-01T09:00") == jst("2023-04-01 09:00")
    assert parse_moment("2023-04-01T00:00:00Z") == jst("2023-04-01 09:00")
    with pytest.raises(Unprocessable):
        parse_moment("2023/2/29")


def test_fiscal_years_are_labelled_in_the_japanese_era() -> None:
    assert fiscal_years_text(2019, 2019) == "令和元年度"
    assert fiscal_years_text(2022, 2026) == "令和4年度～令和8年度"


def test_a_diff_reads_the_labels_of_its_codes_and_leaves_unknown_ones_unlabelled() -> None:
    empty = Lists(goals={}, scenarios={}, areas={}, programmes={})
    shown = item_changes(
        {
            "status": {"old": "planned", "new": "done"},
            "municipality": {"old": None, "new": "023019"},
            "risk_scenario": {"old": "1-6", "new": "9-9"},
            "funding_programmes": {"old": [], "new": ["not-an-id"]},
            "title": {"old": "除雪", "new": "除雪機械"},
        },
        empty,
    )
    assert {f: (c.old_label, c.new_label) for f, c in shown.items()} == {
        "status": ("計画", "完了"),
        "municipality": ("圏域全体", "平内町"),
        "risk_scenario": (None, None),
        "funding_programmes": ("なし", "not-an-id"),
        "title": (None, None),
    }
