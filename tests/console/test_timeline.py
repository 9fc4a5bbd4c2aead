"""Who did what on a case's timeline, as the desk reads it."""

from __future__ import annotations

from tosei_console.domain.timeline import actor_label

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
