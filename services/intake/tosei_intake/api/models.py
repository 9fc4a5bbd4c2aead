"""Request and response bodies of the intake API. Requests forbid unknown fields and bound every
value, so bad input is a 422 naming the field before anything reaches the database."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin
from tosei_common.platform.errors import Unprocessable
from tosei_common.region.fiscal import fiscal_year, fiscal_year_label
from tosei_common.region.municipalities import municipality, resolve_municipality
from tosei_intake.domain import labels, values
from tosei_intake.domain.clients import Person
from tosei_intake.domain.consultations import NewConsultation, unique_categories


def _optional(max_length: int) -> AfterValidator:
    return AfterValidator(lambda v: values.optional_text(v, max_length=max_length))


def _municipality_code(text: str) -> str:
    return resolve_municipality(values.text(text, max_length=40)).code


def _consulted_at(moment: datetime | None) -> datetime | None:
    return None if moment is None else values.consultation_moment(moment)


def _description(text: str) -> str:
    cleaned = values.text(text, max_length=values.DESCRIPTION_MAX, multiline=True)
    if not cleaned:
        raise ValueError("is empty: say what the client asked about")
    return cleaned


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(max_length=values.NAME_MAX), AfterValidator(values.person_name)] = (
        Field(description="相談者名 as the person gives it.", examples=["山田 太郎"])
    )
    furigana: Annotated[
        str | None, Field(max_length=values.NAME_MAX), _optional(values.NAME_MAX)
    ] = Field(default=None, description="ふりがな (optional).", examples=["やまだ たろう"])
    phone: Annotated[
        str | None, Field(max_length=values.PHONE_MAX), AfterValidator(values.phone)
    ] = Field(default=None, description="電話番号, any usual spelling.", examples=["017-723-1111"])
    email: Annotated[
        str | None, Field(max_length=values.EMAIL_MAX), AfterValidator(values.email)
    ] = Field(default=None, description="メールアドレス.", examples=["taro.yamada@example.jp"])

    @model_validator(mode="after")
    def _reachable(self) -> PersonIn:
        if self.phone is None and self.email is None:
            raise ValueError(
                "give a phone number or an e-mail address: the desk recognises a returning "
                "client by name plus one of them"
            )
        return self

    def person(self) -> Person:
        return Person(name=self.name, furigana=self.furigana, phone=self.phone, email=self.email)


class BusinessIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[
        str | None, Field(max_length=values.BUSINESS_MAX), _optional(values.BUSINESS_MAX)
    ] = Field(
        default=None,
        description="事業者名 or 屋号; may be empty while a founder is still planning.",
        examples=["津軽りんご工房"],
    )
    stage: BusinessStage = Field(
        description="planning 創業予定, early 創業5年以内, established 既存事業者.",
        examples=["planning"],
    )


class ConsultationIn(BaseModel):
    """A consultation as desk staff register it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "person": {
                        "name": "山田 太郎",
                        "furigana": "やまだ たろう",
                        "phone": "０１７－７２３－１１１１",
                        "email": "taro.yamada@example.jp",
                    },
                    "business": {"name": "津軽りんご工房", "stage": "planning"},
                    "municipality": "外ケ浜町",
                    "categories": ["founding_plan", "financing"],
                    "channel": "walk_in",
                    "description": "りんごの加工品で創業したい。創業計画と融資について相談。",
                    "consent_to_share": True,
                }
            ]
        },
    )

    person: PersonIn
    business: BusinessIn
    municipality: Annotated[str, Field(max_length=40), AfterValidator(_municipality_code)] = Field(
        description="One of the five municipalities, as typed (外ケ浜町, 青森, 022012).",
        examples=["外ケ浜町"],
    )
    categories: list[Category] = Field(
        min_length=1,
        max_length=len(Category),
        description="One or more of the desk's categories.",
        examples=[["founding_plan", "financing"]],
    )
    channel: Channel = Field(examples=["walk_in"])
    description: Annotated[
        str,
        Field(min_length=1, max_length=values.DESCRIPTION_MAX),
        AfterValidator(_description),
    ] = Field(
        description="相談内容: what the client asked about (stays in intake, never on a topic).",
        examples=["りんごの加工品で創業したい。創業計画と日本政策金融公庫の融資について相談。"],
    )
    consent_to_share: bool = Field(
        description="The client agreed that external experts may see the case.", examples=[True]
    )
    consulted_at: Annotated[datetime | None, AfterValidator(_consulted_at)] = Field(
        default=None,
        description="When the consultation took place (default: now). Without a zone: Japan time.",
        examples=["2026-10-05T10:30:00+09:00"],
    )

    def consultation(self, now: datetime) -> NewConsultation:
        """The consultation to register; ``now`` is the service's clock (the default time)."""
        consulted_at = now if self.consulted_at is None else self.consulted_at
        try:
            values.not_in_future(consulted_at, now)
        except ValueError as exc:
            raise Unprocessable(f"consulted_at {exc}", fields={"consulted_at": str(exc)}) from exc
        return NewConsultation(
            person=self.person.person(),
            business_name=self.business.name,
            stage=self.business.stage,
            municipality=self.municipality,
            categories=unique_categories(self.categories),
            channel=self.channel,
            description=self.description,
            consent_to_share=self.consent_to_share,
            consulted_at=consulted_at,
        )


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicate_id: UUID = Field(
        description="The client record to merge into the one in the path.",
        examples=["9a1d2e3f-4b5c-4d6e-8f70-1a2b3c4d5e6f"],
    )


# responses ------------------------------------------------------------------------------------


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
    phone: str | None
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


class ClientSummaryOut(BaseModel):
    id: UUID
    name: str
    furigana: str | None
    consultations: int
    last_consulted_at: datetime | None


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
    consultations: list[ConsultationOut]


class MergedOut(BaseModel):
    client_id: UUID
    merged_client_id: UUID
    moved_consultations: list[UUID]
    by: str


class ConsultationPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ConsultationOut]


class CountRowOut(BaseModel):
    key: str = Field(examples=["023078"])
    label: str = Field(examples=["外ヶ浜町"])
    count: int


class CountsOut(BaseModel):
    by: str
    period: str = Field(examples=["令和8年度"])
    total: int = Field(description="Consultations in the period (each once, whatever its rows).")
    rows: list[CountRowOut]


class RejectedRowOut(BaseModel):
    file: str
    line: int
    reasons: list[str]


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
    rejected: list[RejectedRowOut]


def consultation_out(row: Any) -> ConsultationOut:
    """A consultation row (db.queries) as the API shows it."""
    categories = [Category(c) for c in row["categories"]]
    legacy = None
    if row["legacy_status"] is not None:
        status = LegacyStatus(row["legacy_status"])
        legacy = LegacyOut(
            status=status,
            status_label=labels.LEGACY_STATUS[status],
            staff_name=row["legacy_staff_name"],
            categories_as_written=row["legacy_categories"],
            file=row["legacy_file"],
            line=row["legacy_line"],
        )
    expert = None
    if row["expert_id"] is not None:
        expert = ExpertOut(
            expert_id=row["expert_id"], track=row["expert_track"], since=row["expert_since"]
        )
    stage, channel, origin = (
        BusinessStage(row["stage"]),
        Channel(row["channel"]),
        Origin(row["origin"]),
    )
    return ConsultationOut(
        id=row["id"],
        client_id=row["client_id"],
        registered_client_id=row["registered_client_id"],
        person_name=row["person_name"],
        furigana=row["furigana"],
        phone=row["phone"],
        email=row["email"],
        business_name=row["business_name"],
        stage=stage,
        stage_label=labels.STAGE[stage],
        municipality=MunicipalityOut.of(row["municipality"]),
        categories=categories,
        category_labels=labels.categories(categories),
        channel=channel,
        channel_label=labels.CHANNEL[channel],
        description=row["description"],
        consent_to_share=row["consent_to_share"],
        consulted_at=row["consulted_at"],
        fiscal_year=fiscal_year_label(fiscal_year(row["consulted_at"])),
        origin=origin,
        origin_label=labels.ORIGIN[origin],
        legacy=legacy,
        assigned_expert=expert,
        created_at=row["created_at"],
        created_by=row["created_by"],
    )
