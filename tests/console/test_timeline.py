"""Who did what on a case's timeline, as the desk reads it."""

from __future__ import annotations

from tosei_console.domain.timeline import actor_label, detail

NAMES = {"expert:0b8e": "佐々木 健", "desk:kimura": "木村 由美"}


def test_people_are_shown_by_the_name_the_console_knows() -> None:
    assert actor_label("expert:0b8e", NAMES) == "佐々木 健"
    assert actor_label("desk:kimura", NAMES) == "木村 由美"


def test_the_services_own_decisions_say_what_decided() -> None:
    assert actor_label("system:triage", NAMES) == "自動割当（得意分野と担当件数から）"
    assert actor_label("system:handover", NAMES) == "旧窓口からの引継ぎ"
    assert actor_label("intake", NAMES) == "相談受付"
    assert actor_label("system:seminar", NAMES) == "システム"


def test_someone_no_longer_known_is_shown_by_role_never_by_id() -> None:
    assert actor_label("coordinator:gone", NAMES) == "コーディネーター"
    assert actor_label("expert:ffff", NAMES) == "支援人材（専門家）"
    assert actor_label("stranger", NAMES) == "stranger"


def test_each_entry_says_what_changed_in_words() -> None:
    names = {"expert:a": "佐々木 健", "expert:b": "工藤 真理"}
    assert detail("state_changed", {"from": "assigned", "to": "in_progress"}, names) == (
        "担当決定 → 対応中"
    )
    moved = {
        "from_expert_id": "a",
        "to_expert_id": "b",
        "from_track": "startup",
        "to_track": "sme",
        "reason": "stage_changed",
    }
    assert detail("transferred", moved, names) == (
        "佐々木 健 → 工藤 真理（事業の段階が変わった、創業支援 → 中小企業経営支援）"
    )
    assert detail("assigned", {"expert_id": "a", "track": "sme"}, names) == "佐々木 健"
    assert detail("assigned", {"expert_id": "gone", "track": "sme"}, names) == "登録外の支援人材"
    session = {"held_on": "2026-11-16", "mode": "visit", "duration_minutes": 90}
    assert detail("session", session, names) == "令和8年11月16日・訪問・90分"
    outcome = {"type": "jobs_created", "jobs": 3, "achieved_on": "2027-01-05"}
    assert detail("outcome", outcome, names) == "雇用創出（3人）・令和9年1月5日"
    assert detail("closed", {"satisfaction": None}, names) == "満足度 回答なし"
    assert detail("closed", {"satisfaction": 4}, names) == "満足度 4（5段階）"


def test_a_correction_from_intake_reads_as_the_town_stage_and_topics() -> None:
    facts = {"municipality": "023078", "stage": "early", "categories": ["sales_channels"]}
    assert detail("corrected", facts, {}) == "外ヶ浜町・創業5年以内・販路開拓"
