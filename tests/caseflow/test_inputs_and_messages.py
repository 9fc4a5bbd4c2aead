"""What people type and what they are told: errors in Japanese (English on request) naming the
field, fiscal years in every usual spelling, free text refused only for control characters and
otherwise kept exactly as typed."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.caseflow.conftest import AUDITOR, COORDINATOR, DESK, Desk, expert_token
from tests.support.clock import TODAY

pytestmark = pytest.mark.slow

EN = {"Accept-Language": "en"}


def fields(response: httpx.Response) -> dict[str, str]:
    return {f["field"]: f["message"] for f in response.json().get("fields", [])}


async def test_errors_are_said_in_japanese_and_in_english_on_request(desk: Desk) -> None:
    sato = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    takahashi = await desk.expert("高橋 美咲", "sme", ["sales_channels"])
    case_id = await desk.open_case()

    missing = uuid.uuid4()
    not_found = await desk.client.get(f"/cases/{missing}", headers=COORDINATOR)
    assert (not_found.status_code, not_found.json()["error"]) == (404, "not_found")
    assert not_found.json()["message"] == f"案件が見つかりません（{missing}）"
    english = await desk.client.get(f"/cases/{missing}", headers={**COORDINATOR, **EN})
    assert english.json()["message"] == f"no case {missing}"

    auditor = await desk.post(f"/cases/{case_id}/transitions", {"to": "in_progress"}, AUDITOR)
    assert (auditor.status_code, auditor.json()["error"]) == (403, "forbidden")
    assert auditor.json()["message"].startswith("案件の変更は")

    future = (TODAY + timedelta(days=3)).isoformat()
    body = {"held_on": future, "mode": "phone", "duration_minutes": 20}
    refused = await desk.post(f"/cases/{case_id}/sessions", body, expert_token(sato))
    assert (refused.status_code, refused.json()["error"]) == (422, "validation_failed")
    assert "面談日" in refused.json()["message"]
    assert fields(refused) == {"held_on": "今日以前の日付にしてください"}

    no_jobs = await desk.post(
        f"/cases/{case_id}/outcomes",
        {"type": "jobs_created", "achieved_on": TODAY.isoformat()},
        expert_token(sato),
    )
    assert fields(no_jobs) == {"jobs": "1以上の人数を入力してください"}

    moved = await desk.post(
        f"/cases/{case_id}/transfer",
        {"to_expert_id": takahashi, "reason": "stage_changed", "handover_note": "経営支援へ"},
        expert_token(sato),
    )
    assert moved.status_code == 204
    former = await desk.post(f"/cases/{case_id}/sessions", body, expert_token(sato))
    assert former.status_code == 403
    assert "閲覧はできますが、変更はできません" in former.json()["message"]

    unknown = await desk.post(
        f"/cases/{case_id}/assign", {"expert_id": str(uuid.uuid4())}, COORDINATOR
    )
    assert (unknown.status_code, fields(unknown)) == (
        422,
        {"expert_id": "登録されていない専門家です"},
    )

    elsewhere = await desk.client.get(
        "/cases", params={"municipality": "弘前市"}, headers={**DESK, **EN}
    )
    assert elsewhere.status_code == 422
    assert fields(elsewhere) == {"municipality": "not in the region"}
    in_japanese = await desk.client.get("/cases", params={"municipality": "弘前市"}, headers=DESK)
    assert "東青圏域の市町村ではありません" in in_japanese.json()["message"]
    found = await desk.client.get("/cases", params={"municipality": "青森"}, headers=DESK)
    assert [c["case_id"] for c in found.json()["cases"]] == [case_id]


@pytest.mark.parametrize("spelling", ["2021", "FY2021", "2021年度", "令和3年度", "R3"])
async def test_the_kpi_report_takes_every_spelling_of_a_fiscal_year(
    desk: Desk, spelling: str
) -> None:
    report = await desk.client.get(
        "/reports/kpi", params={"fiscal_year": spelling}, headers=COORDINATOR
    )
    assert report.status_code == 200, report.text
    assert (report.json()["fiscal_year"], report.json()["label"]) == (2021, "令和3年度 (FY2021)")
    sheet = await desk.client.get(
        "/reports/kpi.csv", params={"fiscal_year": spelling}, headers=COORDINATOR
    )
    assert sheet.status_code == 200
    assert "令和3年度 (FY2021)" in sheet.content.decode("utf-8-sig").splitlines()[0]


@pytest.mark.parametrize(
    ("spelling", "said"), [("1999", "1999年度は範囲外です"), ("来年", "年度として読めません")]
)
async def test_a_fiscal_year_out_of_range_or_unreadable_is_refused_clearly(
    desk: Desk, spelling: str, said: str
) -> None:
    for path in ("/reports/kpi", "/reports/kpi.csv"):
        refused = await desk.client.get(path, params={"fiscal_year": spelling}, headers=AUDITOR)
        assert refused.status_code == 422
        assert said in fields(refused)["fiscal_year"]


async def test_control_characters_are_refused_naming_the_field(desk: Desk) -> None:
    sato = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    other = await desk.expert("鈴木 一郎", "sme", ["it"])
    case_id = await desk.open_case()
    token = expert_token(sato)
    today = TODAY.isoformat()
    attempts: list[tuple[str, dict[str, Any], dict[str, str], str]] = [
        ("/experts", {"name": "佐藤\x00健一", "track": "sme", "weekly_capacity": 1}, COORDINATOR,
         "name"),
        ("/external-experts", {"name": "中村 由美", "organisation": "本部\x1b", "speciality": "hr"},
         COORDINATOR, "organisation"),
        ("/external-experts", {"name": "\u200b\u200b", "organisation": "本部", "speciality": "hr"},
         COORDINATOR, "name"),
        (f"/cases/{case_id}/sessions",
         {"held_on": today, "mode": "visit", "duration_minutes": 30, "minutes": "確認\x07"},
         token, "minutes"),
        (f"/cases/{case_id}/sessions",
         {"held_on": today, "mode": "visit", "duration_minutes": 30,
          "confidential_notes": "\x0c内密"},
         token, "confidential_notes"),
        (f"/cases/{case_id}/transitions", {"to": "in_progress", "reason": "一行目\n二行目"}, token,
         "reason"),
        (f"/cases/{case_id}/transfer",
         {"to_expert_id": other, "reason": "other", "handover_note": "引継ぎ\x00"}, token,
         "handover_note"),
        (f"/cases/{case_id}/outcomes",
         {"type": "founded", "achieved_on": today, "note": "開業\x1f"}, token, "note"),
        (f"/cases/{case_id}/assign", {"expert_id": other, "reason": "理由\x08"}, COORDINATOR,
         "reason"),
    ]  # fmt: skip
    for path, body, headers, field in attempts:
        refused = await desk.post(path, body, headers)
        assert refused.status_code == 422, (path, field, refused.text)
        assert list(fields(refused)) == [field], (path, refused.text)
    case = await desk.case(case_id)
    assert (case["state"], case["expert_id"], case["outcomes"]) == ("assigned", sato, [])


async def test_free_text_is_stored_as_typed_and_a_retried_command_counts_once(
    desk: Desk,
) -> None:
    name = "佐藤　健一（ＡＢＣ）"  # full-width space, brackets and letters: kept, not NFKC'd
    sato = await desk.expert(f"  {name} ", "startup", ["founding_plan"])
    listed = (await desk.client.get("/experts", headers=COORDINATOR)).json()["experts"]
    assert [e["name"] for e in listed] == [name]
    case_id = await desk.open_case()
    body = {
        "held_on": TODAY.isoformat(),
        "mode": "in_person",
        "duration_minutes": 45,
        "minutes": "資金計画：ＡＢＣ銀行\r\n\t次回は〜１２月",
        "confidential_notes": "自己資金ｶﾞ不足",
    }
    # sent twice with one Idempotency-Key (a retry): recorded once, the same answer twice
    retried = {**expert_token(sato), "Idempotency-Key": str(uuid.uuid4())}
    first = await desk.post(f"/cases/{case_id}/sessions", body, retried)
    again = await desk.post(f"/cases/{case_id}/sessions", body, retried)
    assert (first.status_code, again.json()) == (201, first.json())
    assert len((await desk.case(case_id))["sessions"]) == 1
    entry = next(e for e in (await desk.case(case_id))["timeline"] if e["kind"] == "session")
    assert entry["minutes"] == "資金計画：ＡＢＣ銀行\n\t次回は〜１２月"
    assert entry["confidential"] == "自己資金ｶﾞ不足"
    assert (await desk.case(case_id))["sessions"][0]["expert_name"] == name
