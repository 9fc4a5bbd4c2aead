"""The old desks' exports, read row by row into consultations, or into reasons they cannot be.

The startup desk and the SME desk kept their cases in spreadsheets with Japanese headers
(受付日, 相談者名, 事業者名, 市町村, 相談区分, 相談内容, 担当者, 状況, 電話番号, メールアドレス) and
values typed by hand: 令和2年9月15日 or R2.9.15 or 2020/9/15, 外ケ浜町 or 青森, phones with
full-width digits, or as numbers that lost their leading 0 in Excel. Nothing here touches the
database: a row becomes a NewConsultation or a RowProblem naming every reason it was refused.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin
from tosei_common.region.exports import Sheet, SheetRow, read_sheet
from tosei_common.region.fiscal import DateParseError, parse_date
from tosei_common.region.municipalities import UnknownMunicipality, resolve_municipality
from tosei_common.region.text import name_key, tidy
from tosei_intake.domain import values
from tosei_intake.domain.clients import Person
from tosei_intake.domain.consultations import LegacyRecord, NewConsultation

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

HEADERS = (
    "受付日",
    "相談者名",
    "事業者名",
    "市町村",
    "相談区分",
    "相談内容",
    "担当者",
    "状況",
    "電話番号",
    "メールアドレス",
)
OPTIONAL_HEADERS = ("ふりがな", "相談方法", "事業段階")
REQUIRED = ("受付日", "相談者名", "市町村")
# Other ways the two desks headed the same columns.
_ALIASES = {
    "受付年月日": "受付日",
    "相談日": "受付日",
    "氏名": "相談者名",
    "相談者氏名": "相談者名",
    "相談者": "相談者名",
    "事業所名": "事業者名",
    "屋号": "事業者名",
    "会社名": "事業者名",
    "市町村名": "市町村",
    "区分": "相談区分",
    "相談分野": "相談区分",
    "内容": "相談内容",
    "担当": "担当者",
    "担当職員": "担当者",
    "対応状況": "状況",
    "電話": "電話番号",
    "tel": "電話番号",
    "メール": "メールアドレス",
    "eメール": "メールアドレス",
    "e-mail": "メールアドレス",
    "email": "メールアドレス",
    "フリガナ": "ふりがな",
}

_CATEGORY_WORDS: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.FOUNDING_PLAN, ("創業", "起業", "開業", "独立", "事業計画")),
    (Category.FINANCING, ("資金", "融資", "補助金", "助成金", "借入")),
    (
        Category.SALES_CHANNELS,
        ("販路", "販売", "営業", "集客", "マーケティング", "広報", "商品開発"),
    ),
    (Category.HR, ("人材", "雇用", "採用", "労務", "人事", "求人")),
    (Category.IT, ("it", "dx", "デジタル", "ホームページ", "ネット", "システム", "sns")),
    (Category.SUCCESSION, ("承継", "継承", "後継", "m&a")),
    (Category.CRISIS, ("コロナ", "covid", "感染症", "災害", "危機", "緊急", "物価高騰")),
    (Category.OTHER, ("その他",)),
)
_ASCII_WORD = re.compile(r"^[a-z&]+$")
_CATEGORY_SPLIT = re.compile(r"[、,，/／・;；\s]+")

# First match wins: 未完了 is open although it contains 完了.
_STATUS_WORDS: tuple[tuple[LegacyStatus, tuple[str, ...]], ...] = (
    (LegacyStatus.OPEN, ("未完了", "対応中", "継続", "相談中", "進行中", "支援中", "open")),
    (LegacyStatus.WAITING, ("保留", "待機", "待ち", "中断", "休止", "waiting")),
    (LegacyStatus.CLOSED, ("完了", "終了", "済", "解決", "closed")),
)
_CHANNEL_WORDS: tuple[tuple[Channel, tuple[str, ...]], ...] = (
    (Channel.REFERRAL, ("紹介", "引継")),
    (Channel.ONLINE, ("オンライン", "web", "メール", "zoom")),
    (Channel.PHONE, ("電話",)),
    (Channel.WALK_IN, ("来所", "窓口", "訪問", "面談")),
)
_STAGE_WORDS: tuple[tuple[BusinessStage, tuple[str, ...]], ...] = (
    (BusinessStage.PLANNING, ("創業予定", "創業前", "予定")),
    (BusinessStage.EARLY, ("5年以内", "創業後", "創業期")),
    (BusinessStage.ESTABLISHED, ("既存", "事業者")),
)

#: Namespace of handed-over consultation ids: the same old case always gets the same id.
LEGACY_NAMESPACE = uuid5(NAMESPACE_URL, "https://tosei.example.jp/intake/legacy-case")


class FileProblem(ValueError):
    """A whole file cannot be imported (unreadable, wrong headers, unknown desk)."""


@dataclass(frozen=True)
class RowProblem:
    file: str
    line: int
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}  {'; '.join(self.reasons)}"


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
        f"{filename}: cannot tell which old desk it came from; choose --desk startup or --desk sme"
    )


def parse_file(name: str, data: bytes, desk: Desk | None, *, today: date) -> ParsedFile:
    """One uploaded or given file: its desk, its sheet, its rows."""
    chosen = desk_for(name, desk)
    try:
        sheet = read_sheet(data, name)
    except Exception as exc:  # csv, zip and openpyxl each fail their own way on a damaged file
        reason = str(exc) if name in str(exc) else f"{name}: {exc}"
        raise FileProblem(reason or f"{name}: unreadable") from exc
    return parse_sheet(sheet, chosen, today=today)


def canonical_header(header: str) -> str:
    """The column a header names, whatever variant the desk used (受付年月日 is 受付日)."""
    cleaned = "".join(unicodedata.normalize("NFKC", header).split())
    return _ALIASES.get(cleaned.lower(), _ALIASES.get(cleaned, cleaned))


def parse_sheet(sheet: Sheet, desk: Desk, *, today: date) -> ParsedFile:
    """Every row of one export, as consultations to hand over or as refused rows."""
    columns = {canonical_header(h): h for h in sheet.header if h}
    missing = [h for h in REQUIRED if h not in columns]
    if missing:
        found = "、".join(h for h in sheet.header if h) or "none"
        raise FileProblem(
            f"{sheet.name}: the header row lacks {'、'.join(missing)} "
            f"(found: {found}; expected {'、'.join(HEADERS)})"
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
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def parse_row(
    cells: dict[str, str], row: SheetRow, file: str, desk: Desk, *, today: date
) -> NewConsultation:
    """One row as a handed-over consultation; RowRefused lists everything wrong with it."""
    reasons: list[str] = []

    def check(header: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(cells.get(header, ""))
        except ValueError as exc:
            reasons.append(f"{header}: {exc}")
            return None

    day = check("受付日", _day)
    consulted_at = None
    if day is not None:
        consulted_at = check("受付日", lambda _: values.consultation_day(day, today))
    name = check("相談者名", _required(values.person_name))
    furigana = check("ふりがな", lambda v: values.optional_text(v, max_length=values.NAME_MAX))
    business = check("事業者名", lambda v: values.optional_text(v, max_length=values.BUSINESS_MAX))
    municipality = check("市町村", _municipality)
    categories_text = check(
        "相談区分", lambda v: values.optional_text(v, max_length=values.BUSINESS_MAX)
    )
    description = check(
        "相談内容",
        lambda v: values.text(v, max_length=values.DESCRIPTION_MAX, multiline=True),
    )
    staff = check("担当者", lambda v: values.optional_text(v, max_length=values.NAME_MAX))
    status = check("状況", parse_status)
    phone = check("電話番号", lambda v: values.phone(restore_leading_zero(v)))
    email = check("メールアドレス", values.email)
    channel = check("相談方法", lambda v: _word(v, _CHANNEL_WORDS, DEFAULT_CHANNEL, "相談方法"))
    stage = check("事業段階", lambda v: _word(v, _STAGE_WORDS, DEFAULT_STAGE[desk], "事業段階"))
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


def _required(parse: Callable[[str], T]) -> Callable[[str], T]:
    def required(value: str) -> T:
        if not value.strip():
            raise ValueError("missing")
        return parse(value)

    return required


def _day(value: str) -> date:
    if not value.strip():
        raise ValueError("no date")
    try:
        return parse_date(value)
    except DateParseError as exc:
        raise ValueError(str(exc)) from None


def _municipality(value: str) -> str:
    if not value.strip():
        raise ValueError("missing")
    try:
        return resolve_municipality(value).code
    except UnknownMunicipality as exc:
        raise ValueError(str(exc)) from None


def restore_leading_zero(value: str) -> str:
    """A phone number Excel stored as a number lost its leading 0 (177231111): put it back."""
    digits = unicodedata.normalize("NFKC", value).strip()
    if digits.isdigit() and len(digits) in (9, 10) and not digits.startswith("0"):
        return "0" + digits
    return value


def parse_categories(text: str) -> tuple[Category, ...]:
    """The taxonomy's categories in what the old desk wrote (資金繰り・コロナ関連 is financing and
    crisis); anything it does not recognise is その他."""
    found: list[Category] = []
    for token in _CATEGORY_SPLIT.split(unicodedata.normalize("NFKC", text).lower()):
        if not token:
            continue
        matched = [
            category
            for category, words in _CATEGORY_WORDS
            if any(token == w if _ASCII_WORD.match(w) else w in token for w in words)
        ]
        found.extend(matched or [Category.OTHER])
    return tuple(dict.fromkeys(found)) or (Category.OTHER,)


def parse_status(text: str) -> LegacyStatus:
    """状況 as the old desk wrote it; empty means the case was still being handled."""
    return _word(text, _STATUS_WORDS, LegacyStatus.OPEN, "状況")


def _word(text: str, table: tuple[tuple[T, tuple[str, ...]], ...], default: T, header: str) -> T:
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned:
        return default
    for value, words in table:
        if any(w in cleaned for w in words):
            return value
    known = "、".join(words[0] for _, words in table)
    raise ValueError(f"「{tidy(text)}」 is not a {header} this import knows (e.g. {known})")


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

    Status and contacts are left out on purpose: a later export of the same case with its
    status moved on, or a phone number corrected, is still the same case.
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
