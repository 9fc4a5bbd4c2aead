"""Clients: one record per person, however their name and contacts were typed.

The rule: two records are the same person when their names reduce to the same key AND they
share a phone number or an e-mail address (also reduced to keys). A name alone is not enough
(two 佐藤 健 in Aomori are common), and neither is a phone alone (a family shares a landline).

A client collects every name, phone and e-mail it was ever registered with, so a person
registered once as 髙橋 花子 with a mobile and later as 高橋花子 with the shop's e-mail is found
again by either. When records that are the same person slipped through anyway, a coordinator
merges them: the duplicate keeps pointing at the survivor and its consultations move over.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from tosei_common.catalogue.intake import ClientsMerged, ClientsUnmerged
from tosei_common.platform.errors import Conflict, Message, Unprocessable
from tosei_common.region.text import email_key, name_key, phone_key


class KeyKind(StrEnum):
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    FURIGANA = "furigana"
    BUSINESS = "business"


#: A client sharing the name key and one of these is the same person.
CONTACTS = frozenset({KeyKind.PHONE, KeyKind.EMAIL})
#: What recognises a person. Furigana and business names only help the desk find a client:
#: two people read さとう けん, and a family runs one shop.
IDENTITY = CONTACTS | {KeyKind.NAME}
#: Kinds searched with the name key of what was typed in the search box.
NAME_LIKE = frozenset({KeyKind.NAME, KeyKind.FURIGANA, KeyKind.BUSINESS})


@dataclass(frozen=True)
class Key:
    """One way a client can be recognised, and how it was written when we learnt it."""

    kind: KeyKind
    key: str
    shown: str


@dataclass(frozen=True)
class Person:
    """Who came to the desk, as given at one consultation (checked, and kept as typed)."""

    name: str
    furigana: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def keys(self) -> list[Key]:
        found = [Key(KeyKind.NAME, name_key(self.name), self.name)]
        if self.phone and (phone := phone_key(self.phone)):
            found.append(Key(KeyKind.PHONE, phone, self.phone))
        if self.email and (email := email_key(self.email)):
            found.append(Key(KeyKind.EMAIL, email, self.email))
        if self.furigana and (reading := name_key(self.furigana)):
            found.append(Key(KeyKind.FURIGANA, reading, self.furigana))
        return found

    @property
    def contact_keys(self) -> list[Key]:
        """The phone and e-mail keys: only a client sharing one of them can be this person."""
        return [k for k in self.keys if k.kind in CONTACTS]


@dataclass(frozen=True)
class KnownClient:
    """A client already on file, with every key it has been known by."""

    id: UUID
    created_at: datetime
    keys: frozenset[tuple[KeyKind, str]] = field(default_factory=frozenset)
    #: The spellings of its names (spacing aside), so a new spelling of the same name is kept.
    spellings: frozenset[str] = field(default_factory=frozenset)

    def has(self, kind: KeyKind, key: str) -> bool:
        return (kind, key) in self.keys

    def knows(self, key: Key) -> bool:
        """Whether the client has this key, and for a name also this spelling of it."""
        if not self.has(key.kind, key.key):
            return False
        return key.kind is not KeyKind.NAME or spelling(key.shown) in self.spellings


def is_same_person(person: Person, client: KnownClient) -> bool:
    """Same name key, and a shared phone or e-mail."""
    keys = person.keys
    same_name = any(client.has(k.kind, k.key) for k in keys if k.kind is KeyKind.NAME)
    shared_contact = any(client.has(k.kind, k.key) for k in keys if k.kind in CONTACTS)
    return same_name and shared_contact


def spelling(shown: str) -> str:
    """A name as written, spacing aside: 山田 太郎 and 山田　太郎 are one spelling, 髙橋 and 高橋
    two."""
    return _ALL_SPACES.sub("", unicodedata.normalize("NFKC", shown))


def spellings(keys: Iterable[Key]) -> list[str]:
    """How a client's names (or contacts) were written, each spelling once, the first first."""
    seen: dict[str, str] = {}
    for key in keys:
        seen.setdefault(spelling(key.shown), key.shown)
    return list(seen.values())


_ALL_SPACES = re.compile(r"\s+")


def find_match(person: Person, candidates: Iterable[KnownClient]) -> KnownClient | None:
    """The client ``person`` is, or None for a new client.

    Should two clients both match (a duplicate that has not been merged yet), the oldest wins:
    the choice is the same every time, and the desk can merge the other one into it.
    """
    matching = [c for c in candidates if is_same_person(person, c)]
    if not matching:
        return None
    return min(matching, key=lambda c: (c.created_at, str(c.id)))


def business_key(business_name: str | None) -> Key | None:
    """A business name the client can be found by (津軽りんご工房, however spaced)."""
    if not business_name or not (key := name_key(business_name)):
        return None
    return Key(KeyKind.BUSINESS, key, business_name)


def new_keys(
    person: Person, client: KnownClient | None, *, business_name: str | None = None
) -> list[Key]:
    """The keys of ``person`` (and of the business they came about) the client does not have
    yet (all of them for a new client)."""
    business = business_key(business_name)
    keys = person.keys + ([business] if business else [])
    return [k for k in keys if client is None or not client.knows(k)]


def looks_like_the_same_person(a: KnownClient, b: KnownClient) -> bool:
    """Worth a coordinator's look: the two share a name key or a contact, but not so much that
    the rule already made them one (e.g. 山田 太郎 with a new mobile, or a typo in the name)."""
    return any(kind in IDENTITY for kind, _ in a.keys & b.keys)


@dataclass(frozen=True)
class Client:
    """A client record as desk staff read it; a merged duplicate points at its survivor."""

    id: UUID
    name: str  # as first registered
    furigana: str | None
    created_at: datetime
    created_by: str
    merged_into: UUID | None


@dataclass(frozen=True)
class ClientSummary:
    """A client in a search result or a list of merge candidates."""

    id: UUID
    name: str
    furigana: str | None
    consultations: int
    last_consulted_at: datetime | None
    #: The person asked that their records' use be stopped (利用停止中).
    use_stopped: bool = False


@dataclass(frozen=True)
class ClientState:
    id: UUID
    merged_into: UUID | None


@dataclass(frozen=True)
class Merge:
    """A duplicate merged into the surviving client: what moves, and the event."""

    client_id: UUID
    merged_client_id: UUID
    moved_consultations: tuple[UUID, ...]
    at: datetime
    events: tuple[ClientsMerged, ...]


def check_merge(survivor: ClientState, duplicate: ClientState) -> None:
    """Refuse merges that make no sense: a client into itself, or a record merged already."""
    if survivor.id == duplicate.id:
        raise Unprocessable(
            "相談者を同じ相談者自身に統合することはできません",
            en="a client cannot be merged into itself",
            fields={
                "duplicate_id": Message(
                    "パスと同じ相談者を指しています", "names the same client as the path"
                )
            },
        )
    for role, ja, state in (
        ("surviving", "統合先", survivor),
        ("duplicate", "統合する重複", duplicate),
    ):
        if state.merged_into is not None:
            raise Conflict(
                f"{ja}の相談者（{state.id}）はすでに {state.merged_into} に統合されています。"
                f"{state.merged_into} と統合してください",
                en=f"the {role} client {state.id} was merged into {state.merged_into} already; "
                f"merge with {state.merged_into} instead",
            )


def merge(
    survivor: ClientState,
    duplicate: ClientState,
    consultations: Sequence[UUID],
    *,
    at: datetime,
) -> Merge:
    """Merge ``duplicate`` (with its ``consultations``) into ``survivor`` at ``at``."""
    check_merge(survivor, duplicate)
    moved = tuple(sorted(consultations, key=str))
    event = ClientsMerged(
        client_id=survivor.id, merged_client_id=duplicate.id, case_ids=list(moved), merged_at=at
    )
    return Merge(survivor.id, duplicate.id, moved, at, (event,))


@dataclass(frozen=True)
class StandingMerge:
    """A merge not undone: what moved to the survivor and what the survivor was given."""

    client_id: UUID
    merged_client_id: UUID
    consultation_ids: tuple[UUID, ...]
    merged_at: datetime
    keys_added: tuple[Key, ...]
    furigana_given: bool


def unmerge(
    merge: StandingMerge | None,
    duplicate: UUID,
    survivor_state: ClientState | None,
    *,
    reason: str | None,
    at: datetime,
) -> ClientsUnmerged:
    """Undo a mistaken merge, with the reason. Refused when ``duplicate`` is not merged, or when
    the client it was merged into has been merged in turn (undo that one first)."""
    if not reason or not reason.strip():
        raise Unprocessable(
            "統合を取り消す理由を入力してください",
            en="say why the merge is undone",
            fields={"reason": Message("取り消す理由を入力してください", "required")},
        )
    if merge is None:
        raise Conflict(
            "この相談者の記録は統合されていません（取り消す統合がありません）",
            en=f"{duplicate} is not merged into another client",
        )
    if survivor_state is not None and survivor_state.merged_into is not None:
        raise Conflict(
            "統合先の相談者がさらに別の相談者に統合されています。先にその統合を取り消してください",
            en=f"{merge.client_id} was merged into {survivor_state.merged_into}; undo that first",
        )
    return ClientsUnmerged(
        client_id=merge.client_id,
        unmerged_client_id=duplicate,
        case_ids=list(merge.consultation_ids),
        unmerged_at=at,
    )


def rows_to_known(rows: Sequence[tuple[UUID, datetime, str, str, str]]) -> list[KnownClient]:
    """Group (client id, created at, key kind, key, as written) rows into clients."""
    created: dict[UUID, datetime] = {}
    keys: dict[UUID, set[tuple[KeyKind, str]]] = {}
    names: dict[UUID, set[str]] = {}
    for client_id, created_at, kind, key, shown in rows:
        created[client_id] = created_at
        keys.setdefault(client_id, set()).add((KeyKind(kind), key))
        if kind == KeyKind.NAME:
            names.setdefault(client_id, set()).add(spelling(shown))
    return [
        KnownClient(cid, created[cid], frozenset(keys[cid]), frozenset(names.get(cid, ())))
        for cid in created
    ]


@dataclass(frozen=True)
class SearchTerms:
    """What to look for: part of a name, furigana or business name (as a key), of a phone
    number (digits), or of an e-mail address."""

    name_part: str | None = None
    phone_part: str | None = None
    email_part: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.name_part or self.phone_part or self.email_part)


def search_terms(query: str) -> SearchTerms:
    """What a search box holds: a phone number (part of one: 723-1111), an e-mail address (it
    has an @), or a name, furigana or business name (part of one)."""
    cleaned = unicodedata.normalize("NFKC", query).strip()
    if "@" in cleaned:
        return SearchTerms(email_part=cleaned.lower())
    digits = re.sub(r"\D", "", cleaned)
    if digits and re.fullmatch(r"[\d\s\-()+]+", cleaned):
        if cleaned.startswith("+81"):
            digits = "0" + digits[2:]
        return SearchTerms(phone_part=digits)
    return SearchTerms(name_part=name_key(cleaned) or None)
