"""One rule for what people type, in every service: free text, fiscal years, phones, e-mail."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from tosei_common.region.inputs import (
    INPUT_KIND,
    Email,
    FiscalYear,
    FreeText,
    Phone,
    check_fiscal_year,
    check_municipality,
    check_optional_text,
    check_phone,
    check_text,
    phone_display,
)
from tosei_common.region.said import InputError


class Form(BaseModel):
    title: Annotated[str, FreeText(20)]
    note: Annotated[str | None, FreeText(40, multiline=True)] = None
    fiscal_year: Annotated[int, FiscalYear(first=2021, last=2100)] = 2026
    phone: Annotated[str | None, Phone()] = None
    email: Annotated[str | None, Email()] = None


@pytest.mark.parametrize(
    "typed", ["青森市危機管理課（幹事）", "岐阜～青森", "ＡＢＣ　株式会社", "髙橋", "①番"]
)
def test_free_text_is_stored_as_typed(typed: str) -> None:
    assert check_text(f"  {typed}\u3000", max_length=40) == typed


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("会議\x07室", "制御文字"),
        ("\x1b[31m赤", "制御文字"),
        ("名前\x00", "制御文字"),
        ("一行目\n二行目", "制御文字"),
        ("\u200b\u200b", "入力してください"),
        ("\u3000 \t", "入力してください"),
        ("あ" * 21, "20文字以内"),
        ("\ud800", "壊れた文字"),
    ],
)
def test_text_that_cannot_be_stored_or_read_is_refused_saying_why(typed: str, says: str) -> None:
    with pytest.raises(InputError) as refused:
        check_text(typed, max_length=20)
    assert says in refused.value.message.ja


def test_multi_line_text_keeps_its_lines_and_tabs_with_unix_line_ends() -> None:
    assert check_text("一\r\n二\r三\t四", max_length=20, multiline=True) == "一\n二\n三\t四"


def test_an_optional_text_of_spaces_is_none_but_a_control_character_is_still_refused() -> None:
    assert check_optional_text("   ", max_length=5) is None
    with pytest.raises(InputError):
        check_optional_text("\x0b", max_length=5)


@pytest.mark.parametrize(
    "typed", [2026, "2026", "FY2026", "fy 2026", "2026年度", "令和8年度", "R8", "r８", "２０２６"]
)
def test_a_fiscal_year_is_taken_in_every_spelling(typed: object) -> None:
    assert check_fiscal_year(typed) == 2026
    assert Form(title="x", fiscal_year=typed).fiscal_year == 2026


@pytest.mark.parametrize("typed", ["来年", "令和", True, 3.5, None, 1999, "R200"])
def test_a_fiscal_year_out_of_range_or_unreadable_is_refused_with_the_range(typed: object) -> None:
    with pytest.raises(InputError) as refused:
        check_fiscal_year(typed, first=2000, last=2100)
    assert "令和" in refused.value.message.ja or "年度" in refused.value.message.ja


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("017-723-1111", "017-723-1111"),
        ("０１７－７２３－１１１１", "017-723-1111"),
        ("017−723−1111", "017-723-1111"),
        ("0177231111", "017-723-1111"),
        ("09012345678", "090-1234-5678"),
        ("0174311111", "0174-31-1111"),
        ("+81 17-723-1111", "017-723-1111"),
    ],
)
def test_a_phone_number_is_kept_in_one_spelling_with_its_leading_zero(
    typed: str, kept: str
) -> None:
    assert check_phone(typed) == kept


def test_a_phone_is_shown_with_hyphens_so_spreadsheets_keep_the_zero() -> None:
    assert phone_display("0177001234") == "017-700-1234"
    assert phone_display("0120123456") == "0120-123-456"


def test_the_markers_name_the_field_in_a_request_model() -> None:
    with pytest.raises(ValidationError) as refused:
        Form(title="ok", note="a\x07", phone="123", email="taro@")
    fields = {e["loc"][0] for e in refused.value.errors()}
    assert fields == {"note", "phone", "email"}
    form = Form(title=" 岐阜～青森 ", email=" Taro@Example.JP ", phone="")
    assert (form.title, form.email, form.phone) == ("岐阜～青森", "Taro@Example.JP", None)
    schema = Form.model_json_schema()["properties"]
    assert schema["title"]["maxLength"] == 20


def test_the_schema_tells_free_text_from_phones_e_mail_and_fiscal_years() -> None:
    schema = Form.model_json_schema()["properties"]

    def kinds(name: str) -> list[str]:
        members = schema[name].get("anyOf", [schema[name]])
        return [m[INPUT_KIND] for m in members if INPUT_KIND in m]

    assert kinds("title") == kinds("note") == ["text"]
    assert (kinds("phone"), kinds("email")) == (["phone"], ["email"])
    assert kinds("fiscal_year") == ["fiscal-year"]
    assert [m["maxLength"] for m in schema["phone"]["anyOf"] if "maxLength" in m] == [30]
    assert [m["maxLength"] for m in schema["email"]["anyOf"] if "maxLength" in m] == [254]


def test_a_municipality_is_taken_as_typed_and_kept_as_its_code() -> None:
    assert check_municipality(" 外ケ浜町 ") == "023078"
    assert check_municipality("平内") == "023019"
    with pytest.raises(InputError) as elsewhere:
        check_municipality("弘前市")
    assert elsewhere.value.message.ja.startswith("「弘前市」は東青圏域の市町村ではありません")
    with pytest.raises(InputError) as control:
        check_municipality("青森\x07市")
    assert "制御文字" in control.value.message.ja
