"""Intake and caseflow together, as the desk uses them: a consultation registered at intake is
triaged by caseflow, and intake learns from caseflow's events which expert may read it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.caseflow.conftest import COORDINATOR, expert_token
from tests.intake.helpers import DESK, consultation
from tests.support.clock import TODAY
from tests.support.runtime import Start
from tests.support.waiting import eventually
from tosei_caseflow.app import SERVICE as CASEFLOW
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_intake.app import SERVICE as INTAKE

pytestmark = pytest.mark.slow


class Desk:
    def __init__(self, intake: httpx.AsyncClient, caseflow: httpx.AsyncClient) -> None:
        self.intake = intake
        self.caseflow = caseflow

    async def expert(self, name: str, track: str, specialities: list[str]) -> str:
        body = {"name": name, "track": track, "specialities": specialities, "weekly_capacity": 5}
        response = await self.caseflow.post("/experts", json=body, headers=COORDINATOR)
        assert response.status_code == 201, response.text
        expert_id: str = response.json()["expert_id"]
        return expert_id

    async def case_expert(self, case_id: str) -> str | None:
        response = await self.caseflow.get(f"/cases/{case_id}", headers=COORDINATOR)
        if response.status_code != 200:
            return None
        expert: str | None = response.json()["expert_id"]
        return expert

    async def seen_by(self, consultation_id: str, headers: dict[str, str]) -> int:
        response = await self.intake.get(f"/consultations/{consultation_id}", headers=headers)
        return response.status_code


@pytest.fixture
async def desk(start: Start) -> AsyncIterator[Desk]:
    suffix = uuid.uuid4().hex[:8]
    async with (
        start(INTAKE, schema=f"intake_{suffix}") as intake,
        start(CASEFLOW, schema=f"caseflow_{suffix}") as caseflow,
        _client(intake, "http://intake") as intake_http,
        _client(caseflow, "http://caseflow") as caseflow_http,
    ):
        yield Desk(intake_http, caseflow_http)


def _client(rt: Runtime, base: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(rt)), base_url=base)


async def test_a_consultation_reaches_its_expert_and_follows_a_transfer(desk: Desk) -> None:
    founding = await desk.expert("佐藤 健一", "startup", ["founding_plan", "financing"])
    sme = await desk.expert("高橋 美咲", "sme", ["sales_channels"])

    registered = await desk.intake.post("/consultations", json=consultation(), headers=DESK)
    assert registered.status_code == 201, registered.text
    case_id = registered.json()["id"]

    await eventually(lambda: _equals(desk.case_expert(case_id), founding), timeout=30)
    # intake hears of the assignment from caseflow and lets that expert, and only them, read it
    await eventually(
        lambda: _equals(desk.seen_by(case_id, expert_token(founding)), 200), timeout=30
    )
    assert await desk.seen_by(case_id, expert_token(sme)) == 404
    shown = (await desk.intake.get(f"/consultations/{case_id}", headers=DESK)).json()
    assert shown["assigned_expert"]["expert_id"] == founding

    moved = await desk.caseflow.post(
        f"/cases/{case_id}/transfer",
        json={"to_expert_id": sme, "reason": "stage_changed", "handover_note": "販路開拓の段階へ"},
        headers=expert_token(founding),
    )
    assert moved.status_code == 204
    await eventually(lambda: _equals(desk.seen_by(case_id, expert_token(sme)), 200), timeout=30)
    # The former expert still reads it, in intake as in caseflow (read-only in both) ...
    assert await desk.seen_by(case_id, expert_token(founding)) == 200
    in_caseflow = await desk.caseflow.get(f"/cases/{case_id}", headers=expert_token(founding))
    assert in_caseflow.status_code == 200
    assert in_caseflow.json()["can_change"] is False
    listed = await desk.intake.get("/consultations", headers=expert_token(founding))
    assert [c["id"] for c in listed.json()["items"]] == [case_id]
    shown = (await desk.intake.get(f"/consultations/{case_id}", headers=DESK)).json()
    assert shown["assigned_expert"]["expert_id"] == sme
    # ... and an expert who never had it still learns nothing of it.
    stranger = await desk.expert("成田 誠", "sme", ["succession"])
    assert await desk.seen_by(case_id, expert_token(stranger)) == 404


async def test_a_handed_over_case_reaches_its_old_staff_member_by_pseudonym(desk: Desk) -> None:
    kept_on = await desk.expert("山本 和子", "sme", ["sales_channels"])
    await desk.expert("小林 翔", "sme", ["sales_channels"])
    sheet = (
        "受付日,相談者名,事業者名,市町村,相談区分,相談内容,担当者,状況,電話番号,メールアドレス\r\n"
        "令和2年9月15日,工藤 次郎,蓬田ほたて加工,蓬田村,販路開拓,道の駅での販売,山本　和子,対応中,"
        "0174-27-2111,\r\n"
    ).encode("cp932")
    imported = await desk.intake.post(
        "/imports/legacy",
        files={"files": ("中小企業窓口.csv", sheet, "text/csv")},
        data={"desk": "sme"},
        headers=DESK,
    )
    assert imported.status_code == 200, imported.text
    listed = (await desk.intake.get("/consultations", headers=DESK)).json()
    case_id = _only(listed)["id"]

    await eventually(lambda: _equals(desk.case_expert(case_id), kept_on), timeout=30)
    case = (await desk.caseflow.get(f"/cases/{case_id}", headers=COORDINATOR)).json()
    assert (case["origin"], case["legacy_status"]) == ("sme_desk", "open")
    assert next(e for e in case["timeline"] if e["kind"] == "assigned")["facts"]["rule"] == (
        "legacy_staff"
    )


async def _equals(value: Any, expected: Any) -> bool:
    return bool(await value == expected)


def _only(listing: Any) -> Any:
    items = listing["items"]
    assert len(items) == 1, items
    return items[0]


async def test_consent_recorded_at_intake_after_the_consultation_lets_the_referral_through(
    desk: Desk,
) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan", "financing"])
    network = await desk.caseflow.post(
        "/external-experts",
        json={"name": "中村 由美", "organisation": "よろず支援拠点", "speciality": "financing"},
        headers=COORDINATOR,
    )
    assert network.status_code == 201, network.text
    external_id = network.json()["external_expert_id"]
    registered = await desk.intake.post(
        "/consultations", json=consultation(consent_to_share=False), headers=DESK
    )
    case_id = registered.json()["id"]
    await eventually(lambda: _equals(desk.case_expert(case_id), expert), timeout=30)

    async def refer() -> httpx.Response:
        return await desk.caseflow.post(
            f"/cases/{case_id}/referrals",
            json={"external_expert_id": external_id},
            headers=expert_token(expert),
        )

    refused = await refer()
    assert refused.status_code == 409
    assert refused.json()["reason"] == "no_consent"

    given = {"consent_to_share": True, "given_on": TODAY.isoformat(), "note": "電話で本人に確認"}
    path = f"/consultations/{case_id}/consent"
    early = await desk.intake.post(path, json={**given, "given_on": "2020-01-01"}, headers=DESK)
    assert early.status_code == 422
    assert early.json()["fields"][0]["field"] == "given_on"
    by_expert = await desk.intake.post(path, json=given, headers=expert_token(expert))
    assert by_expert.status_code == 403
    recorded = await desk.intake.post(path, json=given, headers=DESK)
    assert recorded.status_code == 204, recorded.text
    twice = await desk.intake.post(path, json=given, headers=DESK)
    assert twice.status_code == 409
    shown = (await desk.intake.get(f"/consultations/{case_id}", headers=DESK)).json()
    assert shown["consent_to_share"] is True

    async def consented() -> bool:
        case = (await desk.caseflow.get(f"/cases/{case_id}", headers=COORDINATOR)).json()
        return bool(case["consent_to_share"])

    await eventually(consented, timeout=30)
    assert (await refer()).status_code == 201
    case = (await desk.caseflow.get(f"/cases/{case_id}", headers=COORDINATOR)).json()
    assert [e["kind"] for e in case["timeline"]].count("consent_changed") == 1


async def test_a_consultation_corrected_at_intake_moves_its_case_and_its_figures(
    desk: Desk,
) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan", "financing"])
    registered = await desk.intake.post(
        "/consultations", json=consultation(municipality="青森市"), headers=DESK
    )
    case_id = registered.json()["id"]
    await eventually(lambda: _equals(desk.case_expert(case_id), expert), timeout=30)
    path = f"/consultations/{case_id}"
    fix = {"municipality": "外ケ浜町", "categories": ["sales_channels", "financing"]}

    unsaid = await desk.intake.patch(path, json=fix, headers=DESK)
    assert unsaid.status_code == 422
    assert unsaid.json()["fields"][0]["field"] == "reason"
    by_expert = await desk.intake.patch(
        path, json={**fix, "reason": "x"}, headers=expert_token(expert)
    )
    assert by_expert.status_code == 403
    why = "市町村の選択誤り（相談者は外ヶ浜町在住）"
    done = await desk.intake.patch(path, json={**fix, "reason": why}, headers=DESK)
    assert done.status_code == 204, done.text
    same = await desk.intake.patch(path, json={**fix, "reason": why}, headers=DESK)
    assert same.status_code == 422
    assert "訂正する項目がありません" in same.json()["message"]
    wording = {"description": "道の駅での販路開拓について。", "reason": "内容の書き直し"}
    assert (await desk.intake.patch(path, json=wording, headers=DESK)).status_code == 204

    shown = (await desk.intake.get(path, headers=DESK)).json()
    assert shown["municipality"]["name"] == "外ヶ浜町"
    assert shown["categories"] == ["sales_channels", "financing"]
    assert shown["description"] == "道の駅での販路開拓について。"

    async def moved() -> bool:
        case = (await desk.caseflow.get(f"/cases/{case_id}", headers=COORDINATOR)).json()
        return bool(case["municipality"] == "023078")

    await eventually(moved, timeout=30)
    case = (await desk.caseflow.get(f"/cases/{case_id}", headers=COORDINATOR)).json()
    assert case["categories"] == ["sales_channels", "financing"]
    assert [e["kind"] for e in case["timeline"]].count("corrected") == 1  # the wording stays
    report = (await desk.caseflow.get("/reports/kpi", headers=COORDINATOR)).json()
    assert list(report["by_municipality"]) == ["023078"]
    assert set(report["by_category"]) == {"sales_channels", "financing"}


async def test_a_wrong_merge_is_undone_and_each_person_has_their_own_record_and_count(
    desk: Desk,
) -> None:
    await desk.expert("佐藤 健一", "startup", ["founding_plan", "financing"])
    father = consultation(
        person={"name": "工藤 一郎", "furigana": None, "phone": "017-700-1111", "email": None}
    )
    namesake = consultation(
        person={"name": "工藤一郎", "furigana": "くどう いちろう", "phone": None,
                "email": "ichiro.kudo@example.jp"},
        municipality="平内町",
    )  # fmt: skip
    first = (await desk.intake.post("/consultations", json=father, headers=DESK)).json()
    second = (await desk.intake.post("/consultations", json=namesake, headers=DESK)).json()
    survivor, duplicate = first["client_id"], second["client_id"]
    merged = await desk.intake.post(
        f"/clients/{survivor}/merge", json={"duplicate_id": duplicate}, headers=COORDINATOR
    )
    assert merged.status_code == 200, merged.text

    async def distinct_clients() -> int:
        report = (await desk.caseflow.get("/reports/kpi", headers=COORDINATOR)).json()
        return int(report["total"]["distinct_clients"])

    await eventually(lambda: _equals(distinct_clients(), 1), timeout=30)

    path = f"/clients/{duplicate}/unmerge"
    assert (await desk.intake.post(path, json={}, headers=COORDINATOR)).status_code == 422
    assert (await desk.intake.post(path, json={"reason": "x"}, headers=DESK)).status_code == 403
    why = {"reason": "同姓同名の別人を統合してしまったため"}
    undone = await desk.intake.post(path, json=why, headers=COORDINATOR)
    assert undone.status_code == 204, undone.text
    again = await desk.intake.post(path, json=why, headers=COORDINATOR)
    assert again.status_code == 409

    back = (await desk.intake.get(f"/clients/{duplicate}", headers=COORDINATOR)).json()
    assert back["id"] == duplicate  # no longer shown as the client it was merged into
    assert [c["id"] for c in back["consultations"]] == [second["id"]]
    assert (back["names"], back["emails"], back["phones"]) == (
        ["工藤一郎"],
        ["ichiro.kudo@example.jp"],
        [],
    )
    kept = (await desk.intake.get(f"/clients/{survivor}", headers=COORDINATOR)).json()
    assert [c["id"] for c in kept["consultations"]] == [first["id"]]
    assert (kept["emails"], kept["furigana"], kept["merged_client_ids"]) == ([], None, [])
    # each is recognised as themselves again, and counted as two people
    by_email = await desk.intake.post(
        "/consultations",
        json=consultation(person={"name": "工藤 一郎", "phone": None, "furigana": None,
                                  "email": "ICHIRO.KUDO@example.jp"}),
        headers=DESK,
    )  # fmt: skip
    assert by_email.json()["client_id"] == duplicate
    await eventually(lambda: _equals(distinct_clients(), 2), timeout=30)
    # and should they turn out to be one person after all, they can be merged again
    remerged = await desk.intake.post(
        f"/clients/{survivor}/merge", json={"duplicate_id": duplicate}, headers=COORDINATOR
    )
    assert remerged.status_code == 200, remerged.text
