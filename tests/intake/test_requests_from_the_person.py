"""A person's requests about their own records at the desk: what is held (本人開示), with every
correction's old → new and why, and stopping the records' use (利用停止) until it is resumed."""

from __future__ import annotations

from typing import Any

import httpx

from tests.intake.helpers import AUDITOR, COORDINATOR, DESK, consultation


async def _register(http: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await http.post("/consultations", json=body, headers=DESK)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_a_disclosure_holds_every_record_its_corrections_and_a_stop_of_use(
    http: httpx.AsyncClient,
) -> None:
    first = await _register(http, consultation())
    second = await _register(
        http, consultation(description="販路開拓の相談", categories=["sales_channels"])
    )
    client_id, case_id = first["client_id"], first["id"]
    assert second["client_id"] == client_id

    fixed = await http.patch(
        f"/consultations/{case_id}",
        json={
            "reason": "市町村の選択誤り",
            "municipality": "青森市",
            "description": "創業計画の相談",
            "business_name": "津軽りんご工房株式会社",
        },
        headers=DESK,
    )
    assert fixed.status_code == 204, fixed.text
    fixed = await http.patch(
        f"/clients/{client_id}",
        json={"reason": "本人の申出", "add_phones": ["080-1234-5678"]},
        headers=DESK,
    )
    assert fixed.status_code == 204, fixed.text
    consent = await http.post(
        f"/consultations/{case_id}/consent",
        json={"consent_to_share": False, "given_on": "2026-11-16", "note": "電話で撤回"},
        headers=DESK,
    )
    assert consent.status_code in (200, 204), consent.text

    # only coordinators answer a person's requests
    refused = await http.get(f"/clients/{client_id}/disclosure", headers=DESK)
    assert refused.status_code == 403
    assert "本人開示" in refused.json()["message"]

    response = await http.get(f"/clients/{client_id}/disclosure", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    bundle = response.json()
    assert bundle["name"] == "山田 太郎"
    assert bundle["phones"] == ["017-723-1111", "080-1234-5678"]
    assert bundle["business_names"] == ["津軽りんご工房"]
    assert [h["action_label"] for h in bundle["history"]] == ["訂正"]
    assert bundle["history"][0]["changes"] == [
        {
            "field": "phones",
            "label": "電話番号",
            "old": "017-723-1111",
            "new": "017-723-1111、080-1234-5678",
        }
    ]
    corrected = bundle["consultations"][0]
    assert corrected["consultation"]["description"] == "創業計画の相談"  # as corrected
    assert corrected["consultation"]["consent_to_share"] is False
    assert corrected["consent_changes"][0]["note"] == "電話で撤回"
    entry = corrected["history"][0]
    assert (entry["action_label"], entry["reason"]) == ("訂正", "市町村の選択誤り")
    assert {c["label"]: (c["old"], c["new"]) for c in entry["changes"]} == {
        "市町村": ("外ヶ浜町", "青森市"),
        "相談内容": (
            "りんごの加工品で創業したい。創業計画と日本政策金融公庫の融資を知りたい。",
            "創業計画の相談",
        ),
        "事業者名・屋号": ("津軽りんご工房", "津軽りんご工房株式会社"),
    }
    assert corrected["consultation"]["business_name"] == "津軽りんご工房株式会社"
    assert corrected["history"][1]["action_label"] == "外部専門家への共有の同意の変更"
    assert bundle["consultations"][1]["consultation"]["description"] == "販路開拓の相談"

    # stopping the use: a reason is required, desk staff may not
    no_reason = await http.post(f"/clients/{client_id}/stop-use", json={}, headers=COORDINATOR)
    assert no_reason.status_code == 422
    assert no_reason.json()["fields"][0]["field"] == "reason"
    assert (
        await http.post(f"/clients/{client_id}/stop-use", json={"reason": "x"}, headers=DESK)
    ).status_code == 403
    stopped = await http.post(
        f"/clients/{client_id}/stop-use",
        json={"reason": "本人から利用停止の請求"},
        headers=COORDINATOR,
    )
    assert stopped.status_code == 204, stopped.text
    again = await http.post(
        f"/clients/{client_id}/stop-use", json={"reason": "二度目"}, headers=COORDINATOR
    )
    assert again.status_code == 409

    # no new consultation is filed under them
    refused = await http.post("/consultations", json=consultation(), headers=DESK)
    assert refused.status_code == 409, refused.text
    assert "利用が停止" in refused.json()["message"]
    assert refused.json()["fields"][0]["field"] == "person"
    # the desk no longer finds them; coordinators and auditors do, marked
    desk_search = await http.get("/clients", params={"q": "山田"}, headers=DESK)
    assert desk_search.json() == []
    for who in (COORDINATOR, AUDITOR):
        found = (await http.get("/clients", params={"q": "山田"}, headers=who)).json()
        assert [(c["id"], c["use_stopped"]) for c in found] == [(client_id, True)]
    shown = (await http.get(f"/clients/{client_id}", headers=COORDINATOR)).json()
    assert shown["use_stop_reason"] == "本人から利用停止の請求"

    resumed = await http.post(
        f"/clients/{client_id}/resume-use",
        json={"reason": "本人が請求を取り下げ"},
        headers=COORDINATOR,
    )
    assert resumed.status_code == 204, resumed.text
    assert (await http.post("/consultations", json=consultation(), headers=DESK)).status_code == 201
    desk_search = await http.get("/clients", params={"q": "山田"}, headers=DESK)
    assert [c["use_stopped"] for c in desk_search.json()] == [False]

    bundle = (await http.get(f"/clients/{client_id}/disclosure", headers=COORDINATOR)).json()
    assert bundle["use_stopped"] is False
    assert [(s["reason"], s["resume_reason"]) for s in bundle["use_stops"]] == [
        ("本人から利用停止の請求", "本人が請求を取り下げ")
    ]
    assert [h["action_label"] for h in bundle["history"]] == [
        "訂正",
        "本人開示",  # the first disclosure is on record
        "利用停止",
        "利用停止の解除",
    ]
    assert len(bundle["consultations"]) == 3
