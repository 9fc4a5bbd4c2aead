"""The speakers of a seminar: the keynote (基調講演) and the others, with their fees."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tosei_common.platform.errors import Message, NotFound
from tosei_seminar.domain.seminar import ARRANGEABLE, Seminar, ensure_state

ADDING = Message("講師の追加", "add a speaker")
REMOVING = Message("講師の削除", "remove a speaker")


@dataclass(frozen=True)
class Speaker:
    id: UUID
    name: str
    affiliation: str
    profession: str | None
    keynote: bool
    fee: int  # 講師謝金, yen
    talk_title: str | None = None  # 演題


def add_speaker(seminar: Seminar, speaker: Speaker) -> Speaker:
    """Speakers are added while the seminar can still be arranged."""
    ensure_state(seminar, ARRANGEABLE, ADDING)
    return speaker


def remove_speaker(seminar: Seminar, speaker: Speaker | None, speaker_id: UUID) -> Speaker:
    ensure_state(seminar, ARRANGEABLE, REMOVING)
    if speaker is None:
        raise NotFound(
            "この研修会にその講師は登録されていません",
            en=f"the seminar has no speaker {speaker_id}",
        )
    return speaker
