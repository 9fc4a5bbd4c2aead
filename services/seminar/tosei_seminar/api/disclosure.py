"""A registrant's requests about their own records (coordinators): what the seminar holds about
them, found by their e-mail or phone (本人開示), and correcting their name and contacts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field, ModelWrapValidatorHandler, PrivateAttr, model_validator

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.platform.auth import current_principal
from tosei_common.platform.disclosure import HistoryEntryOut, history
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.inputs import Email, FreeText, Phone, phone_display
from tosei_common.region.municipalities import municipality
from tosei_common.region.text import phone_key
from tosei_seminar.api.requests import Body, Reason
from tosei_seminar.domain.disclosure import (
    CONTACTS_CORRECTED,
    ContactCorrection,
    DisclosedRegistration,
    MailState,
    MailToThem,
)
from tosei_seminar.domain.labels import MODE_LABELS, ROLE_LABELS
from tosei_seminar.domain.notices import KIND_LABELS
from tosei_seminar.domain.registration import Registration, RegistrationStatus
from tosei_seminar.domain.seminar import SeminarState
from tosei_seminar.handlers.disclosure import correct, disclose

Who = Annotated[Principal, Depends(current_principal)]

ACTIONS = {
    "registration.accepted": "申込（参加確定）",
    "registration.waitlisted": "申込（キャンセル待ち）",
    "registration.cancelled": "申込の取消し",
    "registration.checked_in": "受付（来場）",
    "attendance.corrected": "出席の訂正",
    "feedback.given": "アンケートへの回答",
    CONTACTS_CORRECTED: "氏名・連絡先の訂正",
}
FIELDS = {
    "name": "氏名",
    "name_kana": "ふりがな",
    "organisation": "所属",
    "email": "メールアドレス",
    "phone": "電話番号",
}


def _phone(stored: str | None) -> str | None:
    key = phone_key(stored)
    return phone_display(key) if key else stored


class FeedbackGivenOut(BaseModel):
    satisfaction: int = Field(description="満足度 (1–5)")
    usefulness: int = Field(description="業務に役立つか (1–5)")
    comment: str | None
    submitted_at: datetime


class MailToThemOut(BaseModel):
    kind: str = Field(examples=["registration.registered"])
    kind_label: str = Field(examples=["申込の受付"])
    written_at: datetime = Field(description="When the change the mail tells of was made.")
    to: str | None = Field(description="The address it was (to be) sent to; null once erased.")
    subject: str | None = Field(description="Null once erased.")
    body: str | None = Field(
        description="The text as sent (the HTML part says the same); null once erased."
    )
    state: MailState
    state_label: str = Field(examples=["送信済み"])
    sent_at: datetime | None
    erased_at: datetime | None = Field(
        description="When its address and text were erased (the retention period, or the "
        "address withdrawn before it was sent)."
    )

    @classmethod
    def of(cls, m: MailToThem) -> MailToThemOut:
        return cls(
            kind=m.kind,
            kind_label=KIND_LABELS.get(m.kind, m.kind),
            written_at=m.written_at,
            to=m.recipient,
            subject=m.subject,
            body=m.body,
            state=m.state,
            state_label=m.state.label,
            sent_at=m.sent_at,
            erased_at=m.erased_at,
        )


class DisclosedRegistrationOut(BaseModel):
    registration_id: UUID
    reference: str
    seminar_id: UUID
    seminar_title: str
    seminar_state: SeminarState
    seminar_state_label: str
    starts_at: datetime | None
    place_name: str
    mode: AttendanceMode
    mode_label: str
    name: str
    name_kana: str | None
    organisation: str | None
    role: AttendeeRole
    role_label: str
    municipality: str
    municipality_name: str
    email: str | None
    phone: str | None
    status: RegistrationStatus
    status_label: str
    registered_at: datetime
    accepted_at: datetime | None
    promoted_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None = Field(description="When they were checked in (attended).")
    feedback: FeedbackGivenOut | None
    certificate_issuable: bool = Field(
        description="An attendee of a held seminar: the certificate (修了証) is made on request "
        "from their reference (GET /registrations/{reference}/certificate.pdf)."
    )
    history: list[HistoryEntryOut]
    mails: list[MailToThemOut] = Field(
        description="The mails written to them about this registration, oldest first."
    )

    @classmethod
    def of(cls, d: DisclosedRegistration) -> DisclosedRegistrationOut:
        r, s = d.registration, d.seminar
        f = d.feedback
        return cls(
            registration_id=r.id,
            reference=r.reference,
            seminar_id=s.id,
            seminar_title=s.title,
            seminar_state=s.state,
            seminar_state_label=s.state.label,
            starts_at=s.starts_at,
            place_name=d.place_name,
            mode=r.mode,
            mode_label=MODE_LABELS[r.mode],
            name=r.name,
            name_kana=r.name_kana,
            organisation=r.organisation,
            role=r.role,
            role_label=ROLE_LABELS[r.role],
            municipality=r.municipality,
            municipality_name=municipality(r.municipality).name,
            email=r.email,
            phone=_phone(r.phone),
            status=r.status,
            status_label=r.status.label,
            registered_at=r.registered_at,
            accepted_at=r.accepted_at,
            promoted_at=r.promoted_at,
            cancelled_at=r.cancelled_at,
            checked_in_at=r.checked_in_at,
            feedback=FeedbackGivenOut(
                satisfaction=f.satisfaction,
                usefulness=f.usefulness,
                comment=f.comment,
                submitted_at=f.submitted_at,
            )
            if f
            else None,
            certificate_issuable=d.certificate_issuable,
            history=history(d.history, actions=ACTIONS, fields=FIELDS),
            mails=[MailToThemOut.of(m) for m in d.mails],
        )


class SeminarDisclosureOut(BaseModel):
    """Every registration of the person for the joint home-care seminars."""

    registrations: list[DisclosedRegistrationOut]


class ContactCorrectionIn(Body):
    """The registrant's own details as they should be; an empty string clears an optional one."""

    reason: Reason = Field(examples=["本人からの申出（メールアドレスの誤り）"])
    name: Annotated[str | None, FreeText(100)] = Field(default=None, examples=["山田 花子"])
    name_kana: Annotated[str | None, FreeText(100)] = Field(default=None)
    organisation: Annotated[str | None, FreeText(200)] = Field(default=None)
    email: Annotated[str | None, Email()] = Field(default=None, examples=["hanako@example.jp"])
    phone: Annotated[str | None, Phone()] = Field(default=None, examples=["017-755-2111"])

    #: The contacts sent as an empty string: to be cleared (``Email()`` and ``Phone()`` read an
    #: empty one as none, which here would mean "unchanged").
    _cleared: frozenset[str] = PrivateAttr(default=frozenset())

    @model_validator(mode="wrap")
    @classmethod
    def _blank_contacts(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        model = handler(data)
        if isinstance(data, dict) and isinstance(model, ContactCorrectionIn):
            model._cleared = frozenset(
                k
                for k in ("email", "phone")
                if isinstance(data.get(k), str) and not data[k].strip()
            )
        return model

    def correction(self) -> ContactCorrection:
        return ContactCorrection(
            reason=self.reason,
            name=self.name,
            name_kana=self.name_kana,
            organisation=self.organisation,
            email="" if "email" in self._cleared else self.email,
            phone="" if "phone" in self._cleared else self.phone,
        )


class ContactsCorrectedOut(BaseModel):
    registration_id: UUID
    name: str
    email: str | None
    phone: str | None

    @classmethod
    def of(cls, r: Registration) -> ContactsCorrectedOut:
        return cls(registration_id=r.id, name=r.name, email=r.email, phone=_phone(r.phone))


Contact = Annotated[str | None, Query(max_length=200), FreeText(200)]


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(tags=["requests from the person"])

    @api.get(
        "/disclosure/registrants",
        summary="Every registration of a person, found by their e-mail or phone (and name, to "
        "narrow it): registration, attendance, feedback, certificate (本人開示; coordinators). "
        "Audited.",
    )
    async def registrant_disclosure(
        who: Who, email: Contact = None, phone: Contact = None, name: Contact = None
    ) -> SeminarDisclosureOut:
        async with rt.unit_of_work(who) as uow:
            found = await disclose(uow, who, name=name, email=email, phone=phone)
        return SeminarDisclosureOut(registrations=[DisclosedRegistrationOut.of(d) for d in found])

    @api.patch(
        "/registrations/{reference}/contacts",
        summary="Correct a registrant's name, furigana, organisation, e-mail or phone "
        "(coordinators; with the reason, old → new kept)",
    )
    async def correct_contacts(
        reference: Annotated[str, Path(min_length=1, max_length=40)],
        body: ContactCorrectionIn,
        who: Who,
    ) -> ContactsCorrectedOut:
        async with rt.unit_of_work(who) as uow:
            done = await correct(uow, who, reference, body.correction())
        return ContactsCorrectedOut.of(done)

    return api
