"""The annual summary of changes and the exports for council meetings."""

from __future__ import annotations

import io

import httpx
import openpyxl

from tests.resilience.plan import (
    AOMORI,
    AUDITOR,
    COORDINATOR,
    HIRANAI,
    IMABETSU,
    SEAWALL,
    SHELTER_RADIO,
    SNOW_PLOUGHS,
    PlanClient,
    item,
    officer,
)
from tosei_common.platform.clock import SettableClock
from tosei_common.region.exports import read_sheet


async def _three_years_of_changes(plan: PlanClient, clock: SettableClock) -> None:
    """FY2022: two items added. FY2023: one revised twice, one added, one retired."""
    clock.set("2022-05-16 10:00")
    ploughs = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    radio = await plan.add(SHELTER_RADIO, officer(AOMORI))
    clock.set("2023-03-31 23:30")  # still FY2022 in Japan
    radio = await plan.revise(radio, officer(AOMORI), status="in_progress")
    clock.set("2023-04-01 00:10")  # FY2023
    ploughs = await plan.revise(ploughs, officer(HIRANAI), estimated_cost_yen=52_000_000)
    clock.set("2023-09-01 10:00")
    await plan.revise(
        ploughs, COORDINATOR, fiscal_year_to=2028, estimated_cost_yen=60_000_000, reason="延伸"
    )
    await plan.add(SEAWALL, officer(IMABETSU))
    clock.set("2024-03-29 17:00")
    await plan.retire(radio, officer(AOMORI), "completed")
    clock.set("2024-05-01 10:00")


async def test_the_annual_summary_counts_what_changed_in_that_fiscal_year(
    plan: PlanClient, clock: SettableClock
) -> None:
    await _three_years_of_changes(plan, clock)

    fy2023 = await plan.get("/summaries/令和5年度")

    assert fy2023["fiscal_year"] == 2023
    assert fy2023["fiscal_year_display"] == "令和5年度 (FY2023)"
    assert fy2023["totals"] == {"added": 1, "revised": 1, "retired": 1}
    assert [
        (i["number"], i["kinds_label"], i["revisions"], i["changed_fields"])
        for i in fy2023["items"]
    ] == [
        (1, "変更", 2, ["estimated_cost_yen", "fiscal_year_to"]),
        (2, "廃止", 0, []),
        (3, "追加", 0, []),
    ]
    assert [
        (m["municipality_name"], m["added"], m["revised"], m["retired"])
        for m in fy2023["by_municipality"]
    ] == [("青森市", 0, 0, 1), ("平内町", 0, 1, 0), ("今別町", 1, 0, 0)]
    assert {f["label"]: f["items"] for f in fy2023["changed_fields"]} == {
        "概算事業費": 1,
        "実施年度（終了）": 1,
    }
    statuses = {s["status"]: s["items"] for s in fy2023["status_at_year_end"]}
    assert statuses == {"planned": 2, "in_progress": 0, "done": 0}

    fy2022 = await plan.get("/summaries/2022")
    assert fy2022["totals"] == {"added": 2, "revised": 1, "retired": 0}
    assert [i["kinds"] for i in fy2022["items"]] == [["added"], ["added", "revised"]]
    assert {s["status"]: s["items"] for s in fy2022["status_at_year_end"]}["in_progress"] == 1

    quiet = await plan.get("/summaries/R6")
    assert quiet["totals"] == {"added": 0, "revised": 0, "retired": 0}


async def test_a_fiscal_year_that_is_not_one_is_a_422(http: httpx.AsyncClient) -> None:
    response = await http.get("/summaries/来年度", headers=AUDITOR)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "fiscal_year"


async def test_the_summary_exports_with_japanese_headers(
    plan: PlanClient, http: httpx.AsyncClient, clock: SettableClock
) -> None:
    await _three_years_of_changes(plan, clock)

    response = await http.get("/summaries/2023/export", params={"format": "xlsx"}, headers=AUDITOR)

    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    sheet = read_sheet(response.content, "summary.xlsx")
    assert sheet.header[:4] == ["区分", "事業番号", "事業名", "実施主体"]
    first = sheet.rows[0].values
    assert (first["区分"], first["変更項目"], first["変更回数"]) == (
        "変更",
        "概算事業費、実施年度（終了）",
        "2",
    )
    assert [r.values["廃止理由"] for r in sheet.rows] == ["", "事業完了", ""]


async def test_the_plan_exports_as_csv_that_japanese_excel_opens(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    safety = await plan.programme("防災・安全交付金", "required")
    await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI))
    await plan.add(SEAWALL, officer(IMABETSU))

    response = await http.get("/plan/export", params={"format": "csv"}, headers=officer(AOMORI))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.content
    sheet = read_sheet(response.content, "plan.csv")
    assert sheet.header[:6] == [
        "事業番号",
        "事業名",
        "実施主体",
        "起きてはならない最悪の事態",
        "施策分野",
        "担当部署",
    ]
    ploughs = sheet.rows[0].values
    assert ploughs["実施主体"] == "平内町"
    assert ploughs["起きてはならない最悪の事態"].startswith("1-6 暴風雪及び豪雪")
    assert ploughs["実施年度（開始）"] == "令和4年度"
    assert ploughs["進捗状況"] == "計画"
    assert ploughs["活用する交付金・補助金"] == "防災・安全交付金"
    assert ploughs["重点化・要件化"] == "防災・安全交付金：要件化"
    assert ploughs["重要業績指標（KPI）"] == "除雪計画路線の除雪完了率 82%→100%（令和8年度）"
    assert [r.values["事業番号"] for r in sheet.rows] == ["1", "2"]


async def test_the_plan_exports_as_it_stood_on_a_date_and_for_one_town(
    plan: PlanClient, http: httpx.AsyncClient, clock: SettableClock
) -> None:
    clock.set("2022-05-16 10:00")
    ploughs = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    await plan.add(SHELTER_RADIO, officer(AOMORI))
    clock.set("2023-05-16 10:00")
    await plan.revise(ploughs, officer(HIRANAI), estimated_cost_yen=52_000_000)

    response = await http.get(
        "/plan/export",
        params={"format": "xlsx", "as_of": "令和5年3月31日", "municipality": "平内"},
        headers=AUDITOR,
    )

    assert response.status_code == 200
    assert "20230331" in response.headers["content-disposition"]
    sheet = read_sheet(response.content, "plan.xlsx")
    assert [
        (r.values["事業番号"], r.values["概算事業費（円）"], r.values["版"]) for r in sheet.rows
    ] == [("1", "45000000", "1")]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = workbook.active
    assert ws is not None
    assert ws.auto_filter.ref == "A1:Q2"  # a filter on the header row, over every column
    cost = ws.cell(2, sheet.header.index("概算事業費（円）") + 1)
    assert (cost.value, cost.number_format) == (45_000_000, "#,##0")  # 45,000,000 on screen
    assert ws.cell(2, 1).number_format == "General"  # 事業番号 is no amount
