"""The words of the old desks' exports: their column headers, and what their categories,
statuses, channels and stages were written as.

Matching is done on normalised text (NFKC, lower case), since the desks typed the same word
in full- or half-width; what they wrote is kept as written elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus
from tosei_common.region.said import InputError

T = TypeVar("T")

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


def canonical_header(header: str) -> str:
    """The column a header names, whatever variant the desk used (受付年月日 is 受付日)."""
    cleaned = "".join(unicodedata.normalize("NFKC", header).split())
    return _ALIASES.get(cleaned.lower(), _ALIASES.get(cleaned, cleaned))


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


def parse_channel(text: str, default: Channel) -> Channel:
    """相談方法, when the file has it."""
    return _word(text, _CHANNEL_WORDS, default, "相談方法")


def parse_stage(text: str, default: BusinessStage) -> BusinessStage:
    """事業段階, when the file has it."""
    return _word(text, _STAGE_WORDS, default, "事業段階")


def _word(text: str, table: tuple[tuple[T, tuple[str, ...]], ...], default: T, header: str) -> T:
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned:
        return default
    for value, words in table:
        if any(w in cleaned for w in words):
            return value
    known = "、".join(words[0] for _, words in table)
    written = text.strip()
    raise InputError(
        f"「{written}」は取り込みで分かる{header}ではありません（例: {known}）",
        f"「{written}」 is not a {header} this import knows (e.g. {known})",
    )
