"""The old desks' exports, read row by row into consultations, or into reasons they cannot be.

The startup desk and the SME desk kept their cases in spreadsheets with Japanese headers
(受付日, 相談者名, 事業者名, 市町村, 相談区分, 相談内容, 担当者, 状況, 電話番号, メールアドレス) and
values typed by hand: 令和2年9月15日 or R2.9.15 or 2020/9/15, 外ケ浜町 or 青森, phones with
full-width digits, or as numbers that lost their leading 0 in Excel. Nothing here touches the
database: a row becomes a NewConsultation or a RowProblem naming every reason it was refused,
in Japanese (the desk reads the report) and English.

Values are checked by the platform's input rules and kept as the desk typed them (山田　太郎
keeps its wide space); the same old case is recognised again by its fingerprint, and the same
person by the client keys, both made of normalised text, so a re-import still matches.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from tosei_common.catalogue.intake import BusinessStage, Channel, Origin
from tosei_common.region.exports import Sheet, SheetRow
from tosei_common.region.fiscal import parse_date
from tosei_common.region.inputs import check_email, check_optional_text, check_phone, check_text
from tosei_common.region.municipalities import resolve_municipality
from tosei_common.region.said import InputError, Message
from tosei_common.region.sheet_import import (
    MAX_SHEET_BYTES,
    FileProblem,
    RowProblem,
    read_upload,
)
from tosei_common.region.text import name_key, tidy
from tosei_intake.domain import values
from tosei_intake.domain.clients import Person
from tosei_intake.domain.consultations import LegacyRecord, NewConsultation
from tosei_intake.domain.legacy_words import (
    HEADERS,
    REQUIRED,
    canonical_header,
    parse_categories,
    parse_channel,
    parse_stage,
    parse_status,
)

T = TypeVar("T")


class Desk(StrEnum):
    STARTUP = "startup"  # 旧 創業支援窓口
    SME = "sme"  # 旧 中小企業経営支援窓口


ORIGIN: dict[Desk, Origin] = {Desk.STARTUP: Origin.STARTUP_DESK, Desk.SME: Origin.SME_DESK}
#: The old exports do not say how far along the business is: the desk it came from does.
DEFAULT_STAGE: dict[Desk, BusinessStage] = {
    Desk.STARTUP: BusinessStage.PLANNING,
    Desk.SME: BusinessStage.ESTABLISHED,
}
#: Nor how the client reached the desk: to the new desk, the old one referred them.
DEFAULT_CHANNEL = Channel.REFERRAL
#: Larger files are refused whole (the old desks' exports are a few hundred rows).
MAX_FILE_BYTES = MAX_SHEET_BYTES

#: Namespace of handed-over consultation ids: the same old case always gets the same id.
LEGACY_NAMESPACE = uuid5(NAMESPACE_URL, "https://tosei.example.jp/intake/legacy-case")


@dataclass
class ParsedFile:
    name: str
    encoding: str
    desk: Desk
    rows: int
    cases: list[NewConsultation] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)


def desk_for(filename: str, chosen: Desk | None) -> Desk:
    """The desk a file came from: as chosen, or as its name tells (創業/startup, 中小/sme)."""
    if chosen is not None:
        return chosen
    name = unicodedata.normalize("NFKC", filename).lower()
    startup = any(w in name for w in ("startup", "創業", "sogyo", "sougyou"))
    sme = any(w in name for w in ("sme", "中小", "経営"))
    if startup != sme:
        return Desk.STARTUP if startup else Desk.SME
    raise FileProblem(
        f"{filename}: どちらの旧窓口のファイルか分かりません。desk（--desk）に "
        "startup（創業支援窓口）か sme（中小企業経営支援窓口）を指定してください",
        f"{filename}: cannot tell which old desk it came from; choose --desk startup or --desk sme",
    )


def parse_files(
    files: Sequence[tuple[str, bytes]], desk: Desk | None, *, today: date
) -> tuple[list[ParsedFile], list[FileProblem]]:
    """Every given file (name, content) read and validated; the problems that stop the import."""
    parsed: list[ParsedFile] = []
    problems: list[FileProblem] = []
    for name, data in files:
        try:
            parsed.append(parse_file(name, data, desk, today=today))
        except FileProblem as exc:
            problems.append(exc)
    return parsed, problems


def parse_file(name: str, data: bytes, desk: Desk | None, *, today: date) -> ParsedFile:
    """One uploaded or given file: its desk, its sheet, its rows."""
    chosen = desk_for(name, desk)
    sheet = read_upload(name, data, max_bytes=MAX_FILE_BYTES)
    return parse_sheet(sheet, chosen, today=today)


def parse_sheet(sheet: Sheet, desk: Desk, *, today: date) -> ParsedFile:
    """Every row of one export, as consultations to hand over or as refused rows."""
    columns = {canonical_header(h): h for h in sheet.header if h}
    missing = "、".join(h for h in REQUIRED if h not in columns)
    if missing:
        found = "、".join(h for h in sheet.header if h)
        raise FileProblem(
            f"{sheet.name}: 見出し行に{missing}がありません（見つかった見出し: {found or 'なし'}。"
            f"使える見出し: {'、'.join(HEADERS)}）",
            f"{sheet.name}: the header row lacks {missing} "
            f"(found: {found or 'none'}; expected {'、'.join(HEADERS)})",
        )
    parsed = ParsedFile(sheet.name, sheet.encoding, desk, len(sheet.rows))
    for row in sheet.rows:
        cells = {name: row.values.get(original, "") for name, original in columns.items()}
        try:
            parsed.cases.append(parse_row(cells, row, sheet.name, desk, today=today))
        except RowRefused as refused:
            parsed.rejected.append(RowProblem(sheet.name, row.line, tuple(refused.reasons)))
    return parsed


class RowRefused(ValueError):
    def __init__(self, reasons: list[Message]) -> None:
        super().__init__("; ".join(reason.en for reason in reasons))
        self.reasons = reasons


def parse_row(
    cells: dict[str, str], row: SheetRow, file: str, desk: Desk, *, today: date
) -> NewConsultation:
    """One row as a handed-over consultation; RowRefused lists everything wrong with it."""
    reasons: list[Message] = []

    def check(header: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(cells.get(header, ""))
        except InputError as exc:
            reasons.append(Message(f"{header}: {exc.message.ja}", f"{header}: {exc.message.en}"))
            return None

    day = check("受付日", _day)
    consulted_at = None
    if day is not None:
        consulted_at = check("受付日", lambda _: values.consultation_day(day, today))
    name = check("相談者名", _name)
    furigana = check("ふりがな", _optional(values.NAME_MAX))
    business = check("事業者名", _optional(values.BUSINESS_MAX))
    municipality = check("市町村", _municipality)
    categories_text = check("相談区分", _optional(values.BUSINESS_MAX))
    description = check("相談内容", _optional(values.DESCRIPTION_MAX, multiline=True))
    staff = check("担当者", _optional(values.NAME_MAX))
    status = check("状況", parse_status)
    phone = check("電話番号", _phone)
    email = check("メールアドレス", _email)
    channel = check("相談方法", lambda v: parse_channel(v, DEFAULT_CHANNEL))
    stage = check("事業段階", lambda v: parse_stage(v, DEFAULT_STAGE[desk]))
    if reasons:
        raise RowRefused(reasons)
    # Without reasons every check returned its value.
    assert name is not None
    assert municipality is not None
    assert consulted_at is not None
    assert status is not None
    assert channel is not None
    assert stage is not None
    origin = ORIGIN[desk]
    print_key = fingerprint(origin, day, name, municipality, business, description or "", staff)
    return NewConsultation(
        person=Person(name=name, furigana=furigana, phone=phone, email=email),
        business_name=business,
        stage=stage,
        municipality=municipality,
        categories=parse_categories(categories_text or ""),
        channel=channel,
        description=description or "",
        consent_to_share=False,  # the old desks never asked; nobody shares without consent
        consulted_at=consulted_at,
        origin=origin,
        legacy=LegacyRecord(
            status=status,
            staff_name=staff,
            categories_as_written=categories_text,
            file=file,
            line=row.line,
            fingerprint=print_key,
        ),
    )


def _missing() -> InputError:
    return InputError("入力がありません", "missing")


def _day(value: str) -> date:
    if not value.strip():
        raise InputError("日付がありません", "no date")
    return parse_date(value)  # DateParseError says why, in both languages


def _name(value: str) -> str:
    if not value.strip():
        raise _missing()
    return values.recognisable_name(check_text(value, max_length=values.NAME_MAX))


def _municipality(value: str) -> str:
    if not value.strip():
        raise _missing()
    return resolve_municipality(value).code  # UnknownMunicipality lists the five


def _optional(max_length: int, *, multiline: bool = False) -> Callable[[str], str | None]:
    def optional(value: str) -> str | None:
        return check_optional_text(value, max_length=max_length, multiline=multiline)

    return optional


def _phone(value: str) -> str | None:
    return check_phone(
        check_optional_text(restore_leading_zero(value), max_length=values.PHONE_MAX)
    )


def _email(value: str) -> str | None:
    return check_email(check_optional_text(value, max_length=values.EMAIL_MAX))


def restore_leading_zero(value: str) -> str:
    """A phone number Excel stored as a number lost its leading 0 (177231111): put it back."""
    digits = unicodedata.normalize("NFKC", value).strip()
    if digits.isdigit() and len(digits) in (9, 10) and not digits.startswith("0"):
        return "0" + digits
    return value


def fingerprint(
    origin: Origin,
    day: date | None,
    name: str,
    municipality: str,
    business: str | None,
    description: str,
    staff: str | None,
) -> str:
    """What makes an old case the same case when a file is imported again.

    Made of matching keys (normalised text), so the same row typed with other spaces or widths
    is the same case. Status and contacts are left out on purpose: a later export of the same
    case with its status moved on, or a phone number corrected, is still the same case.
    """
    parts = [
        origin.value,
        day.isoformat() if day else "",
        name_key(name),
        municipality,
        name_key(business or ""),
        tidy(description),
        name_key(staff or ""),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def consultation_id(print_key: str) -> UUID:
    """The id a handed-over case gets: always the same for the same old case."""
    return uuid5(LEGACY_NAMESPACE, print_key)
