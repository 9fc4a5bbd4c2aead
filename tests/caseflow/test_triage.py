"""Triage: the track follows the business stage and topics; the best-matching, least-loaded
expert of that track takes the case."""

from __future__ import annotations

import uuid

import pytest

from tosei_caseflow.domain.triage import Candidate, choose_track, triage
from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import BusinessStage, Category


@pytest.mark.parametrize(
    ("stage", "categories", "track"),
    [
        (BusinessStage.PLANNING, [Category.SALES_CHANNELS], Track.STARTUP),
        (BusinessStage.ESTABLISHED, [Category.FINANCING], Track.SME),
        (BusinessStage.EARLY, [Category.FINANCING, Category.IT], Track.STARTUP),
        (BusinessStage.EARLY, [Category.FOUNDING_PLAN], Track.STARTUP),
        (BusinessStage.EARLY, [Category.SALES_CHANNELS, Category.HR], Track.SME),
        (BusinessStage.EARLY, [Category.CRISIS], Track.SME),
    ],
)
def test_the_track_follows_stage_and_topics(
    stage: BusinessStage, categories: list[Category], track: Track
) -> None:
    assert choose_track(stage, categories) is track


def expert(
    n: int, track: Track, specialities: set[Category], load: int, capacity: int = 10
) -> Candidate:
    return Candidate(
        expert_id=uuid.UUID(int=n),
        name=f"支援人材{n}",
        track=track,
        specialities=frozenset(specialities),
        weekly_capacity=capacity,
        open_load=load,
    )


def test_the_best_matching_expert_of_the_track_wins_over_a_less_loaded_one() -> None:
    finance = expert(1, Track.STARTUP, {Category.FINANCING, Category.FOUNDING_PLAN}, load=5)
    general = expert(2, Track.STARTUP, {Category.OTHER}, load=0)
    sme = expert(3, Track.SME, {Category.FINANCING, Category.FOUNDING_PLAN}, load=0)
    decision = triage(BusinessStage.PLANNING, [Category.FINANCING], [general, finance, sme])
    assert decision.track is Track.STARTUP
    assert decision.expert_id == finance.expert_id
    assert decision.explanation == (
        "創業支援（創業予定）：得意分野の一致が多く担当件数の少ない支援人材1"
        "（得意分野の一致1件、担当中5件／週の上限10件）に割り当て"
    )


def test_among_equal_matches_the_lowest_open_load_wins() -> None:
    busy = expert(1, Track.SME, {Category.IT}, load=4)
    free = expert(2, Track.SME, {Category.IT}, load=1)
    decision = triage(BusinessStage.ESTABLISHED, [Category.IT], [busy, free])
    assert decision.expert_id == free.expert_id


def test_ties_are_broken_by_expert_id_whatever_the_order() -> None:
    a = expert(7, Track.SME, {Category.IT}, load=2)
    b = expert(3, Track.SME, {Category.IT}, load=2)
    assert triage(BusinessStage.ESTABLISHED, [Category.IT], [a, b]).expert_id == b.expert_id
    assert triage(BusinessStage.ESTABLISHED, [Category.IT], [b, a]).expert_id == b.expert_id


def test_experts_with_room_come_before_those_at_capacity() -> None:
    full = expert(1, Track.SME, {Category.IT, Category.HR}, load=3, capacity=3)
    room = expert(2, Track.SME, set(), load=2, capacity=3)
    decision = triage(BusinessStage.ESTABLISHED, [Category.IT, Category.HR], [full, room])
    assert decision.expert_id == room.expert_id


def test_when_all_are_at_capacity_the_case_still_gets_the_best_expert() -> None:
    full = expert(1, Track.SME, {Category.IT}, load=3, capacity=3)
    fuller = expert(2, Track.SME, {Category.IT}, load=5, capacity=3)
    decision = triage(BusinessStage.ESTABLISHED, [Category.IT], [fuller, full])
    assert decision.expert_id == full.expert_id
    assert decision.explanation == (
        "中小企業経営支援（既存事業者）：中小企業経営支援の担当者は全員が上限に達しているため、"
        "得意分野の一致が多く担当件数の少ない支援人材1（担当中3件／週の上限3件、得意分野の一致1件）"
        "に割り当て"
    )


def test_no_expert_on_the_track_leaves_the_case_in_the_queue() -> None:
    sme = expert(1, Track.SME, {Category.IT}, load=0)
    decision = triage(BusinessStage.PLANNING, [Category.IT], [sme])
    assert decision.expert_id is None
    assert "割当待ち" in decision.explanation
