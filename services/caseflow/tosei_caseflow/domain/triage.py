"""Triage: which track a new case belongs to, and which expert of that track takes it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import BusinessStage, Category
from tosei_common.catalogue.labels import STAGE, TRACK

#: Topics that make an early-stage business (founded within five years) a founding case still.
FOUNDING_TOPICS = frozenset({Category.FOUNDING_PLAN, Category.FINANCING})


def choose_track(stage: BusinessStage, categories: Iterable[Category]) -> Track:
    """Planning to found: the startup track. An existing business: the SME track. A business
    founded within five years stays with the startup experts while it talks about its founding
    plan or financing, and moves to the SME experts for running the business."""
    if stage is BusinessStage.PLANNING:
        return Track.STARTUP
    if stage is BusinessStage.ESTABLISHED:
        return Track.SME
    return Track.STARTUP if FOUNDING_TOPICS & set(categories) else Track.SME


@dataclass(frozen=True)
class Candidate:
    """An active expert as triage sees them."""

    expert_id: UUID
    name: str
    track: Track
    specialities: frozenset[Category]
    weekly_capacity: int
    open_load: int

    @property
    def has_room(self) -> bool:
        return self.open_load < self.weekly_capacity


@dataclass(frozen=True)
class Decision:
    track: Track
    expert_id: UUID | None
    explanation: str


def triage(
    stage: BusinessStage, categories: Sequence[Category], candidates: Iterable[Candidate]
) -> Decision:
    """Pick the expert of the case's track whose specialities match best and whose open load is
    lowest. Experts with room under their weekly capacity come first; ties go to the lower id,
    so the same situation always gives the same answer."""
    track = choose_track(stage, categories)
    wanted = set(categories)
    pool = [c for c in candidates if c.track is track]
    why_track = f"{TRACK[track]}（{STAGE[stage]}）"
    if not pool:
        return Decision(track, None, f"{why_track}：この区分の支援人材がいないため割当待ち")

    def rank(c: Candidate) -> tuple[bool, int, int, str]:
        return (not c.has_room, -len(c.specialities & wanted), c.open_load, str(c.expert_id))

    best = min(pool, key=rank)
    matches = len(best.specialities & wanted)
    load = f"担当中{best.open_load}件／週の上限{best.weekly_capacity}件"
    if best.has_room:
        why = (
            f"{why_track}：得意分野の一致が多く担当件数の少ない{best.name}"
            f"（得意分野の一致{matches}件、{load}）に割り当て"
        )
    else:
        why = (
            f"{why_track}：{TRACK[track]}の担当者は全員が上限に達しているため、"
            f"得意分野の一致が多く担当件数の少ない{best.name}（{load}、得意分野の一致{matches}件）"
            "に割り当て"
        )
    return Decision(track, best.expert_id, why)
