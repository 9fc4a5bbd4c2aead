"""The public seminar pages' rules, without I/O: which seminar the page shows, what the form
sends, how statuses, seats and retry times are said."""

from __future__ import annotations

from datetime import timedelta

from tosei_common.platform.clock import japan_moment
from tosei_console.domain.public_seminar import (
    choices,
    feedback_body,
    field_errors,
    honeypot_filled,
    registration_body,
    retry_words,
    status_words,
    this_years_seminar,
    time_span,
    window_words,
)


def seminar(sid: str, fy: int, state: str) -> dict[str, object]:
    return {"id": sid, "fiscal_year": fy, "state": state, "starts_at": None}


def test_the_page_shows_the_next_seminar_not_yet_over_and_else_this_years() -> None:
    held_this_year = seminar("a", 2026, "held")
    next_year = seminar("b", 2027, "registration_open")
    assert this_years_seminar([held_this_year, next_year], 2026) == "b"
    assert this_years_seminar([held_this_year], 2026) == "a"
    assert this_years_seminar([seminar("c", 2025, "registration_open")], 2026) is None
    assert this_years_seminar([], 2026) is None
    assert this_years_seminar([seminar("d", 2028, "scheduled"), next_year], 2026) == "b"


def test_the_day_s_weekday_and_hours_are_in_japan_time() -> None:
    assert (
        time_span("2027-10-17T04:30:00+00:00", "2027-10-17T07:30:00+00:00") == "（日） 13:30〜16:30"
    )
    assert time_span(None, None) == ""


def test_the_form_sends_blank_boxes_as_absent_and_a_site_as_its_mode_and_id() -> None:
    body = registration_body(
        {
            "name": "小野寺 茂",
            "name_kana": "  ",
            "role": "care_manager",
            "municipality": "平内町",
            "email": "",
            "phone": "017-755-2111",
            "mode": "viewing_site:0b7c8c1e-0000-4000-8000-000000000001",
        }
    )
    assert (body["name_kana"], body["email"], body["organisation"]) == (None, None, None)
    assert body["mode"] == "viewing_site"
    assert body["site_id"] == "0b7c8c1e-0000-4000-8000-000000000001"
    assert registration_body({"mode": "online"})["site_id"] is None
    assert registration_body({})["mode"] is None


def test_a_choice_left_blank_is_asked_for_in_the_form_s_words() -> None:
    service_said = {
        "role": "次のいずれかを指定してください: physician、nurse",
        "site_id": "平内町のサテライト会場を選んでください",
        "name": "入力してください",
    }
    shown = field_errors(service_said, {"role": "", "mode": "viewing_site:x", "name": ""})
    assert shown == {
        "role": "職種を選んでください",
        "mode": "平内町のサテライト会場を選んでください",
        "name": "入力してください",
    }
    assert field_errors({"role": "不明な職種です"}, {"role": "astronaut"}) == {
        "role": "不明な職種です"
    }


def test_feedback_scores_not_chosen_stay_absent() -> None:
    assert feedback_body({"satisfaction": "5", "comment": " "}) == {
        "satisfaction": 5,
        "usefulness": None,
        "comment": None,
    }


def test_the_honeypot_is_filled_only_by_what_is_not_blank() -> None:
    assert honeypot_filled({"homepage": "https://spam.example"})
    assert not honeypot_filled({"homepage": "  "})
    assert not honeypot_filled({})


def test_statuses_are_said_as_registrants_expect() -> None:
    assert status_words("accepted", None) == "参加確定"
    assert status_words("waitlisted", 3) == "キャンセル待ち 3番目"
    assert status_words("cancelled", None) == "キャンセル済み"
    assert status_words("seminar_cancelled", None) == "中止"


def test_places_are_offered_in_the_service_s_order_with_their_seats() -> None:
    offered = choices(
        [
            {
                "id": "s1",
                "mode": "viewing_site",
                "mode_label": "サテライト会場",
                "name": "平内町中央公民館 研修室",
                "seats_left": 0,
                "waiting": 2,
                "if_registered_now": "waitlisted",
            },
            {
                "id": "o",
                "mode": "online",
                "mode_label": "オンライン",
                "name": "オンライン配信",
                "seats_left": 120,
                "waiting": 0,
                "if_registered_now": "accepted",
            },
        ]
    )
    assert [(c.value, c.label, c.full) for c in offered] == [
        ("viewing_site:s1", "サテライト会場：平内町中央公民館 研修室", True),
        ("online", "オンライン", False),
    ]
    assert offered[0].seats == "満席です（申し込むとキャンセル待ち3番目になります）"
    assert offered[1].seats == "残り120席"


def test_when_to_retry_is_said_in_minutes_and_a_japanese_clock_time() -> None:
    now = japan_moment("2026-11-16 10:00")
    assert retry_words(timedelta(minutes=14, seconds=10), now) == "約15分後（10:15ごろ）"
    assert retry_words(timedelta(seconds=5), now) == "約1分後（10:01ごろ）"
    assert retry_words(timedelta(minutes=60), now) == "約1時間後（11:00ごろ）"
    assert retry_words(timedelta(minutes=90), now) == "約1時間30分後（11:30ごろ）"
    assert window_words(3600) == "1時間"
    assert window_words(600) == "10分間"
