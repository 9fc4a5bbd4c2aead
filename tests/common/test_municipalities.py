"""The five municipalities, their codes, and the spellings people type."""

from __future__ import annotations

import pytest

from tosei_common.region.municipalities import (
    AOMORI,
    AOMORI_PREFECTURE,
    HIRANAI,
    IMABETSU,
    REGION,
    SOTOGAHAMA,
    YOMOGITA,
    UnknownMunicipality,
    check_digit,
    municipality,
    resolve_municipality,
)


def test_the_region_has_five_members_with_official_codes() -> None:
    assert {m.code: m.name for m in REGION} == {
        "022012": "青森市",
        "023019": "平内町",
        "023035": "今別町",
        "023043": "蓬田村",
        "023078": "外ヶ浜町",
    }


@pytest.mark.parametrize("m", [*REGION, AOMORI_PREFECTURE])
def test_each_code_ends_in_its_check_digit(m: object) -> None:
    code = m.code  # type: ignore[attr-defined]
    assert check_digit(code[:5]) == code[5]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("外ヶ浜町", SOTOGAHAMA),
        ("外ケ浜町", SOTOGAHAMA),
        ("外ｹ浜町", SOTOGAHAMA),
        ("外が浜町", SOTOGAHAMA),
        ("外ヶ浜", SOTOGAHAMA),
        ("東津軽郡外ヶ浜町", SOTOGAHAMA),
        ("青森", AOMORI),
        ("青森市", AOMORI),
        ("青森県青森市", AOMORI),
        (" 青森市 ", AOMORI),
        ("022012", AOMORI),
        ("０２２０１２", AOMORI),
        ("02201", AOMORI),
        ("平内", HIRANAI),
        ("ひらないまち", HIRANAI),
        ("Hiranai", HIRANAI),
        ("今別町", IMABETSU),
        ("蓬田村", YOMOGITA),
        ("よもぎた", YOMOGITA),
        ("ヨモギタムラ", YOMOGITA),
    ],
)
def test_spellings_people_type(typed: str, expected: object) -> None:
    assert resolve_municipality(typed) == expected


@pytest.mark.parametrize("typed", ["弘前市", "八戸", "", "青森県", "020001", "99999"])
def test_places_outside_the_region_are_refused_with_the_choices(typed: str) -> None:
    with pytest.raises(UnknownMunicipality, match="青森市\\(022012\\)") as refused:
        resolve_municipality(typed)
    assert "東青圏域の市町村ではありません" in refused.value.message.ja


def test_the_prefecture_is_accepted_where_asked_for() -> None:
    assert resolve_municipality("青森県", allow_prefecture=True) == AOMORI_PREFECTURE
    assert municipality("020001") == AOMORI_PREFECTURE
