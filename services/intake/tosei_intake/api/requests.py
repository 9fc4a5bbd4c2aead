"""What callers send: request bodies and the query parameters that say which consultations a
list, a count or an export covers.

Requests forbid unknown fields and bound every value; free text is taken by the platform's
input rules (``FreeText``, ``Phone``, ``Email``, ``FiscalYear``) and kept as typed. Bad input is
a 422 naming the field, in Japanese (English on ``Accept-Language: en``), before anything
reaches the database.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, Origin
from tosei_common.region.inputs import Email, FiscalYear, FreeText, Phone
from tosei_common.region.municipalities import resolve_municipality
from tosei_common.region.said import InputError
from tosei_intake.domain import values
from tosei_intake.domain.client_corrections import ClientCorrection
from tosei_intake.domain.clients import Person
from tosei_intake.domain.consent import ConsentChange
from tosei_intake.domain.consultations import NewConsultation, unique_categories
from tosei_intake.domain.corrections import ConsultationCorrection
from tosei_intake.domain.periods import FIRST_YEAR, LAST_YEAR, ConsultationFilter, period


def _municipality_code(text: str | None) -> str | None:
    # UnknownMunicipality is an InputError: the answer lists the five, in the reader's language
    return None if text is None else resolve_municipality(text).code


def _blank_is_none(value: object) -> object:
    # an empty field of a search form means "not given"
    return None if isinstance(value, str) and not value.strip() else value


def _consulted_at(moment: datetime | None) -> datetime | None:
    return None if moment is None else values.consultation_moment(moment)


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, FreeText(values.NAME_MAX), AfterValidator(values.recognisable_name)] = (
        Field(
            description="相談者名 as the person gives it (kept as typed).", examples=["山田 太郎"]
        )
    )
    furigana: Annotated[str | None, FreeText(values.NAME_MAX)] = Field(
        default=None, description="ふりがな (optional).", examples=["やまだ たろう"]
    )
    phone: Annotated[str | None, Field(max_length=values.PHONE_MAX), Phone()] = Field(
        default=None,
        description="電話番号, any usual spelling; kept half-width with hyphens.",
        examples=["017-723-1111"],
    )
    email: Annotated[str | None, Field(max_length=values.EMAIL_MAX), Email()] = Field(
        default=None, description="メールアドレス.", examples=["taro.yamada@example.jp"]
    )

    @model_validator(mode="after")
    def _reachable(self) -> PersonIn:
        if self.phone is None and self.email is None:
            raise InputError(
                "電話番号かメールアドレスのどちらかを入力してください"
                "（再来の相談者は、名前とそのどちらかで見分けます）",
                "give a phone number or an e-mail address: the desk recognises a returning "
                "client by name plus one of them",
            )
        return self

    def person(self) -> Person:
        return Person(name=self.name, furigana=self.furigana, phone=self.phone, email=self.email)


class BusinessIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str | None, FreeText(values.BUSINESS_MAX)] = Field(
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
    municipality: Annotated[
        str, FreeText(values.MUNICIPALITY_MAX), AfterValidator(_municipality_code)
    ] = Field(
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
    description: Annotated[str, FreeText(values.DESCRIPTION_MAX, multiline=True)] = Field(
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

    def consultation(self) -> NewConsultation:
        """The consultation to register (without a time, it is dated when registered)."""
        return NewConsultation(
            person=self.person.person(),
            business_name=self.business.name,
            stage=self.business.stage,
            municipality=self.municipality,
            categories=unique_categories(self.categories),
            channel=self.channel,
            description=self.description,
            consent_to_share=self.consent_to_share,
            consulted_at=self.consulted_at,
        )


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicate_id: UUID = Field(
        description="The client record to merge into the one in the path.",
        examples=["9a1d2e3f-4b5c-4d6e-8f70-1a2b3c4d5e6f"],
    )


def consultation_filter(
    from_: Annotated[
        str | None,
        Query(
            alias="from",
            max_length=30,
            description="First day (inclusive), as typed: 2026-10-01, 令和8年10月1日, R8.10.1.",
        ),
    ] = None,
    to: Annotated[
        str | None, Query(max_length=30, description="Last day (inclusive), as typed.")
    ] = None,
    fiscal_year: Annotated[
        int | None,
        Query(description="A fiscal year instead of dates: 2026, FY2026, 2026年度, 令和8年度, R8."),
        FiscalYear(first=FIRST_YEAR, last=LAST_YEAR),
        BeforeValidator(_blank_is_none),
    ] = None,
    municipality: Annotated[
        str | None,
        Query(description="One municipality, as typed (外ケ浜町)."),
        FreeText(values.MUNICIPALITY_MAX),
        AfterValidator(_municipality_code),
    ] = None,
    category: Annotated[Category | None, Query()] = None,
    origin: Annotated[Origin | None, Query()] = None,
) -> ConsultationFilter:
    """The query parameters shared by the consultation list, the counts and the export."""
    return ConsultationFilter(
        period=period(from_, to, fiscal_year),
        municipality=municipality,
        category=category,
        origin=origin,
    )


class ConsentIn(BaseModel):
    """The client's consent that external experts may see the case, given or withdrawn."""

    model_config = ConfigDict(extra="forbid")

    consent_to_share: bool = Field(description="true: consent given; false: withdrawn.")
    given_on: date = Field(
        description="The day the client said so (Japan).", examples=["2026-12-02"]
    )
    note: Annotated[str | None, FreeText(1000)] = Field(
        default=None, examples=["電話で同意を確認（相談者本人）"]
    )

    def change(self) -> ConsentChange:
        return ConsentChange(self.consent_to_share, self.given_on, self.note)


class ConsultationCorrectionIn(BaseModel):
    """What to correct (only the fields given) and why."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str | None, FreeText(1000)] = Field(
        default=None, examples=["市町村の選択誤り（相談者は外ヶ浜町在住）"]
    )
    municipality: Annotated[
        str | None, FreeText(values.MUNICIPALITY_MAX), AfterValidator(_municipality_code)
    ] = Field(default=None, examples=["外ヶ浜町"])
    categories: list[Category] | None = Field(
        default=None, min_length=1, max_length=len(Category), examples=[["sales_channels"]]
    )
    stage: BusinessStage | None = Field(default=None, examples=["early"])
    channel: Channel | None = Field(default=None, examples=["phone"])
    description: Annotated[str | None, FreeText(values.DESCRIPTION_MAX, multiline=True)] = Field(
        default=None, examples=["販路開拓（道の駅での販売）について相談。"]
    )
    person_name: Annotated[
        str | None, FreeText(values.NAME_MAX), AfterValidator(_recognisable_or_none)
    ] = Field(default=None, description="相談時の氏名", examples=["山田 太郎"])
    furigana: Annotated[str | None, FreeText(values.NAME_MAX)] = Field(
        default=None, description="相談時のふりがな", examples=["やまだ たろう"]
    )
    phone: Annotated[str | None, Field(max_length=values.PHONE_MAX), Phone()] = Field(
        default=None, description="相談時の電話番号", examples=["017-723-1111"]
    )
    email: Annotated[str | None, Field(max_length=values.EMAIL_MAX), Email()] = Field(
        default=None, description="相談時のメールアドレス", examples=["taro.yamada@example.jp"]
    )
    business_name: Annotated[str | None, FreeText(values.NAME_MAX)] = Field(
        default=None, description="事業者名・屋号", examples=["津軽りんご工房"]
    )

    def correction(self) -> ConsultationCorrection:
        return ConsultationCorrection(
            reason=self.reason,
            municipality=self.municipality,
            categories=unique_categories(self.categories) if self.categories else None,
            stage=self.stage,
            channel=self.channel,
            description=self.description,
            person_name=self.person_name,
            furigana=self.furigana,
            phone=self.phone,
            email=self.email,
            business_name=self.business_name,
        )


class ClientCorrectionIn(BaseModel):
    """What to correct in a client's details (only the fields given) and why."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str | None, FreeText(1000)] = Field(
        default=None, examples=["氏名の漢字の誤り（本人に確認）"]
    )
    name: Annotated[
        str | None, FreeText(values.NAME_MAX), AfterValidator(_recognisable_or_none)
    ] = Field(default=None, examples=["髙橋 一郎"])
    furigana: Annotated[str | None, FreeText(values.NAME_MAX)] = Field(
        default=None, examples=["たかはし いちろう"]
    )
    add_phones: list[Annotated[str, Field(max_length=values.PHONE_MAX), Phone()]] = Field(
        default_factory=list, max_length=5, examples=[["090-1234-5678"]]
    )
    remove_phones: list[Annotated[str, Field(max_length=values.PHONE_MAX), Phone()]] = Field(
        default_factory=list, max_length=5, examples=[["017-723-1112"]]
    )
    add_emails: list[Annotated[str, Field(max_length=values.EMAIL_MAX), Email()]] = Field(
        default_factory=list, max_length=5
    )
    remove_emails: list[Annotated[str, Field(max_length=values.EMAIL_MAX), Email()]] = Field(
        default_factory=list, max_length=5
    )

    def correction(self) -> ClientCorrection:
        return ClientCorrection(
            reason=self.reason,
            name=self.name,
            furigana=self.furigana,
            add_phones=tuple(self.add_phones),
            remove_phones=tuple(self.remove_phones),
            add_emails=tuple(self.add_emails),
            remove_emails=tuple(self.remove_emails),
        )


def _recognisable_or_none(value: str | None) -> str | None:
    return values.recognisable_name(value) if value is not None else None


class UnmergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str | None, FreeText(1000)] = Field(
        default=None, examples=["同姓同名の別人を統合してしまったため"]
    )


class LegalHoldIn(BaseModel):
    """Why the client's records must be kept (訴訟等による保存), or why the hold ends."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str | None, FreeText(1000, multiline=True)] = Field(
        default=None, examples=["令和8年(ワ)第123号事件の証拠として保存"]
    )


class ErasureIn(BaseModel):
    """Why the client's personal data is erased before its period ends."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str | None, FreeText(1000, multiline=True)] = Field(
        default=None, examples=["本人からの消去請求（令和8年12月1日受付）"]
    )


class UseStopIn(BaseModel):
    """Why the use of the records is stopped (or resumed): the person's request as received."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str | None, FreeText(1000)] = Field(
        default=None, examples=["本人から利用停止の請求（令和8年12月2日 窓口にて受付）"]
    )
