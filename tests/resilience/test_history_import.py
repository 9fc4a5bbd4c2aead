"""The plan's past is imported from the coordinators' spreadsheet: adopted in December 2020,
revised every April since. Dry run first, all or nothing, each revision dated when decided."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from tests.resilience.plan import (
    AUDITOR,
    COORDINATOR,
    EN,
    HIRANAI,
    PlanClient,
    jst,
    officer,
)
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.service import Runtime

HEADER = (
    "種別,決定日,事業番号,理由,事業名,実施主体,起きてはならない最悪の事態,施策分野,担当部署,"
    "概算事業費（円）,実施年度（開始）,実施年度（終了）,進捗状況,活用する交付金・補助金,廃止理由"
)

#: The plan as adopted on 2020-12-25 (three items), then each April's decisions to 2025.
HISTORY_ROWS = [
    "策定,令和2年12月25日,1,,冬期道路交通確保のための除雪機械の更新,平内町,1-6,交通・物流,"
    '建設課,"45,000,000",令和3年度,令和7年度,計画,,',
    "策定,2020/12/25,2,,防災行政無線のデジタル化,青森市,4-1,communications,"
    "総務部危機管理課,210000000,2021,2023,計画,,",
    "策定,2020-12-25,3,,広域避難所の備蓄品整備,圏域全体,2-1 被災地での食料・飲料水・電力・"
    "燃料等、生命に関わる物資・エネルギー供給の停止,保健医療・福祉,東青地域連携推進室,,R3,R7,planned,,",
    "改定,2021/4/1,1,令和3年度の見直し（着手）,,,,,,,,,実施中,,",
    "改定,R4.4.1,2,令和4年度の見直し,,,,,,,,,in_progress,,",
    "追加,2022/4/1,4,津波浸水想定の見直しを受けて追加,今別漁港海岸保全施設（防潮堤）の整備,"
    "今別町,1-3,国土保全,産業建設課,320000000,2023,2027,計画,,",
    "改定,2023/4/3,1,資材価格の高騰,冬期道路交通確保のための除雪機械の更新,,,,,52000000,,,,,",
    "改定,2024/4/1,2,整備完了,,,,,,,,,完了,,",
    "廃止,2025/4/1,2,事業完了により廃止,,,,,,,,,,,事業完了",
    "改定,2025/4/1,3,備蓄計画の延伸,,,,,,,,令和10年度,,,",
]


def history_csv(*rows: str, encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join([HEADER, *rows]).encode(encoding)


def history_xlsx(*rows: str) -> bytes:
    import csv

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "計画の履歴"
    for values in csv.reader(io.StringIO("\n".join([HEADER, *rows]))):
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def upload(
    http: httpx.AsyncClient,
    data: bytes,
    *,
    name: str = "国土強靱化地域計画_履歴.csv",
    dry_run: bool = False,
    headers: dict[str, str] = COORDINATOR,
) -> httpx.Response:
    return await http.post(
        "/plan-imports",
        params={"dry_run": "true" if dry_run else "false"},
        files={"file": (name, data)},
        headers=headers,
    )


async def written(service: Runtime) -> dict[str, int]:
    async with service.pool.acquire() as conn:
        return {
            "items": await conn.fetchval("SELECT count(*) FROM plan_items"),
            "revisions": await conn.fetchval("SELECT count(*) FROM plan_item_revisions"),
            "events": await conn.fetchval("SELECT count(*) FROM outbox"),
            "audit": await conn.fetchval(
                "SELECT count(*) FROM audit_log WHERE entity IN ('plan_item', 'plan_import')"
            ),
        }


NOTHING = {"items": 0, "revisions": 0, "events": 0, "audit": 0}


@pytest.fixture(autouse=True)
def december_2026(clock: SettableClock) -> None:
    """Six years after the plan was adopted."""
    clock.set("2026-12-02 10:00")


async def test_a_dry_run_reports_every_row_and_each_year_and_writes_nothing(
    http: httpx.AsyncClient, service: Runtime
) -> None:
    response = await upload(http, history_csv(*HISTORY_ROWS), dry_run=True)

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["dry_run"] is True
    assert report["imported"] is False
    assert report["import_id"] is None
    assert report["file"] == {"name": "国土強靱化地域計画_履歴.csv", "encoding": "utf-8-sig",
                              "rows": 10}  # fmt: skip
    assert report["rejected"] == []
    assert (report["items"], report["new_items"], report["changes"]) == (4, 4, 10)
    assert [
        (y["fiscal_year_label"], y["added"], y["revised"], y["retired"])
        for y in report["by_fiscal_year"]
    ] == [
        ("令和2年度", 3, 0, 0),
        ("令和3年度", 0, 1, 0),
        ("令和4年度", 1, 1, 0),
        ("令和5年度", 0, 1, 0),
        ("令和6年度", 0, 1, 0),
        ("令和7年度", 0, 1, 1),
    ]
    first_revision = next(r for r in report["rows"] if r["line"] == 5)
    assert first_revision["row_kind_label"] == "改定"
    assert first_revision["decided_on"] == "2021-04-01"
    assert first_revision["changed_fields_label"] == "進捗状況"
    assert first_revision["version"] == 2
    assert await written(service) == NOTHING
    plan = (await http.get("/plan-items", headers=AUDITOR)).json()
    assert plan["count"] == 0


async def test_a_malformed_file_is_refused_by_line_and_column_and_nothing_is_written(
    http: httpx.AsyncClient, service: Runtime
) -> None:
    rows = [
        HISTORY_ROWS[0],
        "改定,2021/2/30,1,見直し,,,,,,,,,実施中,,",  # line 3: no such date
        "策定,2020/12/25,2,,防災行政無線のデジタル化,青森市,4-1,通信,総務部,,2021,2023,"
        "進行中,,",  # line 4: no such policy area, no such status
        "改定,2022/4/1,9,見直し,,,,,,,,,完了,,",  # line 5: item 9 is never adopted
        "改定,2021/4/1,1,,,,,,,,,,実施中,,",  # line 6: a revision needs its reason
    ]
    data = history_csv(*rows, encoding="cp932")  # as Japanese Excel saves it

    dry = await upload(http, data, dry_run=True)
    refused = await upload(http, data)

    assert dry.status_code == 200, dry.text
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["error"] == "validation_failed"
    assert body["message"].startswith("取り込みませんでした。4行に問題があります（3行目: 決定日:")
    assert {f["field"] for f in body["fields"]} == {"file"}
    assert body["rejected"] == dry.json()["rejected"]
    by_line = {r["line"]: r for r in body["rejected"]}
    assert sorted(by_line) == [3, 4, 5, 6]
    assert by_line[3]["number"] == "1"
    assert by_line[3]["reasons"] == ["決定日: 「2021/2/30」は存在しない日付です"]
    assert by_line[4]["reasons"][0].startswith("施策分野: 「通信」は計画の施策分野にありません")
    assert by_line[4]["reasons"][1].startswith("進捗状況: 「進行中」は使えません")
    assert by_line[5]["reasons"][0].startswith(
        "事業番号: 事業番号9は計画になく、このファイルにも策定・追加の行がありません"
    )
    assert by_line[6]["reasons"] == ["理由: 改定の理由を入力してください"]
    assert await written(service) == NOTHING

    english = await upload(http, data, headers=COORDINATOR | EN)
    [reason] = english.json()["rejected"][0]["reasons"]
    assert reason.startswith("決定日: '2021/2/30' does not exist")


async def test_the_imported_past_answers_as_of_dates_and_the_yearly_summaries(
    http: httpx.AsyncClient, plan: PlanClient, service: Runtime
) -> None:
    response = await upload(http, history_xlsx(*HISTORY_ROWS), name="計画の履歴.xlsx")

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["imported"] is True
    assert report["file"]["encoding"] == "xlsx"

    # The subsidy check: the plan as it stood on 2023-10-31.
    then = await plan.get("/plan-items", as_of="2023-10-31")
    assert [
        (i["number"], i["status"], i["estimated_cost_yen"], i["version"]) for i in then["items"]
    ] == [
        (1, "in_progress", 52_000_000, 3),
        (2, "in_progress", 210_000_000, 2),
        (3, "planned", None, 1),
        (4, "planned", 320_000_000, 1),
    ]
    seawall = then["items"][3]
    assert (seawall["municipality_name"], seawall["policy_area"]["code"]) == (
        "今別町",
        "land_conservation",
    )
    before_added = await http.get(
        f"/plan-items/{seawall['id']}", params={"as_of": "2022-03-31"}, headers=AUDITOR
    )
    assert before_added.status_code == 404
    adopted = await plan.get("/plan-items", as_of="2020-12-25")
    assert adopted["count"] == 3
    assert (await plan.get("/plan-items", as_of="2020-12-24"))["count"] == 0
    now = await plan.get("/plan-items", include_retired="true")
    assert [(i["number"], i["status"]) for i in now["items"]] == [
        (1, "in_progress"), (2, "retired"), (3, "planned"), (4, "planned"),
    ]  # fmt: skip
    assert now["items"][2]["fiscal_year_to"] == 2028

    summaries = {fy: await plan.get(f"/summaries/{fy}") for fy in range(2021, 2026)}
    named = {
        fy: [(i["number"], i["kinds_label"], i["changed_fields_label"]) for i in s["items"]]
        for fy, s in summaries.items()
    }
    assert named == {
        2021: [(1, "変更", "進捗状況")],
        2022: [(2, "変更", "進捗状況"), (4, "追加", "")],
        2023: [(1, "変更", "概算事業費")],
        2024: [(2, "変更", "進捗状況")],
        2025: [(2, "廃止", ""), (3, "変更", "実施年度（終了）")],
    }
    assert summaries[2023]["items"][0]["reasons"] == ["資材価格の高騰"]
    assert summaries[2025]["status_at_year_end"] == [
        {"status": "planned", "label": "計画", "items": 2},
        {"status": "in_progress", "label": "実施中", "items": 1},
        {"status": "done", "label": "完了", "items": 0},
    ]

    history = await plan.get(f"/plan-items/{then['items'][0]['id']}/history")
    assert [
        (r["version"], r["kind_label"], r["source_label"], r["fiscal_year_label"])
        for r in history["revisions"]
    ] == [(1, "追加", "取込", "令和2年度"), (2, "変更", "取込", "令和3年度"),
          (3, "変更", "取込", "令和5年度")]  # fmt: skip
    first = history["revisions"][0]
    assert datetime.fromisoformat(first["recorded_at"]) == jst("2020-12-25 00:00")
    assert datetime.fromisoformat(first["imported_at"]) == jst("2026-12-02 10:00")
    assert first["reason"] == "国土強靱化地域計画の策定"

    async with service.pool.acquire() as conn:
        events = await conn.fetch("SELECT type, payload FROM outbox ORDER BY seq")
        audit = await conn.fetch(
            "SELECT entity, action, at FROM audit_log WHERE entity LIKE 'plan_%' ORDER BY id"
        )
    assert len(events) == 10
    assert events[0]["type"] == "jp.tosei.resilience.plan_item.added.v1"
    assert '"added_at":"2020-12-24T15:00:00Z"' in events[0]["payload"].replace(" ", "")
    assert [a["action"] for a in audit][-1] == "imported"
    assert {a["action"] for a in audit[:-1]} == {
        "added:imported", "revised:imported", "retired:imported",
    }  # fmt: skip
    assert {a["at"] for a in audit} == {jst("2026-12-02 10:00")}


async def test_an_item_changed_live_takes_no_imported_history_before_between_or_after(
    http: httpx.AsyncClient, plan: PlanClient, clock: SettableClock, service: Runtime
) -> None:
    assert (await upload(http, history_csv(*HISTORY_ROWS))).status_code == 200
    ploughs = (await plan.get("/plan-items"))["items"][0]
    clock.set("2026-06-01 10:00")
    ploughs = await plan.revise(ploughs, officer(HIRANAI), estimated_cost_yen=55_000_000)
    clock.set("2026-09-01 10:00")
    await plan.revise(ploughs, officer(HIRANAI), estimated_cost_yen=58_000_000)
    clock.set("2026-12-02 10:00")
    before = await written(service)

    said = {}
    for day in ("2026/4/1", "2026/7/1", "2026/10/1"):
        response = await upload(http, history_csv(f"改定,{day},1,見直し,,,,,,,,,完了,,"))
        assert response.status_code == 422, response.text
        [row] = response.json()["rejected"]
        assert row["line"] == 2
        said[day] = row["reasons"][0]
    assert "取り込みはそれより前に入ります" in said["2026/4/1"]
    assert "取り込みはそれの間に入ります" in said["2026/7/1"]
    assert "取り込みはそれより後に入ります" in said["2026/10/1"]
    assert said["2026/4/1"].startswith(
        "決定日: 計画事業 No.1「冬期道路交通確保のための除雪機械の更新」は2026-06-01〜2026-09-01に"
        "画面・APIで記録された変更（第4版〜第5版）があり"
    )
    # An item entered live cannot be adopted again either.
    added_live = await plan.add(
        {
            "title": "避難所のWi-Fi整備",
            "municipality": "平内町",
            "risk_scenario": "4-1",
            "policy_area": "communications",
            "lead_department": "総務課",
            "fiscal_year_from": 2026,
            "fiscal_year_to": 2027,
            "reason": "追加",
        },
        COORDINATOR,
    )
    adopt_again = (
        f"策定,2020/12/25,{added_live['number']},,避難所のWi-Fi整備,平内町,4-1,情報通信,総務課,"
        ",2021,2022,計画,,"
    )
    response = await upload(http, history_csv(adopt_again))
    assert response.status_code == 422
    assert "より前に入ります" in response.json()["rejected"][0]["reasons"][0]
    assert (await written(service))["revisions"] == before["revisions"] + 1

    # An item whose history is all imported takes the next decisions in date order.
    continued = await upload(
        http, history_csv("改定,2026/4/1,3,令和8年度の見直し,,,,,,,,,実施中,,")
    )
    assert continued.status_code == 200, continued.text
    earlier = await upload(http, history_csv("改定,2026/3/31,3,見直し,,,,,,,,,完了,,"))
    assert earlier.json()["rejected"][0]["reasons"][0].startswith(
        "決定日: 2026-03-31は、この事業の前の決定（2026-04-01）より前です"
    )


async def test_an_officer_may_not_import_the_plan_s_history(
    http: httpx.AsyncClient, service: Runtime
) -> None:
    for dry_run in (True, False):
        response = await upload(
            http, history_csv(*HISTORY_ROWS), dry_run=dry_run, headers=officer(HIRANAI)
        )
        assert response.status_code == 403
        assert response.json()["message"] == (
            "計画の履歴の取り込みはコーディネーターだけが行えます（あなたは市町村の職員です）"
        )
    assert await written(service) == NOTHING


async def test_a_decision_after_today_is_refused_and_today_is_not(
    http: httpx.AsyncClient, service: Runtime
) -> None:
    rows = [*HISTORY_ROWS, "改定,2026/12/3,1,来年度の予定,,,,,,,,,完了,,"]
    response = await upload(http, history_csv(*rows))

    assert response.status_code == 422
    [row] = response.json()["rejected"]
    assert row["line"] == 12
    assert row["reasons"] == [
        "決定日: 2026-12-03は未来の日付です（今日は2026-12-02）。決定された日を入力してください"
    ]
    assert await written(service) == NOTHING

    today = [*HISTORY_ROWS, "改定,2026/12/2,1,本日の決定,,,,,,,,,完了,,"]
    assert (await upload(http, history_csv(*today))).status_code == 200


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("決定日,事業番号,事業名", "見出し行に種別がありません"),
        (
            "種別,決定日,事業番号,重要業績指標（KPI）",
            "見出し「重要業績指標（KPI）」は取り込めません",
        ),
    ],
)
async def test_a_file_with_the_wrong_headers_is_refused_whole(
    http: httpx.AsyncClient, header: str, said: str
) -> None:
    response = await http.post(
        "/plan-imports",
        params={"dry_run": "true"},
        files={"file": ("plan.csv", f"{header}\r\n策定,2020/12/25,1\r\n".encode())},
        headers=COORDINATOR,
    )
    assert response.status_code == 422
    body: dict[str, Any] = response.json()
    assert said in body["message"]
    assert body["fields"][0]["field"] == "file"


async def test_the_example_in_the_guide_imports_as_it_says(
    http: httpx.AsyncClient,
) -> None:
    guide = (Path(__file__).parents[2] / "docs" / "resilience.md").read_text(encoding="utf-8")
    example = guide.split("```csv\n", 1)[1].split("```", 1)[0]

    response = await upload(http, example.encode("cp932"), dry_run=True)

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rejected"] == []
    assert (report["items"], report["changes"]) == (3, 7)
    assert report["file"]["encoding"] == "cp932"
