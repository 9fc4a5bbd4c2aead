"""Events of the resilience service (the joint national-resilience plan, 国土強靱化地域計画).

Plan items and funding programmes are public planning data. An item's title (事業名) is the
official name the published plan gives it, so it travels: the requests service shows the current
title of the plan items a request links to. Reasons, notes, departments and people are free text a
person typed about the work and stay behind the service's HTTP API: events carry ids, municipality
codes, reference codes, enums, numbers, dates, the title and the *names* of the fields a revision
changed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from tosei_common.platform.events import Event
from tosei_common.platform.topics import Topic

PLAN_ITEMS = Topic(
    "tosei.resilience.plan_items",
    "Plan items of the joint national-resilience plan: added, revised (with the changed field "
    "names), retired. Keyed by the plan item id, so one item's events stay in order.",
    partitions=3,
)
FUNDING_PROGRAMMES = Topic(
    "tosei.resilience.funding_programmes",
    "National subsidies and grants the plan items rely on, and changes to their conditions "
    "(重点化 prioritised, 要件化 required), with the plan items flagged for review.",
    partitions=1,
)


class PlanItemStatus(StrEnum):
    PLANNED = "planned"  # 計画
    IN_PROGRESS = "in_progress"  # 実施中
    DONE = "done"  # 完了
    RETIRED = "retired"  # 廃止 (no longer in the plan)


class PlanItemField(StrEnum):
    """The fields of a plan item a revision can change (what plan_item.revised names)."""

    TITLE = "title"  # 事業名
    MUNICIPALITY = "municipality"  # 実施主体
    RISK_SCENARIO = "risk_scenario"  # 起きてはならない最悪の事態
    POLICY_AREA = "policy_area"  # 施策分野
    LEAD_DEPARTMENT = "lead_department"  # 担当部署
    ESTIMATED_COST = "estimated_cost_yen"  # 概算事業費
    FISCAL_YEAR_FROM = "fiscal_year_from"  # 実施年度（開始）
    FISCAL_YEAR_TO = "fiscal_year_to"  # 実施年度（終了）
    STATUS = "status"  # 進捗状況
    FUNDING_PROGRAMMES = "funding_programmes"  # 活用する交付金・補助金
    KPIS = "kpis"  # 重要業績指標


class Derivation(StrEnum):
    """How an item came from earlier ones."""

    SPLIT = "split"  # 分割: one earlier item became several
    MERGED = "merged"  # 統合: several earlier items became this one


class RetirementReason(StrEnum):
    COMPLETED = "completed"  # 事業完了により計画から除外
    ABOLISHED = "abolished"  # 廃止
    SPLIT = "split"  # 分割 (superseded by the parts)
    MERGED = "merged"  # 統合 (superseded by the merged item)
    OTHER = "other"  # その他


class FundingCondition(StrEnum):
    """What the national programme asks of the regional resilience plan."""

    NONE = "none"  # 計画への位置付けは不要
    PRIORITISED = "prioritised"  # 重点化: items in the plan are funded first
    REQUIRED = "required"  # 要件化: only items in the plan can be funded


class FundingProgrammeField(StrEnum):
    NAME = "name"  # 名称
    MINISTRY = "ministry"  # 所管府省庁
    CONDITION = "condition"  # 地域計画との関係（重点化・要件化）
    CONDITION_NOTE = "condition_note"  # 要件の内容
    EFFECTIVE_FROM = "effective_from_fiscal_year"  # 適用年度


class FundingChange(StrEnum):
    ADDED = "added"
    REVISED = "revised"


_ITEM_ID = Field(
    description="The plan item (stable across fiscal years and revisions).",
    examples=["3f2b8c1e-6d4a-4f0e-9b7a-2c5d8e1f0a93"],
)
_MUNICIPALITY = Field(
    default=None,
    description="全国地方公共団体コード of the owning municipality; null for an item of the "
    "whole region (圏域全体).",
    pattern=r"^\d{6}$",
    examples=["023019"],
)
_TITLE = Field(
    default=None,
    description="The item's title after this change (事業名, as the published plan names it). "
    "Absent from events published before the field was added; keep the last title you saw.",
    examples=["冬期道路交通確保のための除雪機械の更新"],
)
_VERSION = Field(
    ge=1,
    description="The item's version after this change (1 when added, +1 per revision).",
    examples=[1],
)


class PlanItemAdded(Event):
    """An item entered the plan (new, or one of the parts of a split, or a merger)."""

    ce_type: ClassVar[str] = "jp.tosei.resilience.plan_item.added.v1"
    topic: ClassVar[Topic] = PLAN_ITEMS
    subject_field: ClassVar[str] = "item_id"

    item_id: UUID = _ITEM_ID
    number: int = Field(ge=1, description="Its number in the plan (事業番号).", examples=[12])
    title: str | None = _TITLE
    municipality: str | None = _MUNICIPALITY
    risk_scenario: str = Field(
        description="Code of the worst-case risk scenario it addresses "
        "(起きてはならない最悪の事態).",
        examples=["1-6"],
    )
    policy_area: str = Field(
        description="Code of its policy area (施策分野).", examples=["transport"]
    )
    status: PlanItemStatus = Field(examples=["planned"])
    fiscal_year_from: int = Field(description="First fiscal year (April–March).", examples=[2022])
    fiscal_year_to: int = Field(description="Last fiscal year.", examples=[2026])
    estimated_cost_yen: int | None = Field(
        default=None, ge=0, description="Estimated cost in yen (概算事業費).", examples=[180000000]
    )
    funding_programme_ids: list[UUID] = Field(
        description="The funding programmes it relies on.",
        examples=[["9a1d7f3e-2b4c-4e8a-8f6d-1c3b5a7e9d20"]],
    )
    derivation: Derivation | None = Field(
        default=None, description="Set when it came from a split or a merger.", examples=[None]
    )
    derived_from: list[UUID] = Field(
        default_factory=list,
        description="The items it came from (one for a split, several for a merger).",
        examples=[[]],
    )
    version: int = _VERSION
    added_at: datetime = Field(examples=["2022-05-16T01:00:00Z"])


class PlanItemRevised(Event):
    """An item was revised; the payload names the changed fields (their values are in the API)."""

    ce_type: ClassVar[str] = "jp.tosei.resilience.plan_item.revised.v1"
    topic: ClassVar[Topic] = PLAN_ITEMS
    subject_field: ClassVar[str] = "item_id"

    item_id: UUID = _ITEM_ID
    number: int = Field(ge=1, examples=[12])
    title: str | None = _TITLE
    municipality: str | None = _MUNICIPALITY
    changed_fields: list[PlanItemField] = Field(
        min_length=1,
        description="Names of the fields this revision changed.",
        examples=[["funding_programmes", "estimated_cost_yen"]],
    )
    status: PlanItemStatus = Field(description="Status after the revision.", examples=["planned"])
    version: int = Field(ge=2, description="The item's version after the revision.", examples=[3])
    revised_at: datetime = Field(examples=["2023-06-01T02:30:00Z"])


class PlanItemRetired(Event):
    """An item left the plan: completed, abolished, or superseded by a split or a merger."""

    ce_type: ClassVar[str] = "jp.tosei.resilience.plan_item.retired.v1"
    topic: ClassVar[Topic] = PLAN_ITEMS
    subject_field: ClassVar[str] = "item_id"

    item_id: UUID = _ITEM_ID
    number: int = Field(ge=1, examples=[12])
    title: str | None = _TITLE
    municipality: str | None = _MUNICIPALITY
    reason: RetirementReason = Field(examples=["split"])
    superseded_by: list[UUID] = Field(
        default_factory=list,
        description="The items that carry it on (the parts of a split, or the merged item).",
        examples=[["5c4e2a1b-7d3f-4b6a-9e8c-0f1a2b3c4d5e", "6d5f3b2c-8e4a-4c7b-8f9d-1a2b3c4d5e6f"]],
    )
    version: int = _VERSION
    retired_at: datetime = Field(examples=["2024-03-25T05:00:00Z"])


class FundingProgrammeChanged(Event):
    """A funding programme was added or its record changed; when its conditions changed, the
    plan items relying on it were flagged for review by their owners."""

    ce_type: ClassVar[str] = "jp.tosei.resilience.funding_programme.changed.v1"
    topic: ClassVar[Topic] = FUNDING_PROGRAMMES
    subject_field: ClassVar[str] = "programme_id"

    programme_id: UUID = Field(
        description="The funding programme.", examples=["9a1d7f3e-2b4c-4e8a-8f6d-1c3b5a7e9d20"]
    )
    change: FundingChange = Field(examples=["revised"])
    changed_fields: list[FundingProgrammeField] = Field(
        description="Names of the fields that changed (every field when added).",
        examples=[["condition", "effective_from_fiscal_year"]],
    )
    condition: FundingCondition = Field(
        description="The condition after the change.", examples=["required"]
    )
    effective_from_fiscal_year: int | None = Field(
        default=None, description="Fiscal year the condition applies from.", examples=[2025]
    )
    conditions_changed: bool = Field(
        description="The conditions changed, so dependent plan items were flagged.",
        examples=[True],
    )
    flagged_item_ids: list[UUID] = Field(
        default_factory=list,
        description="Plan items flagged for review because of this change.",
        examples=[["3f2b8c1e-6d4a-4f0e-9b7a-2c5d8e1f0a93"]],
    )
    version: int = Field(ge=1, description="The programme's version after it.", examples=[2])
    changed_at: datetime = Field(examples=["2024-12-20T04:00:00Z"])
