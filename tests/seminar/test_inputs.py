"""What people type, taken by the platform's rules: free text stored as typed (control characters
refused, naming the field), fiscal years in every usual spelling, phones in one spelling, and
every refusal said in Japanese (English on request)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.seminar.conftest import (
    AUDITOR,
    COORDINATOR,
    ON_THE_DAY,
    ok,
    open_seminar,
    person,
    register,
)
from tests.support.auth import bearer
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.service import Runtime

EN = {"Accept-Language": "en"}


def refused(response: httpx.Response, field: str) -> dict[str, Any]:
    """The 422 that names ``field``; its message for that field."""
    assert response.status_code == 422, response.text
    problems = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert field in problems, response.text
    return problems


async def test_control_characters_are_refused_naming_the_field_and_nothing_is_written(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    seminar = await open_seminar(client)
    sid = seminar.id
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/seminars", {"fiscal_year": 2028, "title": "在宅医療\x07研修"}, "title"),
        ("PATCH", f"/seminars/{sid}", {"title": "新しい\x1bタイトル"}, "title"),
        (
            "POST",
            f"/seminars/{sid}/speakers",
            {"name": "佐藤 良子", "affiliation": "在宅\x00クリニック", "fee": 0},
            "affiliation",
        ),
        (
            "POST",
            f"/seminars/{sid}/venues",
            {"name": "ホール\x00", "municipality": "青森市", "capacity": 10, "fee": 0},
            "name",
        ),
        (
            "PUT",
            f"/seminars/{sid}/online",
            {"stream_url": "https://stream.example.jp/\x07", "capacity": 10},
            "stream_url",
        ),
        (
            "POST",
            f"/seminars/{sid}/budget",
            {"category": "other", "item": "資料\x08印刷", "planned": 1000},
            "item",
        ),
        (
            "POST",
            f"/seminars/{sid}/state",
            {"state": "cancelled", "reason": "大雪\x00のため"},
            "reason",
        ),
        (
            "PUT",
            "/rotation/overrides/2028",
            {"host": "青森市", "reason": "会場\x07改修"},
            "reason",
        ),
    ]
    for method, path, body, field in cases:
        response = await client.request(method, path, json=body, headers=COORDINATOR)
        assert "制御文字" in refused(response, field)[field], (path, response.text)
    for field, value in (
        ("name", "山田\x1b花子"),
        ("organisation", "平内中央病院\x00"),
        ("name_kana", "やまだ\x07はなこ"),
    ):
        response = await client.post(
            f"/seminars/{sid}/registrations", json=person(1, **{field: value})
        )
        assert "制御文字" in refused(response, field)[field], response.text
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM registrations") == 0
        assert await conn.fetchval("SELECT count(*) FROM speakers") == 0
        assert await conn.fetchval("SELECT count(*) FROM budget_lines") == 0
        assert await conn.fetchval("SELECT count(*) FROM rotation_overrides") == 0
    detail = ok(await client.get(f"/seminars/{sid}", headers=COORDINATOR))
    assert detail["state"] == "registration_open"
    assert detail["stream_url"] == "https://stream.example.jp/tosei-zaitaku"


async def test_free_text_is_stored_as_it_was_typed(client: httpx.AsyncClient) -> None:
    title = "岐阜～青森　在宅医療（ＡＣＰ）を考える"
    created = ok(
        await client.post(
            "/seminars", json={"fiscal_year": 2028, "title": f"  {title}  "}, headers=COORDINATOR
        ),
        201,
    )
    assert created["title"] == title  # trimmed, nothing else: no NFKC, spaces kept
    seminar = await open_seminar(client)
    typed = {"name": "山田　花子", "organisation": "（株）ＡＢＣ訪問看護ステーション"}
    mine = await register(client, seminar, person(1, **typed))
    shown = ok(await client.get(f"/registrations/{mine['reference']}"))
    assert (shown["name"], shown["organisation"]) == (typed["name"], typed["organisation"])
    listed = ok(await client.get(f"/seminars/{seminar.id}/registrations", headers=AUDITOR))
    assert listed["registrations"][0]["name"] == "山田　花子"
    # Matching still sees through the spelling: the same person typed with a half-width space.
    again = await client.post(
        f"/seminars/{seminar.id}/registrations", json=person(1, name="山田 花子")
    )
    assert again.status_code == 409


async def test_a_feedback_comment_keeps_its_lines(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    seminar = await open_seminar(client)
    came = await register(client, seminar, person(1))
    clock.set(ON_THE_DAY)
    ok(
        await client.post(
            f"/seminars/{seminar.id}/check-ins",
            json={"reference": came["reference"]},
            headers=COORDINATOR,
        )
    )
    comment = "事例がよかった。\r\n次回は看取りの話も聞きたい\tです"
    ok(
        await client.post(
            f"/registrations/{came['reference']}/feedback",
            json={"satisfaction": 5, "usefulness": 5, "comment": comment},
        ),
        201,
    )
    summary = ok(await client.get(f"/seminars/{seminar.id}/feedback", headers=COORDINATOR))
    assert [c["text"] for c in summary["comments"]] == [
        "事例がよかった。\n次回は看取りの話も聞きたい\tです"
    ]


@pytest.mark.parametrize(
    ("typed", "year"),
    [(2027, 2027), ("2028", 2028), ("FY2029", 2029), ("2030年度", 2030), ("令和13年度", 2031),
     ("R14", 2032), ("ｒ１５", 2033)],
)  # fmt: skip
async def test_a_seminar_s_fiscal_year_is_taken_in_every_spelling(
    client: httpx.AsyncClient, typed: str | int, year: int
) -> None:
    created = ok(
        await client.post(
            "/seminars", json={"fiscal_year": typed, "title": "在宅医療"}, headers=COORDINATOR
        ),
        201,
    )
    assert created["fiscal_year"] == year


async def test_the_rotation_takes_fiscal_years_in_every_spelling_in_query_and_path(
    client: httpx.AsyncClient,
) -> None:
    for typed in ("2021", "FY2021", "2021年度", "令和3年度", "R3"):
        years = ok(await client.get(f"/rotation?from_year={typed}&years=1"))["years"]
        assert [y["fiscal_year"] for y in years] == [2021], typed
    body = {"host": "外ヶ浜町", "reason": "平内町の会場が改修中"}
    set_ = ok(await client.put("/rotation/overrides/令和10年度", json=body, headers=COORDINATOR))
    assert set_["fiscal_year"] == 2028
    ok(await client.delete("/rotation/overrides/R10", headers=COORDINATOR), 204)
    bad = await client.get("/rotation?from_year=来年")
    assert "年度として読めません" in refused(bad, "from_year")["from_year"]
    far = await client.get("/rotation?from_year=2300")
    assert "範囲外" in refused(far, "from_year")["from_year"]
    english = await client.get("/rotation?from_year=2019", headers=EN)
    assert refused(english, "from_year")["from_year"] == "must be between 2021 and 2200"


async def test_phones_are_kept_in_one_spelling_and_exported_with_their_hyphens(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    seminar = await open_seminar(client)
    full_width = await register(
        client, seminar, person(1, phone="０１７−７５５−２１１１", email=None)
    )
    digits = await register(client, seminar, person(2, phone="0177001234", email=None))
    listed = ok(await client.get(f"/seminars/{seminar.id}/registrations", headers=AUDITOR))
    phones = {r["reference"]: r["phone"] for r in listed["registrations"]}
    assert phones == {full_width["reference"]: "017-755-2111", digits["reference"]: "017-700-1234"}
    # The same person typing the number another way is still the same person.
    twice = await client.post(
        f"/seminars/{seminar.id}/registrations",
        json=person(1, phone="017-755-2111", email=None),
    )
    assert twice.status_code == 409
    # A number stored before the rule (digits only) is exported the way people write it too.
    async with service.pool.acquire() as conn:
        await conn.execute(
            "UPDATE registrations SET phone = '0177552111' WHERE reference = $1",
            full_width["reference"],
        )
    csv = await client.get(f"/seminars/{seminar.id}/attendees.csv", headers=COORDINATOR)
    text = csv.content.decode("utf-8-sig")
    assert ",017-755-2111," in text
    assert ",017-700-1234," in text
    assert "0177552111" not in text


async def test_a_refusal_is_said_in_japanese_and_in_english_on_request(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client)
    first = await register(client, seminar, person(1, name="鈴木 花子"))
    assert first["status"] == "accepted"

    async def said(
        method: str, path: str, body: dict[str, Any] | None = None, **headers: str
    ) -> tuple[httpx.Response, httpx.Response]:
        ja = await client.request(method, path, json=body, headers=headers)
        en = await client.request(method, path, json=body, headers=headers | EN)
        assert (ja.status_code, ja.json()["error"]) == (en.status_code, en.json()["error"])
        return ja, en

    # 409: the same person again — told in Japanese, never handed the reference.
    ja, en = await said(
        "POST", f"/seminars/{seminar.id}/registrations", person(1, name="鈴木 花子")
    )
    assert ja.status_code == 409
    assert ja.json()["message"].startswith("鈴木 花子様はこの研修会にすでに申し込まれています")
    assert en.json()["message"].startswith("鈴木 花子 is registered for this seminar already")
    assert first["reference"] not in ja.text + en.text
    # 404
    ja, en = await said("GET", "/registrations/0000-0000-0000-0000")
    assert (ja.status_code, ja.json()["message"]) == (404, "この受付番号の申込はありません")
    assert en.json()["message"] == "no registration has this reference"
    # 403: the role that may, named in Japanese.
    officer = bearer("municipality", municipality="平内町")
    ja, en = await said(
        "PUT",
        "/rotation/overrides/2028",
        {"host": "青森市", "reason": "改修"},
        **officer,
    )
    assert ja.status_code == 403
    assert "コーディネーターだけが行えます" in ja.json()["message"]
    assert "coordinator" in en.json()["message"]
    # 400: the town whose turn it is anyway.
    ja, en = await said(
        "PUT", "/rotation/overrides/2026", {"host": "外ヶ浜町", "reason": "x"}, **COORDINATOR
    )
    assert ja.status_code == 400
    assert "外ヶ浜町は輪番どおり令和8年度の当番です" in ja.json()["message"]
    # 409 invalid_transition, with the state's Japanese name.
    ja, en = await said("POST", f"/seminars/{seminar.id}/state", {"state": "held"}, **COORDINATOR)
    assert ja.json()["error"] == "invalid_transition"
    assert "「申込受付中」の研修会は「開催済み」にできません" in ja.json()["message"]
    assert "cannot become held" in en.json()["message"]
    # 422 from a rule of the domain, naming the field in both languages.
    ja, en = await said(
        "POST",
        f"/seminars/{seminar.id}/registrations",
        person(2, municipality="今別町", mode="viewing_site"),
    )
    assert ja.json()["fields"] == [
        {"field": "mode", "message": "お住まいの町にはサテライト会場がありません"}
    ]
    assert en.json()["fields"] == [{"field": "mode", "message": "no viewing site in your town"}]
    # 422 from the request's own validation: a town outside the region.
    ja, en = await said(
        "POST", f"/seminars/{seminar.id}/registrations", person(3, municipality="弘前市")
    )
    assert "東青圏域の市町村ではありません" in refused(ja, "municipality")["municipality"]
    assert "not a municipality of the Tosei region" in refused(en, "municipality")["municipality"]
