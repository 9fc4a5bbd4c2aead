"""What integrators and the towns receive on the topics: ids, codes, field names, no free text."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.resilience.plan import (
    COORDINATOR,
    HIRANAI,
    SNOW_PLOUGHS,
    PlanClient,
    item,
    officer,
)
from tests.support.waiting import header, read_topic
from tosei_common.catalogue.resilience import FUNDING_PROGRAMMES, PLAN_ITEMS
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.events import Envelope


def _payloads(records: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (str(header(r, "ce_type")), r.key.decode(), json.loads(r.value))
        for r in sorted(records, key=lambda r: Envelope.from_record(r.headers, r.value).time)
    ]


async def test_plan_item_events_carry_ids_codes_and_changed_field_names_only(
    plan: PlanClient, broker: TansuBroker
) -> None:
    safety = await plan.programme("防災・安全交付金")
    added = await plan.add(
        item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI, "hiranai-kimura")
    )
    revised = await plan.revise(
        added,
        officer(HIRANAI, "hiranai-kimura"),
        funding_programmes=[],
        estimated_cost_yen=52_000_000,
        reason="交付金の対象外となったため単独事業として実施（担当: 木村）",
    )
    await plan.retire(revised, COORDINATOR, "abolished")

    records = await read_topic(broker.bootstrap, PLAN_ITEMS.name, expect=3)
    events = _payloads(records)

    assert [t for t, _, _ in events] == [
        "jp.tosei.resilience.plan_item.added.v1",
        "jp.tosei.resilience.plan_item.revised.v1",
        "jp.tosei.resilience.plan_item.retired.v1",
    ]
    assert {key for _, key, _ in events} == {added["id"]}
    first, second, third = (payload for _, _, payload in events)
    assert first["municipality"] == HIRANAI
    assert first["risk_scenario"] == "1-6"
    assert first["funding_programme_ids"] == [safety["id"]]
    assert second["changed_fields"] == ["estimated_cost_yen", "funding_programmes"]
    assert second["version"] == 2
    assert (third["reason"], third["version"]) == ("abolished", 3)
    assert {payload["title"] for _, _, payload in events} == {SNOW_PLOUGHS["title"]}

    text = records_text(records)
    for free_text in (
        SNOW_PLOUGHS["lead_department"],
        SNOW_PLOUGHS["reason"],
        "木村",
        "hiranai-kimura",
        "kikaku-sato",
        "除雪計画路線",
        "事業完了",
    ):
        assert free_text not in text, free_text


async def test_a_split_publishes_the_parts_and_the_retirement_that_names_them(
    plan: PlanClient, http: httpx.AsyncClient, broker: TansuBroker
) -> None:
    whole = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    parts = [item(SNOW_PLOUGHS, title=t) for t in ("ロータリー除雪車の更新", "除雪ドーザの更新")]
    for part in parts:
        del part["reason"]
    response = await http.post(
        f"/plan-items/{whole['id']}/split",
        json={"version": 1, "reason": "分割", "parts": parts},
        headers=officer(HIRANAI),
    )
    part_ids = [p["id"] for p in response.json()["parts"]]

    events = _payloads(await read_topic(broker.bootstrap, PLAN_ITEMS.name, expect=4))

    retired = [p for t, _, p in events if t.endswith("retired.v1")]
    assert [(r["reason"], r["superseded_by"]) for r in retired] == [("split", part_ids)]
    added_parts = [p for t, _, p in events if t.endswith("added.v1") and p["derivation"]]
    assert [(p["derivation"], p["derived_from"]) for p in added_parts] == [
        ("split", [whole["id"]]),
        ("split", [whole["id"]]),
    ]


async def test_a_funding_change_publishes_the_condition_and_the_flagged_items(
    plan: PlanClient, http: httpx.AsyncClient, broker: TansuBroker
) -> None:
    safety = await plan.programme("防災・安全交付金")
    ploughs = await plan.add(
        item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI)
    )
    note = "令和7年度から地域計画に明記された事業に限る"
    await http.patch(
        f"/funding-programmes/{safety['id']}",
        json={"version": 1, "reason": "制度改正", "condition": "required", "condition_note": note},
        headers=COORDINATOR,
    )

    records = await read_topic(broker.bootstrap, FUNDING_PROGRAMMES.name, expect=2)
    events = _payloads(records)

    assert [(p["change"], p["conditions_changed"]) for _, _, p in events] == [
        ("added", False),
        ("revised", True),
    ]
    _, key, changed = events[1]
    assert key == safety["id"]
    assert changed["condition"] == "required"
    assert changed["changed_fields"] == ["condition", "condition_note"]
    assert changed["flagged_item_ids"] == [ploughs["id"]]
    assert note not in records_text(records)
    assert "防災・安全交付金" not in records_text(records)


def records_text(records: Any) -> str:
    return "\n".join(r.value.decode() + "".join(v.decode() for _, v in r.headers) for r in records)
