"""Japanese text as people type it: normalised for display, and reduced to keys for matching.

People type the same name with or without spaces (half- or full-width), full-width digits in
phone numbers, hyphens or none, katakana or hiragana furigana, and old character forms (髙橋 for
高橋). Display values keep what was typed (NFKC-tidied); matching uses the keys below.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_ALL_SPACE = re.compile(r"[\s\u3000・･]+")
# Variant forms (異体字) people really type in personal names, folded for matching only (what is
# shown stays as typed). Sources: the old forms (旧字体) of 人名用漢字 in 戸籍法施行規則 別表第二
# (e.g. 國 for 国, 澤 for 沢, 廣 for 広), the forms outside it that family registers keep and
# desks meet (髙, 﨑, 𠮷, 邉, 濵, 嶋), and the pairs that are told apart by nobody on the phone
# (齋/齊/斎/斉 of さいとう). One pair per entry; tests/common/test_text_and_sheets.py checks each.
NAME_VARIANTS: dict[str, str] = {
    "髙": "高",
    "﨑": "崎",
    "嵜": "崎",
    "碕": "崎",
    "𠮷": "吉",
    "德": "徳",
    "邊": "辺",
    "邉": "辺",
    "濱": "浜",
    "濵": "浜",
    "齋": "斉",
    "齊": "斉",
    "斎": "斉",
    "廣": "広",
    "澤": "沢",
    "嶋": "島",
    "嶌": "島",
    "冨": "富",
    "櫻": "桜",
    "惠": "恵",
    "眞": "真",
    "國": "国",
    "實": "実",
    "龍": "竜",
    "藏": "蔵",
    "瀨": "瀬",
    "榮": "栄",
    "壽": "寿",
    "淺": "浅",
    "萬": "万",
    "槇": "槙",
    "栁": "柳",
    "舘": "館",
    "籠": "篭",
    "會": "会",
    "圓": "円",
    "與": "与",
    "彌": "弥",
    "禮": "礼",
    "亞": "亜",
    "曾": "曽",
}
_VARIANTS = str.maketrans(NAME_VARIANTS)
# The small ケ between two kanji of a place or family name (一ヶ谷, 一ケ谷, 一ヵ谷, 一カ谷, 一が谷,
# all read いちがや) is written every way: one key for them all.
_KANJI = r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_BETWEEN_KANJI_KE = re.compile(rf"(?<={_KANJI})[ヶケヵカがゖゕ](?={_KANJI})")


def tidy(text: str) -> str:
    """NFKC (full-width ASCII and digits to half-width, half-width kana to full-width), trimmed,
    runs of spaces (including the ideographic space) collapsed to one."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def hiragana(text: str) -> str:
    """Katakana to hiragana (furigana are typed either way)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def name_key(name: str) -> str:
    """A person's or business's name reduced for matching: no spaces, variant forms folded,
    kana as hiragana, Latin letters lower-case. 山田　太郎, 山田太郎 and 山田 太郎 share one key."""
    text = unicodedata.normalize("NFKC", name)
    text = _ALL_SPACE.sub("", text).translate(_VARIANTS)
    text = _BETWEEN_KANJI_KE.sub("ケ", text)
    return hiragana(text).lower()


def phone_key(phone: str | None) -> str | None:
    """Digits of a Japanese phone number (+81 written as 0), or None when it cannot be one.

    ０１７－７２３－１１１１, 017-723-1111 and 0177231111 share the key 0177231111.
    """
    if not phone:
        return None
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))
    if digits.startswith("81") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.startswith("0") or len(digits) not in (10, 11):
        return None
    return digits


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_key(email: str | None) -> str | None:
    """An e-mail address tidied and lower-cased, or None when it does not look like one."""
    if not email:
        return None
    address = tidy(email).lower()
    return address if _EMAIL.match(address) else None


def pseudonym(secret: str, kind: str, value: str) -> str:
    """A stable pseudonymous id for ``value``: the same input gives the same id in every service
    that shares ``secret``, and the id does not reveal the value (HMAC-SHA256, 32 hex digits).

    Used where two services must recognise the same person without putting a name on a topic.
    """
    digest = hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]
