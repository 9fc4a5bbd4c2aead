"""Typed events and their CloudEvents 1.0 envelope (Kafka protocol binding, binary mode).

A service declares an event as a pydantic model:

    class CaseOpened(Event):
        ce_type: ClassVar[str] = "jp.tosei.intake.case.opened.v1"
        topic: ClassVar[Topic] = INTAKE_CASES
        subject_field: ClassVar[str] = "case_id"

        case_id: UUID = Field(description="...")

Every declared event is registered in one catalogue keyed by its ``ce_type``; a consumer looks the
type up there and validates the payload before it touches its database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_serializer,
)

from tosei_common.platform.topics import Topic

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
CE_TYPE_PATTERN = re.compile(r"^jp\.tosei\.[a-z_]+\.[a-z_]+\.[a-z_]+\.v[1-9][0-9]*$")

_REQUIRED_HEADERS = ("ce_id", "ce_source", "ce_type", "ce_subject", "ce_time")
_SPEC_VERSION_HEADER = ("ce_specversion", SPEC_VERSION.encode())
_CONTENT_TYPE_HEADER = ("content-type", CONTENT_TYPE.encode())

_CATALOGUE: dict[str, type[Event]] = {}
_MODEL_NAMES: dict[str, str] = {}


class Event(BaseModel):
    """Base of every event payload. Subclasses set ``ce_type``, ``topic`` and ``subject_field``."""

    # Consumers ignore fields they do not know: adding a field is the one change allowed
    # inside a type; anything else gets a new ``.vN``.
    model_config = ConfigDict(frozen=True, extra="ignore")

    ce_type: ClassVar[str]
    topic: ClassVar[Topic]
    subject_field: ClassVar[str]
    aggregate_type: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "ce_type" not in cls.__dict__:
            return  # an intermediate base class, not a concrete event
        _register(cls)

    @field_serializer("*", mode="wrap", when_used="json")
    def _moments_in_utc(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        """Payload times travel in UTC, whatever time zone the service held them in."""
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return handler(value)

    @property
    def subject(self) -> str:
        """The aggregate id: the Kafka key and ``ce_subject``."""
        return str(getattr(self, self.subject_field))


def _register(cls: type[Event]) -> None:
    if not CE_TYPE_PATTERN.match(cls.ce_type):
        raise TypeError(
            f"{cls.__name__}.ce_type {cls.ce_type!r} must look like "
            "jp.tosei.<service>.<entity>.<verb>.v<N>"
        )
    if cls.subject_field not in cls.model_fields:
        raise TypeError(f"{cls.__name__}.subject_field names no field: {cls.subject_field!r}")
    known = _CATALOGUE.get(cls.ce_type)
    if known is not None and known.__qualname__ != cls.__qualname__:
        raise TypeError(
            f"{cls.ce_type} is declared twice: {known.__qualname__}, {cls.__qualname__}"
        )
    # AsyncAPI keys payload schemas by class name: two events with one name would collide.
    owner = _MODEL_NAMES.get(cls.__name__)
    if owner is not None and owner != cls.ce_type:
        raise TypeError(f"event model name {cls.__name__} is used by {owner} already")
    if "aggregate_type" not in cls.__dict__:
        cls.aggregate_type = cls.ce_type.split(".")[3]
    _CATALOGUE[cls.ce_type] = cls
    _MODEL_NAMES[cls.__name__] = cls.ce_type


def event_class(ce_type: str) -> type[Event] | None:
    """The declared event class for a ``ce_type``, or None when the catalogue does not know it."""
    return _CATALOGUE.get(ce_type)


def catalogue() -> dict[str, type[Event]]:
    """Every declared event type, by ``ce_type``."""
    return dict(_CATALOGUE)


def topics_of(events: Iterable[type[Event]]) -> list[Topic]:
    """The distinct topics the given event types travel on, in declaration order."""
    seen: dict[str, Topic] = {}
    for event in events:
        seen.setdefault(event.topic.name, event.topic)
    return list(seen.values())


def source_of(service: str) -> str:
    """The CloudEvents ``source`` of a service."""
    return f"/tosei/{service}"


class InvalidEvent(ValueError):
    """A record that is no valid event of the catalogue: it goes to the DLQ, not into a retry."""


@dataclass(frozen=True)
class Envelope:
    """One CloudEvent in binary mode: attributes in ``ce_*`` headers, the payload as the value."""

    id: uuid.UUID
    source: str
    type: str
    subject: str
    time: datetime
    data: bytes
    extra_headers: tuple[tuple[str, bytes], ...] = field(default=())

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        source: str,
        time: datetime,
        event_id: uuid.UUID | None = None,
    ) -> Envelope:
        """Envelope a new event that happened at ``time``."""
        return cls(
            id=event_id or uuid.uuid4(),
            source=source,
            type=event.ce_type,
            subject=event.subject,
            time=time.astimezone(UTC),
            data=event.model_dump_json().encode(),
        )

    def headers(self) -> list[tuple[str, bytes]]:
        """Kafka headers in the CloudEvents Kafka protocol binding."""
        return [
            _SPEC_VERSION_HEADER,
            ("ce_id", str(self.id).encode()),
            ("ce_source", self.source.encode()),
            ("ce_type", self.type.encode()),
            ("ce_subject", self.subject.encode()),
            ("ce_time", format_time(self.time).encode()),
            _CONTENT_TYPE_HEADER,
            *self.extra_headers,
        ]

    def header_dict(self) -> dict[str, str]:
        """The headers as text, for clients (such as FastStream's publish) that take a dict."""
        return {k: v.decode() for k, v in self.headers()}

    @classmethod
    def from_record(
        cls,
        headers: Sequence[tuple[str, bytes]],
        value: bytes | None,
        *,
        parse_id: Callable[[str], uuid.UUID] = uuid.UUID,
    ) -> Envelope:
        """Read an envelope off a Kafka record; raise InvalidEvent when it is not one.

        ``parse_id`` reads ``ce_id`` (a consumer passes a faster parser that accepts the same
        spellings and raises ValueError for the same others).
        """
        attributes: dict[str, str] = {}
        for key, raw in headers:
            if key.startswith("ce_"):
                try:
                    attributes[key] = raw.decode()
                except UnicodeDecodeError as exc:
                    raise InvalidEvent(f"header {key} is not UTF-8") from exc
        try:
            event_id, source, type_, subject, moment = (
                attributes["ce_id"],
                attributes["ce_source"],
                attributes["ce_type"],
                attributes["ce_subject"],
                attributes["ce_time"],
            )
        except KeyError:
            missing = [k for k in _REQUIRED_HEADERS if k not in attributes]
            raise InvalidEvent(f"missing CloudEvents headers: {', '.join(missing)}") from None
        if attributes.get("ce_specversion", SPEC_VERSION) != SPEC_VERSION:
            raise InvalidEvent(f"unsupported ce_specversion {attributes['ce_specversion']!r}")
        try:
            parsed_id = parse_id(event_id)
        except ValueError as exc:
            raise InvalidEvent(f"ce_id is not a UUID: {event_id!r}") from exc
        try:
            time = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidEvent(f"ce_time is not RFC 3339: {moment!r}") from exc
        return cls(
            id=parsed_id, source=source, type=type_, subject=subject, time=time, data=value or b""
        )

    def decode(self) -> Event:
        """Validate the payload against the catalogue; raise InvalidEvent when it does not fit."""
        model = event_class(self.type)
        if model is None:
            raise InvalidEvent(f"unknown event type {self.type}")
        try:
            event = model.model_validate_json(self.data)
        except ValidationError as exc:
            raise InvalidEvent(f"{self.type} payload is invalid: {_summarise(exc)}") from exc
        if event.subject != self.subject:
            raise InvalidEvent(
                f"ce_subject {self.subject!r} does not match the payload's {event.subject!r}"
            )
        return event


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with a Z, as CloudEvents examples write it."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _summarise(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "payload"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
