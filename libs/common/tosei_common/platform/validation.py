"""Request validation errors (pydantic's) said to a person: in Japanese, naming the field.

pydantic describes a failed field by an error ``type`` and its context (``string_too_long``
with ``max_length``). Each type a request can fail with has a Japanese sentence here; in English
the answer is pydantic's own sentence. A validator that raised ``InputError`` already said what
it means in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tosei_common.platform.errors import InputError, Language, Message

_TEMPLATES: Mapping[str, tuple[str, str]] = {
    "missing": ("入力してください", "is required"),
    "extra_forbidden": ("この項目は受け付けていません", "is not a field of this request"),
    "string_type": ("文字で入力してください", "must be text"),
    "string_too_short": (
        "{min_length}文字以上で入力してください",
        "needs at least {min_length} characters",
    ),
    "string_too_long": (
        "{max_length}文字以内で入力してください",
        "must be at most {max_length} characters",
    ),
    "string_pattern_mismatch": ("形式が正しくありません", "does not have the expected form"),
    "int_type": ("整数で入力してください", "must be a whole number"),
    "int_parsing": ("整数で入力してください", "must be a whole number"),
    "int_from_float": ("整数で入力してください", "must be a whole number"),
    "float_type": ("数値で入力してください", "must be a number"),
    "float_parsing": ("数値で入力してください", "must be a number"),
    "decimal_parsing": ("数値で入力してください", "must be a number"),
    "bool_type": ("はい・いいえ（true / false）で指定してください", "must be true or false"),
    "bool_parsing": ("はい・いいえ（true / false）で指定してください", "must be true or false"),
    "greater_than": ("{gt}より大きい値にしてください", "must be greater than {gt}"),
    "greater_than_equal": ("{ge}以上にしてください", "must be at least {ge}"),
    "less_than": ("{lt}未満にしてください", "must be less than {lt}"),
    "less_than_equal": ("{le}以下にしてください", "must be at most {le}"),
    "multiple_of": ("{multiple_of}の倍数にしてください", "must be a multiple of {multiple_of}"),
    "enum": ("次のいずれかを指定してください: {expected}", "must be one of {expected}"),
    "literal_error": ("次のいずれかを指定してください: {expected}", "must be one of {expected}"),
    "uuid_type": ("IDの形式ではありません", "is not a UUID"),
    "uuid_parsing": ("IDの形式ではありません", "is not a UUID"),
    "date_type": ("日付で入力してください（例: 2026-04-01）", "must be a date (2026-04-01)"),
    "date_parsing": ("日付で入力してください（例: 2026-04-01）", "must be a date (2026-04-01)"),
    "date_from_datetime_parsing": (
        "日付で入力してください（例: 2026-04-01）",
        "must be a date (2026-04-01)",
    ),
    "date_from_datetime_inexact": ("時刻を含めず日付だけを入力してください", "must be a date only"),
    "datetime_type": (
        "日時で入力してください（例: 2026-04-01T10:00:00+09:00）",
        "must be a date and time (2026-04-01T10:00:00+09:00)",
    ),
    "datetime_parsing": (
        "日時で入力してください（例: 2026-04-01T10:00:00+09:00）",
        "must be a date and time (2026-04-01T10:00:00+09:00)",
    ),
    "datetime_from_date_parsing": (
        "日時で入力してください（例: 2026-04-01T10:00:00+09:00）",
        "must be a date and time (2026-04-01T10:00:00+09:00)",
    ),
    "time_type": ("時刻で入力してください（例: 13:30）", "must be a time (13:30)"),
    "time_parsing": ("時刻で入力してください（例: 13:30）", "must be a time (13:30)"),
    "list_type": ("一覧（配列）で指定してください", "must be a list"),
    "tuple_type": ("一覧（配列）で指定してください", "must be a list"),
    "set_type": ("一覧（配列）で指定してください", "must be a list"),
    "too_short": ("{min_length}件以上指定してください", "needs at least {min_length} items"),
    "too_long": ("{max_length}件以内にしてください", "takes at most {max_length} items"),
    "dict_type": ("項目のまとまり（オブジェクト）で指定してください", "must be an object"),
    "model_type": ("項目のまとまり（オブジェクト）で指定してください", "must be an object"),
    "model_attributes_type": (
        "項目のまとまり（オブジェクト）で指定してください",
        "must be an object",
    ),
    "json_invalid": ("JSONとして読めません", "is not valid JSON"),
    "json_type": ("JSONとして読めません", "is not valid JSON"),
    "url_parsing": ("URLの形式ではありません", "is not a URL"),
    "url_scheme": ("http または https のURLにしてください", "must be an http or https URL"),
    "url_type": ("URLの形式ではありません", "is not a URL"),
    "timezone_naive": ("タイムゾーン付きの日時にしてください", "needs a time zone"),
    "timezone_aware": ("タイムゾーンを付けずに入力してください", "must not carry a time zone"),
    "bytes_too_long": ("大きすぎます", "is too large"),
    "union_tag_invalid": ("種類の指定が正しくありません", "has an unknown kind"),
}
_FALLBACK = ("入力内容が正しくありません", "is not valid")


def field_path(location: Sequence[Any]) -> str:
    """``person.phone`` for ``("body", "person", "phone")``; ``body`` for the body itself.

    Only the leading part says where the value came from: a field may itself be called
    ``body`` (``("body", "parts", 0, "body")`` is ``parts.0.body``).
    """
    parts = list(location)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or "body"


_LOCATIONS = ("body", "query", "path", "header", "cookie")


def explain(error: Mapping[str, Any]) -> Message:
    """One pydantic error as a sentence in both languages."""
    context: Mapping[str, Any] = error.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, InputError):
        return cause.message
    kind = str(error.get("type", ""))
    if kind == "value_error":
        text = str(error.get("msg", "")).removeprefix("Value error, ")
        return Message(text, text)
    ja, _ = _TEMPLATES.get(kind, _FALLBACK)
    # In English, pydantic's own sentence: the one integrators already know from its docs.
    english = str(error.get("msg", "")) or _FALLBACK[1]
    try:
        return Message(ja.format(**{k: _shown(v, "、") for k, v in context.items()}), english)
    except (KeyError, IndexError):
        return Message(_FALLBACK[0], english)


def summary(problems: Iterable[tuple[str, Message]], language: Language) -> str:
    """The error's ``message``: what to fix, the first few fields named."""
    listed = list(problems)
    shown = "; ".join(f"{name}: {text.in_(language)}" for name, text in listed[:3])
    more = len(listed) - 3
    if language == "en":
        return f"invalid request: {shown}" + (f" (and {more} more)" if more > 0 else "")
    rest = f"（ほか{more}件）" if more > 0 else ""
    return f"入力内容を確認してください。{shown}{rest}"


def _shown(value: Any, separator: str) -> str:
    text = str(value)
    # pydantic lists choices as "'a', 'b' or 'c'": shown as a、b、c (a, b, c in English)
    if re.fullmatch(r"'[^']*'(, '[^']*')*( or '[^']*')?", text):
        return separator.join(re.findall(r"'([^']*)'", text))
    return text
