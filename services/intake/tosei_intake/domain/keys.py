"""Keeping clients' matching keys true to the rules that make them.

Keys are stored reduced (``name_key``), so when the folding rules learn a new variant (一ヶ谷 and
一ケ谷, 𠮷田 and 吉田), the keys stored before must be reduced again, or the same person typed
the new way would become a second client. Furigana and business names became keys later than
the consultations that gave them; they are derived from what those consultations said.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from tosei_common.region.text import name_key
from tosei_intake.domain.clients import Key, KeyKind, business_key


@dataclass(frozen=True)
class Rekey:
    client_id: UUID
    old: Key | None  # None: a key the client did not have yet
    new: Key


def stale_keys(stored: Iterable[tuple[UUID, Key]]) -> list[Rekey]:
    """Name-like keys that today's rules reduce differently."""
    changes = []
    for client_id, key in stored:
        fresh = name_key(key.shown)
        if fresh and fresh != key.key:
            changes.append(Rekey(client_id, key, Key(key.kind, fresh, key.shown)))
    return changes


def missing_keys(
    said: Iterable[tuple[UUID, str | None, str | None]], stored: Iterable[tuple[UUID, Key]]
) -> list[Rekey]:
    """Furigana and business keys the consultations gave that the clients do not have."""
    have = {(client_id, key.kind, key.key) for client_id, key in stored}
    wanted: dict[tuple[UUID, KeyKind, str], Key] = {}
    for client_id, furigana, business_name in said:
        if furigana and (reading := name_key(furigana)):
            wanted.setdefault(
                (client_id, KeyKind.FURIGANA, reading), Key(KeyKind.FURIGANA, reading, furigana)
            )
        if business := business_key(business_name):
            wanted.setdefault((client_id, KeyKind.BUSINESS, business.key), business)
    return [Rekey(c, None, key) for (c, kind, k), key in wanted.items() if (c, kind, k) not in have]
