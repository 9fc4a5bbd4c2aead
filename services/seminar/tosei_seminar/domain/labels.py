"""How the codes people read are shown: roles (職種) and modes of attendance (参加方法)."""

from __future__ import annotations

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole

ROLE_LABELS: dict[AttendeeRole, str] = {
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

MODE_LABELS: dict[AttendanceMode, str] = {
    AttendanceMode.VENUE: "会場参加",
    AttendanceMode.VIEWING_SITE: "サテライト会場",
    AttendanceMode.ONLINE: "オンライン",
}
