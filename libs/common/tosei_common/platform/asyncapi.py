"""AsyncAPI 3 documents for integrators, generated from the event catalogue.

Each topic is described the way integrators meet it: one message per CloudEvents type with its
``ce_*`` headers, the record key (the aggregate id, which is what keeps one aggregate's events in
order), the partition count and retention, and an example built from the fields' examples. The
payload schemas come from the pydantic models, all in one flat ``components.schemas`` (the enums
and nested models of every event, published or consumed, are components of their own, so every
``$ref`` resolves). A consumed topic also documents its dead-letter topic and what a dead letter
is. ``info.version`` follows the catalogue: its major is the highest ``.vN`` the document
carries, its minor the number of event types, so a new type or a new version of one changes it.

The documents are committed under ``docs/asyncapi/`` (``tosei asyncapi --write``) and CI fails
when they are stale or when the official parser refuses one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, Union

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from pydantic.json_schema import models_json_schema

from tosei_common.platform.events import Event, source_of
from tosei_common.platform.metrics import DLQ_REASONS
from tosei_common.platform.topics import Topic

KAFKA_BINDING_VERSION = "0.5.0"
REF_TEMPLATE = "#/components/schemas/{model}"


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
    """Register one documented publisher per topic on FastStream's broker (its own docs)."""
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


def asyncapi_document(spec: DocumentedService, broker: KafkaBroker | None = None) -> dict[str, Any]:
    """The service's AsyncAPI 3.0 document as JSON-ready data.

    With ``broker`` (a running service's), the document also names the bootstrap servers that
    service uses; without it (the committed documents) it depends on the catalogue alone.
    """
    published = _group(spec.publishes)
    consumed = _group(list(spec.handlers))
    events = _unique([e for group in (published, consumed) for es in group.values() for e in es])
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}

    def describe(topic: Topic, events: Sequence[type[Event]], action: str) -> None:
        channel = channels.setdefault(topic.name, _channel(topic))
        for event in events:
            messages[event.ce_type] = _message(event)
            channel["messages"][event.ce_type] = {"$ref": f"#/components/messages/{event.ce_type}"}
        verb, doing = ("publish", "publishes to") if action == "send" else ("consume", "consumes")
        operations[f"{topic.name}.{verb}"] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{topic.name}"},
            "summary": f"{spec.name} {doing} {topic.name}",
            "messages": [{"$ref": f"#/channels/{topic.name}/messages/{e.ce_type}"} for e in events],
        }

    for topic, group in published.items():
        describe(topic, group, "send")
    for topic, group in consumed.items():
        describe(topic, group, "receive")
        dlq = topic.dlq
        key = f"{topic.name}.dead_letter"
        messages[key] = _dead_letter(topic, spec.name)
        channels[dlq.name] = {
            **_channel(dlq),
            "description": f"{dlq.description} What {spec.name} could not handle from "
            f"{topic.name}: the original record, with headers dlq_reason, dlq_error and "
            "dlq_original_topic/partition/offset that say why.",
            "messages": {"dead_letter": {"$ref": f"#/components/messages/{key}"}},
        }
        operations[f"{dlq.name}.publish"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{dlq.name}"},
            "summary": f"{spec.name} dead-letters what it cannot handle from {topic.name}",
            "messages": [{"$ref": f"#/channels/{dlq.name}/messages/dead_letter"}],
        }

    document: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {
            "title": spec.title,
            "version": catalogue_version(events),
            "description": (spec.description + "\n\n" + _CONVENTIONS).strip(),
        },
        "defaultContentType": "application/json",
        "servers": _servers(broker),
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": payload_schemas(events)},
    }
    return document


def catalogue_version(events: Sequence[type[Event]]) -> str:
    """``<highest .vN>.<number of types>.0``: a new type or a new version changes it."""
    if not events:
        return "1.0.0"
    highest = max(int(e.ce_type.rsplit(".v", 1)[1]) for e in events)
    return f"{highest}.{len(events)}.0"


def payload_schemas(events: Sequence[type[Event]]) -> dict[str, Any]:
    """Every event's JSON schema and every model or enum they use, flat, by name."""
    if not events:
        return {}
    _, top = models_json_schema(
        [(event, "validation") for event in events], ref_template=REF_TEMPLATE
    )
    schemas: dict[str, Any] = dict(sorted(top.get("$defs", {}).items()))
    return schemas


def message_summary(event: type[Event]) -> str:
    """The first paragraph of the event's docstring, on one line."""
    doc = (event.__doc__ or "").strip()
    first = re.split(r"\n\s*\n", doc, maxsplit=1)[0]
    return " ".join(first.split()).replace("``", "`")


def render_yaml(document: Mapping[str, Any]) -> str:
    """The document as the YAML committed under docs/asyncapi (stable, Unicode kept)."""
    import yaml  # development tooling; the services serve JSON

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        # PyYAML follows YAML 1.1; the JavaScript parser reads YAML 1.2, where 023078 is a
        # number. Quote every string a YAML 1.2 reader would not take as a string.
        style = "'" if _YAML12_NOT_TEXT.match(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    rendered: str = yaml.dump(
        json.loads(json.dumps(document)),
        Dumper=Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return rendered


_YAML12_NOT_TEXT = re.compile(
    r"^(|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$"
)


def committed_documents(
    services: Mapping[str, DocumentedService], directory: Path
) -> dict[Path, str]:
    """What ``directory`` must hold: ``<service>.yaml`` for every service on a topic (the
    console, which neither publishes nor consumes, has none) and the index."""
    documents = {
        directory / f"{name}.yaml": render_yaml(asyncapi_document(spec))
        for name, spec in services.items()
        if spec.publishes or spec.handlers
    }
    documents[directory / "README.md"] = events_index(services)
    return documents


def events_index(services: Mapping[str, DocumentedService]) -> str:
    """Markdown: every event type the services publish, where, and who consumes it."""
    consumers: dict[str, list[str]] = {}
    for name, spec in services.items():
        for event in spec.handlers:
            consumers.setdefault(event.ce_type, []).append(name)
    lines = [
        "# Events on the Tosei topics",
        "",
        "Generated from the event catalogue by `make asyncapi` (do not edit; `make test` fails",
        "when it is stale). One AsyncAPI 3 document per service beside this file; how to",
        "subscribe, and what is guaranteed: [the integrators' guide](../integrators.md).",
        "",
        "| event type (`ce_type`) | topic | key (`ce_subject`) | published when | read by |",
        "| --- | --- | --- | --- | --- |",
    ]
    for spec in services.values():
        for event in spec.publishes:
            readers = ", ".join(consumers.get(event.ce_type, [])) or "—"
            lines.append(
                f"| `{event.ce_type}` | `{event.topic.name}` | `{event.subject_field}` "
                f"| {message_summary(event).replace('|', '/')} | {readers} |"
            )
    documents = ", ".join(
        f"[{name}]({name}.yaml)"
        for name, spec in services.items()
        if spec.publishes or spec.handlers
    )
    lines += ["", f"Documents: {documents}.", ""]
    return "\n".join(lines)


def stale_documents(services: Mapping[str, DocumentedService], directory: Path) -> list[str]:
    """Why the committed documents differ from the catalogue (empty when they are fresh)."""
    wanted = committed_documents(services, directory)
    problems = [
        f"{path}: missing" if not path.exists() else f"{path}: stale"
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    problems += [
        f"{path}: no service has this document"
        for path in sorted(directory.glob("*.yaml"))
        if path not in wanted
    ]
    return problems


_CONVENTIONS = (
    "Every message is a CloudEvent 1.0 in Kafka binary mode: attributes in ce_* headers, the "
    "JSON payload as the record value. The record key is the aggregate id (ce_subject), so one "
    "aggregate's events stay in order on one partition. Delivery is at least once: deduplicate "
    "on ce_id. No personal data travels on any topic. Within a type only fields are added (ignore "
    "the ones you do not know); a breaking change gets a new type (.v2), published beside the "
    "old one while consumers move. The integrators' guide is docs/integrators.md."
)


def _servers(broker: KafkaBroker | None) -> dict[str, Any]:
    servers: dict[str, Any] = {
        "production": {
            "host": "{bootstrap}",
            "protocol": "kafka",
            "description": "The deployment's Kafka cluster.",
            "variables": {
                "bootstrap": {
                    "default": "localhost:29092",
                    "description": "Bootstrap servers (docker compose: localhost:29092 from "
                    "the host, kafka:9092 inside; ask the operators for a cluster's).",
                }
            },
        },
        "development": {
            "host": "127.0.0.1:19092",
            "protocol": "kafka",
            "description": "The broker `tosei up` starts on a laptop.",
        },
    }
    if broker is not None:
        generated = AsyncAPI(broker).to_specification().to_jsonable()
        for server in generated.get("servers", {}).values():
            servers["this"] = {
                "host": server["host"],
                "protocol": "kafka",
                "description": "The bootstrap servers the service answering this uses.",
            }
    return servers


def _channel(topic: Topic) -> dict[str, Any]:
    return {
        "address": topic.name,
        "description": topic.description,
        "messages": {},
        "bindings": {
            "kafka": {
                "topic": topic.name,
                "partitions": topic.partitions,
                "topicConfiguration": {"retention.ms": topic.retention_ms},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _group(events: Sequence[type[Event]]) -> dict[Topic, list[type[Event]]]:
    grouped: dict[Topic, list[type[Event]]] = {}
    for event in events:
        grouped.setdefault(event.topic, []).append(event)
    return grouped


def _unique(events: Sequence[type[Event]]) -> list[type[Event]]:
    return list({e.ce_type: e for e in events}.values())


def _cloudevent_headers(event: type[Event]) -> dict[str, Any]:
    service = event.ce_type.split(".")[2]
    return {
        "type": "object",
        "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject", "ce_time"],
        "properties": {
            "ce_specversion": {"type": "string", "const": "1.0"},
            "ce_id": {"type": "string", "format": "uuid", "description": "Deduplicate on this."},
            "ce_source": {"type": "string", "const": source_of(service)},
            "ce_type": {"type": "string", "const": event.ce_type},
            "ce_subject": {
                "type": "string",
                "description": f"The aggregate id ({event.subject_field}), also the key.",
            },
            "ce_time": {"type": "string", "format": "date-time"},
            "content-type": {"type": "string", "const": "application/json"},
        },
    }


def _message(event: type[Event]) -> dict[str, Any]:
    message: dict[str, Any] = {
        "name": event.ce_type,
        "title": event.__name__,
        "summary": message_summary(event),
        "contentType": "application/json",
        "headers": _cloudevent_headers(event),
        "payload": {"$ref": f"#/components/schemas/{event.__name__}"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"{event.subject_field} of the payload"},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }
    example = example_payload(event)
    if example is not None:
        message["examples"] = [{"name": "example", "payload": example}]
    return message


def _dead_letter(topic: Topic, consumer: str) -> dict[str, Any]:
    """A dead letter: the original record (key, value, headers) plus the ``dlq_*`` headers."""
    text = {"type": "string"}
    return {
        "name": f"{topic.name}.dead_letter",
        "title": "Dead letter",
        "summary": f"A record of {topic.name} that {consumer} could not handle, as it was read.",
        "description": "The original record's key, value and headers, unchanged (the value may "
        "be anything when dlq_reason is `invalid`), plus the dlq_* headers. A dead letter was not "
        "applied: once its cause is fixed, publish the original record again.",
        "headers": {
            "type": "object",
            "required": [
                "dlq_reason",
                "dlq_error",
                "dlq_original_topic",
                "dlq_original_partition",
                "dlq_original_offset",
                "dlq_consumer",
                "dlq_attempts",
                "dlq_failed_at",
            ],
            "properties": {
                "dlq_reason": {
                    "type": "string",
                    "enum": list(DLQ_REASONS),
                    "description": "invalid: not a valid event of the catalogue (never "
                    "retried); handler_failed: the handler kept refusing it; "
                    "transient_exhausted: transient errors outlasted the retries.",
                },
                "dlq_error": {**text, "description": "The last error, at most 2000 characters."},
                "dlq_original_topic": {**text, "const": topic.name},
                "dlq_original_partition": {**text, "pattern": "^[0-9]+$"},
                "dlq_original_offset": {**text, "pattern": "^[0-9]+$"},
                "dlq_consumer": {**text, "const": f"tosei.{consumer}"},
                "dlq_attempts": {**text, "pattern": "^[0-9]+$"},
                "dlq_failed_at": {**text, "format": "date-time"},
                "ce_id": {**text, "description": "The original record's ce_* headers, if any."},
                "ce_type": text,
            },
        },
        "payload": {"description": "The original record's value, byte for byte."},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The original record's key."},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def example_payload(event: type[Event]) -> dict[str, Any] | None:
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
