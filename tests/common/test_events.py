"""The CloudEvents envelope and the event catalogue."""

from __future__ import annotations

import uuid
from typing import ClassVar

import pytest

from tests.support.clock import TEST_NOW
from tests.support.widgets import WIDGETS, WidgetChanged
from tosei_common.platform.consumer import read_event_id
from tosei_common.platform.events import (
    Envelope,
    Event,
    InvalidEvent,
    catalogue,
    event_class,
    source_of,
)
from tosei_common.platform.outbox import OutboxRow, acknowledged_prefix
from tosei_common.platform.topics import Topic


def test_an_envelope_round_trips_through_kafka_headers() -> None:
    event = WidgetChanged(widget_id="w-1", seq=3)
    sent = Envelope.wrap(event, source=source_of("testkit"), time=TEST_NOW)
    received = Envelope.from_record(sent.headers(), sent.data)
    assert received.id == sent.id
    assert received.type == "jp.tosei.testkit.widget.changed.v1"
    assert received.subject == "w-1"
    assert received.source == "/tosei/testkit"
    assert received.time == sent.time
    assert received.decode() == event


@pytest.mark.parametrize(
    "spelling",
    [
        "5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11",
        "5B0E3C1E-8F0E-4A43-9D0A-2F1F3C6A9B11",
        "5b0e3c1e8f0e4a439d0a2f1f3c6a9b11",
        "{5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11}",
        "urn:uuid:5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11",
        "5b0e-3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11",
        "5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b1",
        "not-a-uuid",
        "",
    ],
)
def test_the_consumer_reads_a_ce_id_exactly_as_uuid_does(spelling: str) -> None:
    """The consumer's faster parser of ce_id accepts and refuses what ``uuid.UUID`` does, so
    the same records are dead-lettered as invalid as before."""
    envelope = Envelope.wrap(WidgetChanged(widget_id="w", seq=0), source="/t", time=TEST_NOW)
    headers = [(k, spelling.encode() if k == "ce_id" else v) for k, v in envelope.headers()]
    try:
        expected: uuid.UUID | None = uuid.UUID(spelling)
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(InvalidEvent, match="ce_id is not a UUID"):
            Envelope.from_record(headers, envelope.data, parse_id=read_event_id)
    else:
        read = Envelope.from_record(headers, envelope.data, parse_id=read_event_id)
        assert read.id == expected
        assert hash(read.id) == hash(expected)
        assert str(read.id) == str(expected)


@pytest.mark.parametrize(
    ("drop", "message"),
    [("ce_id", "missing CloudEvents headers: ce_id"), ("ce_type", "ce_type")],
)
def test_records_without_the_required_headers_are_invalid(drop: str, message: str) -> None:
    envelope = Envelope.wrap(
        WidgetChanged(widget_id="w", seq=0), source="/tosei/testkit", time=TEST_NOW
    )
    headers = [(k, v) for k, v in envelope.headers() if k != drop]
    with pytest.raises(InvalidEvent, match=message):
        Envelope.from_record(headers, envelope.data)


def test_a_payload_that_breaks_its_schema_is_invalid_and_says_where() -> None:
    envelope = Envelope.wrap(
        WidgetChanged(widget_id="w", seq=0), source="/tosei/testkit", time=TEST_NOW
    )
    broken = Envelope.from_record(envelope.headers(), b'{"widget_id": "w", "seq": "many"}')
    with pytest.raises(InvalidEvent, match="seq"):
        broken.decode()


def test_a_subject_that_contradicts_the_payload_is_invalid() -> None:
    envelope = Envelope.wrap(
        WidgetChanged(widget_id="w", seq=0), source="/tosei/testkit", time=TEST_NOW
    )
    headers = [(k, b"other" if k == "ce_subject" else v) for k, v in envelope.headers()]
    with pytest.raises(InvalidEvent, match="does not match"):
        Envelope.from_record(headers, envelope.data).decode()


def test_unknown_types_are_not_in_the_catalogue() -> None:
    assert event_class("jp.tosei.testkit.widget.changed.v1") is WidgetChanged
    assert event_class("jp.tosei.testkit.widget.changed.v9") is None
    envelope = Envelope(
        id=uuid.uuid4(),
        source="/tosei/x",
        type="jp.tosei.testkit.widget.changed.v9",
        subject="w",
        time=TEST_NOW,
        data=b"{}",
    )
    with pytest.raises(InvalidEvent, match="unknown event type"):
        envelope.decode()


def test_event_types_must_follow_the_naming_rule() -> None:
    with pytest.raises(TypeError, match="must look like"):

        class Badly(Event):
            ce_type: ClassVar[str] = "widget-changed"
            topic: ClassVar[Topic] = WIDGETS
            subject_field: ClassVar[str] = "x"

            x: str

    assert "widget-changed" not in catalogue()


def test_two_event_models_may_not_share_a_name() -> None:
    with pytest.raises(TypeError, match="is used by"):

        class WidgetChanged(Event):  # same class name as the v1 model, another type
            ce_type: ClassVar[str] = "jp.tosei.testkit.widget.changed.v2"
            topic: ClassVar[Topic] = WIDGETS
            subject_field: ClassVar[str] = "widget_id"

            widget_id: str


def _row(seq: int, key: str) -> OutboxRow:
    envelope = Envelope.wrap(
        WidgetChanged(widget_id=key, seq=seq), source="/tosei/testkit", time=TEST_NOW
    )
    return OutboxRow(seq=seq, topic=WIDGETS.name, envelope=envelope)


def test_only_each_key_s_acknowledged_prefix_is_marked_published() -> None:
    rows = [_row(1, "a"), _row(2, "b"), _row(3, "a"), _row(4, "b"), _row(5, "c")]
    failure = TimeoutError("no ack")
    results: list[BaseException | None] = [None, failure, None, None, None]
    # b failed at 2, so b's 4 is sent again with it even though 4 was acknowledged.
    assert acknowledged_prefix(rows, results) == [1, 3, 5]
