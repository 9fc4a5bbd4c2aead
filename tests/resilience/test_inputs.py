"""Free text as the request models take it: the platform's one rule, stored as typed.

A control character stored in a title or a reason breaks every later export of it (an xlsx cell
cannot hold most of them), so each text field refuses them on the way in, in Japanese and in
English. Nothing else is rewritten: no NFKC, no collapsed spaces.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from tosei_common.platform.errors import Message
from tosei_resilience.api.requests import Department, Name, Note, Owner, Reason, Title, Unit

TEXTS: dict[str, Any] = {
    "Title": Title,
    "Name": Name,
    "Department": Department,
    "Unit": Unit,
    "Reason": Reason,
    "Note": Note,
    "Owner": Owner,
}
MULTILINE = {"Reason", "Note"}

#: Every Unicode control character (category Cc) but the tab and the line feed.
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"]


def _refusal(kind: str, value: str) -> Message:
    adapter: TypeAdapter[Any] = TypeAdapter(TEXTS[kind])
    with pytest.raises(ValidationError) as raised:
        adapter.validate_python(value)
    message: Message = raised.value.errors()[0]["ctx"]["error"].message
    return message


@pytest.mark.parametrize("kind", TEXTS)
@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_text_field_refuses_control_characters(kind: str, control: str) -> None:
    said = _refusal(kind, f"完了{control}しました")
    assert "制御文字" in said.ja
    assert "control characters" in said.en


def test_tabs_and_line_breaks_are_kept_in_a_reason() -> None:
    reason: TypeAdapter[str] = TypeAdapter(Reason)
    typed = "完了しました。\r\n\t次年度に継続"
    assert reason.validate_python(typed) == "完了しました。\n\t次年度に継続"


@pytest.mark.parametrize("kind", sorted(set(TEXTS) - MULTILINE - {"Owner"}))
def test_a_one_line_field_keeps_tabs_and_refuses_line_breaks(kind: str) -> None:
    adapter: TypeAdapter[str] = TypeAdapter(TEXTS[kind])
    assert adapter.validate_python("除雪\t2期") == "除雪\t2期"
    assert "改行" in _refusal(kind, "除雪機械の\r\n更新").ja


@pytest.mark.parametrize("kind", sorted(set(TEXTS) - {"Owner"}))
def test_text_is_stored_as_typed(kind: str) -> None:
    adapter: TypeAdapter[str] = TypeAdapter(TEXTS[kind])
    typed = "ＡＢＣ　第２期（幹事）  ～"
    assert adapter.validate_python(f"  {typed}  ") == typed


@pytest.mark.parametrize("kind", ["Title", "Name", "Department", "Unit", "Reason", "Note"])
@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u3000\u200b\u2060 "])
def test_text_with_nothing_visible_is_refused(kind: str, invisible: str) -> None:
    said = _refusal(kind, invisible)
    assert said.ja.startswith("入力してください")
    assert said.en == "is empty"


def test_an_unknown_municipality_is_refused_in_japanese_naming_the_five() -> None:
    said = _refusal("Owner", "八戸市")
    assert said.ja.startswith("「八戸市」は東青圏域の市町村ではありません")
    assert "外ヶ浜町" in said.ja
    assert "not a municipality" in said.en
