"""A person's requests about their own records (coordinators): what intake holds about them
(本人開示), and stopping or resuming its use (利用停止)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from tosei_common.catalogue import labels
from tosei_common.catalogue.intake import BusinessStage, Category, Channel
from tosei_common.platform.auth import Principal, current_principal
from tosei_common.platform.disclosure import HistoryEntryOut, Shown, history
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import municipality
from tosei_intake.api.requests import UseStopIn
from tosei_intake.api.responses import ConsultationOut, shown_phone
from tosei_intake.domain.clients import KeyKind
from tosei_intake.domain.disclosure import IntakeDisclosure
from tosei_intake.domain.use_stops import UseStop
from tosei_intake.handlers.personal_requests import disclose, resume_use, stop_use

Caller = Annotated[Principal, Depends(current_principal)]

ACTIONS = {
    "corrected": "訂正",
    "consent_changed": "外部専門家への共有の同意の変更",
    "merged": "重複した記録の統合",
    "unmerged": "統合の取消し",
    "use_stopped": "利用停止",
    "use_resumed": "利用停止の解除",
    "disclosed": "本人開示",
}
FIELDS = {
    "name": "氏名",
    "furigana": "ふりがな",
    "phones": "電話番号",
    "emails": "メールアドレス",
    "municipality": "市町村",
    "categories": "相談分野",
    "stage": "事業の段階",
    "channel": "相談の経路",
    "description": "相談内容",
    "consent_to_share": "外部専門家への共有の同意",
    "given_on": "本人が意思を示した日",
    "person_name": "相談時の氏名",
    "phone": "相談時の電話番号",
    "email": "相談時のメールアドレス",
    "business_name": "事業者名・屋号",
}


def _label(table: Any, kind: Any) -> Shown:
    def shown(code: Any) -> str:
        try:
            return str(table[kind(code)])
        except (KeyError, ValueError):
            return str(code)

    return shown


SHOWN: dict[str, Shown] = {
    "municipality": lambda code: municipality(code).name,
    "categories": _label(labels.CATEGORY, Category),
    "stage": _label(labels.STAGE, BusinessStage),
    "channel": _label(labels.CHANNEL, Channel),
}


def _history(rows: Any) -> list[HistoryEntryOut]:
    return history(rows, actions=ACTIONS, fields=FIELDS, shown=SHOWN)


class UseStopOut(BaseModel):
    stopped_at: datetime
    stopped_by: str
    reason: str
    resumed_at: datetime | None
    resumed_by: str | None
    resume_reason: str | None

    @classmethod
    def of(cls, s: UseStop) -> UseStopOut:
        return cls(
            stopped_at=s.stopped_at,
            stopped_by=s.stopped_by,
            reason=s.reason,
            resumed_at=s.resumed_at,
            resumed_by=s.resumed_by,
            resume_reason=s.resume_reason,
        )


class ConsentChangeOut(BaseModel):
    consent_to_share: bool
    given_on: date
    note: str | None
    recorded_at: datetime
    recorded_by: str


class DisclosedConsultationOut(BaseModel):
    consultation: ConsultationOut = Field(description="As it stands now (corrections applied).")
    consent_changes: list[ConsentChangeOut]
    history: list[HistoryEntryOut] = Field(description="Corrections (old → new, why) and more.")


class MergeRecordOut(BaseModel):
    merged_client_id: UUID
    client_id: UUID
    merged_at: datetime
    merged_by: str
    undone_at: datetime | None
    undone_by: str | None
    undo_reason: str | None


class IntakeDisclosureOut(BaseModel):
    """Everything intake holds about one person."""

    client_id: UUID
    name: str
    furigana: str | None
    names: list[str] = Field(description="Every spelling of the name on file.")
    furiganas: list[str]
    phones: list[str]
    emails: list[str]
    business_names: list[str]
    created_at: datetime
    created_by: str
    use_stopped: bool = Field(description="Whether the records' use is stopped now (利用停止中).")
    use_stops: list[UseStopOut]
    merges: list[MergeRecordOut]
    history: list[HistoryEntryOut] = Field(description="What was done to the client record.")
    consultations: list[DisclosedConsultationOut]

    @classmethod
    def of(cls, d: IntakeDisclosure) -> IntakeDisclosureOut:
        c = d.client
        return cls(
            client_id=c.id,
            name=c.name,
            furigana=c.furigana,
            names=d.keys[KeyKind.NAME],
            furiganas=d.keys[KeyKind.FURIGANA],
            phones=[shown_phone(p) or p for p in d.keys[KeyKind.PHONE]],
            emails=d.keys[KeyKind.EMAIL],
            business_names=d.keys[KeyKind.BUSINESS],
            created_at=c.created_at,
            created_by=c.created_by,
            use_stopped=any(s.standing for s in d.use_stops),
            use_stops=[UseStopOut.of(s) for s in d.use_stops],
            merges=[MergeRecordOut(**vars(m)) for m in d.merges],
            history=_history(d.history),
            consultations=[
                DisclosedConsultationOut(
                    consultation=ConsultationOut.of(x.consultation),
                    consent_changes=[
                        ConsentChangeOut(
                            consent_to_share=r.consent_to_share,
                            given_on=r.given_on,
                            note=r.note,
                            recorded_at=r.recorded_at,
                            recorded_by=r.recorded_by,
                        )
                        for r in x.consents
                    ],
                    history=_history(x.history),
                )
                for x in d.consultations
            ],
        )


def router(runtime: Runtime) -> APIRouter:
    routes = APIRouter(prefix="/clients/{client_id}", tags=["requests from the person"])

    @routes.get(
        "/disclosure",
        summary="Everything intake holds about the person (本人開示; coordinators). The "
        "disclosure itself is recorded in the audit trail.",
    )
    async def disclosure(client_id: UUID, who: Caller) -> IntakeDisclosureOut:
        async with runtime.unit_of_work(who) as uow:
            found = await disclose(uow, who, client_id)
        return IntakeDisclosureOut.of(found)

    @routes.post(
        "/stop-use",
        status_code=204,
        summary="Stop the use of the client's records at their request (利用停止; "
        "coordinators): no new consultation filed under them, no referral of their cases, "
        "hidden from the desk's search",
    )
    async def stop(client_id: UUID, body: UseStopIn, who: Caller) -> None:
        async with runtime.unit_of_work(who) as uow:
            await stop_use(uow, who, client_id, body.reason)

    @routes.post(
        "/resume-use",
        status_code=204,
        summary="Lift the stop of the use of the client's records (coordinators)",
    )
    async def resume(client_id: UUID, body: UseStopIn, who: Caller) -> None:
        async with runtime.unit_of_work(who) as uow:
            await resume_use(uow, who, client_id, body.reason)

    return routes
