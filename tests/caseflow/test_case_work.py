"""Working a case: lifecycle, sessions, transfers with the whole history, referrals, outcomes,
and who may see and change what."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.caseflow.conftest import AUDITOR, COORDINATOR, DESK, Desk, expert_token
from tests.support.clock import TODAY
from tests.support.waiting import header, read_topic
from tosei_common.catalogue.caseflow import CASES
from tosei_common.catalogue.intake import BusinessStage, Category
from tosei_common.devtools.devstack import TansuBroker

pytestmark = pytest.mark.slow


def session(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "held_on": TODAY.isoformat(),
        "mode": "in_person",
        "duration_minutes": 60,
        "minutes": "創業計画書の資金計画を確認",
        "confidential_notes": "自己資金の一部は親族からの借入",
        "next_action_on": (TODAY + timedelta(days=14)).isoformat(),
    }
    body.update(overrides)
    return body


async def test_a_case_goes_through_its_lifecycle_and_refuses_invalid_moves(desk: Desk) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    as_expert = expert_token(expert)
    case_id = await desk.open_case()

    async def move(to: str, **extra: object) -> int:
        response = await desk.post(f"/cases/{case_id}/transitions", {"to": to, **extra}, as_expert)
        return response.status_code

    refused = await desk.post(f"/cases/{case_id}/transitions", {"to": "resolved"}, as_expert)
    assert refused.status_code == 409
    assert refused.json()["error"] == "invalid_transition"
    assert "担当決定からは対応中（in_progress）にできます" in refused.json()["message"]
    in_english = await desk.client.post(
        f"/cases/{case_id}/transitions",
        json={"to": "resolved"},
        headers={**as_expert, "Accept-Language": "en"},
    )
    assert "from assigned it can become: in_progress" in in_english.json()["message"]

    assert (await desk.post(f"/cases/{case_id}/sessions", session(), as_expert)).status_code == 201
    assert (await desk.case(case_id))["state"] == "in_progress"  # the first session started it
    assert await move("closed", satisfaction=5) == 409
    assert await move("resolved", reason="創業計画が完成") == 204
    assert await move("resolved") == 409
    assert await move("closed", satisfaction=5) == 204
    closed = await desk.case(case_id)
    assert (closed["state"], closed["satisfaction"]) == ("closed", 5)
    assert await move("in_progress") == 409
    assert await move("reopened", reason="融資の追加相談") == 204
    assert (await desk.case(case_id))["satisfaction"] is None
    assert await move("in_progress") == 204
    assigned = await desk.post(f"/cases/{case_id}/transitions", {"to": "assigned"}, as_expert)
    assert assigned.status_code == 422

    kinds = [e["kind"] for e in (await desk.case(case_id))["timeline"]]
    assert kinds == [
        "opened", "assigned", "state_changed", "session", "state_changed", "closed",
        "state_changed", "state_changed",
    ]  # fmt: skip

    # Closed again after the reopening: the rating must be said, or said to be missing.
    assert await move("resolved") == 204
    unsaid = await desk.post(f"/cases/{case_id}/transitions", {"to": "closed"}, as_expert)
    assert unsaid.status_code == 422, unsaid.text
    assert unsaid.json()["fields"][0]["field"] == "satisfaction"
    assert await move("closed", satisfaction="not_answered") == 204
    assert (await desk.case(case_id))["satisfaction"] is None
    report = (await desk.client.get("/reports/kpi?fiscal_year=2026", headers=COORDINATOR)).json()
    total = report["total"]
    # rated once: the latest closing (unrated) replaces the first one's 5
    assert (total["satisfaction_ratings"], total["satisfaction_not_answered"]) == (0, 1)


async def test_a_transfer_keeps_the_whole_history_for_the_receiving_expert(
    desk: Desk, broker: TansuBroker
) -> None:
    founder_expert = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    sme_expert = await desk.expert("高橋 美咲", "sme", ["sales_channels"])
    case_id = await desk.open_case(stage=BusinessStage.EARLY, categories=(Category.FOUNDING_PLAN,))
    a, b = expert_token(founder_expert), expert_token(sme_expert)

    assert (await desk.post(f"/cases/{case_id}/sessions", session(), a)).status_code == 201
    moved = await desk.post(
        f"/cases/{case_id}/transfer",
        {
            "to_expert_id": sme_expert,
            "reason": "stage_changed",
            "handover_note": "創業2年目、販路拡大の段階に入ったため経営支援へ",
        },
        a,
    )
    assert moved.status_code == 204

    seen_by_b = await desk.case(case_id, b)
    assert (seen_by_b["expert_id"], seen_by_b["track"]) == (sme_expert, "sme")
    assert seen_by_b["can_change"] is True
    entries = {e["kind"]: e for e in seen_by_b["timeline"]}
    assert entries["session"]["minutes"] == "創業計画書の資金計画を確認"
    assert entries["session"]["by"] == f"expert:{founder_expert}"
    assert entries["transferred"]["note"] == "創業2年目、販路拡大の段階に入ったため経営支援へ"
    assert entries["transferred"]["facts"]["to_track"] == "sme"
    assert seen_by_b["sessions"][0]["expert_name"] == "佐藤 健一"

    assert (
        await desk.post(f"/cases/{case_id}/sessions", session(confidential_notes="Bの所見"), b)
    ).status_code == 201
    seen_by_a = await desk.case(case_id, a)
    assert seen_by_a["can_change"] is False
    notes = [e.get("confidential") for e in seen_by_a["timeline"] if e["kind"] == "session"]
    # A still reads their own notes, but not what B wrote after the hand-over
    assert notes == ["自己資金の一部は親族からの借入", None]
    blocked = await desk.post(f"/cases/{case_id}/sessions", session(), a)
    assert blocked.status_code == 403

    # assigned, started (state_changed), session, transferred, then B's session
    events = await read_topic(broker.bootstrap, CASES.name, expect=5)
    assert len(events) == 5
    transfers = [
        r for r in events if header(r, "ce_type") == "jp.tosei.caseflow.case.transferred.v1"
    ]
    assert len(transfers) == 1
    text = transfers[0].value.decode()
    assert "販路" not in text
    assert "佐藤" not in text
    assert json.loads(text)["reason"] == "stage_changed"


async def test_a_referral_needs_the_client_s_consent(desk: Desk) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["financing"])
    external = await desk.external_expert("中村 由美", "financing")
    refused_case = await desk.open_case(consent=False)
    response = await desk.post(
        f"/cases/{refused_case}/referrals", {"external_expert_id": external}, expert_token(expert)
    )
    assert response.status_code == 409
    assert response.json()["reason"] == "no_consent"
    assert "同意" in response.json()["message"]
    assert (await desk.case(refused_case))["referrals"] == []


async def test_a_referral_is_requested_accepted_visited_and_completed(desk: Desk) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["financing"])
    external = await desk.external_expert("中村 由美", "financing")
    case_id = await desk.open_case(consent=True)
    token = expert_token(expert)
    made = await desk.post(
        f"/cases/{case_id}/referrals",
        {"external_expert_id": external, "note": "融資制度に詳しい専門家"},
        token,
    )
    assert made.status_code == 201
    referral = f"/cases/{case_id}/referrals/{made.json()['referral_id']}"

    visit_too_early = await desk.post(referral, {"visit": True}, token)
    assert visit_too_early.status_code == 409
    assert (await desk.post(referral, {"status": "accepted"}, token)).status_code == 204
    for _ in range(4):
        assert (
            await desk.post(referral, {"visit": True, "note": "訪問支援"}, token)
        ).status_code == 204
    no_result = await desk.post(referral, {"status": "completed"}, token)
    assert no_result.status_code == 422
    done = await desk.post(
        referral, {"status": "completed", "note": "日本政策金融公庫の融資が決定"}, token
    )
    assert done.status_code == 204
    assert (await desk.post(referral, {"status": "declined"}, token)).status_code == 409

    (shown,) = (await desk.case(case_id))["referrals"]
    assert (shown["status"], shown["visits"], shown["paid_visits"]) == ("completed", 4, 3)


async def test_outcomes_are_recorded_with_their_details(desk: Desk) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    case_id = await desk.open_case()
    token = expert_token(expert)
    founded = {
        "type": "founded",
        "achieved_on": TODAY.isoformat(),
        "note": "個人事業の開業届を提出",
    }
    assert (await desk.post(f"/cases/{case_id}/outcomes", founded, token)).status_code == 201
    jobs_missing = {"type": "jobs_created", "achieved_on": TODAY.isoformat()}
    assert (await desk.post(f"/cases/{case_id}/outcomes", jobs_missing, token)).status_code == 422
    future = {"type": "sales_increased", "achieved_on": (TODAY + timedelta(days=30)).isoformat()}
    response = await desk.post(f"/cases/{case_id}/outcomes", future, token)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "achieved_on"
    assert [o["type"] for o in (await desk.case(case_id))["outcomes"]] == ["founded"]


async def test_experts_see_only_their_cases_and_auditors_change_nothing(desk: Desk) -> None:
    mine = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    theirs = await desk.expert("高橋 美咲", "sme", ["it"])
    my_case = await desk.open_case()
    their_case = await desk.open_case(stage=BusinessStage.ESTABLISHED, categories=(Category.IT,))
    assert (await desk.case(their_case))["expert_id"] == theirs
    me = expert_token(mine)

    listed = (await desk.client.get("/cases", headers=me)).json()["cases"]
    assert [c["case_id"] for c in listed] == [my_case]
    assert (await desk.client.get(f"/cases/{their_case}", headers=me)).status_code == 404
    sneaky = await desk.post(f"/cases/{their_case}/sessions", session(), me)
    assert sneaky.status_code == 404

    everything = (await desk.client.get("/cases", headers=AUDITOR)).json()["cases"]
    assert {c["case_id"] for c in everything} == {my_case, their_case}
    audited = await desk.client.get(f"/cases/{their_case}", headers=AUDITOR)
    assert audited.status_code == 200
    assert (await desk.post(f"/cases/{my_case}/sessions", session(), AUDITOR)).status_code == 403
    assert (
        await desk.post("/experts", {"name": "x", "track": "sme", "weekly_capacity": 1}, DESK)
    ).status_code == 403

    await desk.post(f"/cases/{my_case}/sessions", session(), me)
    as_desk = await desk.case(my_case, DESK)
    entry = next(e for e in as_desk["timeline"] if e["kind"] == "session")
    assert "confidential" not in entry  # the desk does not read confidential notes
    as_coordinator = await desk.case(my_case, COORDINATOR)
    entry = next(e for e in as_coordinator["timeline"] if e["kind"] == "session")
    assert entry["confidential"] == "自己資金の一部は親族からの借入"


async def test_overdue_follow_ups_are_listed_per_expert_and_counted_for_operators(
    desk: Desk,
) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    other = await desk.expert("鈴木 一郎", "startup", ["founding_plan"])
    two_weeks_ago = desk.rt.clock.now() - timedelta(days=14)
    late, on_time = await desk.open_case(opened_at=two_weeks_ago), await desk.open_case()
    owners = {c: (await desk.case(c))["expert_id"] for c in (late, on_time)}
    assert set(owners.values()) == {expert, other}
    past = TODAY - timedelta(days=10)
    await desk.post(
        f"/cases/{late}/sessions",
        session(held_on=past.isoformat(), next_action_on=(past + timedelta(days=3)).isoformat()),
        expert_token(owners[late]),
    )
    await desk.post(f"/cases/{on_time}/sessions", session(), expert_token(owners[on_time]))

    listed = (await desk.client.get("/follow-ups/overdue", headers=COORDINATOR)).json()[
        "follow_ups"
    ]
    assert [(f["case_id"], f["days_overdue"]) for f in listed] == [(late, 7)]
    own = await desk.client.get("/follow-ups/overdue", headers=expert_token(owners[on_time]))
    assert own.json()["follow_ups"] == []

    metrics = (await desk.client.get("/metrics")).text
    assert 'tosei_caseflow_overdue_followups{track="startup"} 1.0' in metrics
    assert 'tosei_caseflow_open_cases{state="in_progress",track="startup"} 2.0' in metrics


async def test_a_session_or_an_outcome_before_the_consultation_is_refused_and_no_wait_is_negative(
    desk: Desk,
) -> None:
    """The client came on 12 May; a session typed as 1 May (the month mistaken) is a 422 that
    names the field, and nothing of it is kept."""
    await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    came = datetime(2026, 5, 12, 1, 0, tzinfo=UTC)  # 10:00 in Japan
    case_id = await desk.open_case(opened_at=came)
    owner = (await desk.case(case_id))["expert_id"]
    early = await desk.post(
        f"/cases/{case_id}/sessions", session(held_on="2026-05-01"), expert_token(owner)
    )
    assert early.status_code == 422, early.text
    assert early.json()["fields"][0]["field"] == "held_on"
    assert "受付日（令和8年5月12日）" in early.json()["message"]
    old = await desk.post(
        f"/cases/{case_id}/outcomes",
        {"type": "founded", "achieved_on": "2019-01-01"},
        expert_token(owner),
    )
    assert old.status_code == 422, old.text
    assert old.json()["fields"][0]["field"] == "achieved_on"
    case = await desk.case(case_id)
    assert (case["sessions"], case["outcomes"]) == ([], [])
    on_the_day = await desk.post(
        f"/cases/{case_id}/sessions", session(held_on="2026-05-12"), expert_token(owner)
    )
    assert on_the_day.status_code == 201, on_the_day.text
    report = (await desk.client.get("/reports/kpi?fiscal_year=2026", headers=COORDINATOR)).json()
    assert report["total"]["median_days_to_first_session"] == 0.0
    heisei = (await desk.client.get("/reports/kpi?fiscal_year=2018", headers=COORDINATOR)).json()
    assert heisei["total"]["founders"] == 0


async def test_a_second_outcome_of_a_kind_is_a_conflict_naming_the_first(desk: Desk) -> None:
    await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    case_id = await desk.open_case()
    owner = (await desk.case(case_id))["expert_id"]
    founded = {"type": "founded", "achieved_on": TODAY.isoformat()}
    first = await desk.post(f"/cases/{case_id}/outcomes", founded, expert_token(owner))
    assert first.status_code == 201, first.text
    again = await desk.post(f"/cases/{case_id}/outcomes", founded, expert_token(owner))
    assert again.status_code == 409, again.text
    assert "成果「創業」がすでに記録されています" in again.json()["message"]
    assert [o["type"] for o in (await desk.case(case_id))["outcomes"]] == ["founded"]
    # without a fiscal year: this one (令和8年度 on the tests' clock)
    report = (await desk.client.get("/reports/kpi", headers=COORDINATOR)).json()
    assert report["label"] == "令和8年度 (FY2026)"
    assert (report["total"]["founders"], report["total"]["outcomes"]) == (1, {"founded": 1})


async def test_a_session_in_the_future_is_refused(desk: Desk) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    case_id = await desk.open_case()
    tomorrow = TODAY + timedelta(days=1)
    response = await desk.post(
        f"/cases/{case_id}/sessions", session(held_on=tomorrow.isoformat()), expert_token(expert)
    )
    assert response.status_code == 422
    assert (await desk.case(case_id))["state"] == "assigned"


async def test_a_case_says_which_states_its_reader_may_move_it_to(desk: Desk) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    case_id = await desk.open_case()
    mine = await desk.case(case_id, expert_token(expert))
    assert mine["allowed_transitions"] == [{"to": "in_progress", "label": "対応中"}]
    assert (
        await desk.post(f"/cases/{case_id}/sessions", session(), expert_token(expert))
    ).status_code == 201
    working = await desk.case(case_id, expert_token(expert))
    assert [t["to"] for t in working["allowed_transitions"]] == ["resolved"]
    assert (await desk.case(case_id, AUDITOR))["allowed_transitions"] == []  # reads only


async def test_a_mistaken_session_or_outcome_is_voided_kept_on_the_timeline_and_out_of_the_counts(
    desk: Desk, broker: TansuBroker
) -> None:
    await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    case_id = await desk.open_case()
    owner = expert_token((await desk.case(case_id))["expert_id"])
    held = await desk.post(f"/cases/{case_id}/sessions", session(), owner)
    founded = {"type": "founded", "achieved_on": TODAY.isoformat()}
    outcome = await desk.post(f"/cases/{case_id}/outcomes", founded, owner)
    session_id, outcome_id = held.json()["session_id"], outcome.json()["outcome_id"]

    async def totals() -> tuple[int, int]:
        report = await desk.client.get("/reports/kpi?fiscal_year=2026", headers=COORDINATOR)
        total = report.json()["total"]
        return total["consultations"], total["founders"]

    assert await totals() == (1, 1)
    why = {"reason": "別の相談者の案件に記録してしまったため"}
    unsaid = await desk.post(f"/cases/{case_id}/sessions/{session_id}/void", {}, owner)
    assert unsaid.status_code == 422
    assert unsaid.json()["fields"][0]["field"] == "reason"
    voided = await desk.post(f"/cases/{case_id}/sessions/{session_id}/void", why, owner)
    assert voided.status_code == 204, voided.text
    again = await desk.post(f"/cases/{case_id}/sessions/{session_id}/void", why, owner)
    assert again.status_code == 409
    assert "すでに取り消されています" in again.json()["message"]
    nowhere = await desk.post(f"/cases/{case_id}/sessions/{uuid.uuid4()}/void", why, owner)
    assert nowhere.status_code == 404
    assert await totals() == (0, 1)

    # The wrong date of the founding: void it, record the right one; one founder still.
    fixed = {"reason": "創業日の入力誤り"}
    assert (
        await desk.post(f"/cases/{case_id}/outcomes/{outcome_id}/void", fixed, owner)
    ).status_code == 204
    assert await totals() == (0, 0)
    right_day = {"type": "founded", "achieved_on": TODAY.isoformat(), "note": "開業届の日付"}
    assert (await desk.post(f"/cases/{case_id}/outcomes", right_day, owner)).status_code == 201
    assert await totals() == (0, 1)

    case = await desk.case(case_id)
    assert [s["voided_at"] is not None for s in case["sessions"]] == [True]
    assert [o["voided_at"] is not None for o in case["outcomes"]] == [True, False]
    voids = [e for e in case["timeline"] if e["kind"].endswith("_voided")]
    assert [(e["kind"], e["reason"]) for e in voids] == [
        ("session_voided", "別の相談者の案件に記録してしまったため"),
        ("outcome_voided", "創業日の入力誤り"),
    ]
    records = await read_topic(broker.bootstrap, CASES.name, expect=7)
    kinds = [header(r, "ce_type") for r in records]
    assert "jp.tosei.caseflow.case.session_voided.v1" in kinds
    assert "jp.tosei.caseflow.case.outcome_voided.v1" in kinds
    assert not any(b"\xe5\x88\xa5\xe3\x81\xae" in (r.value or b"") for r in records)  # 「別の」
