"""Desk staff register consultations; each opens a case announced on tosei.intake.cases."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.intake.helpers import (
    AUDITOR,
    COORDINATOR,
    DESK,
    consultation,
    on_file,
    payload,
    personal_data_in,
    register,
)
from tests.support.auth import bearer
from tests.support.waiting import header, read_topic
from tosei_common.catalogue.intake import CASES
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.service import Runtime


async def test_a_consultation_opens_a_case_announced_without_personal_data(
    http: httpx.AsyncClient, broker: TansuBroker
) -> None:
    created = await register(http)

    [record] = await read_topic(broker.bootstrap, CASES.name, expect=1)
    event = payload(record)
    assert header(record, "ce_type") == "jp.tosei.intake.case.opened.v1"
    assert record.key == created["id"].encode()
    assert event["case_id"] == created["id"]
    assert event["client_id"] == created["client_id"]
    assert event["municipality"] == "023078"
    assert event["stage"] == "planning"
    assert event["categories"] == ["founding_plan", "financing"]
    assert (event["channel"], event["origin"], event["consent_to_share"]) == (
        "walk_in",
        "new_desk",
        True,
    )
    everything = (record.value or b"").decode() + "".join(
        value.decode() for _, value in record.headers
    )
    assert personal_data_in(everything) == []


async def test_the_desk_reads_a_consultation_with_its_client_in_japanese(
    http: httpx.AsyncClient,
) -> None:
    created = await register(http, categories=["crisis", "financing", "crisis"], channel="phone")
    response = await http.get(f"/consultations/{created['id']}", headers=DESK)
    assert response.status_code == 200
    shown = response.json()
    assert shown["person_name"] == "山田 太郎"
    assert shown["municipality"] == {"code": "023078", "name": "外ヶ浜町"}
    assert shown["categories"] == ["crisis", "financing"]
    assert shown["category_labels"] == ["危機対応", "資金調達"]
    assert (shown["stage_label"], shown["channel_label"]) == ("創業予定", "電話")
    assert shown["origin_label"] == "経営の総合相談窓口"
    assert shown["fiscal_year"].startswith("令和")
    assert shown["assigned_expert"] is None

    client = (await http.get(f"/clients/{created['client_id']}", headers=AUDITOR)).json()
    assert client["phones"] == ["017-723-1111"]
    assert [c["id"] for c in client["consultations"]] == [created["id"]]


async def test_every_registration_records_who_made_it(http: httpx.AsyncClient) -> None:
    response = await http.post("/consultations", json=consultation(), headers=COORDINATOR)
    assert response.json()["by"] == "coordinator:kudo"
    shown = (await http.get(f"/consultations/{response.json()['id']}", headers=DESK)).json()
    assert shown["created_by"] == "coordinator:kudo"


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"municipality": "弘前市"}, "municipality", "not a municipality of the Tosei region"),
        ({"person": {"phone": "123"}}, "person.phone", "not a Japanese phone number"),
        ({"person": {"email": "taro@"}}, "person.email", "not an e-mail address"),
        ({"person": {"phone": None, "email": None}}, "person", "phone number or an e-mail"),
        ({"person": {"name": "　"}}, "person.name", "is empty"),
        ({"categories": []}, "categories", "at least 1"),
        ({"categories": ["tax"]}, "categories.0", "founding_plan"),
        ({"business": {"stage": "growing"}}, "business.stage", "planning"),
        ({"description": "  "}, "description", "is empty"),
        ({"consulted_at": "2099-01-01T10:00:00+09:00"}, "consulted_at", "in the future"),
        ({"consulted_at": "0001-01-01T00:00:00"}, "consulted_at", "before 2000-01-01"),
        ({"referrer": "商工会"}, "referrer", "Extra inputs are not permitted"),
        ({"person": {"name": "山田\x00太郎"}}, "person.name", "control characters"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    http: httpx.AsyncClient, intake: Runtime, changes: dict[str, Any], field: str, says: str
) -> None:
    english = {"Accept-Language": "en"}
    response = await http.post(
        "/consultations", json=consultation(**changes), headers=DESK | english
    )
    assert response.status_code == 422
    body = response.json()
    problems = {f["field"]: f["message"] for f in body["fields"]}
    assert field in problems, body
    assert says in problems[field]
    assert await on_file(intake) == (0, 0, 0)


@pytest.mark.parametrize("role", ["auditor", "expert", "municipality"])
async def test_only_desk_staff_and_coordinators_register(
    http: httpx.AsyncClient, intake: Runtime, role: str
) -> None:
    token = bearer(role) if role != "municipality" else _officer()
    response = await http.post("/consultations", json=consultation(), headers=token)
    assert response.status_code == 403
    assert (await http.post("/consultations", json=consultation())).status_code == 401
    assert await on_file(intake) == (0, 0, 0)


def _officer() -> dict[str, str]:
    from tests.support.auth import SECRET
    from tosei_common.platform.auth import mint_token

    token = mint_token(SECRET, subject="hiranai-1", role="municipality", municipality="平内町")
    return {"Authorization": f"Bearer {token}"}


async def test_an_unknown_consultation_is_a_404(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/consultations/5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11", headers=AUDITOR
    )
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


async def test_the_list_filters_by_period_municipality_and_category(
    http: httpx.AsyncClient,
) -> None:
    await register(http, consulted_at="2026-09-15T10:00:00+09:00")
    await register(
        http,
        municipality="青森",
        categories=["it"],
        consulted_at="2026-10-05T10:00:00+09:00",
    )
    await register(http, consulted_at="2026-10-06T10:00:00+09:00")

    async def listed(**params: str) -> list[str]:
        response = await http.get("/consultations", params=params, headers=AUDITOR)
        assert response.status_code == 200, response.text
        return [c["consulted_at"][:10] for c in response.json()["items"]]

    assert await listed() == ["2026-10-06", "2026-10-05", "2026-09-15"]
    assert await listed(**{"from": "令和8年10月1日", "to": "R8.10.5"}) == ["2026-10-05"]
    assert await listed(municipality="外ケ浜町") == ["2026-10-06", "2026-09-15"]
    assert await listed(category="it") == ["2026-10-05"]
    assert await listed(fiscal_year="令和7年度") == []
    refused = await http.get("/consultations", params={"municipality": "八戸"}, headers=AUDITOR)
    assert refused.status_code == 422
    assert refused.json()["fields"][0]["field"] == "municipality"


async def test_counts_per_day_municipality_and_category(http: httpx.AsyncClient) -> None:
    for day, town, categories in [
        ("2026-10-05", "外ケ浜町", ["founding_plan", "financing"]),
        ("2026-10-05", "青森市", ["financing"]),
        ("2026-10-06", "外ヶ浜", ["crisis"]),
    ]:
        await register(
            http,
            municipality=town,
            categories=categories,
            consulted_at=f"{day}T10:00:00+09:00",
        )

    async def counted(by: str) -> dict[str, Any]:
        response = await http.get(
            "/consultations/counts", params={"by": by, "fiscal_year": "令和8年度"}, headers=DESK
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert (body["period"], body["total"]) == ("令和8年度", 3)
        return {row["label"]: row["count"] for row in body["rows"]}

    assert await counted("day") == {"10月5日": 2, "10月6日": 1}
    towns = await counted("municipality")
    assert (towns["外ヶ浜町"], towns["青森市"], towns["蓬田村"]) == (2, 1, 0)
    per_category = await counted("category")
    assert (per_category["資金調達"], per_category["創業計画"], per_category["危機対応"]) == (
        2,
        1,
        1,
    )

    # A municipal officer of 外ヶ浜町 reads their own town's counts, and only those.
    officer = bearer("municipality", "sotogahama-1", municipality="外ヶ浜町")
    own = await http.get(
        "/consultations/counts", params={"by": "category", "fiscal_year": "令和8年度"},
        headers=officer,
    )  # fmt: skip
    assert own.status_code == 200, own.text
    assert own.json()["total"] == 2
    other = await http.get(
        "/consultations/counts",
        params={"by": "day", "municipality": "青森市"},
        headers=officer,
    )
    assert other.status_code == 403
    assert "ご自身の市町村" in other.json()["message"]
    assert (await http.get("/consultations", headers=officer)).status_code == 403


async def test_the_council_s_list_opens_in_japanese_excel(http: httpx.AsyncClient) -> None:
    created = await register(http, consulted_at="2026-10-05T10:00:00+09:00")

    response = await http.get(
        "/consultations/export", params={"fiscal_year": "令和8年度"}, headers=COORDINATOR
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["受付番号", "受付日", "年度", "相談者名"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["受付番号"] == created["id"]
    assert (first["受付日"], first["年度"], first["市町村"]) == (
        "2026-10-05",
        "令和8年度",
        "外ヶ浜町",
    )
    assert first["相談区分"] == "創業計画、資金調達"
    assert first["外部専門家への共有同意"] == "はい"
    assert "017-723-1111" not in response.content.decode("utf-8-sig")

    workbook = await http.get("/consultations/export", params={"format": "xlsx"}, headers=AUDITOR)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    assert sheet.title == "相談一覧"
    assert sheet["D2"].value == "山田 太郎"


async def test_operators_see_consultations_and_clients_in_the_metrics(
    http: httpx.AsyncClient,
) -> None:
    await register(http)
    await register(http)
    text = (await http.get("/metrics")).text
    assert 'tosei_intake_consultations{origin="new_desk"} 2.0' in text
    assert 'tosei_intake_consultations{origin="sme_desk"} 0.0' in text
    assert "tosei_intake_clients 1.0" in text


async def test_integrators_find_both_topics_in_the_asyncapi_document(
    http: httpx.AsyncClient,
) -> None:
    document = (await http.get("/asyncapi.json")).json()
    assert set(document["channels"]["tosei.intake.cases"]["messages"]) == {
        "jp.tosei.intake.case.opened.v1",
        "jp.tosei.intake.case.consent_changed.v1",
        "jp.tosei.intake.consultation.corrected.v1",
    }
    assert set(document["channels"]["tosei.intake.clients"]["messages"]) == {
        "jp.tosei.intake.client.merged.v1",
        "jp.tosei.intake.client.unmerged.v1",
        "jp.tosei.intake.client.erased.v1",
        "jp.tosei.intake.client.use_stopped.v1",
        "jp.tosei.intake.client.use_resumed.v1",
    }
    assert "tosei.caseflow.cases" in document["channels"]  # what intake reads


@pytest.mark.parametrize(
    ("changes", "field", "japanese"),
    [
        ({"municipality": "弘前市"}, "municipality", "東青圏域の市町村ではありません"),
        ({"person": {"phone": "123"}}, "person.phone", "電話番号の形式ではありません"),
        ({"person": {"email": "taro@"}}, "person.email", "メールアドレスの形式ではありません"),
        ({"person": {"phone": None, "email": None}}, "person", "電話番号かメールアドレス"),
        ({"person": {"name": "　"}}, "person.name", "入力してください"),
        ({"categories": []}, "categories", "1件以上"),
        ({"consulted_at": "2099-01-01T10:00:00+09:00"}, "consulted_at", "未来の日時です"),
        ({"consulted_at": "0001-01-01T00:00:00"}, "consulted_at", "2000年1月1日より前"),
    ],
)
async def test_bad_input_is_explained_in_japanese_by_default(
    http: httpx.AsyncClient, changes: dict[str, Any], field: str, japanese: str
) -> None:
    response = await http.post("/consultations", json=consultation(**changes), headers=DESK)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_failed"
    problems = {f["field"]: f["message"] for f in body["fields"]}
    assert japanese in problems[field], body


async def test_refusals_and_missing_records_are_said_in_japanese(
    http: httpx.AsyncClient,
) -> None:
    refused = await http.post("/consultations", json=consultation(), headers=AUDITOR)
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
    assert refused.json()["message"].startswith("相談の登録は")
    missing = await http.get("/consultations/5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11", headers=AUDITOR)
    assert (
        missing.json()["message"] == "相談（5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11）は見つかりません"
    )
    english = await http.get(
        "/consultations/5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11",
        headers=AUDITOR | {"Accept-Language": "en"},
    )
    assert english.json()["message"] == "no consultation 5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"person": {"name": "山田\x1b太郎"}}, "person.name"),
        ({"person": {"furigana": "やまだ\x00"}}, "person.furigana"),
        ({"business": {"name": "津軽\x7fりんご"}}, "business.name"),
        ({"description": "融資\x00の相談"}, "description"),
        ({"municipality": "外ケ浜町\x00"}, "municipality"),
        ({"person": {"name": "\u200b\u200b"}}, "person.name"),
    ],
)
async def test_control_characters_are_refused_naming_the_field(
    http: httpx.AsyncClient, intake: Runtime, changes: dict[str, Any], field: str
) -> None:
    response = await http.post("/consultations", json=consultation(**changes), headers=DESK)
    assert response.status_code == 422
    assert field in {f["field"] for f in response.json()["fields"]}
    assert await on_file(intake) == (0, 0, 0)


async def test_text_is_stored_as_typed_and_the_person_still_recognised(
    http: httpx.AsyncClient,
) -> None:
    first = await register(http)
    typed = await register(
        http,
        person={
            "name": "山田　太郎",
            "phone": "０１７７２３１１１１",
            "email": "Taro.Yamada@Example.JP",
        },
        business={"name": "津軽りんご工房（ＡＢＣ）"},
        description="りんご～加工品\r\n　ＡＢＣ　の相談",
    )
    assert typed["client_id"] == first["client_id"]  # the keys match however it was typed
    shown = (await http.get(f"/consultations/{typed['id']}", headers=DESK)).json()
    assert shown["person_name"] == "山田　太郎"
    assert shown["business_name"] == "津軽りんご工房（ＡＢＣ）"
    assert shown["description"] == "りんご～加工品\n　ＡＢＣ　の相談"
    assert shown["email"] == "Taro.Yamada@Example.JP"
    assert shown["phone"] == "017-723-1111"  # one spelling, with hyphens


@pytest.mark.parametrize("spelled", ["2026", "FY2026", "2026年度", "令和8年度", "R8", "ｒ８"])
async def test_a_fiscal_year_is_taken_however_it_is_written_everywhere(
    http: httpx.AsyncClient, spelled: str
) -> None:
    await register(http, consulted_at="2026-10-05T10:00:00+09:00")
    await register(http, consulted_at="2026-03-31T10:00:00+09:00")  # the year before
    fiscal_year = {"fiscal_year": spelled}

    listed = await http.get("/consultations", params=fiscal_year, headers=DESK)
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 1
    counted = await http.get(
        "/consultations/counts", params={"by": "municipality", **fiscal_year}, headers=DESK
    )
    assert (counted.json()["period"], counted.json()["total"]) == ("令和8年度", 1)
    exported = await http.get("/consultations/export", params=fiscal_year, headers=DESK)
    assert exported.status_code == 200
    assert "%E4%BB%A4%E5%92%8C8%E5%B9%B4%E5%BA%A6" in exported.headers["content-disposition"]
    assert len(exported.content.decode("utf-8-sig").strip().splitlines()) == 2


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/consultations", {}),
        ("/consultations/counts", {"by": "day"}),
        ("/consultations/export", {}),
    ],
)
@pytest.mark.parametrize(
    ("spelled", "japanese"), [("来年度", "年度として読めません"), ("9999", "範囲外")]
)
async def test_a_fiscal_year_that_is_not_one_is_refused_naming_it(
    http: httpx.AsyncClient, path: str, params: dict[str, str], spelled: str, japanese: str
) -> None:
    response = await http.get(path, params={"fiscal_year": spelled, **params}, headers=DESK)
    assert response.status_code == 422
    [problem] = response.json()["fields"]
    assert problem["field"] == "fiscal_year"
    assert japanese in problem["message"]


async def test_an_empty_fiscal_year_or_municipality_of_a_search_form_is_not_a_filter(
    http: httpx.AsyncClient,
) -> None:
    await register(http)
    response = await http.get(
        "/consultations", params={"fiscal_year": "", "municipality": " "}, headers=DESK
    )
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 1


async def test_a_search_with_control_characters_is_refused_naming_q(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/clients", params={"q": "山田\x00"}, headers=DESK)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "q"
    assert "制御文字" in response.json()["fields"][0]["message"]
