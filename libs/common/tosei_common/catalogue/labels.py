"""The Japanese words people read for the codes the APIs and events carry (desk, council,
console)."""

from __future__ import annotations

from tosei_common.catalogue.caseflow import (
    CaseState,
    OutcomeType,
    ReferralStatus,
    SessionMode,
    Track,
    TransferReason,
)
from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin
from tosei_common.catalogue.resilience import (
    FundingCondition,
    FundingProgrammeField,
    PlanItemField,
    PlanItemStatus,
    RetirementReason,
)
from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole

STAGE: dict[BusinessStage, str] = {
    BusinessStage.PLANNING: "創業予定",
    BusinessStage.EARLY: "創業5年以内",
    BusinessStage.ESTABLISHED: "既存事業者",
}

CATEGORY: dict[Category, str] = {
    Category.FOUNDING_PLAN: "創業計画",
    Category.FINANCING: "資金調達",
    Category.SALES_CHANNELS: "販路開拓",
    Category.HR: "人材・雇用",
    Category.IT: "IT・デジタル化",
    Category.SUCCESSION: "事業承継",
    Category.CRISIS: "危機対応",
    Category.OTHER: "その他",
}

CHANNEL: dict[Channel, str] = {
    Channel.WALK_IN: "来所",
    Channel.PHONE: "電話",
    Channel.ONLINE: "オンライン",
    Channel.REFERRAL: "紹介",
}

ORIGIN: dict[Origin, str] = {
    Origin.NEW_DESK: "経営の総合相談窓口",
    Origin.STARTUP_DESK: "旧 創業支援窓口",
    Origin.SME_DESK: "旧 中小企業経営支援窓口",
}

LEGACY_STATUS: dict[LegacyStatus, str] = {
    LegacyStatus.OPEN: "対応中",
    LegacyStatus.WAITING: "保留",
    LegacyStatus.CLOSED: "完了",
}


CASE_STATE: dict[CaseState, str] = {
    CaseState.OPEN: "未割当",
    CaseState.ASSIGNED: "担当決定",
    CaseState.IN_PROGRESS: "対応中",
    CaseState.RESOLVED: "解決",
    CaseState.CLOSED: "終了",
    CaseState.REOPENED: "再開",
}

TRACK: dict[Track, str] = {
    Track.STARTUP: "創業支援",
    Track.SME: "中小企業経営支援",
}

SESSION_MODE: dict[SessionMode, str] = {
    SessionMode.IN_PERSON: "対面",
    SessionMode.ONLINE: "オンライン",
    SessionMode.PHONE: "電話",
    SessionMode.VISIT: "訪問",
}

TRANSFER_REASON: dict[TransferReason, str] = {
    TransferReason.STAGE_CHANGED: "事業の段階が変わった",
    TransferReason.SPECIALITY: "専門分野が合う支援人材へ",
    TransferReason.WORKLOAD: "担当件数の調整",
    TransferReason.CLIENT_REQUEST: "相談者の希望",
    TransferReason.OTHER: "その他",
}

REFERRAL_STATUS: dict[ReferralStatus, str] = {
    ReferralStatus.REQUESTED: "依頼中",
    ReferralStatus.ACCEPTED: "受諾",
    ReferralStatus.COMPLETED: "完了",
    ReferralStatus.DECLINED: "辞退",
}

OUTCOME_TYPE: dict[OutcomeType, str] = {
    OutcomeType.FOUNDED: "創業",
    OutcomeType.SALES_INCREASED: "売上増加",
    OutcomeType.FINANCING_OBTAINED: "資金調達",
    OutcomeType.JOBS_CREATED: "雇用創出",
    OutcomeType.SUCCESSION_DONE: "事業承継",
}

# The regional resilience plan (国土強靱化地域計画): the plan's service and the console's screens
# read the same words.

PLAN_ITEM_STATUS: dict[PlanItemStatus, str] = {
    PlanItemStatus.PLANNED: "計画",
    PlanItemStatus.IN_PROGRESS: "実施中",
    PlanItemStatus.DONE: "完了",
    PlanItemStatus.RETIRED: "廃止",
}

PLAN_ITEM_FIELD: dict[PlanItemField, str] = {
    PlanItemField.TITLE: "事業名",
    PlanItemField.MUNICIPALITY: "実施主体",
    PlanItemField.RISK_SCENARIO: "起きてはならない最悪の事態",
    PlanItemField.POLICY_AREA: "施策分野",
    PlanItemField.LEAD_DEPARTMENT: "担当部署",
    PlanItemField.ESTIMATED_COST: "概算事業費",
    PlanItemField.FISCAL_YEAR_FROM: "実施年度（開始）",
    PlanItemField.FISCAL_YEAR_TO: "実施年度（終了）",
    PlanItemField.STATUS: "進捗状況",
    PlanItemField.FUNDING_PROGRAMMES: "活用する交付金・補助金",
    PlanItemField.KPIS: "重要業績指標（KPI）",
}

#: What a retirement changes besides the status (fields no revision sets).
PLAN_RETIREMENT_FIELD: dict[str, str] = {"retirement": "廃止理由", "superseded_by": "分割・統合先"}

FUNDING_PROGRAMME_FIELD: dict[FundingProgrammeField, str] = {
    FundingProgrammeField.NAME: "名称",
    FundingProgrammeField.MINISTRY: "所管府省庁",
    FundingProgrammeField.CONDITION: "地域計画との関係",
    FundingProgrammeField.CONDITION_NOTE: "要件の内容",
    FundingProgrammeField.EFFECTIVE_FROM: "適用年度",
}

FUNDING_CONDITION: dict[FundingCondition, str] = {
    FundingCondition.NONE: "位置付け不要",
    FundingCondition.PRIORITISED: "重点化",
    FundingCondition.REQUIRED: "要件化",
}

RETIREMENT_REASON: dict[RetirementReason, str] = {
    RetirementReason.COMPLETED: "事業完了",
    RetirementReason.ABOLISHED: "廃止",
    RetirementReason.SPLIT: "分割",
    RetirementReason.MERGED: "統合",
    RetirementReason.OTHER: "その他",
}


def categories(codes: list[Category] | tuple[Category, ...]) -> list[str]:
    return [CATEGORY[c] for c in codes]


#: 職種 of a seminar registrant (the seminar service's answers and the public form).
ATTENDEE_ROLE: dict[AttendeeRole, str] = {
    AttendeeRole.PHYSICIAN: "医師",
    AttendeeRole.NURSE: "看護師",
    AttendeeRole.VISITING_NURSE: "訪問看護師",
    AttendeeRole.CARE_WORKER: "介護職員",
    AttendeeRole.CARE_MANAGER: "介護支援専門員",
    AttendeeRole.PHARMACIST: "薬剤師",
    AttendeeRole.DENTAL: "歯科医師・歯科衛生士",
    AttendeeRole.RESIDENT: "住民",
    AttendeeRole.OTHER: "その他",
}

#: 参加方法 of a seminar registrant.
ATTENDANCE_MODE: dict[AttendanceMode, str] = {
    AttendanceMode.VENUE: "会場参加",
    AttendanceMode.VIEWING_SITE: "サテライト会場",
    AttendanceMode.ONLINE: "オンライン",
}
