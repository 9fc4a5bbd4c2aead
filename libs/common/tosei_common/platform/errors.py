"""Errors the services raise on purpose; the HTTP layer turns each into a JSON 4xx.

The people who read these messages are desk staff, experts, officers and residents, so every
message is written in Japanese first; the English one is for integrators and operators who ask
for it (``Accept-Language: en``). The machine-readable parts, ``error`` (a stable code) and the
``field`` each problem concerns, are the same in both languages:

    raise Unprocessable(
        "面談日は今日以前の日付にしてください",
        en="held_on is in the future",
        fields={"held_on": Message("今日以前の日付にしてください", "in the future")},
    )
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tosei_common.region.said import InputError, Language, Message, said

__all__ = [
    "BadRequest",
    "Conflict",
    "Forbidden",
    "InputError",
    "InvalidTransition",
    "Language",
    "Message",
    "NotFound",
    "ServiceError",
    "Unauthorized",
    "Unprocessable",
    "preferred_language",
    "said",
]


class ServiceError(Exception):
    """An error with an HTTP status, a stable code and a message a person can act on."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        en: str | None = None,
        fields: Mapping[str, str | Message] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(en or message)
        self.message = Message(message, en or message)
        self.fields = {name: said(text) for name, text in (fields or {}).items()}
        self.extra = extra

    def fields_in(self, language: Language) -> dict[str, str]:
        """Each field's message in one language."""
        return {name: text.in_(language) for name, text in self.fields.items()}

    def body(self, language: Language = "ja") -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message.in_(language)}
        if self.fields:
            body["fields"] = [
                {"field": name, "message": text.in_(language)} for name, text in self.fields.items()
            ]
        body.update(self.extra)
        return body


class BadRequest(ServiceError):
    status = 400
    code = "bad_request"


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class Unprocessable(ServiceError):
    status = 422
    code = "validation_failed"


def ensure_current(current: int, sent: int, what: str | Message, *, field: str = "version") -> None:
    """Optimistic concurrency: a change based on any version but ``current`` is refused (409,
    naming ``field``, e.g. ``sources.1.version`` in a merger), never merged.

    An older version means someone else changed the record meanwhile; a version beyond the
    current one was never there (a typo or another record's number), and is said so rather than
    blamed on someone else. Both answers carry ``current_version`` and ``sent_version``.
    """
    if current == sent:
        return
    name = said(what)
    if sent > current:
        raise Conflict(
            f"{name.ja}に第{sent}版はありません（現在は第{current}版です）。読み込み直してから、"
            f"第{current}版として変更してください",
            en=f"{name.en} has no version {sent}: it is at version {current}. Reload it and send "
            f"version {current}.",
            fields={
                field: Message(
                    f"第{sent}版はありません（現在は第{current}版です）",
                    f"there is no version {sent}; it is at version {current}",
                )
            },
            current_version=current,
            sent_version=sent,
        )
    raise Conflict(
        f"{name.ja}は他の人が変更しました（現在は第{current}版、送られた変更は第{sent}版に"
        f"基づいています）。読み込み直してから、第{current}版として変更してください",
        en=f"{name.en} was changed by someone else: it is at version {current}, the change was "
        f"based on version {sent}. Reload it and send version {current}.",
        fields={field: Message(f"現在は第{current}版です", f"it is at version {current}")},
        current_version=current,
        sent_version=sent,
    )


def preferred_language(accept_language: str | None) -> Language:
    """Japanese unless the client prefers English (``Accept-Language: en``, ``en-US, ja;q=0.5``).

    Only the two languages the platform speaks are weighed; anything else is ignored, and a tie
    goes to Japanese.
    """
    if not accept_language:
        return "ja"
    weights: dict[Language, float] = {}
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("ja", "en"):
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language: Language = "en" if primary == "en" else "ja"
        weights[language] = max(weights.get(language, 0.0), quality)
    return "en" if weights.get("en", 0.0) > weights.get("ja", 0.0) else "ja"
