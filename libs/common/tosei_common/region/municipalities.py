"""The five municipalities of the Tosei region (東青圏域) and the spellings people type for them.

Ids are the national local-government codes (全国地方公共団体コード): five digits and a check digit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tosei_common.region.said import InputError


@dataclass(frozen=True)
class Municipality:
    code: str  # six digits, the last a check digit
    name: str  # official Japanese name, as shown to people
    kana: str
    romaji: str

    @property
    def short_name(self) -> str:
        """The name without 市/町/村 (青森, 平内, …)."""
        return self.name[:-1]


AOMORI = Municipality("022012", "青森市", "あおもりし", "Aomori")
HIRANAI = Municipality("023019", "平内町", "ひらないまち", "Hiranai")
IMABETSU = Municipality("023035", "今別町", "いまべつまち", "Imabetsu")
YOMOGITA = Municipality("023043", "蓬田村", "よもぎたむら", "Yomogita")
SOTOGAHAMA = Municipality("023078", "外ヶ浜町", "そとがはままち", "Sotogahama")
AOMORI_PREFECTURE = Municipality("020001", "青森県", "あおもりけん", "Aomori Prefecture")

#: The region's members in the order the council lists them.
REGION: tuple[Municipality, ...] = (AOMORI, HIRANAI, IMABETSU, SOTOGAHAMA, YOMOGITA)
BY_CODE: dict[str, Municipality] = {m.code: m for m in (*REGION, AOMORI_PREFECTURE)}


class UnknownMunicipality(InputError):
    """The text names no municipality of the region (``str()`` in English, ``message`` in
    Japanese and English)."""


def check_digit(code5: str) -> str:
    """The check digit of a five-digit local-government code (weights 6..2, modulus 11)."""
    if not re.fullmatch(r"\d{5}", code5):
        raise ValueError(f"expected five digits, got {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[\s・･\-_.]", "", text)
    text = text.replace("ヶ", "ケ").replace("ヵ", "カ").replace("ｹ", "ケ")
    for prefix in ("青森県", "aomoriken", "東津軽郡", "higashitsugarugun"):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
    return text


def _aliases(m: Municipality) -> set[str]:
    suffix_kana = {"市": "し", "町": "まち", "村": "むら"}[m.name[-1]]
    kana_stem = m.kana.removesuffix(suffix_kana)
    romaji = m.romaji.lower()
    return {
        m.code,
        m.code[:5],
        m.name,
        m.short_name,
        m.kana,
        kana_stem,
        unicodedata.normalize("NFKC", m.kana),
        romaji,
        f"{romaji}{ {'市': 'shi', '町': 'machi', '村': 'mura'}[m.name[-1]] }",
        f"{romaji}{ {'市': 'city', '町': 'town', '村': 'village'}[m.name[-1]] }",
        _katakana(m.kana),
        _katakana(kana_stem),
    }


def _katakana(hiragana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in hiragana)


_LOOKUP: dict[str, Municipality] = {}
for _m in REGION:
    for _alias in _aliases(_m):
        _LOOKUP[_key(_alias)] = _m
# 外ヶ浜 is also written with が or a full-size ケ, and 町 dropped.
for _alias in ("外が浜町", "外が浜", "外ケ浜町", "外ケ浜"):
    _LOOKUP[_key(_alias)] = SOTOGAHAMA
for _alias in (AOMORI_PREFECTURE.code, AOMORI_PREFECTURE.name, "aomori prefecture"):
    _LOOKUP[_key(_alias)] = AOMORI_PREFECTURE
_LOOKUP[_key(AOMORI_PREFECTURE.code[:5])] = AOMORI_PREFECTURE


def resolve_municipality(text: str, *, allow_prefecture: bool = False) -> Municipality:
    """The municipality ``text`` names, however it is typed (外ケ浜町, 青森, ０２２０１２, Hiranai).

    Raises UnknownMunicipality, whose message lists the five, for anything outside the region.
    """
    found = _LOOKUP.get(_key(text)) if text else None
    if found is AOMORI_PREFECTURE and not allow_prefecture:
        found = None
    if found is None:
        choices = "、".join(f"{m.name}({m.code})" for m in REGION)
        raise UnknownMunicipality(
            f"「{text}」は東青圏域の市町村ではありません。{choices}のいずれかを入力してください",
            f"「{text}」 is not a municipality of the Tosei region (東青圏域); "
            f"expected one of {choices}",
        )
    return found


def municipality(code: str) -> Municipality:
    """The municipality with this six-digit code."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise UnknownMunicipality(
            f"市町村コード「{code}」は圏域の市町村のものではありません",
            f"unknown municipality code {code!r}",
        ) from None
