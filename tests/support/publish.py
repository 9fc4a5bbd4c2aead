"""Put events on a topic the way another service's outbox relay would."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer

from tests.support.clock import TEST_NOW
from tosei_common.platform.events import Envelope, Event, source_of


async def publish(
    bootstrap: str,
    events: Iterable[Event],
    *,
    source: str,
    event_ids: Iterable[uuid.UUID] | None = None,
) -> list[uuid.UUID]:
    """Publish events (CloudEvents binary mode, keyed by subject); return their ids."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    ids: list[uuid.UUID] = []
    try:
        fixed = iter(event_ids) if event_ids is not None else None
        for event in events:
            envelope = Envelope.wrap(
                event,
                source=source_of(source),
                time=TEST_NOW,
                event_id=next(fixed) if fixed else None,
            )
            await producer.send_and_wait(
                event.topic.name,
                envelope.data,
                key=envelope.subject.encode(),
                headers=envelope.headers(),
            )
            ids.append(envelope.id)
    finally:
        await producer.stop()
    return ids
