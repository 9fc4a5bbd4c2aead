"""What the intake API answers: response models, and how the domain's records are shown.

Codes come with the Japanese words people read (stage_label 創業予定, fiscal_year 令和8年度);
phone numbers are shown with hyphens (017-723-1111), so a sheet made from them keeps the
leading 0.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from tosei_common.catalogue import labels
from tosei_common.catalogue.intake import (
    BusinessStage,
    Category,
    Channel,
    ClientErased,
    ErasureBasis,
    LegacyStatus,
    Origin,
)
from tosei_common.platform.errors import Language
from tosei_common.region.fiscal import fiscal_year, fiscal_year_label
from tosei_common.region.inputs import phone_display
from tosei_common.region.municipalities import municipality
from tosei_common.region.text import phone_key
from tosei_intake.domain.clients import ClientSummary, Merge
from tosei_intake.domain.consultations import Consultation, Registration
from tosei_intake.domain.import_report import ImportReport
from tosei_intake.domain.reports import CountRow
from tosei_intake.handlers.reads import ClientView


class MunicipalityOut(BaseModel):
    code: str = Field(examples=["023078"])
    name: str = Field(examples=["外ヶ浜町"])

    @classmethod
    def of(cls, code: str) -> MunicipalityOut:
        return cls(code=code, name=municipality(code).name)


class RegisteredOut(BaseModel):
    id: UUID = Field(description="The consultation, also its case id.")
    client_id: UUID
    client_created: bool = Field(description="False when the person was recognised.")
    by: str = Field(examples=["desk:sato"])

    @classmethod
    def of(cls, done: Registration, by: str) -> RegisteredOut:
        return cls(
            id=done.consultation_id,
            client_id=done.client_id,
            client_created=done.client_created,
            by=by,
        )


class ExpertOut(BaseModel):
    expert_id: UUID
    track: str = Field(examples=["startup"])
    since: datetime


class LegacyOut(BaseModel):
    status: LegacyStatus
    status_label: str = Field(examples=["対応中"])
    staff_name: str | None = Field(examples=["佐藤 一郎"])
    categories_as_written: str | None = Field(examples=["資金繰り・コロナ関連"])
    file: str
    line: int


class ConsultationOut(BaseModel):
    id: UUID
    client_id: UUID
    registered_client_id: UUID = Field(
        description="The client it was registered (and announced) under; differs after a merge."
    )
    person_name: str
    furigana: str | None
    phone: str | None = Field(examples=["017-723-1111"])
    email: str | None
    business_name: str | None
    stage: BusinessStage
    stage_label: str
    municipality: MunicipalityOut
    categories: list[Category]
    category_labels: list[str]
    channel: Channel
    channel_label: str
    description: str
    consent_to_share: bool
    consulted_at: datetime
    fiscal_year: str = Field(examples=["令和8年度"])
    origin: Origin
    origin_label: str
    legacy: LegacyOut | None
    assigned_expert: ExpertOut | None = Field(description="The expert caseflow assigned, if any.")
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, c: Consultation) -> ConsultationOut:
        legacy = None
        if c.legacy is not None:
            legacy = LegacyOut(
                status=c.legacy.status,
                status_label=labels.LEGACY_STATUS[c.legacy.status],
                staff_name=c.legacy.staff_name,
                categories_as_written=c.legacy.categories_as_written,
                file=c.legacy.file,
                line=c.legacy.line,
            )
        expert = None
        if c.expert is not None:
            expert = ExpertOut(
                expert_id=c.expert.expert_id, track=c.expert.track, since=c.expert.since
            )
        return cls(
            id=c.id,
            client_id=c.client_id,
            registered_client_id=c.registered_client_id,
            person_name=c.person_name,
            furigana=c.furigana,
            phone=shown_phone(c.phone),
            email=c.email,
            business_name=c.business_name,
            stage=c.stage,
            stage_label=labels.STAGE[c.stage],
            municipality=MunicipalityOut.of(c.municipality),
            categories=list(c.categories),
            category_labels=labels.categories(c.categories),
            channel=c.channel,
            channel_label=labels.CHANNEL[c.channel],
            description=c.description,
            consent_to_share=c.consent_to_share,
            consulted_at=c.consulted_at,
            fiscal_year=fiscal_year_label(fiscal_year(c.consulted_at)),
            origin=c.origin,
            origin_label=labels.ORIGIN[c.origin],
            legacy=legacy,
            assigned_expert=expert,
            created_at=c.created_at,
            created_by=c.created_by,
        )


def shown_phone(stored: str | None) -> str | None:
    """A phone number with the usual hyphens (a number stored before they were added shows
    them too)."""
    if stored is None:
        return None
    key = phone_key(stored)
    return phone_display(key) if key else stored


class ClientSummaryOut(BaseModel):
    id: UUID
    name: str
    furigana: str | None
    consultations: int
    last_consulted_at: datetime | None
    use_stopped: bool = Field(
        description="The person asked that their records' use be stopped (利用停止中); only "
        "coordinators and auditors find such a client."
    )

    @classmethod
    def of(cls, s: ClientSummary) -> ClientSummaryOut:
        return cls(
            id=s.id,
            name=s.name,
            furigana=s.furigana,
            consultations=s.consultations,
            last_consulted_at=s.last_consulted_at,
            use_stopped=s.use_stopped,
        )


class ClientOut(BaseModel):
    id: UUID
    name: str
    furigana: str | None
    names: list[str] = Field(description="Every spelling of the name it was registered with.")
    phones: list[str]
    emails: list[str]
    merged_client_ids: list[UUID] = Field(description="Duplicates merged into this client.")
    created_at: datetime
    created_by: str
    use_stopped_since: datetime | None = Field(
        description="Since when the records' use is stopped at the person's request (利用停止中)."
    )
    use_stop_reason: str | None
    legal_hold_since: datetime | None = Field(
        description="Since when a legal hold (訴訟等による保存) keeps the client from erasure."
    )
    legal_hold_reason: str | None
    erased_at: datetime | None = Field(
        description="When the client's personal data was erased (消去済み); None: it was not."
    )
    consultations: list[ConsultationOut]

    @classmethod
    def of(cls, view: ClientView) -> ClientOut:
        client = view.client
        return cls(
            id=client.id,
            name=client.name,
            furigana=client.furigana,
            names=view.names,
            phones=[shown_phone(p) or p for p in view.phones],
            emails=view.emails,
            merged_client_ids=view.merged_client_ids,
            created_at=client.created_at,
            created_by=client.created_by,
            use_stopped_since=view.use_stop.stopped_at if view.use_stop else None,
            use_stop_reason=view.use_stop.reason if view.use_stop else None,
            legal_hold_since=view.legal_hold.placed_at if view.legal_hold else None,
            legal_hold_reason=view.legal_hold.reason if view.legal_hold else None,
            erased_at=view.erased_at,
            consultations=[ConsultationOut.of(c) for c in view.consultations],
        )


class MergedOut(BaseModel):
    client_id: UUID
    merged_client_id: UUID
    moved_consultations: list[UUID]
    by: str

    @classmethod
    def of(cls, merge: Merge, by: str) -> MergedOut:
        return cls(
            client_id=merge.client_id,
            merged_client_id=merge.merged_client_id,
            moved_consultations=list(merge.moved_consultations),
            by=by,
        )


class ConsultationPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ConsultationOut]


class CountRowOut(BaseModel):
    key: str = Field(examples=["023078"])
    label: str = Field(examples=["外ヶ浜町"])
    count: int

    @classmethod
    def of(cls, row: CountRow) -> CountRowOut:
        return cls(key=row.key, label=row.label, count=row.count)


class CountsOut(BaseModel):
    by: str
    period: str = Field(examples=["令和8年度"])
    total: int = Field(description="Consultations in the period (each once, whatever its rows).")
    rows: list[CountRowOut]


class RejectedRowOut(BaseModel):
    file: str
    line: int
    reasons: list[str] = Field(examples=[["受付日: 「2021/2/30」は存在しない日付です"]])


class ImportedRowOut(BaseModel):
    file: str
    line: int
    consultation_id: UUID
    client_id: UUID
    client: str = Field(description="new, matched (on file before) or same_as_earlier_row.")


class SkippedRowOut(BaseModel):
    file: str
    line: int
    consultation_id: UUID


class StatusChangeOut(BaseModel):
    """An old case imported before whose 状況 moved on in this export: recorded, to review."""

    file: str
    line: int
    consultation_id: UUID
    old: LegacyStatus
    new: LegacyStatus
    old_label: str = Field(examples=["対応中"])
    new_label: str = Field(examples=["完了"])


class ImportFileOut(BaseModel):
    name: str
    encoding: str
    desk: str
    rows: int


class ImportReportOut(BaseModel):
    dry_run: bool
    files: list[ImportFileOut]
    accepted: int
    new_clients: int
    matched_existing_clients: int
    imported: list[ImportedRowOut]
    already_imported: list[SkippedRowOut]
    status_changed: list[StatusChangeOut] = Field(
        description="Rows imported before whose 状況 changed (対応中 → 完了): the consultation "
        "records the new status; a coordinator closes or reopens the case in caseflow."
    )
    rejected: list[RejectedRowOut] = Field(
        description="Rows refused, each with every reason (Japanese; English on "
        "Accept-Language: en)."
    )

    @classmethod
    def of(cls, report: ImportReport, language: Language) -> ImportReportOut:
        return cls(
            dry_run=report.dry_run,
            files=[
                ImportFileOut(name=f.name, encoding=f.encoding, desk=f.desk.value, rows=f.rows)
                for f in report.files
            ],
            accepted=len(report.imported),
            new_clients=report.new_clients,
            matched_existing_clients=len(report.matched),
            imported=[
                ImportedRowOut(
                    file=r.file,
                    line=r.line,
                    consultation_id=r.consultation_id,
                    client_id=r.client_id,
                    client=r.client.value,
                )
                for r in report.imported
            ],
            already_imported=[
                SkippedRowOut(file=r.file, line=r.line, consultation_id=r.consultation_id)
                for r in report.already_imported
            ],
            status_changed=[
                StatusChangeOut(
                    file=c.file,
                    line=c.line,
                    consultation_id=c.consultation_id,
                    old=c.old,
                    new=c.new,
                    old_label=labels.LEGACY_STATUS[c.old],
                    new_label=labels.LEGACY_STATUS[c.new],
                )
                for c in report.status_changed
            ],
            rejected=[
                RejectedRowOut(file=p.file, line=p.line, reasons=p.reasons_in(language))
                for p in report.rejected
            ],
        )


class LegalHoldOut(BaseModel):
    hold_id: UUID
    client_id: UUID


class ErasedOut(BaseModel):
    """What was erased: ids only (the personal data is gone)."""

    client_id: UUID
    merged_client_ids: list[UUID]
    consultation_ids: list[UUID]
    basis: ErasureBasis
    erased_at: datetime

    @classmethod
    def of(cls, event: ClientErased) -> ErasedOut:
        return cls(
            client_id=event.client_id,
            merged_client_ids=event.merged_client_ids,
            consultation_ids=event.case_ids,
            basis=event.basis,
            erased_at=event.erased_at,
        )
