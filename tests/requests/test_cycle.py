"""The yearly cycle over two fiscal years, as the towns and the council's coordinators live it:
FY2020 drafted, submitted, adopted, briefed on 16 October 2020, the book read back, answered;
FY2021 opened with requests carried over and merged, and the lineage read both ways."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pypdf

from tests.requests.towns import (
    AOMORI,
    AUDITOR,
    BRIEFING_2020,
    COORDINATOR,
    DOCTORS,
    FERRY,
    HIRANAI,
    IMABETSU,
    PORT,
    SIDEWALK,
    SOTOGAHAMA,
    STATION,
    Programme,
    item,
    officer,
    plan_item_added,
)
from tests.support.publish import publish
from tests.support.waiting import eventually
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.region.exports import read_sheet


def pdf_text(content: bytes) -> str:
    """The text of a PDF. fpdf2 gives its CFF font an embedded two-byte CMap, which pypdf reads
    one byte at a time: the high bytes come out as NULs between the characters."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace("\x00", "")


async def fy2020_adopted(p: Programme, broker: TansuBroker) -> dict[str, Any]:
    """Three towns' items and one joint item of all five, drafted, submitted and adopted."""
    plough = plan_item_added(12, HIRANAI)
    await publish(broker.bootstrap, [plough], source="resilience")
    p.at("2020-06-01 09:00")
    await p.open_year("令和2年度")

    async def linked() -> Any:
        # refused (422, nothing written) until the plan item's copy arrives from its event
        probe = await p.http.post(
            "/request-items",
            json={**item(SIDEWALK, plan_item_ids=[str(plough.item_id)]), "fiscal_year": "R2"},
            headers=officer(HIRANAI),
        )
        return probe.status_code == 201 and probe.json()

    p.at("2020-07-01 10:00")
    items = {
        "port": await p.draft(PORT, officer(AOMORI)),
        "station": await p.draft(STATION, officer(AOMORI)),
        "ferry": await p.draft(FERRY, officer(SOTOGAHAMA)),
        "doctors": await p.draft(DOCTORS, officer(IMABETSU)),
    }
    items["sidewalk"] = await eventually(linked)
    hiranai = (await p.get("/request-items?municipality=平内&fiscal_year=2020"))["items"]
    assert [i["title"] for i in hiranai] == [DOCTORS["title"], SIDEWALK["title"]]
    assert items["sidewalk"]["plan_items"][0]["label"] == (
        "国土強靱化地域計画 事業番号12「除雪機械の更新」（平内町・計画）"
    )
    assert items["doctors"]["towns_label"] == "東青圏域5市町村"
    assert items["doctors"]["joint"] is True

    p.at("2020-08-20 15:00")
    for key, town in (
        ("port", AOMORI),
        ("station", AOMORI),
        ("ferry", SOTOGAHAMA),
        ("doctors", HIRANAI),  # any of a joint item's towns may submit it
        ("sidewalk", HIRANAI),
    ):
        submitted = await p.move(items[key], "submitted", officer(town))
        assert submitted["status_label"] == "提出済み"
    p.at("2020-09-10 14:00")
    for key in items:
        items[key] = await p.move(items[key], "adopted", COORDINATOR)
    return items


async def test_two_fiscal_years_of_joint_requests_from_drafts_to_lineage(
    programme: Programme, broker: TansuBroker
) -> None:
    p = programme
    items = await fy2020_adopted(p, broker)

    # the briefing, within its fiscal year, with the five heads
    p.at("2020-09-15 10:00")
    briefing = await p.call("PUT", "/briefings/令和2年度", COORDINATOR, BRIEFING_2020)
    assert briefing["starts_at"] == "2020-10-16T11:00:00+09:00"
    assert briefing["ends_at"] == "2020-10-16T11:50:00+09:00"
    assert [a["title"] for a in briefing["attendees"]] == [
        "青森市長",
        "平内町長",
        "今別町長",
        "外ヶ浜町長",
        "蓬田村長",
    ]
    assert briefing["title"] == "令和2年度重点事業説明会"

    # the agenda in the joint order, grouped: the joint item first, then each town's own
    p.at("2020-10-02 15:00")
    order = [items[k]["id"] for k in ("sidewalk", "port", "doctors", "ferry", "station")]
    await p.call("PUT", "/briefings/2020/agenda", COORDINATOR, {"items": order})
    fixed = await p.call("POST", "/briefings/FY2020/agenda/fix", COORDINATOR)
    assert fixed["agenda_fixed_at"].startswith("2020-10-02T15:00:")
    assert [(e["number"], e["group"], e["title"]) for e in fixed["agenda"]] == [
        (1, "共同要望", DOCTORS["title"]),
        (2, "青森市", PORT["title"]),
        (3, "青森市", STATION["title"]),
        (4, "平内町", SIDEWALK["title"]),
        (5, "外ヶ浜町", FERRY["title"]),
    ]

    # after fixing, an officer's change is refused; a coordinator's is recorded with its reason
    refused = await p.http.patch(
        f"/request-items/{items['port']['id']}",
        json={"version": items["port"]["version"], "requested_amount_yen": 1_500_000_000},
        headers=officer(AOMORI),
    )
    assert refused.status_code == 403
    assert "コーディネーターだけが" in refused.json()["message"]
    without_reason = await p.http.patch(
        f"/request-items/{items['port']['id']}",
        json={"version": items["port"]["version"], "requested_amount_yen": 1_500_000_000},
        headers=COORDINATOR,
    )
    assert without_reason.status_code == 422
    assert without_reason.json()["fields"][0]["field"] == "reason"
    p.at("2020-10-05 09:30")
    revised = await p.call(
        "PATCH",
        f"/request-items/{items['port']['id']}",
        COORDINATOR,
        {
            "version": items["port"]["version"],
            "requested_amount_yen": 1_500_000_000,
            "reason": "県との事前協議を踏まえ事業費を精査",
        },
    )
    assert revised["requested_amount_yen"] == 1_500_000_000
    history = (await p.get(f"/request-items/{items['port']['id']}/history"))["entries"]
    assert [e["action"] for e in history] == ["created", "submitted", "adopted", "revised"]
    last = history[-1]
    assert last["actor"] == "coordinator:kikaku-kudo"
    assert last["reason"] == "県との事前協議を踏まえ事業費を精査"
    assert last["after_agenda_fixed"] is True
    assert last["changes"]["requested_amount_yen"] == {"old": 1_200_000_000, "new": 1_500_000_000}
    assert not any(e["after_agenda_fixed"] for e in history[:-1])
    # the auditors' trail says the same, by day as typed in the era
    that_day = {"entity": "request_item", "from": "令和2年10月5日", "to": "2020-10-05"}
    trail = await p.http.get("/audit-log", params=that_day, headers=AUDITOR)
    assert trail.status_code == 200, trail.text
    newest = trail.json()["entries"][0]
    assert (newest["action"], newest["reason"]) == ("revised", last["reason"])
    assert newest["changes"]["requested_amount_yen"] == last["changes"]["requested_amount_yen"]

    # the book, read back: PDF and xlsx
    pdf = await p.http.get("/briefings/2020/book.pdf", headers=COORDINATOR)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert len(pdf.content) < 200_000  # the font is subset, not embedded whole
    text = pdf_text(pdf.content)
    for expected in (
        "令和2年度（2020年度）",
        "重点事業要望書",
        "令和2年10月16日",
        "青森市長　小野寺 晃彦",
        "平内町長",
        "蓬田村長",
        "目次",
        f"1　{DOCTORS['title']}",
        "東青圏域5市町村",
        "健康福祉部",
        "【現状と課題】",
        "現状の岸壁では15万トン級の寄港に制約がある。",
        "【要望内容】",
        SIDEWALK["body"],
        "国土強靱化地域計画 事業番号12「除雪機械の更新」（平内町・計画）",
        "1,500,000,000円",
    ):
        assert expected in text, expected
    assert len(pypdf.PdfReader(io.BytesIO(pdf.content)).pages) == 1 + 1 + 5

    xlsx = await p.http.get("/briefings/2020/book.xlsx", headers=officer(HIRANAI))
    assert xlsx.status_code == 200
    assert "filename*=UTF-8''" in xlsx.headers["content-disposition"]
    sheet = read_sheet(xlsx.content, "book.xlsx")
    assert sheet.header[:6] == ["番号", "区分", "要望事項", "要望団体", "担当部局", "要望額（円）"]
    assert [r.values["要望事項"] for r in sheet.rows] == [e["title"] for e in fixed["agenda"]]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))  # type: ignore[union-attr]
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]  # numbers as numbers
    assert rows[1][5] == 1_500_000_000
    assert rows[0][3] == "東青圏域5市町村"
    assert rows[3][8] == "国土強靱化地域計画 事業番号12「除雪機械の更新」（平内町・計画）"
    book_sheet = workbook.active
    assert book_sheet is not None
    assert book_sheet.auto_filter.ref == f"A1:J{len(rows) + 1}"  # a filter on the header row
    assert {book_sheet.cell(r, 6).number_format for r in range(2, len(rows) + 2)} == {"#,##0"}

    # the public sees nothing until the book is published, then the book and the answers
    assert (await p.http.get("/briefings/2020/book")).status_code == 404
    assert (await p.http.get("/answers/2020")).status_code == 404
    p.at("2020-10-16 13:00")
    await p.call(
        "PUT", "/briefings/2020/minutes", COORDINATOR, {"minutes": "各要望について説明した。"}
    )
    await p.call("POST", "/briefings/2020/book/publish", COORDINATOR)
    public = await p.http.get("/briefings/令和2年度/book")
    assert public.status_code == 200
    assert public.json()["title"] == "令和2年度 重点事業要望書"
    assert (await p.http.get("/request-items")).status_code == 401

    # the prefecture's answers, and the summary per year and per town
    p.at("2021-02-10 10:00")
    answers = {
        "doctors": ("under_study", "kenko", "医師の配置について引き続き検討する。"),
        "sidewalk": ("difficult", "kendo", "用地の確保が課題であり、現時点では困難である。"),
        "port": ("under_study", "kendo", "国の港湾計画の改訂に合わせて検討する。"),
        "ferry": ("done_or_planned", "norin", "令和3年度に改良工事に着手する予定である。"),
    }
    for key, (status, department, answer_text) in answers.items():
        recorded = await p.call(
            "PUT",
            f"/request-items/{items[key]['id']}/answer",
            COORDINATOR,
            {
                "received_on": "令和3年2月5日",
                "text": answer_text,
                "department": department,
                "status": status,
            },
        )
        assert recorded["received_on"] == "2021-02-05"
    year = await p.call("GET", "/answers/R2", {})
    assert year["summary"]["whole"]["items"] == 5
    assert year["summary"]["whole"]["unanswered"] == 1  # the station is not answered yet
    counts = {c["status"]: c["count"] for c in year["summary"]["whole"]["by_status"]}
    assert counts == {"done_or_planned": 1, "under_study": 2, "difficult": 1, "other": 0}
    towns = {t["municipality"]["code"]: t for t in year["summary"]["towns"]}
    assert towns[AOMORI]["items"] == 3  # its two and the joint one
    assert towns[AOMORI]["unanswered"] == 1
    assert towns[IMABETSU]["items"] == 1
    labels = {c["status"]: c["label"] for c in towns[HIRANAI]["by_status"]}
    assert labels["difficult"] == "困難"
    assert year["entries"][0]["answer"]["status_label"] == "検討中"

    # FY2021: two requests carried over, two merged into one; the lineage both ways
    p.at("2021-05-12 09:00")
    await p.open_year(2021)
    carried = [
        await p.call("POST", f"/request-items/{items[k]['id']}/carry-over", officer(town), {}, 201)
        for k, town in (("doctors", IMABETSU), ("sidewalk", HIRANAI))
    ]
    assert [c["fiscal_year"] for c in carried] == [2021, 2021]
    assert [c["status"] for c in carried] == ["draft", "draft"]
    assert carried[1]["derived_from"] == [items["sidewalk"]["id"]]
    assert carried[1]["plan_items"][0]["number"] == 12
    merged = await p.call(
        "POST",
        "/request-items/merge",
        officer(AOMORI),
        {
            "sources": [items["port"]["id"], items["station"]["id"]],
            "item": item(
                PORT,
                title="青森港及び青森駅周辺の交通・物流機能の強化",
                departments=["kendo", "kikaku"],
            ),
            "reason": "港と駅の結節を一体の要望とするため",
        },
        201,
    )
    assert merged["derivation"] == "merged"

    again = await p.http.post(
        f"/request-items/{items['doctors']['id']}/carry-over", json={}, headers=COORDINATOR
    )
    assert again.status_code == 409
    assert again.json()["fields"] == [{"field": "item_id", "message": "引き継ぎ済みです"}]
    done = await p.http.post(
        f"/request-items/{items['ferry']['id']}/carry-over", json={}, headers=officer(SOTOGAHAMA)
    )
    assert done.status_code == 409
    assert "措置済み・対応予定" in done.json()["message"]

    forward = await p.get(f"/request-items/{items['station']['id']}/lineage")
    assert forward["first_requested_fiscal_year"] == 2020
    assert [(n["fiscal_year"], n["title"]) for n in forward["items"]] == [
        (2020, PORT["title"]),
        (2020, STATION["title"]),
        (2021, "青森港及び青森駅周辺の交通・物流機能の強化"),
    ]
    station = forward["items"][1]
    assert station["successors"] == [merged["id"]]
    assert station["answer"] is None
    assert forward["items"][0]["answer"]["status_label"] == "検討中"
    backward = await p.get(f"/request-items/{merged['id']}/lineage")
    assert [n["id"] for n in backward["items"]] == [n["id"] for n in forward["items"]]
    assert backward["items"][2]["derived_from"] == [items["port"]["id"], items["station"]["id"]]
    doctors_chain = await p.get(f"/request-items/{carried[0]['id']}/lineage")
    assert [(n["fiscal_year_label"], n["status"]) for n in doctors_chain["items"]] == [
        ("令和2年度 (FY2020)", "adopted"),
        ("令和3年度 (FY2021)", "draft"),
    ]
    assert doctors_chain["items"][0]["successors"] == [carried[0]["id"]]
    listed = await p.get("/request-items?fiscal_year=令和3年度")
    assert [(i["derivation"], i["towns_label"]) for i in listed["items"]] == [
        ("carried", "東青圏域5市町村"),
        ("carried", "平内町"),
        ("merged", "青森市"),
    ]
