"""Request bodies: bounded, checked by the platform's shared input rules, and turned into the
domain's terms.

Everything a person can type is accepted the way Japanese offices write it: municipalities as
外ケ浜町 or 023078 (or 圏域全体 for the whole region), fiscal years as 2026, FY2026, 2026年度,
令和8年度 or R8. Free text is stored as typed: control characters and text with nothing visible
are refused, naming the field; nothing is rewritten (no NFKC, no collapsed spaces).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tosei_common.catalogue.resilience import (
    FundingCondition,
    PlanItemStatus,
    RetirementReason,
)
from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.region.inputs import FiscalYear, FreeText
from tosei_resilience.domain.funding import ProgrammeContent
from tosei_resilience.domain.labels import REGION_NAME, owner_code
from tosei_resilience.domain.plan_item import CONTENT_FIELDS, Kpi, PlanItemContent
from tosei_resilience.domain.reference import POLICY_AREA_CODE, SCENARIO_CODE

MAX_INT = 2**31 - 1  # PostgreSQL integer
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 2000, 2100

Year = Annotated[int, FiscalYear(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR)]
Title = Annotated[str, FreeText(200)]
Name = Annotated[str, FreeText(100)]
Department = Annotated[str, FreeText(100), Field(examples=["総務部危機管理課"])]
Unit = Annotated[str, FreeText(20)]
Reason = Annotated[
    str,
    FreeText(1000, multiline=True),
    Field(
        description="Why the change is made (recorded in the history).",
        examples=["令和6年度見直しにより追加"],
    ),
]
Note = Annotated[str, FreeText(1000, multiline=True)]
Number = Annotated[float, Field(ge=-1e15, le=1e15, allow_inf_nan=False)]
Version = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_INT,
        description="The version your change is based on (optimistic concurrency): a stale one "
        "gets 409 and changes nothing.",
    ),
]


def _owner(value: str | None) -> str | None:
    return None if value is None else owner_code(value)


Owner = Annotated[
    str | None,
    Field(
        max_length=40,
        description="Owning municipality as typed (平内町, 023019) or 圏域全体 (or null) for the "
        "whole region. Left out: the officer's own town.",
        examples=["平内町"],
    ),
    AfterValidator(_owner),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KpiIn(Strict):
    indicator: Title = Field(examples=["除雪計画路線の除雪完了率"])
    unit: Unit | None = Field(default=None, examples=["%"])
    baseline: Number | None = Field(default=None, description="現状値", examples=[82.0])
    target: Number = Field(description="目標値", examples=[100.0])
    target_fiscal_year: Year | None = None

    def domain(self) -> Kpi:
        return Kpi(
            indicator=self.indicator,
            unit=self.unit or "",
            baseline=self.baseline,
            target=self.target,
            target_fiscal_year=self.target_fiscal_year,
        )


class PlanItemFields(Strict):
    """What a plan item says."""

    title: Title = Field(examples=["冬期道路交通確保のための除雪機械の更新"])
    municipality: Owner = None
    risk_scenario: str = Field(
        pattern=SCENARIO_CODE,
        max_length=5,
        description="Code of the worst-case risk scenario (GET /risk-scenarios).",
        examples=["1-6"],
    )
    policy_area: str = Field(
        pattern=POLICY_AREA_CODE,
        max_length=40,
        description="Code of the policy area (GET /policy-areas).",
        examples=["transport"],
    )
    lead_department: Department
    estimated_cost_yen: int | None = Field(
        default=None, ge=0, le=10**13, description="概算事業費 in yen.", examples=[180000000]
    )
    fiscal_year_from: Year
    fiscal_year_to: Year
    status: PlanItemStatus = PlanItemStatus.PLANNED
    funding_programmes: list[UUID] = Field(default_factory=list, max_length=20)
    kpis: list[KpiIn] = Field(default_factory=list, max_length=20)

    def content(self, default_owner: str | None, where: str = "") -> PlanItemContent:
        """The item's content; left out, the owner is ``default_owner`` (an officer's town)."""
        if "municipality" in self.model_fields_set:
            owner = self.municipality
        elif default_owner is not None:
            owner = default_owner
        else:
            raise Unprocessable(
                f"どの市町村の事業か（圏域全体の事業なら{REGION_NAME}）を入力してください",
                en="say whose item it is: a municipality, or 圏域全体 for the whole region",
                fields={
                    f"{where}municipality": Message(
                        "コーディネーターは入力が必要です", "required for coordinators"
                    )
                },
            )
        return PlanItemContent(
            **self.model_dump(include=set(CONTENT_FIELDS) - {"municipality", "kpis"}),
            municipality=owner,
            kpis=tuple(k.domain() for k in self.kpis),
        )


class NewPlanItem(PlanItemFields):
    reason: Reason


class PlanItemPatch(Strict):
    """A revision: the fields to change (others stay), the version it is based on, and why."""

    version: Version
    reason: Reason
    title: Title | None = None
    municipality: Owner = None
    risk_scenario: str | None = Field(default=None, pattern=SCENARIO_CODE, max_length=5)
    policy_area: str | None = Field(default=None, pattern=POLICY_AREA_CODE, max_length=40)
    lead_department: Department | None = None
    estimated_cost_yen: int | None = Field(default=None, ge=0, le=10**13)
    fiscal_year_from: Year | None = None
    fiscal_year_to: Year | None = None
    status: PlanItemStatus | None = None
    funding_programmes: list[UUID] | None = Field(default=None, max_length=20)
    kpis: list[KpiIn] | None = Field(default=None, max_length=20)

    def changes(self) -> dict[str, Any]:
        changed: dict[str, Any] = {}
        for name in self.model_fields_set - {"version", "reason"}:
            value = getattr(self, name)
            if name == "kpis" and value is not None:
                value = [k.domain() for k in value]
            changed[name] = value
        return changed


class RetireIn(Strict):
    version: Version
    retirement: RetirementReason = Field(
        description="completed (事業完了), abolished (廃止) or other; split and merged items are "
        "retired by the split or the merger.",
        examples=["completed"],
    )
    reason: Reason


class SplitIn(Strict):
    version: Version
    reason: Reason
    parts: list[PlanItemFields] = Field(min_length=2, max_length=20)


class MergeSource(Strict):
    id: UUID
    version: Version


class MergeIn(Strict):
    sources: list[MergeSource] = Field(min_length=2, max_length=20)
    reason: Reason
    item: PlanItemFields


class ProgrammeFields(Strict):
    name: Name = Field(examples=["防災・安全交付金"])
    ministry: Name = Field(examples=["国土交通省"])
    condition: FundingCondition = Field(
        description="none, prioritised (重点化) or required (要件化).", examples=["prioritised"]
    )
    condition_note: Note | None = Field(
        default=None, examples=["国土強靱化地域計画に位置付けられた事業を重点配分"]
    )
    effective_from_fiscal_year: Year | None = None

    def content(self) -> ProgrammeContent:
        return ProgrammeContent(**self.model_dump())


class NewProgramme(ProgrammeFields):
    reason: Reason


class ProgrammePatch(Strict):
    version: Version
    reason: Reason
    name: Name | None = None
    ministry: Name | None = None
    condition: FundingCondition | None = None
    condition_note: Note | None = None
    effective_from_fiscal_year: Year | None = None

    def changes(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.model_fields_set - {"version", "reason"}}


class ScenarioIn(Strict):
    code: str = Field(pattern=SCENARIO_CODE, max_length=5, examples=["2-7"])
    name: Title = Field(examples=["冬期の停電による避難所の暖房機能の喪失"])
    goal: Title | None = Field(
        default=None,
        description="The goal's name (事前に備えるべき目標), needed only for a new goal number.",
    )


class PolicyAreaIn(Strict):
    code: str = Field(pattern=POLICY_AREA_CODE, max_length=40, examples=["digital"])
    name: Name = Field(examples=["デジタル活用"])
    cross_cutting: bool = Field(default=False, description="A cross-cutting area (横断的分野).")


class ResolveIn(Strict):
    note: Note = Field(examples=["要件化後も計画への位置付けに変更なし。確認済み。"])


class BookmarkIn(Strict):
    seen_up_to: int = Field(
        ge=0, le=2**62, description="The feed position (seq) you have seen up to."
    )
    rewind: bool = Field(
        default=False,
        description="Move your bookmark back (to read again); without it, a position before "
        "your bookmark is a 409.",
    )
