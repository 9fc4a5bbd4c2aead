"""The Japanese words desk staff and the council read for the codes the API and events carry."""

from __future__ import annotations

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin

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


def categories(codes: list[Category] | tuple[Category, ...]) -> list[str]:
    return [CATEGORY[c] for c in codes]
