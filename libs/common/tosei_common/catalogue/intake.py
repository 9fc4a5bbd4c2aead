"""Events of the intake service (the consultation desk's front door)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from tosei_common.platform.events import Event
from tosei_common.platform.topics import Topic

CASES = Topic(
    "tosei.intake.cases",
    "Consultations that opened a case at the unified business consultation desk.",
    partitions=6,
)


class BusinessStage(StrEnum):
    """Where the client's business is."""

    PLANNING = "planning"  # 創業予定 (planning to found)
    EARLY = "early"  # 創業5年以内 (founded within five years)
    ESTABLISHED = "established"  # 既存事業者 (existing business)


class Category(StrEnum):
    """The desk's fixed taxonomy of consultation topics (several may apply)."""

    FOUNDING_PLAN = "founding_plan"  # 創業計画
    FINANCING = "financing"  # 資金調達
    SALES_CHANNELS = "sales_channels"  # 販路開拓
    HR = "hr"  # 人材・雇用
    IT = "it"  # IT・デジタル化
    SUCCESSION = "succession"  # 事業承継
    CRISIS = "crisis"  # 危機対応 (COVID-19 impact etc.)
    OTHER = "other"  # その他


class Channel(StrEnum):
    WALK_IN = "walk_in"  # 来所
    PHONE = "phone"  # 電話
    ONLINE = "online"  # オンライン
    REFERRAL = "referral"  # 紹介


class Origin(StrEnum):
    """Which desk the case came from: the unified desk, or a hand-over from an old one."""

    NEW_DESK = "new_desk"
    STARTUP_DESK = "startup_desk"  # 旧 創業支援窓口
    SME_DESK = "sme_desk"  # 旧 中小企業経営支援窓口


class LegacyStatus(StrEnum):
    """A handed-over case's status at the old desk (状況)."""

    OPEN = "open"  # 対応中 / 継続
    WAITING = "waiting"  # 保留 / 待機
    CLOSED = "closed"  # 完了 / 終了


class CaseOpened(Event):
    """A consultation opened a case (at the new desk, or handed over from an old one)."""

    ce_type: ClassVar[str] = "jp.tosei.intake.case.opened.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = Field(
        description="The case, also the consultation that opened it.",
        examples=["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"],
    )
    client_id: UUID = Field(
        description="Pseudonymous client id (the same person across consultations).",
        examples=["0f7c1c7a-3b41-4d7e-9a35-6a1f5c2d8e90"],
    )
    municipality: str = Field(
        description="全国地方公共団体コード of the client's municipality.",
        pattern=r"^\d{6}$",
        examples=["023078"],
    )
    stage: BusinessStage = Field(examples=["planning"])
    categories: list[Category] = Field(min_length=1, examples=[["founding_plan", "financing"]])
    channel: Channel = Field(examples=["walk_in"])
    origin: Origin = Field(examples=["new_desk"])
    consent_to_share: bool = Field(
        description="The client agreed that external experts may see the case.", examples=[True]
    )
    opened_at: datetime = Field(
        description="When the consultation took place (UTC).", examples=["2026-10-05T01:30:00Z"]
    )
    legacy_status: LegacyStatus | None = Field(
        default=None, description="Status at the old desk, for handed-over cases.", examples=[None]
    )
    legacy_staff: str | None = Field(
        default=None,
        description="Pseudonym of the old desk's staff member in charge (text.pseudonym of "
        "'staff' and the name key), so caseflow can match an expert without a name on the topic.",
        examples=[None],
    )


class ConsultationCorrected(Event):
    """The desk corrected what a consultation says about where and what it is (the town, the
    categories, the business's stage): readers of cases and figures follow. Descriptions and
    the person's details are corrected too, but stay in intake."""

    ce_type: ClassVar[str] = "jp.tosei.intake.consultation.corrected.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = Field(
        description="The case (the consultation that opened it).",
        examples=["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"],
    )
    municipality: str = Field(pattern=r"^\d{6}$", examples=["023078"])
    stage: BusinessStage = Field(examples=["planning"])
    categories: list[Category] = Field(min_length=1, examples=[["founding_plan", "financing"]])
    corrected_at: datetime = Field(
        description="When the correction was recorded (UTC).", examples=["2026-12-02T01:30:00Z"]
    )


class ConsentChanged(Event):
    """The client gave, or withdrew, their consent that external experts may see the case
    (recorded at intake after the consultation: 「同意を後から取得」 or 「同意の撤回」)."""

    ce_type: ClassVar[str] = "jp.tosei.intake.case.consent_changed.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = Field(
        description="The case (the consultation that opened it).",
        examples=["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"],
    )
    consent_to_share: bool = Field(
        description="Consent now given (true) or withdrawn (false).", examples=[True]
    )
    given_on: date = Field(
        description="The day the client said so (Japan).", examples=["2026-12-02"]
    )
    changed_at: datetime = Field(
        description="When intake recorded it (UTC).", examples=["2026-12-02T01:30:00Z"]
    )


CLIENTS = Topic(
    "tosei.intake.clients",
    "Changes to the desk's de-duplicated clients (pseudonymous ids only).",
    partitions=6,
)


class ClientsMerged(Event):
    """Two client records turned out to be one person: the duplicate's cases now belong to the
    surviving client. Consumers that count clients should count ``merged_client_id`` as
    ``client_id`` from now on."""

    ce_type: ClassVar[str] = "jp.tosei.intake.client.merged.v1"
    topic: ClassVar[Topic] = CLIENTS
    subject_field: ClassVar[str] = "client_id"

    client_id: UUID = Field(
        description="The surviving client (pseudonymous id).",
        examples=["0f7c1c7a-3b41-4d7e-9a35-6a1f5c2d8e90"],
    )
    merged_client_id: UUID = Field(
        description="The duplicate record, which no longer stands for anyone on its own.",
        examples=["9a1d2e3f-4b5c-4d6e-8f70-1a2b3c4d5e6f"],
    )
    case_ids: list[UUID] = Field(
        description="The cases (consultations) that moved from the duplicate to the survivor.",
        examples=[["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"]],
    )
    merged_at: datetime = Field(
        description="When the coordinator merged them (UTC).", examples=["2026-11-02T04:00:00Z"]
    )


class ClientsUnmerged(Event):
    """A merge was a mistake and is undone: the duplicate stands for its own person again, with
    exactly the cases that moved when it was merged. Consumers that count clients should count
    ``unmerged_client_id`` on its own again for those cases."""

    ce_type: ClassVar[str] = "jp.tosei.intake.client.unmerged.v1"
    topic: ClassVar[Topic] = CLIENTS
    subject_field: ClassVar[str] = "client_id"

    client_id: UUID = Field(
        description="The client the duplicate had been merged into.",
        examples=["0f7c1c7a-3b41-4d7e-9a35-6a1f5c2d8e90"],
    )
    unmerged_client_id: UUID = Field(
        description="The record that is its own client again.",
        examples=["9a1d2e3f-4b5c-4d6e-8f70-1a2b3c4d5e6f"],
    )
    case_ids: list[UUID] = Field(
        description="The cases that go back to it.",
        examples=[["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"]],
    )
    unmerged_at: datetime = Field(examples=["2026-12-02T01:30:00Z"])


class ErasureBasis(StrEnum):
    RETENTION = "retention"  # 保存期間の満了
    REQUEST = "request"  # 本人からの消去請求


class ClientErased(Event):
    """A client's personal data was erased at the desk (their retention period ended, or they
    asked): every service that holds notes about their cases erases them too. The cases stay,
    with their towns, categories, dates and outcomes, so the statistics do not change."""

    ce_type: ClassVar[str] = "jp.tosei.intake.client.erased.v1"
    topic: ClassVar[Topic] = CLIENTS
    subject_field: ClassVar[str] = "client_id"

    client_id: UUID = Field(
        description="The client whose personal data is erased (pseudonymous id).",
        examples=["0f7c1c7a-3b41-4d7e-9a35-6a1f5c2d8e90"],
    )
    merged_client_ids: list[UUID] = Field(
        default_factory=list,
        description="Duplicate records once merged into the client, erased with it.",
        examples=[["9a1d2e3f-4b5c-4d6e-8f70-1a2b3c4d5e6f"]],
    )
    case_ids: list[UUID] = Field(
        description="Every case (consultation) of the client: erase what you hold about them.",
        examples=[["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"]],
    )
    basis: ErasureBasis = Field(examples=["retention"])
    erased_at: datetime = Field(
        description="When intake erased it (UTC).", examples=["2031-04-01T18:00:00Z"]
    )


class ClientUseStopped(Event):
    """The person asked the desk to stop using their records (利用停止), and a coordinator did:
    their cases take no new referral to external experts, and no new consultation is filed
    under them, until the use is resumed. Consumers holding the client's cases should stop
    sharing them outward. The reason stays in intake."""

    ce_type: ClassVar[str] = "jp.tosei.intake.client.use_stopped.v1"
    topic: ClassVar[Topic] = CLIENTS
    subject_field: ClassVar[str] = "client_id"

    client_id: UUID = Field(
        description="The client (pseudonymous id).",
        examples=["0f7c1c7a-3b41-4d7e-9a35-6a1f5c2d8e90"],
    )
    case_ids: list[UUID] = Field(
        description="The client's cases (consultations) when the use was stopped.",
        examples=[["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"]],
    )
    stopped_at: datetime = Field(examples=["2026-12-02T01:30:00Z"])


class ClientUseResumed(Event):
    """The stop of a client's records' use is lifted (the person withdrew the request, or it
    was made in error): their cases may be referred again."""

    ce_type: ClassVar[str] = "jp.tosei.intake.client.use_resumed.v1"
    topic: ClassVar[Topic] = CLIENTS
    subject_field: ClassVar[str] = "client_id"

    client_id: UUID = Field(
        description="The client (pseudonymous id).",
        examples=["0f7c1c7a-3b41-4d7e-9a35-6a1f5c2d8e90"],
    )
    case_ids: list[UUID] = Field(
        description="The client's cases (consultations) when the use was resumed.",
        examples=[["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"]],
    )
    resumed_at: datetime = Field(examples=["2026-12-09T01:30:00Z"])
