"""Names, phones and spreadsheets as Japanese offices type and save them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from tosei_common.region.exports import UnreadableFile, csv_bytes, read_sheet, xlsx_bytes
from tosei_common.region.sheet_import import FileProblem, read_upload, upload_name
from tosei_common.region.text import (
    NAME_VARIANTS,
    email_key,
    name_key,
    phone_key,
    pseudonym,
    tidy,
)


@pytest.mark.parametrize("typed", ["山田 太郎", "山田　太郎", "山田太郎", " 山田  太郎 "])
def test_names_typed_with_any_spacing_share_a_key(typed: str) -> None:
    assert name_key(typed) == "山田太郎"


def test_variant_forms_and_katakana_fold_for_matching() -> None:
    assert name_key("髙橋 ジロウ") == name_key("高橋じろう")
    assert name_key("ＡＢＣ商店") == "abc商店"


@pytest.mark.parametrize(("variant", "common"), sorted(NAME_VARIANTS.items()))
def test_each_variant_of_the_table_folds_to_its_common_form_inside_a_name(
    variant: str, common: str
) -> None:
    assert variant != common
    assert name_key(f"{variant}田 花子") == name_key(f"{common}田花子")


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("一ケ谷　翔", "一ヶ谷 翔"),
        ("一ヵ谷翔", "一ヶ谷 翔"),
        ("一カ谷 翔", "一ヶ谷 翔"),
        ("一が谷 翔", "一ヶ谷 翔"),
        ("𠮷田 一郎", "吉田 一郎"),
        ("齋藤 恵", "斎藤 恵"),
        ("齊藤 恵", "斉藤 恵"),
        ("渡邉 健", "渡辺 健"),
        ("渡邊 健", "渡辺 健"),
        ("山﨑 誠", "山崎 誠"),
        ("髙橋 花子", "高橋 花子"),
        ("濱田 優", "浜田 優"),
        ("小澤 亮", "小沢 亮"),
        ("國分 章", "国分 章"),
        ("廣瀬 舞", "広瀬 舞"),
    ],
)
def test_the_variants_desks_meet_share_a_key(typed: str, same_as: str) -> None:
    assert name_key(typed) == name_key(same_as)


@pytest.mark.parametrize(
    ("one", "other"),
    [("カトウ ケン", "ケトウ ケン"), ("ケイコ", "カイコ"), ("山田 ケン", "山田 カン")],
)
def test_a_ke_that_is_not_between_two_kanji_is_a_letter_of_the_name(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(
    "typed",
    ["017-723-1111", "０１７－７２３－１１１１", "0177231111", "+81 17-723-1111", "(017)723-1111"],
)
def test_phones_typed_any_way_share_a_key(typed: str) -> None:
    assert phone_key(typed) == "0177231111"


@pytest.mark.parametrize("typed", ["", "123", "内線12", None])
def test_things_that_are_not_phone_numbers_have_no_key(typed: str | None) -> None:
    assert phone_key(typed) is None


def test_email_keys() -> None:
    assert email_key(" Taro.Yamada@Example.JP ") == "taro.yamada@example.jp"
    assert email_key("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ") == "taro@example.jp"
    assert email_key("not an address") is None


def test_tidy_collapses_ideographic_spaces_and_full_width_ascii() -> None:
    assert tidy("　ＡＯＭＯＲＩ　ＳＴＡＲＴＵＰ　 ") == "AOMORI STARTUP"


def test_pseudonyms_are_stable_and_keyed() -> None:
    a = pseudonym("k1", "staff", "やまだたろう")
    assert a == pseudonym("k1", "staff", "やまだたろう")
    assert a != pseudonym("k2", "staff", "やまだたろう")
    assert a != pseudonym("k1", "client", "やまだたろう")
    assert len(a) == 32


def test_csv_downloads_open_in_japanese_excel() -> None:
    data = csv_bytes(
        ["受付日", "市町村", "区分", "同意", "日時"],
        [
            [
                date(2020, 9, 15),
                "外ヶ浜町",
                ["創業計画", "資金調達"],
                True,
                datetime(2021, 3, 31, 15, 30, tzinfo=UTC),
            ]
        ],
    )
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["2020-09-15", "外ヶ浜町", "創業計画、資金調達", "はい", "2021-04-01 00:30"]


def test_xlsx_downloads_round_trip() -> None:
    data = xlsx_bytes(["名前", "件数"], [["青森市", 3]], sheet="集計")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.title == "集計"
    assert [c.value for c in sheet[2]] == ["青森市", 3]


def test_xlsx_amounts_read_with_thousands_separators_and_every_header_has_a_filter() -> None:
    data = xlsx_bytes(
        ["名前", "事業費（円）", "件数"],
        [["青森市", 45_000_000, 3], ["平内町", None, 1]],
        money_columns=["事業費（円）"],
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.auto_filter.ref == "A1:C3"
    assert [sheet.cell(r, 2).number_format for r in (1, 2, 3)] == ["General", "#,##0", "#,##0"]
    assert sheet["C2"].number_format == "General"
    empty = load_workbook(io.BytesIO(xlsx_bytes(["名前"], []))).active
    assert empty is not None
    assert empty.auto_filter.ref == "A1:A1"
    with pytest.raises(ValueError, match="金額"):
        xlsx_bytes(["名前"], [], money_columns=["金額"])


def test_reading_a_cp932_csv_keeps_excel_line_numbers() -> None:
    text = "受付日,相談者名\r\n2020/9/15,山田太郎\r\n\r\n令和2年9月16日,髙橋花子\r\n"
    sheet = read_sheet(text.encode("cp932"), "old.csv")
    assert sheet.encoding == "cp932"
    assert sheet.header == ["受付日", "相談者名"]
    assert [(r.line, r.values["相談者名"]) for r in sheet.rows] == [
        (2, "山田太郎"),
        (4, "髙橋花子"),
    ]


@pytest.mark.parametrize(("prefix", "encoding"), [(b"\xef\xbb\xbf", "utf-8-sig"), (b"", "utf-8")])
def test_reading_utf8_csv_with_or_without_bom(prefix: bytes, encoding: str) -> None:
    sheet = read_sheet(prefix + "受付日 ,相談者名\n2020-09-15,山田\n".encode(), "a.csv")
    assert sheet.encoding == encoding
    assert sheet.rows[0].values == {"受付日": "2020-09-15", "相談者名": "山田"}


def test_reading_an_xlsx_turns_dates_and_numbers_into_text() -> None:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(["受付日", "電話番号"])
    ws.append([datetime(2020, 9, 15), 177231111])  # noqa: DTZ001  (Excel cells have no zone)
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read_sheet(buffer.getvalue(), "old.xlsx")
    assert sheet.rows[0].line == 2
    assert sheet.rows[0].values == {"受付日": "2020-09-15", "電話番号": "177231111"}


def test_a_file_that_is_neither_is_refused_with_a_reason() -> None:
    with pytest.raises(UnreadableFile, match=r"not a readable \.xlsx"):
        read_sheet(b"PK\x03\x04garbage", "broken.xlsx")
    with pytest.raises(UnreadableFile, match="empty"):
        read_sheet(b"\n\n", "empty.csv")


def test_exported_text_never_runs_as_a_formula() -> None:
    evil = '=HYPERLINK("http://example.invalid","押して")'
    text = csv_bytes(["氏名"], [[evil], ["-1+1"], ["山田 太郎"]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1:] == [["'" + evil], ["'-1+1"], ["山田 太郎"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["氏名", "件数"], [[evil, -3]]))).active
    assert sheet is not None
    name, count = sheet[2]
    assert name.data_type == "s"
    assert name.value == "'" + evil
    assert count.value == -3  # numbers stay numbers


def test_characters_xlsx_cannot_hold_are_dropped_not_fatal() -> None:
    data = xlsx_bytes(["理由"], [["完了\x0cしました\x00"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A2"].value == "完了しました"


def test_a_cell_longer_than_excel_allows_is_cut_with_an_ellipsis() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["理由"], [["見直し" * 20_000]]))).active
    assert sheet is not None
    value = sheet["A2"].value
    assert len(value) == 32_767
    assert value.endswith("…")


def test_an_imported_file_too_large_or_unreadable_is_refused_whole_in_japanese() -> None:
    with pytest.raises(FileProblem) as too_large:
        read_upload("plan.csv", b"x" * (2 * 1024 * 1024 + 1), max_bytes=2 * 1024 * 1024)
    assert too_large.value.message.ja == "plan.csv: 2 MB を超えています"
    with pytest.raises(FileProblem) as damaged:
        read_upload("plan.xlsx", b"PK\x03\x04 not a workbook")
    assert damaged.value.message.ja.startswith("plan.xlsx: ファイルを読めません")
    sheet = read_upload("plan.csv", "種別,決定日\r\n策定,2020/12/25\r\n".encode("cp932"))
    assert (sheet.encoding, sheet.rows[0].line) == ("cp932", 2)


@pytest.mark.parametrize(
    ("given", "called"),
    [
        ("計画の履歴.csv", "計画の履歴.csv"),
        ("C:\\Users\\sato\\計画の履歴.xlsx", "計画の履歴.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("bad\x00name.csv", "upload.csv"),
        (None, "upload.csv"),
    ],
)
def test_an_uploaded_file_is_called_by_its_own_name_never_a_path(
    given: str | None, called: str
) -> None:
    assert upload_name(given, "upload.csv") == called
