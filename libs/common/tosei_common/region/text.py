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
# Old or variant forms (異体字) common in personal names, folded for matching only.
_VARIANTS = str.maketrans(
    {
        "髙": "高",
        "﨑": "崎",
        "嵜": "崎",
        "德": "徳",
        "邊": "辺",
        "邉": "辺",
        "濱": "浜",
        "濵": "浜",
        "齋": "斎",
        "齊": "斉",
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
    }
)


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
