"""Correcting a client's details: the name and furigana shown, and the phones and e-mails the
client is recognised by. A wrong phone would recognise the wrong person, so it is removed; a
spelling of the name stays among those the client was registered with, so a search by it still
finds them. Every change keeps old → new and the reason (audit log, intake's own schema)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.region.text import email_key, name_key, phone_key
from tosei_intake.domain.clients import Client, Key, KeyKind


@dataclass(frozen=True)
class ClientCorrection:
    reason: str | None
    name: str | None = None
    furigana: str | None = None
    add_phones: tuple[str, ...] = ()
    remove_phones: tuple[str, ...] = ()
    add_emails: tuple[str, ...] = ()
    remove_emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClientCorrected:
    name: str
    furigana: str | None
    added: tuple[Key, ...]
    removed: tuple[Key, ...]
    changes: dict[str, Any] = field(default_factory=dict)


_CONTACTS = (
    ("phones", KeyKind.PHONE, phone_key, "電話番号"),
    ("emails", KeyKind.EMAIL, email_key, "メールアドレス"),
)


def correct_client(client: Client, keys: list[Key], fix: ClientCorrection) -> ClientCorrected:
    if not fix.reason or not fix.reason.strip():
        raise Unprocessable(
            "訂正の理由を入力してください",
            en="say why it is corrected",
            fields={"reason": Message("訂正の理由を入力してください", "required")},
        )
    changes: dict[str, Any] = {}
    added: list[Key] = []
    name, furigana = client.name, client.furigana
    if fix.name is not None and fix.name != client.name:
        changes["name"] = {"old": client.name, "new": fix.name}
        name = fix.name
        added.append(Key(KeyKind.NAME, name_key(fix.name), fix.name))
    if fix.furigana is not None and fix.furigana != client.furigana:
        changes["furigana"] = {"old": client.furigana, "new": fix.furigana}
        furigana = fix.furigana
        added.append(Key(KeyKind.FURIGANA, name_key(fix.furigana), fix.furigana))
    on_file = {(k.kind, k.key): k for k in keys}
    removed: list[Key] = []
    for word, kind, reduce, said in _CONTACTS:
        gone = [
            _on_file(on_file, kind, reduce, typed, word, said)
            for typed in getattr(fix, f"remove_{word}")
        ]
        new = [
            Key(kind, key, typed)
            for typed in getattr(fix, f"add_{word}")
            if (key := reduce(typed)) is not None and (kind, key) not in on_file
        ]
        if gone or new:
            before = [k.shown for k in keys if k.kind is kind]
            dropped = {(k.kind, k.key) for k in gone}
            kept = [k.shown for k in keys if k.kind is kind and (k.kind, k.key) not in dropped]
            changes[word] = {"old": before, "new": kept + [k.shown for k in new]}
        removed += gone
        added += new
    if not changes:
        raise Unprocessable(
            "訂正する項目がありません（今の内容と同じです）",
            en="nothing to correct: the values are those on file",
        )
    return ClientCorrected(name, furigana, tuple(added), tuple(removed), changes)


def _on_file(
    on_file: dict[tuple[KeyKind, str], Key],
    kind: KeyKind,
    reduce: Callable[[str | None], str | None],
    typed: str,
    word: str,
    said: str,
) -> Key:
    key = reduce(typed)
    if key is None or (kind, key) not in on_file:
        raise Unprocessable(
            f"{said}「{typed}」はこの相談者に登録されていません",
            en=f"{typed} is not one of the client's {word}",
            fields={
                f"remove_{word}": Message(f"登録されている{said}を指定してください", "not on file")
            },
        )
    return on_file[(kind, key)]
