"""Reading the old desks' exports: every value as people typed it, every refusal with a reason."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin
from tosei_common.platform.errors import Message
from tosei_common.region.sheet_import import FileProblem, RowProblem
from tosei_common.region.text import name_key, pseudonym
from tosei_intake.domain.consultations import case_opened, staff_pseudonym
from tosei_intake.domain.import_report import (
    ClientOutcome,
    FileSummary,
    ImportedRow,
    ImportReport,
    render,
)
from tosei_intake.domain.legacy import (
    Desk,
    desk_for,
    fingerprint,
    parse_file,
    restore_leading_zero,
)
from tosei_intake.domain.legacy_words import HEADERS, parse_categories, parse_status

TODAY = date(2026, 9, 30)
HEADER = ",".join(HEADERS)


def sheet(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([header, *rows]).encode(encoding)


def row(
    day: str = "2020/9/15",
    name: str = "山田 太郎",
    business: str = "津軽りんご工房",
    town: str = "外ケ浜町",
    categories: str = "創業計画",
    description: str = "創業計画の相談",
    staff: str = "佐藤 一郎",
    status: str = "対応中",
    phone: str = "017-723-1111",
    email: str = "",
) -> str:
    return ",".join(
        [day, name, business, town, categories, description, staff, status, phone, email]
    )


@pytest.mark.parametrize(
    "typed",
    ["2020/9/15", "2020-09-15", "令和2年9月15日", "R2.9.15", "２０２０／９／１５", "r02/09/15"],
)
def test_dates_are_read_however_the_desk_typed_them(typed: str) -> None:
    parsed = parse_file("startup.csv", sheet(row(day=typed)), None, today=TODAY)
    assert parsed.rejected == []
    # Midnight in Japan: the day stays 15 September wherever it is shown in Japan time.
    assert parsed.cases[0].consulted_at == datetime(2020, 9, 14, 15, 0, tzinfo=UTC)


def test_a_row_is_kept_as_the_desk_typed_it_and_its_phone_in_one_spelling() -> None:
    typed = row(
        name="　山田　　太郎 ",
        business="津軽　りんご工房（ＡＢＣ）",
        description='"  売上が　落ちた\r\n\r\n資金繰りも　ＡＢＣ "',
        staff="佐藤　一郎",
        phone="０１７７２３１１１１",
    )
    case = parse_file("startup.csv", sheet(typed), None, today=TODAY).cases[0]
    assert case.person.name == "山田　　太郎"
    assert case.business_name == "津軽　りんご工房（ＡＢＣ）"
    assert case.description == "売上が　落ちた\n\n資金繰りも　ＡＢＣ"
    assert case.legacy is not None
    assert case.legacy.staff_name == "佐藤　一郎"
    assert case.person.phone == "017-723-1111"


def test_an_old_case_keeps_the_fingerprint_it_was_first_imported_with() -> None:
    """The fingerprint is made of keys, so cases imported while text was still tidied on the
    way in (before it was stored as typed) are recognised when imported again."""
    messy = row(
        day="令和２年９月１５日",
        name="　山田　　太郎 ",
        business="津軽　りんご工房（ＡＢＣ）",
        categories="資金繰り",
        description='"  売上が　落ちた\r\n\r\n資金繰りも　ＡＢＣ "',
        staff="佐藤　一郎",
        phone="０１７－７２３－１１１１",
    )
    plain = row(day="2020/9/15", description="創業計画の相談")
    [first] = parse_file("startup.csv", sheet(messy), None, today=TODAY).cases
    [second] = parse_file("startup.csv", sheet(plain), None, today=TODAY).cases
    assert first.legacy is not None
    assert second.legacy is not None
    # as computed before this change, for the same rows
    assert first.legacy.fingerprint == (
        "96bc834a45797679e7771b8d1629863f552e6adbe80dfe761f0e5a5a2a5ce368"
    )
    assert second.legacy.fingerprint == (
        "a6383f8c8318250c5f853efb2345d07564d949db102efae2b65e6ec762bb9762"
    )


def test_a_good_row_becomes_a_handed_over_consultation() -> None:
    parsed = parse_file("sme_cases.csv", sheet(row()), None, today=TODAY)
    case = parsed.cases[0]
    assert parsed.desk is Desk.SME
    assert case.origin is Origin.SME_DESK
    assert case.stage is BusinessStage.ESTABLISHED
    assert case.channel is Channel.REFERRAL
    assert case.municipality == "023078"
    assert case.consent_to_share is False
    assert case.person.phone == "017-723-1111"
    assert case.legacy is not None
    assert (case.legacy.status, case.legacy.staff_name, case.legacy.line) == (
        LegacyStatus.OPEN,
        "佐藤 一郎",
        2,
    )


@pytest.mark.parametrize(
    ("cells", "reason", "english"),
    [
        ({"day": ""}, "受付日: 日付がありません", "受付日: no date"),
        (
            {"day": "2021/2/30"},
            "受付日: 「2021/2/30」は存在しない日付です",
            "受付日: '2021/2/30' does not exist",
        ),
        (
            {"day": "そのうち"},
            "受付日: 「そのうち」は日付として読めません",
            "受付日: 'そのうち' is not a date",
        ),
        (
            {"day": "2026/12/1"},
            "受付日: 2026-12-01は未来の日付です",
            "受付日: 2026-12-01 is in the future",
        ),
        (
            {"town": "弘前市"},
            "市町村: 「弘前市」は東青圏域の市町村ではありません",
            "市町村: 「弘前市」 is not a municipality of the Tosei region",
        ),
        ({"town": ""}, "市町村: 入力がありません", "市町村: missing"),
        ({"name": "　"}, "相談者名: 入力がありません", "相談者名: missing"),
        (
            {"phone": "内線12"},
            "電話番号: 「内線12」は電話番号の形式ではありません",
            "電話番号: '内線12' is not a Japanese phone number",
        ),
        (
            {"email": "yamada@"},
            "メールアドレス: 「yamada@」はメールアドレスの形式ではありません",
            "メールアドレス: 'yamada@' is not an e-mail address",
        ),
        (
            {"status": "不明"},
            "状況: 「不明」は取り込みで分かる状況ではありません",
            "状況: 「不明」 is not a 状況 this import knows",
        ),
        ({"name": "山田\x07太郎"}, "相談者名: 制御文字", "相談者名: contains control characters"),
        ({"business": "x" * 201}, "事業者名: 200文字以内", "事業者名: is longer than 200"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_reason(
    cells: dict[str, str], reason: str, english: str
) -> None:
    good = row(name="髙橋 花子")
    parsed = parse_file("startup.csv", sheet(good, row(**cells)), None, today=TODAY)
    assert len(parsed.cases) == 1
    [problem] = parsed.rejected
    assert (problem.file, problem.line) == ("startup.csv", 3)
    assert problem.reasons[0].ja.startswith(reason)
    assert problem.reasons[0].en.startswith(english)


def test_every_reason_of_a_row_is_given_at_once() -> None:
    parsed = parse_file(
        "startup.csv", sheet(row(day="", town="弘前市", phone="123")), None, today=TODAY
    )
    [problem] = parsed.rejected
    assert [r.ja.split(":")[0] for r in problem.reasons] == ["受付日", "市町村", "電話番号"]
    assert str(problem).startswith("startup.csv:2  受付日: 日付がありません; 市町村:")
    assert problem.reasons_in("en")[0] == "受付日: no date"


def test_line_numbers_count_blank_lines_as_excel_shows_them() -> None:
    parsed = parse_file("startup.csv", sheet(row(), "", "", row(town="八戸市")), None, today=TODAY)
    assert [p.line for p in parsed.rejected] == [5]


def test_cp932_with_full_width_digits_and_variant_spellings_is_read() -> None:
    data = sheet(
        row(day="令和２年９月１５日", town="外ヶ浜町", phone="０１７－７２３－１１１１"),
        encoding="cp932",
    )
    parsed = parse_file("創業支援窓口.csv", data, None, today=TODAY)
    assert parsed.encoding == "cp932"
    assert parsed.desk is Desk.STARTUP
    assert parsed.cases[0].person.phone == "017-723-1111"


def test_a_phone_that_excel_stored_as_a_number_gets_its_zero_back() -> None:
    assert restore_leading_zero("177231111") == "0177231111"
    assert restore_leading_zero("9012345678") == "09012345678"
    assert restore_leading_zero("017-723-1111") == "017-723-1111"
    assert restore_leading_zero("12") == "12"


@pytest.mark.parametrize(
    ("written", "categories"),
    [
        ("創業計画", (Category.FOUNDING_PLAN,)),
        ("資金繰り・コロナ関連", (Category.FINANCING, Category.CRISIS)),
        ("創業資金", (Category.FOUNDING_PLAN, Category.FINANCING)),
        ("販路開拓、ホームページ", (Category.SALES_CHANNELS, Category.IT)),
        ("IT", (Category.IT,)),
        ("後継者問題", (Category.SUCCESSION,)),
        ("新型コロナウイルス感染症の影響", (Category.CRISIS,)),
        ("採用/人材育成", (Category.HR,)),
        ("税務", (Category.OTHER,)),
        ("", (Category.OTHER,)),
    ],
)
def test_the_old_categories_map_onto_the_taxonomy(
    written: str, categories: tuple[Category, ...]
) -> None:
    assert parse_categories(written) == categories


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("対応中", LegacyStatus.OPEN),
        ("継続", LegacyStatus.OPEN),
        ("", LegacyStatus.OPEN),
        ("未完了", LegacyStatus.OPEN),
        ("保留", LegacyStatus.WAITING),
        ("待機中", LegacyStatus.WAITING),
        ("完了", LegacyStatus.CLOSED),
        ("対応済", LegacyStatus.CLOSED),
    ],
)
def test_the_old_status_is_understood(written: str, status: LegacyStatus) -> None:
    assert parse_status(written) == status


def test_headers_may_be_written_the_other_desk_s_way() -> None:
    header = "受付年月日,氏名,屋号,市町村名,相談分野,内容,担当,対応状況,TEL,E-mail"
    parsed = parse_file("sme.csv", sheet(row(), header=header), None, today=TODAY)
    assert parsed.rejected == []
    assert parsed.cases[0].business_name == "津軽りんご工房"


def test_a_file_without_the_required_columns_is_refused_whole() -> None:
    with pytest.raises(FileProblem, match="lacks 受付日、市町村") as refused:
        parse_file("startup.csv", sheet(header="相談者名,電話番号"), None, today=TODAY)
    assert refused.value.message.ja.startswith("startup.csv: 見出し行に受付日、市町村がありません")


def test_an_unreadable_file_is_refused_whole() -> None:
    with pytest.raises(FileProblem, match=r"startup\.xlsx"):
        parse_file("startup.xlsx", b"PK\x03\x04 not really a workbook", None, today=TODAY)


def test_the_desk_comes_from_the_option_or_the_file_name() -> None:
    assert desk_for("anything.csv", Desk.SME) is Desk.SME
    assert desk_for("2020_創業相談.csv", None) is Desk.STARTUP
    assert desk_for("中小企業相談.xlsx", None) is Desk.SME
    with pytest.raises(FileProblem, match="--desk"):
        desk_for("cases.csv", None)


def test_an_old_case_is_the_same_case_whatever_its_status_or_contacts() -> None:
    first = parse_file("startup.csv", sheet(row(status="対応中")), None, today=TODAY)
    later = parse_file(
        "startup-2.csv", sheet(row(status="完了", phone="0177231111")), Desk.STARTUP, today=TODAY
    )
    other = parse_file("startup.csv", sheet(row(description="別の相談")), None, today=TODAY)
    prints = [f.cases[0].legacy.fingerprint for f in (first, later, other)]  # type: ignore[union-attr]
    assert prints[0] == prints[1] != prints[2]
    assert fingerprint(
        Origin.STARTUP_DESK, date(2020, 9, 15), "山田 太郎", "023078", None, "", None
    ) == fingerprint(Origin.STARTUP_DESK, date(2020, 9, 15), "山田太郎", "023078", "", " ", "")


def test_the_event_names_the_old_staff_member_only_by_pseudonym() -> None:
    case = parse_file("startup.csv", sheet(row(staff="佐藤　一郎")), None, today=TODAY).cases[0]
    assert case.legacy is not None
    staff = staff_pseudonym("k", case.legacy.staff_name)
    event = case_opened(uuid.uuid4(), uuid.uuid4(), case, legacy_staff=staff)
    assert event.legacy_staff == pseudonym("k", "staff", name_key("佐藤一郎"))
    assert event.legacy_status is LegacyStatus.OPEN
    assert "佐藤" not in event.model_dump_json()


def test_the_report_names_each_rejected_row_by_file_and_line() -> None:
    report = ImportReport(
        dry_run=True,
        files=[FileSummary("startup.csv", "cp932", Desk.STARTUP, 3)],
        imported=[
            ImportedRow("startup.csv", 2, uuid.uuid4(), uuid.uuid4(), ClientOutcome.MATCHED),
        ],
        rejected=[
            RowProblem("startup.csv", 4, (Message("受付日: 日付がありません", "受付日: no date"),))
        ],
    )
    text = render(report)
    assert "dry run" in text
    assert "startup.csv:4  受付日: 日付がありません" in text
    assert "既存の相談者と一致 matched to existing clients: 1" in text
    assert "    startup.csv:2 → client" in text
    assert report.exit_code == 1
