"""The old desks' open cases are handed over from their exports: validated first, imported once."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from openpyxl import Workbook

from tests.intake.helpers import (
    AUDITOR,
    DESK,
    consultation,
    on_file,
    payload,
    personal_data_in,
)
from tests.support.waiting import read_topic
from tosei_common.catalogue.intake import CASES
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.service import Runtime
from tosei_common.region.text import name_key, pseudonym
from tosei_intake.api import imports

HEADER = "受付日,相談者名,事業者名,市町村,相談区分,相談内容,担当者,状況,電話番号,メールアドレス"

# As the startup desk's Excel saved it: Shift_JIS, full-width digits, era dates, a blank line,
# and three rows that cannot be handed over.
STARTUP_DESK_CSV = "\r\n".join(
    [
        HEADER,
        "令和２年９月１５日,山田　太郎,津軽りんご工房,外ケ浜町,創業計画・資金調達,"
        "りんご加工品で創業したい,佐藤 一郎,対応中,０１７－７２３－１１１１,",
        "R2.9.16,髙橋 花子,蓬田ほたて,蓬田,販路開拓,ほたての通販,工藤 次郎,保留,"
        "080-1234-5678,hanako@example.jp",
        "",
        ",佐藤 健,,青森市,資金調達,運転資金,佐藤 一郎,対応中,017-700-0000,",
        "2021/2/30,鈴木 一郎,鈴木商店,平内町,その他,店舗の改装,佐藤 一郎,対応中,017-755-0000,",
        "2020/10/1,田中 三郎,田中食堂,弘前市,コロナ関連,売上減少,工藤 次郎,継続,0172-00-0000,",
        '2020/10/2,山田太郎,津軽りんご工房,外ヶ浜町,コロナ関連,"売上が落ちた\n資金繰りも",'
        "佐藤 一郎,完了,0177231111,",
    ]
).encode("cp932")


async def upload(
    http: httpx.AsyncClient,
    *files: tuple[str, bytes],
    desk: str | None = None,
    dry_run: bool = False,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    form: dict[str, Any] = {"dry_run": "true" if dry_run else "false"}
    if desk:
        form["desk"] = desk
    return await http.post(
        "/imports/legacy",
        files=[("files", (name, data)) for name, data in files],
        data=form,
        headers=DESK | (headers or {}),
    )


@pytest.fixture
async def hanako(http: httpx.AsyncClient) -> str:
    """髙橋 花子 came to the new desk before her old case was handed over."""
    body = consultation(
        person={"name": "高橋花子", "phone": "08012345678", "email": None},
        business={"name": "蓬田ほたて", "stage": "early"},
        municipality="蓬田村",
    )
    response = await http.post("/consultations", json=body, headers=DESK)
    assert response.status_code == 201
    client_id: str = response.json()["client_id"]
    return client_id


async def test_a_messy_cp932_export_is_handed_over_with_its_refusals_by_line(
    http: httpx.AsyncClient, intake: Runtime, broker: TansuBroker, hanako: str
) -> None:
    response = await upload(http, ("創業支援窓口_2020.csv", STARTUP_DESK_CSV))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["files"] == [
        {"name": "創業支援窓口_2020.csv", "encoding": "cp932", "desk": "startup", "rows": 6}
    ]
    assert [(r["line"], r["client"]) for r in report["imported"]] == [
        (2, "new"),
        (3, "matched"),
        (8, "same_as_earlier_row"),
    ]
    assert report["matched_existing_clients"] == 1
    assert report["imported"][1]["client_id"] == hanako
    rejected = [(r["line"], r["reasons"]) for r in report["rejected"]]
    assert rejected == [
        (5, ["受付日: 日付がありません"]),
        (6, ["受付日: 「2021/2/30」は存在しない日付です"]),
        (7, [rejected[2][1][0]]),
    ]
    assert rejected[2][1][0].startswith("市町村: 「弘前市」は東青圏域の市町村ではありません")

    yamada = report["imported"][0]["consultation_id"]
    shown = (await http.get(f"/consultations/{yamada}", headers=AUDITOR)).json()
    assert shown["origin_label"] == "旧 創業支援窓口"
    assert shown["consulted_at"] == "2020-09-15T00:00:00+09:00"  # shown in Japan time
    assert shown["fiscal_year"] == "令和2年度"
    assert shown["municipality"]["name"] == "外ヶ浜町"
    assert shown["legacy"] == {
        "status": "open",
        "status_label": "対応中",
        "staff_name": "佐藤 一郎",
        "categories_as_written": "創業計画・資金調達",
        "file": "創業支援窓口_2020.csv",
        "line": 2,
    }
    assert shown["created_by"] == "desk:sato"
    # stored as the old desk typed it; matched by its keys (line 8 is the same person)
    assert shown["person_name"] == "山田　太郎"
    assert shown["phone"] == "017-723-1111"

    records = await read_topic(broker.bootstrap, CASES.name, expect=4)
    events = {payload(r)["case_id"]: payload(r) for r in records}
    handed_over = events[yamada]
    assert handed_over["origin"] == "startup_desk"
    assert handed_over["legacy_status"] == "open"
    assert handed_over["legacy_staff"] == pseudonym(
        intake.settings.pseudonym_secret, "staff", name_key("佐藤 一郎")
    )
    assert handed_over["consent_to_share"] is False
    assert personal_data_in(json.dumps([payload(r) for r in records], ensure_ascii=False)) == []


async def test_importing_the_same_file_again_adds_nothing(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    first = (await upload(http, ("startup.csv", STARTUP_DESK_CSV))).json()
    before = await on_file(intake)

    again = await upload(http, ("startup.csv", STARTUP_DESK_CSV))
    assert again.status_code == 200
    report = again.json()
    assert report["imported"] == []
    assert [r["line"] for r in report["already_imported"]] == [2, 3, 8]
    assert [r["consultation_id"] for r in report["already_imported"]] == [
        r["consultation_id"] for r in first["imported"]
    ]
    assert len(report["rejected"]) == 3
    assert report["status_changed"] == []
    assert await on_file(intake) == before


async def test_a_later_export_whose_status_moved_on_is_recorded_and_listed_never_dropped(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    first = (await upload(http, ("startup.csv", STARTUP_DESK_CSV))).json()
    later = STARTUP_DESK_CSV.decode("cp932").replace(
        "りんご加工品で創業したい,佐藤 一郎,対応中", "りんご加工品で創業したい,佐藤 一郎,完了"
    )
    rehearsal = (await upload(http, ("startup.csv", later.encode("cp932")), dry_run=True)).json()
    assert [(c["line"], c["old_label"], c["new_label"]) for c in rehearsal["status_changed"]] == [
        (2, "対応中", "完了")
    ]
    again = (await upload(http, ("startup.csv", later.encode("cp932")))).json()
    (changed,) = again["status_changed"]
    assert (changed["old"], changed["new"]) == ("open", "closed")
    assert changed["consultation_id"] == first["imported"][0]["consultation_id"]
    shown = await http.get(f"/consultations/{changed['consultation_id']}", headers=AUDITOR)
    assert shown.json()["legacy"]["status"] == "closed"
    async with intake.pool.acquire() as conn:
        audited = await conn.fetchval(
            "SELECT changes FROM audit_log WHERE action = 'legacy_status_changed'"
        )
    assert json.loads(audited) == {"legacy_status": {"old": "open", "new": "closed"}}
    assert (await upload(http, ("startup.csv", later.encode("cp932")))).json()[
        "status_changed"
    ] == []  # said once


async def test_the_report_gives_its_reasons_in_english_when_asked(
    http: httpx.AsyncClient,
) -> None:
    english = {"Accept-Language": "en"}
    report = (await upload(http, ("startup.csv", STARTUP_DESK_CSV), headers=english)).json()
    assert [(r["line"], r["reasons"]) for r in report["rejected"]][:2] == [
        (5, ["受付日: no date"]),
        (6, ["受付日: '2021/2/30' does not exist: day is out of range for month"]),
    ]


async def test_a_repeated_upload_with_its_idempotency_key_gets_the_first_report(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    # a retry sends the same form again (here with the same multipart boundary)
    key = {
        "Idempotency-Key": "handover-startup-2020-0001",
        "Content-Type": "multipart/form-data; boundary=tosei-handover-0001",
    }
    first = await upload(http, ("startup.csv", STARTUP_DESK_CSV), headers=key)
    assert first.status_code == 200, first.text
    before = await on_file(intake)

    again = await upload(http, ("startup.csv", STARTUP_DESK_CSV), headers=key)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert await on_file(intake) == before


def test_the_upload_commits_row_by_row_on_purpose(intake: Runtime) -> None:
    """Each row is its own transaction (so the import never holds the desk's locks for long):
    the route says so, and the idempotency middleware does not wrap it in one transaction."""
    [route] = [r for r in imports.router(intake).routes if isinstance(r, APIRoute)]
    assert route.path == "/imports/legacy"
    assert getattr(route.endpoint, "__tosei_commits_by_itself__", False) is True


@pytest.mark.usefixtures("hanako")
async def test_a_dry_run_reports_what_would_happen_and_writes_nothing(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    before = await on_file(intake)
    dry = await upload(http, ("startup.csv", STARTUP_DESK_CSV), dry_run=True)
    assert dry.status_code == 200
    assert await on_file(intake) == before

    real = await upload(http, ("startup.csv", STARTUP_DESK_CSV))
    assert dry.json()["dry_run"] is True
    for part in ("rejected", "matched_existing_clients", "new_clients"):
        assert dry.json()[part] == real.json()[part], part

    def fate(report: dict[str, Any]) -> list[tuple[int, str, str]]:
        return [(r["line"], r["client"], r["consultation_id"]) for r in report["imported"]]

    assert fate(dry.json()) == fate(real.json())


def sme_workbook() -> bytes:
    """The SME desk's .xlsx as its staff kept it: a real date cell, an era date typed as text,
    and phone numbers Excel turned into numbers (the leading 0 is gone)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    rows: list[list[object]] = [
        ["受付年月日", "氏名", "会社名", "市町村", "相談区分", "相談内容", "担当者", "状況",
         "電話番号", "メールアドレス"],
        [datetime(2020, 9, 1), "山田 太郎", "津軽りんご工房", "青森県外ヶ浜町", "事業承継",  # noqa: DTZ001  (an Excel date cell has no zone)
         "後継者がいない", "工藤 次郎", "継続", 177231111, None],
        ["令和2年9月3日", "佐々木 良子", "ささき印刷", "今別", "IT・デジタル化",
         "受発注のデジタル化", "工藤 次郎", "完了", 9011112222, "yoshiko@example.jp"],
        ["令和2年13月1日", "木村 誠", "木村建設", "平内", "人材", "採用", "工藤 次郎",
         "対応中", 1775551234, None],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def test_an_xlsx_export_is_handed_over_and_its_numeric_phones_still_match(
    http: httpx.AsyncClient,
) -> None:
    yamada = await http.post("/consultations", json=consultation(), headers=DESK)

    response = await upload(http, ("cases.xlsx", sme_workbook()), desk="sme")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["files"][0]["encoding"] == "xlsx"
    assert [(r["line"], r["client"]) for r in report["imported"]] == [(2, "matched"), (3, "new")]
    assert report["imported"][0]["client_id"] == yamada.json()["client_id"]
    assert [(r["line"], r["reasons"]) for r in report["rejected"]] == [
        (4, ["受付日: 「令和2年13月1日」は存在しない日付です"])
    ]

    sasaki = report["imported"][1]["consultation_id"]
    shown = (await http.get(f"/consultations/{sasaki}", headers=DESK)).json()
    assert shown["phone"] == "090-1111-2222"  # its 0 back, in one spelling, with hyphens
    assert shown["origin"] == "sme_desk"
    assert shown["stage"] == "established"
    assert shown["categories"] == ["it"]
    assert shown["legacy"]["status"] == "closed"
    assert shown["municipality"]["name"] == "今別町"


@pytest.mark.parametrize(
    ("name", "data", "says", "english"),
    [
        (
            "startup.csv",
            b"\xff\xfe\x00garbage\x81",
            "startup.csv: ファイルを読めません",
            "not UTF-8 and not Shift_JIS",
        ),
        ("startup.xlsx", b"PK\x03\x04broken", "ファイルを読めません", "not a readable .xlsx"),
        (
            "startup.csv",
            "相談者名,電話番号\r\n山田,0177231111".encode(),
            "見出し行に受付日、市町村がありません",
            "lacks 受付日、市町村",
        ),
        ("cases.csv", STARTUP_DESK_CSV, "どちらの旧窓口のファイルか分かりません", "--desk"),
    ],
)
async def test_a_file_that_cannot_be_imported_is_a_422_and_nothing_is_written(
    http: httpx.AsyncClient, intake: Runtime, name: str, data: bytes, says: str, english: str
) -> None:
    good = ("startup.csv", STARTUP_DESK_CSV)
    response = await upload(http, good, (name, data))
    assert response.status_code == 422
    assert response.json()["error"] == "validation_failed"
    assert response.json()["fields"][0]["field"] == "files"
    assert response.json()["message"].startswith("取り込みませんでした: ")
    assert says in response.json()["message"]
    in_english = await upload(http, good, (name, data), headers={"Accept-Language": "en"})
    assert english in in_english.json()["message"]
    assert await on_file(intake) == (0, 0, 0)


async def test_only_desk_staff_and_coordinators_import(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    response = await http.post(
        "/imports/legacy",
        files=[("files", ("startup.csv", STARTUP_DESK_CSV))],
        headers=AUDITOR,
    )
    assert response.status_code == 403
    assert response.json()["message"].startswith("旧窓口の相談記録の取り込みは")
    assert await on_file(intake) == (0, 0, 0)
