"""Recognising the same person registering twice: the name with an e-mail or a phone."""

from __future__ import annotations

from dataclasses import dataclass

from tosei_common.platform.errors import Conflict, Message, Unprocessable
from tosei_common.region.text import email_key, name_key, phone_key


@dataclass(frozen=True)
class Identity:
    """What recognises a person registering twice: the name with an e-mail or a phone."""

    name_key: str
    email_key: str | None
    phone_key: str | None


def identity(name: str, email: str | None, phone: str | None) -> Identity:
    """The matching keys of a registrant, or a 422 naming the contact that is not usable."""
    problems: dict[str, Message] = {}
    e_key = email_key(email)
    p_key = phone_key(phone)
    if email and e_key is None:
        problems["email"] = Message(
            "メールアドレスの形式ではありません（例: hanako@example.jp）",
            "not an e-mail address (e.g. hanako@example.jp)",
        )
    if phone and p_key is None:
        problems["phone"] = Message(
            "電話番号の形式ではありません（例: 017-723-1111）",
            "not a Japanese phone number (e.g. 017-723-1111)",
        )
    if not problems and e_key is None and p_key is None:
        problems["email"] = Message(
            "メールアドレスか電話番号のどちらかを入力してください",
            "give an e-mail address or a phone number",
        )
    if not name_key(name):
        problems["name"] = Message("入力してください", "required")
    if problems:
        raise Unprocessable(
            "、".join(f"{k}: {v.ja}" for k, v in problems.items()),
            en="; ".join(f"{k}: {v.en}" for k, v in problems.items()),
            fields=problems,
        )
    return Identity(name_key(name), e_key, p_key)


def already_registered(name: str) -> Conflict:
    # The reference is not repeated here: whoever knows a name and an address is not
    # necessarily that person, and the reference is what lets one cancel.
    return Conflict(
        f"{name}様はこの研修会にすでに申し込まれています（同じお名前で同じメールアドレスか電話番号）。"
        "お申込みの確認・取消には、申込時にお知らせした受付番号をお使いください",
        en=f"{name} is registered for this seminar already (the same name with the same e-mail "
        "or phone). Use the reference you were given to see or cancel that registration.",
        reason="already_registered",
    )
