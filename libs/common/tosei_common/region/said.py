"""Things said to people in both languages: Japanese for the people of the region, English for
integrators and operators who ask for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["ja", "en"]


@dataclass(frozen=True)
class Message:
    """One thing said in both languages."""

    ja: str
    en: str

    def in_(self, language: Language) -> str:
        return self.en if language == "en" else self.ja


def said(text: str | Message) -> Message:
    """A message as both languages: a text given in one language only is used for both."""
    return text if isinstance(text, Message) else Message(text, text)


class InputError(ValueError):
    """A value a person typed that cannot be taken, said in both languages.

    Raised by the shared input rules (``tosei_common.region.inputs``) and by request-model
    validators; the 422 answer shows the message in the reader's language next to the field.
    """

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(en)
        self.message = Message(ja, en)
