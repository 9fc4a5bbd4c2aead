"""Free text as the request models take it: tidied, never blank, and free of control characters.

A control character stored in a title or a reason breaks every later export of it (an xlsx cell
cannot hold most of them), so each text field refuses them on the way in.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from tosei_resilience.api.inputs import Department, Name, Note, Owner, Reason, Title, Unit

TEXTS: dict[str, Any] = {
    "Title": Title,
    "Name": Name,
    "Department": Department,
    "Unit": Unit,
    "Reason": Reason,
    "Note": Note,
    "Owner": Owner,
}

#: Every Unicode control character (category Cc) but the tab and the line feed.
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n"]


@pytest.mark.parametrize("kind", TEXTS)
@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_text_field_refuses_control_characters(kind: str, control: str) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(TEXTS[kind])
    with pytest.raises(ValidationError) as raised:
        adapter.validate_python(f"完了{control}しました")
    message = raised.value.errors()[0]["msg"]
    assert "control character" in message
    assert f"U+{ord(control):04X}" in message


def test_tabs_and_line_breaks_are_kept_in_a_reason() -> None:
    reason: TypeAdapter[str] = TypeAdapter(Reason)
    typed = "完了しました。\r\n\t次年度に継続"
    assert reason.validate_python(typed) == "完了しました。\n\t次年度に継続"


def test_tabs_and_line_breaks_become_spaces_in_a_title() -> None:
    title: TypeAdapter[str] = TypeAdapter(Title)
    assert title.validate_python("除雪機械の\r\n更新\t（第2期）") == "除雪機械の 更新 (第2期)"


@pytest.mark.parametrize("kind", ["Title", "Name", "Department", "Unit", "Reason", "Note"])
@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u3000\u200b\u2060 "])
def test_text_with_nothing_visible_is_blank(kind: str, invisible: str) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(TEXTS[kind])
    with pytest.raises(ValidationError) as raised:
        adapter.validate_python(invisible)
    assert "blank" in raised.value.errors()[0]["msg"]
