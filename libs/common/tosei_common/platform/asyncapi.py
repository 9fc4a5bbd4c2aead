"""AsyncAPI 3 documents for integrators: FastStream generates them, we add what it leaves out.

FastStream contributes the servers, the info block and the payload schemas (from the pydantic
models' descriptions and examples). We then describe each topic the way integrators meet it: one
message per CloudEvents type with its ``ce_*`` headers, the record key (the aggregate id, which is
what keeps one aggregate's events in order), the partition count and retention, and an example.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, Union

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from tosei_common.platform.events import Event, source_of
from tosei_common.platform.topics import Topic


class DocumentedService(Protocol):
    """What a document is made from (a ``ServiceSpec`` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def publishes(self) -> Sequence[type[Event]]: ...
    @property
    def handlers(self) -> Mapping[type[Event], Any]: ...


def declare_publishers(broker: KafkaBroker, events: Sequence[type[Event]]) -> None:
    """Register one documented publisher per topic so FastStream emits the payload schemas."""
    by_topic: dict[str, list[type[Event]]] = {}
    topics: dict[str, Topic] = {}
    for event in events:
        by_topic.setdefault(event.topic.name, []).append(event)
        topics[event.topic.name] = event.topic
    for name, models in by_topic.items():
        schema: Any = Union[tuple(models)] if len(models) > 1 else models[0]  # noqa: UP007
        broker.publisher(
            name, schema=schema, title=f"{name}:publish", description=topics[name].description
        )


def asyncapi_document(spec: DocumentedService, broker: KafkaBroker) -> dict[str, Any]:
    """The service's AsyncAPI 3.0 document as JSON-ready data."""
    generated = (
        AsyncAPI(broker, title=spec.title, version="1.0.0", description=spec.description)
        .to_specification()
        .to_jsonable()
    )
    schemas: dict[str, Any] = dict(generated.get("components", {}).get("schemas", {}))
    for name in [n for n in schemas if ":" in n]:
        del schemas[name]  # FastStream's per-channel wrappers; our messages point at models
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}

    def describe(topic: Topic, events: Sequence[type[Event]], action: str) -> None:
        channel = channels.setdefault(
            topic.name,
            {
                "address": topic.name,
                "description": topic.description,
                "messages": {},
                "bindings": {
                    "kafka": {
                        "topic": topic.name,
                        "partitions": topic.partitions,
                        "topicConfiguration": {"retention.ms": topic.retention_ms},
                        "bindingVersion": "0.5.0",
                    }
                },
            },
        )
        for event in events:
            key = _message_key(event)
            messages[key] = _message(event)
            schemas.setdefault(
                event.__name__, event.model_json_schema(ref_template="#/components/schemas/{model}")
            )
            channel["messages"][key] = {"$ref": f"#/components/messages/{key}"}
        verb = "publish" if action == "send" else "consume"
        doing = "publishes to" if action == "send" else "consumes"
        operations[f"{topic.name}.{verb}"] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{topic.name}"},
            "summary": f"{spec.name} {doing} {topic.name}",
            "messages": [
                {"$ref": f"#/channels/{topic.name}/messages/{_message_key(e)}"} for e in events
            ],
        }

    for topic, events in _group(spec.publishes).items():
        describe(topic, events, "send")
    for topic, events in _group(list(spec.handlers)).items():
        describe(topic, events, "receive")
        # the consumer's dead letters: what it could not handle, with the reason in headers
        dlq = topic.dlq
        channels.setdefault(
            dlq.name,
            {
                "address": dlq.name,
                "description": dlq.description
                + " Headers dlq_reason, dlq_error, dlq_original_topic/partition/offset say why.",
                "messages": {},
                "bindings": {"kafka": {"topic": dlq.name, "partitions": dlq.partitions}},
            },
        )

    return {
        "asyncapi": "3.0.0",
        "info": {
            **generated.get("info", {}),
            "description": (spec.description + "\n\n" + _CONVENTIONS).strip(),
        },
        "defaultContentType": "application/json",
        "servers": generated.get("servers", {}),
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


_CONVENTIONS = (
    "Every message is a CloudEvent 1.0 in Kafka binary mode: attributes in ce_* headers, the "
    "JSON payload as the record value. The record key is the aggregate id (ce_subject), so one "
    "aggregate's events stay in order on one partition. Delivery is at least once: deduplicate "
    "on ce_id. No personal data travels on any topic. A breaking change gets a new type "
    "(.v2) published beside the old one while consumers move."
)


def _group(events: Sequence[type[Event]]) -> dict[Topic, list[type[Event]]]:
    grouped: dict[Topic, list[type[Event]]] = {}
    for event in events:
        grouped.setdefault(event.topic, []).append(event)
    return grouped


def _message_key(event: type[Event]) -> str:
    return event.ce_type


def _message(event: type[Event]) -> dict[str, Any]:
    service = event.ce_type.split(".")[2]
    message: dict[str, Any] = {
        "name": event.ce_type,
        "title": event.__name__,
        "summary": (event.__doc__ or "").strip().split("\n")[0],
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "required": [
                "ce_specversion",
                "ce_id",
                "ce_source",
                "ce_type",
                "ce_subject",
                "ce_time",
            ],
            "properties": {
                "ce_specversion": {"type": "string", "const": "1.0"},
                "ce_id": {
                    "type": "string",
                    "format": "uuid",
                    "description": "Deduplicate on this.",
                },
                "ce_source": {"type": "string", "const": source_of(service)},
                "ce_type": {"type": "string", "const": event.ce_type},
                "ce_subject": {
                    "type": "string",
                    "description": f"The aggregate id ({event.subject_field}), also the key.",
                },
                "ce_time": {"type": "string", "format": "date-time"},
                "content-type": {"type": "string", "const": "application/json"},
            },
        },
        "payload": {"$ref": f"#/components/schemas/{event.__name__}"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"{event.subject_field} of the payload"},
                "bindingVersion": "0.5.0",
            }
        },
    }
    example = _example(event)
    if example is not None:
        message["examples"] = [{"name": "example", "payload": example}]
    return message


def _example(event: type[Event]) -> dict[str, Any] | None:
    """A payload built from each field's first example, when every required field has one."""
    values: dict[str, Any] = {}
    for name, field in event.model_fields.items():
        if field.examples:
            values[name] = field.examples[0]
        elif field.is_required():
            return None
    try:
        result: dict[str, Any] = json.loads(event.model_validate(values).model_dump_json())
    except ValueError:
        return None
    return result
