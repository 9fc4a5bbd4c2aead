"""The answers the platform itself gives when a request cannot be served, in both languages."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Scope

from tosei_common.platform.errors import Language, Message, preferred_language

DATABASE_UNAVAILABLE = Message(
    "データベースに接続できないため処理できませんでした。"
    "何も保存されていません。しばらくしてからもう一度お試しください",
    "the database is unavailable; nothing was written, try again shortly",
)
OUTCOME_UNKNOWN = Message(
    "保存の途中でデータベースとの接続が切れ、保存されたかどうか確認できません。"
    "同じ Idempotency-Key を付けて再送すると、二重に登録されずに結果が分かります",
    "the connection to the database broke while the change was being committed, so whether "
    "it was saved is unknown; send the request again with the same Idempotency-Key to learn "
    "the outcome without doing it twice",
)
INTERNAL_ERROR = Message(
    "予期しないエラーが発生しました。担当者に連絡してください", "an unexpected error occurred"
)


def language_of_scope(scope: Scope) -> Language:
    return preferred_language(Headers(scope=scope).get("accept-language"))


def database_unavailable(language: Language) -> JSONResponse:
    return JSONResponse(
        {"error": "database_unavailable", "message": DATABASE_UNAVAILABLE.in_(language)},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def outcome_unknown(language: Language) -> JSONResponse:
    return JSONResponse(
        {"error": "commit_outcome_unknown", "message": OUTCOME_UNKNOWN.in_(language)},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def internal_error(language: Language) -> JSONResponse:
    return JSONResponse(
        {"error": "internal_error", "message": INTERNAL_ERROR.in_(language)}, status_code=500
    )
