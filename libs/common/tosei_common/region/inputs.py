"""What people type, taken the same way by every service: free text, fiscal years, phones, e-mail.

The rules, one for the whole platform:

- **Free text is stored as the person typed it.** Control characters (other than tab and, in
  multi-line text, line breaks) and text that is nothing but spaces or invisible characters are
  refused, naming the field; spaces around the text are trimmed and Windows line endings become
  ``\\n``. Nothing else changes: no NFKC, so 「青森市危機管理課（幹事）」 and 「岐阜～青森」 stay as
  written. Only the keys used for matching and search are normalised (``region.text``).
- **A fiscal year** is accepted as 2026, "2026", FY2026, 2026年度, 令和8年度 or R8, and refused
  with the accepted range when it falls outside.
- **A phone number** is accepted in any usual spelling (full-width digits, 「－」「ー」「−」 as
  hyphens, +81) and kept in one spelling: half-width digits and hyphens as typed, and shown with
  hyphens where it was typed without (so Excel keeps its leading 0). Its key is its digits.
- **An e-mail address** is trimmed and kept as typed; its key is lower-cased.
- **A municipality** is accepted as people type it and kept as its code (``check_municipality``).

Mark request fields with the ``Annotated`` markers (``title: Annotated[str, FreeText(200)]``,
``fiscal_year: Annotated[int, FiscalYear()]``, ``phone: Annotated[str | None, Phone()]``) or call
the ``check_*`` functions where a value is read from a file. Both raise ``InputError`` with the
message in Japanese and English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, get_args

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from tosei_common.region.fiscal import DateParseError, fiscal_year_label, parse_fiscal_year
from tosei_common.region.municipalities import resolve_municipality
from tosei_common.region.said import InputError
from tosei_common.region.text import email_key, phone_key

__all__ = [
    "INPUT_KIND",
    "Contact",
    "Email",
    "FiscalYear",
    "FreeText",
    "Phone",
    "check_email",
    "check_fiscal_year",
    "check_municipality",
    "check_optional_text",
    "check_phone",
    "check_text",
    "phone_display",
]

#: The JSON-schema key that says which shared input type a string is ("text" for free text,
#: "phone", "email", "fiscal-year"), so a client or a test can tell free text from the rest.
INPUT_KIND = "x-tosei-input"

#: Characters that print nothing: zero-width spaces and joiners, the BOM, the word joiner.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"}
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−－ー─━﹣"})


def check_text(value: str, *, max_length: int, multiline: bool = False) -> str:
    """Text a person typed, as they typed it; refused when it cannot be stored or read."""
    value = _readable(value, multiline=multiline)
    cleaned = value.strip()
    if not cleaned or all(c.isspace() or c in _INVISIBLE for c in cleaned):
        raise InputError("入力してください（空白や見えない文字だけになっています）", "is empty")
    if len(cleaned) > max_length:
        raise InputError(
            f"{max_length}文字以内で入力してください（{len(cleaned)}文字あります）",
            f"is longer than {max_length} characters",
        )
    return cleaned


def check_optional_text(
    value: str | None, *, max_length: int, multiline: bool = False
) -> str | None:
    """Like ``check_text``, but nothing typed (or only spaces) is None."""
    if value is None or _readable(value, multiline=multiline).strip() == "":
        return None
    return check_text(value, max_length=max_length, multiline=multiline)


def _readable(value: str, *, multiline: bool) -> str:
    """The value with Windows line ends made ``\\n``; refused when it holds what cannot be
    read or stored: broken characters, or control characters (even those that would read as
    spaces: a vertical tab is not "nothing typed")."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            "使えない文字（壊れた文字コード）が含まれています",
            "contains characters that are not text",
        ) from None
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    allowed = "\t\n" if multiline else "\t"
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        hint = "（改行とタブ以外）" if multiline else "（タブ以外。改行も使えません）"
        raise InputError(f"制御文字{hint}は使えません", "contains control characters")
    return value


def check_municipality(value: str, *, max_length: int = 40) -> str:
    """The code of the municipality of the region a person typed (平内, ひらない, 外ケ浜町,
    023019); refused like free text, and, when it names none of the five, with the five listed
    (``UnknownMunicipality`` is an ``InputError``)."""
    return resolve_municipality(check_text(value, max_length=max_length)).code


@dataclass(frozen=True)
class FreeText:
    """Marks a request field as free text: ``title: Annotated[str, FreeText(200)]``.

    On ``str | None`` an empty value is None; on ``str`` it is refused.
    """

    max_length: int
    multiline: bool = False

    def check(self, value: str | None) -> str | None:
        if value is None:
            return None
        return check_text(value, max_length=self.max_length, multiline=self.multiline)

    def check_optional(self, value: str | None) -> str | None:
        return check_optional_text(value, max_length=self.max_length, multiline=self.multiline)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        check = self.check_optional if _allows_none(source) else self.check
        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        for member in _string_members(json_schema):
            member["maxLength"] = self.max_length
            member[INPUT_KIND] = "text"
        return json_schema


def check_fiscal_year(value: object, *, first: int = 2000, last: int = 2100) -> int:
    """A fiscal year in any of the ways people write one, within ``first``–``last``."""
    if isinstance(value, bool):
        raise InputError(_fiscal_year_hint(first, last), "is not a fiscal year")
    if isinstance(value, int):
        year = value
    elif isinstance(value, str):
        try:
            year = parse_fiscal_year(value)
        except DateParseError:
            raise InputError(
                f"年度として読めません。{_fiscal_year_hint(first, last)}",
                f"{value!r} is not a fiscal year (e.g. 2026, FY2026, 令和8年度, R8)",
            ) from None
    else:
        raise InputError(_fiscal_year_hint(first, last), "is not a fiscal year")
    if not first <= year <= last:
        raise InputError(
            f"{_fiscal_year_hint(first, last)}（{year}年度は範囲外です）",
            f"must be between {first} and {last}",
        )
    return year


@dataclass(frozen=True)
class FiscalYear:
    """Marks an ``int`` field or query parameter as a fiscal year typed any usual way:
    ``fiscal_year: Annotated[int, FiscalYear(first=2021, last=2200)]``."""

    first: int = 2000
    last: int = 2100

    def parse(self, value: object) -> object:
        if value is None:
            return None
        return check_fiscal_year(value, first=self.first, last=self.last)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self.parse, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "integer", "minimum": self.first, "maximum": self.last},
                {"type": "string", "maxLength": 20, INPUT_KIND: "fiscal-year"},
            ],
            "description": "Fiscal year (April–March): 2026, FY2026, 2026年度, 令和8年度 or R8.",
            "examples": ["令和8年度", 2026],
        }


def _fiscal_year_hint(first: int, last: int) -> str:
    return (
        f"年度は{fiscal_year_label(first)}（{first}）から{fiscal_year_label(last)}（{last}）"
        "の間で、2026・FY2026・令和8年度・R8 のように入力してください"
    )


def check_phone(value: str | None) -> str | None:
    """A Japanese phone number in one spelling (half-width, hyphenated), or None for none."""
    if value is None or value.strip() == "":
        return None
    written = unicodedata.normalize("NFKC", value).translate(_DASHES)
    written = re.sub(r"\s+", "", written)
    key = phone_key(written)
    if key is None or not re.fullmatch(r"\+?[\d\-()]+", written):
        raise InputError(
            f"「{value.strip()}」は電話番号の形式ではありません（例: 017-723-1111）",
            f"{value.strip()!r} is not a Japanese phone number (e.g. 017-723-1111)",
        )
    if written.startswith("+81"):
        written = "0" + written[3:].lstrip("-(")
    return written if "-" in written else phone_display(key)


def phone_display(key: str) -> str:
    """A phone number's digits with the hyphens people in Japan write (0177231111 →
    017-723-1111; mobiles 090-1234-5678; the region's 0174 numbers 0174-31-1111)."""
    for prefix, groups in _PHONE_GROUPS:
        if key.startswith(prefix) and len(key) == sum(groups):
            parts, at = [], 0
            for size in groups:
                parts.append(key[at : at + size])
                at += size
            return "-".join(parts)
    return key


# Longest prefixes first. Landlines of the region: Aomori city 017 (3-3-4); the 0174 exchange
# (Sotogahama, Imabetsu, Yomogita: 4-2-4); Hiranai shares 017.
_PHONE_GROUPS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("0120", (4, 3, 3)),
    ("0800", (4, 3, 4)),
    ("0570", (4, 2, 4)),
    ("0172", (4, 2, 4)),
    ("0173", (4, 2, 4)),
    ("0174", (4, 2, 4)),
    ("0175", (4, 2, 4)),
    ("0176", (4, 2, 4)),
    ("050", (3, 4, 4)),
    ("060", (3, 4, 4)),
    ("070", (3, 4, 4)),
    ("080", (3, 4, 4)),
    ("090", (3, 4, 4)),
    ("03", (2, 4, 4)),
    ("06", (2, 4, 4)),
    ("0", (3, 3, 4)),
)


def check_email(value: str | None) -> str | None:
    """An e-mail address as typed (trimmed), or None for none; refused when it is not one."""
    if value is None or value.strip() == "":
        return None
    address = value.strip()
    if email_key(address) is None or any(c.isspace() for c in address):
        raise InputError(
            f"「{address}」はメールアドレスの形式ではありません（例: hanako@example.jp）",
            f"{address!r} is not an e-mail address",
        )
    return address


@dataclass(frozen=True)
class Contact:
    """Marks an optional field as a way to reach a person: checked by ``check`` (empty is None),
    at most ``max_length`` long, its ``kind`` said in the JSON schema. ``Phone()`` and
    ``Email()`` are the two there are, so phones and e-mail follow one rule everywhere."""

    check: Callable[[str | None], str | None]
    max_length: int
    kind: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        for member in _string_members(json_schema):
            member["maxLength"] = self.max_length
            member[INPUT_KIND] = self.kind
        return json_schema


#: Marks an optional field as a phone number: ``phone: Annotated[str | None, Phone()]``.
Phone = partial(Contact, check_phone, 30, "phone")
#: Marks an optional field as an e-mail address: ``email: Annotated[str | None, Email()]``.
Email = partial(Contact, check_email, 254, "email")


def _allows_none(source: Any) -> bool:
    return type(None) in get_args(source)


def _string_members(json_schema: JsonSchemaValue) -> list[dict[str, Any]]:
    members = json_schema.get("anyOf", [json_schema])
    return [m for m in members if isinstance(m, dict) and m.get("type") == "string"]
