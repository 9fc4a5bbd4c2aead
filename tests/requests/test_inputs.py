"""What people type, taken the platform's way: fiscal years in any spelling, free text stored as
typed, control characters refused naming the field, Japanese messages (English on request)."""

from __future__ import annotations

import asyncpg
import pytest

from tests.requests.towns import (
    AOMORI,
    BRIEFING_2020,
    COORDINATOR,
    EN,
    HIRANAI,
    PORT,
    SIDEWALK,
    Programme,
    item,
    officer,
)

SPELLINGS = [2020, "2020", "FY2020", "2020年度", "令和2年度", "R2", "ｒ２"]


@pytest.mark.parametrize("spelling", SPELLINGS[1:4])
def test_every_spelling_names_the_same_year(spelling: str) -> None:
    from tosei_common.region.inputs import check_fiscal_year

    assert check_fiscal_year(spelling, first=2020) == 2020


async def test_a_fiscal_year_is_accepted_however_it_is_written_in_bodies_paths_and_queries(
    programme: Programme,
) -> None:
    p = programme
    opened = await p.open_year("令和2年度")
    assert (opened["fiscal_year"], opened["fiscal_year_label"]) == (2020, "令和2年度 (FY2020)")
    for spelling in SPELLINGS:
        drafted = await p.draft(PORT, officer(AOMORI), fy=spelling)
        assert drafted["fiscal_year"] == 2020, spelling
        listed = await p.get(f"/request-items?fiscal_year={spelling}")
        assert listed["count"] >= 1, spelling
        missing = await p.http.get(f"/briefings/{spelling}", headers=COORDINATOR)
        assert missing.json()["error"] == "not_found", spelling  # read as 2020: no briefing yet
    too_early = await p.http.post("/years", json={"fiscal_year": "平成31年度"}, headers=COORDINATOR)
    assert too_early.status_code == 422
    [problem] = too_early.json()["fields"]
    assert problem["field"] == "fiscal_year"
    assert "令和2年度（2020）から" in problem["message"]
    assert "2019年度は範囲外です" in problem["message"]
    unreadable = await p.http.get("/request-items?fiscal_year=来年", headers=COORDINATOR)
    assert unreadable.status_code == 422
    assert unreadable.json()["fields"][0]["field"] == "fiscal_year"
    path = await p.http.get("/briefings/令和元年度", headers=COORDINATOR)
    assert (path.status_code, path.json()["fields"][0]["field"]) == (422, "fiscal_year")


async def test_free_text_is_stored_as_typed_and_control_characters_are_refused_by_field(
    programme: Programme, db: asyncpg.Connection, schema: str
) -> None:
    p = programme
    await p.open_year(2020)
    typed = "ＪＲ津軽線（蟹田〜三厩間）の早期復旧　－　ﾊﾞｽ代行の継続"
    drafted = await p.draft(
        item(SIDEWALK, title=f"  {typed}  ", body="一、歩道整備\r\n二、除雪\t（冬期）"),
        officer(HIRANAI),
    )
    assert drafted["title"] == typed  # trimmed, nothing else changed (no NFKC)
    assert drafted["body"] == "一、歩道整備\n二、除雪\t（冬期）"
    stored = await db.fetchval(f"SELECT title FROM {schema}.request_items")
    assert stored == typed

    for field, value in (
        ("title", "歩道\x07整備"),
        ("title", "歩道整備\n（小湊）"),  # one line
        ("body", "要望\x1b[31m"),
        ("background", "\u200b\u200b"),  # nothing visible
    ):
        refused = await p.http.post(
            "/request-items",
            json={**item(SIDEWALK, **{field: value}), "fiscal_year": 2020},
            headers=officer(HIRANAI),
        )
        assert refused.status_code == 422, (field, value)
        [problem] = refused.json()["fields"]
        assert problem["field"] == field
    control = await p.http.post(
        "/request-items",
        json={**item(SIDEWALK, title="歩道\x07整備"), "fiscal_year": 2020},
        headers=officer(HIRANAI),
    )
    assert "制御文字" in control.json()["fields"][0]["message"]
    english = await p.http.post(
        "/request-items",
        json={**item(SIDEWALK, title="歩道\x07整備"), "fiscal_year": 2020},
        headers={**officer(HIRANAI), **EN},
    )
    assert english.json()["fields"][0]["message"] == "contains control characters"
    assert await db.fetchval(f"SELECT count(*) FROM {schema}.request_items") == 1

    place = await p.call(
        "PUT", "/briefings/2020", COORDINATOR, {**BRIEFING_2020, "place": "青森県庁　西棟８階"}
    )
    assert place["place"] == "青森県庁　西棟８階"
    assert place["attendees"][0]["name"] == "小野寺 晃彦"


async def test_a_town_is_accepted_as_people_write_it_and_anything_else_is_refused(
    programme: Programme,
) -> None:
    p = programme
    await p.open_year(2020)
    drafted = await p.draft(
        item(PORT, municipalities=["外ケ浜", "023019", "あおもりし", "Imabetsu", "蓬田"]),
        officer(HIRANAI),
    )
    assert [m["name"] for m in drafted["municipalities"]] == [
        "青森市",
        "平内町",
        "今別町",
        "外ヶ浜町",
        "蓬田村",
    ]
    refused = await p.http.post(
        "/request-items",
        json={**item(PORT, municipalities=["青森市", "弘前市"]), "fiscal_year": 2020},
        headers=officer(AOMORI),
    )
    assert refused.status_code == 422
    [problem] = refused.json()["fields"]
    assert problem["field"] == "municipalities.1"
    assert "「弘前市」は東青圏域の市町村ではありません" in problem["message"]
    filtered = await p.http.get("/request-items?municipality=弘前", headers=COORDINATOR)
    assert filtered.json()["fields"][0]["field"] == "municipality"
