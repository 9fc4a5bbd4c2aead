"""Answers about plan items: an item with the names behind its codes, its history, the feed,
and the review flags on it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from tosei_common.catalogue.resilience import (
    Derivation,
    FundingCondition,
    PlanItemStatus,
    RetirementReason,
)
from tosei_common.region.fiscal import fiscal_year, fiscal_year_label
from tosei_resilience.api.responses.common import Change, Owned, changes, owner
from tosei_resilience.domain import labels
from tosei_resilience.domain.change_labels import item_changes
from tosei_resilience.domain.feed import FeedPage
from tosei_resilience.domain.funding import FundingProgramme
from tosei_resilience.domain.plan import Lists, PlanView
from tosei_resilience.domain.plan_item import PlanItem
from tosei_resilience.domain.reference import PolicyArea, Scenario
from tosei_resilience.domain.review import ReviewFlag
from tosei_resilience.domain.revisions import RevisionKind, RevisionRecord, RevisionSource


class ScenarioOut(BaseModel):
    code: str
    name: str | None
    goal: int | None
    goal_name: str | None = None


class PolicyAreaOut(BaseModel):
    code: str
    name: str | None
    cross_cutting: bool | None = None


class ProgrammeRef(BaseModel):
    id: UUID
    name: str | None
    condition: FundingCondition | None


class Related(BaseModel):
    """An item named as an origin or a successor: its id and 事業番号."""

    id: UUID
    number: int | None


class KpiOut(BaseModel):
    indicator: str
    unit: str
    baseline: float | None
    target: float
    target_fiscal_year: int | None


class ReviewFlagOut(Owned):
    id: UUID
    item_id: UUID
    item_number: int
    item_title: str
    programme_id: UUID
    programme_name: str
    programme_version: int
    changed_fields: list[str]
    changed_fields_label: str
    flagged_at: datetime
    open: bool
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None


class ReviewFlags(BaseModel):
    review_flags: list[ReviewFlagOut]


class PlanItemOut(Owned):
    id: UUID
    number: int
    title: str
    risk_scenario: ScenarioOut
    policy_area: PolicyAreaOut
    lead_department: str
    estimated_cost_yen: int | None
    fiscal_year_from: int
    fiscal_year_to: int
    fiscal_years_label: str
    status: PlanItemStatus
    status_label: str
    funding_programmes: list[ProgrammeRef]
    kpis: list[KpiOut]
    derivation: Derivation | None
    derived_from: list[Related]
    retirement: RetirementReason | None
    retirement_label: str | None
    superseded_by: list[Related]
    version: int
    can_change: bool = Field(
        description="Whether you may revise, retire, split or merge it now (the service still "
        "decides when you send the change)."
    )
    cannot_change_because: str | None = Field(
        description="Why you may not (Japanese, as the refusal would say it); None when you may.",
        examples=[
            "平内町の職員が変更できるのは平内町の計画事業だけです"
            "（計画事業 No.2「…」は青森市の事業です）"
        ],
    )
    needs_review: bool
    review_flags: list[ReviewFlagOut]


class Plan(BaseModel):
    as_of: datetime | None
    count: int
    items: list[PlanItemOut]


class Split(BaseModel):
    retired: PlanItemOut
    parts: list[PlanItemOut]


class Merged(BaseModel):
    item: PlanItemOut
    retired: list[PlanItemOut]


class RevisionOut(Owned):
    seq: int
    item_id: UUID
    number: int | None
    title: str | None
    version: int
    kind: RevisionKind
    kind_label: str
    changed_fields: list[str]
    changed_fields_label: str
    changes: dict[str, Change]
    reason: str
    actor: str
    recorded_at: datetime = Field(
        description="When it took effect: for an imported revision, its decision day (JST)."
    )
    fiscal_year: int
    fiscal_year_label: str
    source: RevisionSource = Field(description="live, or import (taken from a history import).")
    source_label: str = Field(description="入力 or 取込")
    imported_at: datetime | None = Field(description="When the import wrote it.")


class History(BaseModel):
    item_id: UUID
    revisions: list[RevisionOut]


class Feed(BaseModel):
    reader: str = Field(description="Whose bookmark: the caller (municipality:hiranai-kimura).")
    since: int
    bookmark: int | None
    bookmark_from_town: bool = Field(
        description="The bookmark is the town's, shared by its officers before bookmarks were "
        "each officer's own; it becomes yours when you first mark what you have seen."
    )
    changes: list[RevisionOut]
    next_since: int
    more: bool
    last_seq: int


class Bookmark(BaseModel):
    reader: str
    seen_up_to: int
    previous: int | None = Field(description="Where it was (None: you had none).")


def scenario(s: Scenario | None, code: str, lists: Lists) -> ScenarioOut:
    if s is None:
        return ScenarioOut(code=code, name=None, goal=None)
    goal = lists.goals.get(s.goal)
    return ScenarioOut(code=s.code, name=s.name, goal=s.goal, goal_name=goal and goal.name)


def policy_area(a: PolicyArea | None, code: str) -> PolicyAreaOut:
    if a is None:
        return PolicyAreaOut(code=code, name=None)
    return PolicyAreaOut(code=a.code, name=a.name, cross_cutting=a.cross_cutting)


def item(i: PlanItem, view: PlanView) -> PlanItemOut:
    lists = view.lists
    flags = view.open_flags.get(i.id, [])
    refusal = view.refusals.get(i.id)
    return PlanItemOut(
        id=i.id,
        number=i.number,
        title=i.title,
        **owner(i.municipality),
        risk_scenario=scenario(lists.scenarios.get(i.risk_scenario), i.risk_scenario, lists),
        policy_area=policy_area(lists.areas.get(i.policy_area), i.policy_area),
        lead_department=i.lead_department,
        estimated_cost_yen=i.estimated_cost_yen,
        fiscal_year_from=i.fiscal_year_from,
        fiscal_year_to=i.fiscal_year_to,
        fiscal_years_label=labels.fiscal_years_text(i.fiscal_year_from, i.fiscal_year_to),
        status=i.status,
        status_label=labels.STATUS[i.status],
        funding_programmes=[
            programme_ref(p, lists.programmes.get(p)) for p in i.funding_programmes
        ],
        kpis=[KpiOut(**k.model_dump()) for k in i.kpis],
        derivation=i.derivation,
        derived_from=related(i.derived_from, view.numbers),
        retirement=i.retirement,
        retirement_label=i.retirement and labels.RETIREMENT[i.retirement],
        superseded_by=related(i.superseded_by, view.numbers),
        version=i.version,
        can_change=refusal is None,
        cannot_change_because=None if refusal is None else refusal.ja,
        needs_review=bool(flags),
        review_flags=[flag(f) for f in flags],
    )


def items(view: PlanView) -> list[PlanItemOut]:
    return [item(i, view) for i in view.items]


def related(ids: Sequence[UUID], numbers: Mapping[UUID, int]) -> list[Related]:
    return [Related(id=i, number=numbers.get(i)) for i in ids]


def programme_ref(programme_id: UUID, p: FundingProgramme | None) -> ProgrammeRef:
    if p is None:
        return ProgrammeRef(id=programme_id, name=None, condition=None)
    return ProgrammeRef(id=p.id, name=p.name, condition=p.condition)


def flag(f: ReviewFlag) -> ReviewFlagOut:
    return ReviewFlagOut(
        id=f.id,
        item_id=f.item_id,
        item_number=f.item_number,
        item_title=f.item_title,
        **owner(f.municipality),
        programme_id=f.programme_id,
        programme_name=f.programme_name,
        programme_version=f.programme_version,
        changed_fields=f.changed_fields,
        changed_fields_label="、".join(labels.programme_field_label(c) for c in f.changed_fields),
        flagged_at=f.flagged_at,
        open=f.open,
        resolved_at=f.resolved_at,
        resolved_by=f.resolved_by,
        resolution_note=f.resolution_note,
    )


def revision(r: RevisionRecord, lists: Lists) -> RevisionOut:
    fy = fiscal_year(r.recorded_at)
    return RevisionOut(
        seq=r.seq,
        item_id=r.item_id,
        number=r.snapshot.get("number"),
        title=r.snapshot.get("title"),
        **owner(r.snapshot.get("municipality")),
        version=r.version,
        kind=r.kind,
        kind_label=labels.REVISION_KIND[r.kind],
        changed_fields=list(r.changed_fields),
        changed_fields_label=labels.field_names(list(r.changed_fields)),
        changes=changes(item_changes(r.changes, lists)),
        reason=r.reason,
        actor=r.actor,
        recorded_at=r.recorded_at,
        fiscal_year=fy,
        fiscal_year_label=fiscal_year_label(fy),
        source=r.source,
        source_label=labels.REVISION_SOURCE[r.source],
        imported_at=r.imported_at,
    )


def feed(page: FeedPage) -> Feed:
    return Feed(
        reader=page.reader,
        since=page.since,
        bookmark=page.bookmark.seen_up_to,
        bookmark_from_town=page.bookmark.from_town,
        changes=[revision(r, page.lists) for r in page.entries],
        next_since=page.next_since,
        more=page.more,
        last_seq=page.last_seq,
    )
