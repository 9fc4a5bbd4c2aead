"""The reference a registrant keeps: unguessable, and typed forgivingly.

Whoever holds it may see, cancel and give feedback on that one registration: it is the
registrant's only credential.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from tosei_common.platform.errors import NotFound

#: Crockford's base32: no I, L, O or U, so a reference read aloud or typed is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP = 4, 4  # 16 characters: 80 random bits, far beyond guessing
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
REFERENCE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def new_reference() -> str:
    """An unguessable registration reference, e.g. ``7KQ2-M9XD-4TPA-R3WB``.

    Whoever holds it may see, cancel and give feedback on that one registration, so it is drawn
    from the operating system's secure random source.
    """
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP))


def normalise_reference(text: str) -> str | None:
    """A reference as people type it (lower case, full width, without hyphens, O for 0), or None
    when it cannot be one."""
    compact = re.sub(r"[\s\-‐ー－]", "", unicodedata.normalize("NFKC", text)).upper()
    compact = compact.translate(_FOLD)
    if len(compact) != _GROUPS * _GROUP or any(c not in _ALPHABET for c in compact):
        return None
    return "-".join(compact[i : i + _GROUP] for i in range(0, len(compact), _GROUP))


def no_such_reference() -> NotFound:
    """Also the answer to anything that is no reference at all: nothing to guess from."""
    return NotFound("この受付番号の申込はありません", en="no registration has this reference")
