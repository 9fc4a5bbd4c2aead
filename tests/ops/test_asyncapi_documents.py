"""The AsyncAPI documents integrators read: committed, fresh, self-contained, with examples that
fit their own schemas. (`make test` also runs the official parser on them: tools/asyncapi.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import Field

from tosei_common.platform.asyncapi import (
    asyncapi_document,
    catalogue_version,
    render_yaml,
    stale_documents,
)
from tosei_common.platform.events import Event, catalogue
from tosei_common.platform.service import ServiceSpec, discover_services
from tosei_common.platform.topics import Topic

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "docs" / "asyncapi"
#: The services on a topic: each has a committed document (the console has none).
SERVICES = {n: s for n, s in discover_services().items() if s.publishes or s.handlers}


def committed(service: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DOCUMENTS / f"{service}.yaml").read_text("utf-8"))
    return document


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_every_discovered_service_has_a_fresh_committed_document() -> None:
    assert set(SERVICES) >= {"intake", "caseflow", "seminar", "resilience", "requests"}
    assert stale_documents(SERVICES, DOCUMENTS) == [], "run `make asyncapi` and commit the result"


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_reference_points_at_something(service: str) -> None:
    document = committed(service)
    for ref in refs(document):
        assert ref.startswith("#/"), ref
        resolve(document, ref)  # raises KeyError when it points nowhere


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_example_fits_its_own_payload_schema(service: str) -> None:
    document = committed(service)
    for key, message in document["components"]["messages"].items():
        if "dead_letter" in key:
            continue
        assert message.get("examples"), f"{key} has no example"
        schema = {
            **resolve(document, message["payload"]["$ref"]),
            "components": {"schemas": document["components"]["schemas"]},
        }
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for example in message["examples"]:
            errors = [e.message for e in validator.iter_errors(example["payload"])]
            assert errors == [], f"{service}: {key}: {errors}"


def test_consumed_events_bring_their_enums_as_components() -> None:
    intake = committed("intake")
    assigned = intake["components"]["schemas"]["CaseAssigned"]
    assert "$defs" not in assigned
    assert {"Track", "AssignmentRule", "TransferReason"} <= set(intake["components"]["schemas"])
    caseflow = committed("caseflow")
    assert {"BusinessStage", "Category", "Channel", "Origin", "LegacyStatus"} <= set(
        caseflow["components"]["schemas"]
    )


def test_summaries_are_whole_sentences() -> None:
    for service in SERVICES:
        for key, message in committed(service)["components"]["messages"].items():
            assert message["summary"].endswith((".", ")")), f"{service}: {key}"


def test_a_dead_letter_topic_declares_what_a_dead_letter_is() -> None:
    caseflow = committed("caseflow")
    channel = caseflow["channels"]["tosei.intake.cases.dlq"]
    (message_ref,) = channel["messages"].values()
    message = resolve(caseflow, message_ref["$ref"])
    headers = message["headers"]
    assert {"dlq_reason", "dlq_error", "dlq_original_topic", "dlq_original_offset"} <= set(
        headers["required"]
    )
    assert headers["properties"]["dlq_reason"]["enum"] == [
        "invalid",
        "handler_failed",
        "transient_exhausted",
    ]
    assert headers["properties"]["dlq_consumer"]["const"] == "tosei.caseflow"
    assert caseflow["operations"]["tosei.intake.cases.dlq.publish"]["action"] == "send"


def test_the_committed_documents_name_no_machine_s_broker() -> None:
    for service in SERVICES:
        servers = committed(service)["servers"]
        assert set(servers) == {"production", "development"}


TESTS = Topic("tosei.versioning.things", "Things, to see the document's version move.")


class ThingMade(Event):
    """A thing was made."""

    ce_type: ClassVar[str] = "jp.tosei.versioning.thing.made.v1"
    topic: ClassVar[Topic] = TESTS
    subject_field: ClassVar[str] = "thing_id"

    thing_id: str = Field(examples=["t-1"])


class ThingMadeV2(Event):
    """A thing was made, with its size."""

    ce_type: ClassVar[str] = "jp.tosei.versioning.thing.made.v2"
    topic: ClassVar[Topic] = TESTS
    subject_field: ClassVar[str] = "thing_id"

    thing_id: str = Field(examples=["t-1"])
    size: int = Field(examples=[3])


def test_the_document_version_follows_the_catalogue() -> None:
    assert catalogue_version([]) == "1.0.0"
    first = ServiceSpec(name="versioning", title="t", description="d", publishes=(ThingMade,))
    both = ServiceSpec(
        name="versioning", title="t", description="d", publishes=(ThingMade, ThingMadeV2)
    )
    assert asyncapi_document(first)["info"]["version"] == "1.1.0"
    assert asyncapi_document(both)["info"]["version"] == "2.2.0"
    assert set(catalogue()) >= {ThingMade.ce_type, ThingMadeV2.ce_type}


def test_strings_a_yaml_1_2_reader_would_take_for_numbers_stay_strings() -> None:
    text = render_yaml({"codes": {"023078": "023078", "on": "true", "big": "1e3", "word": "desk"}})
    assert "'023078': '023078'" in text
    assert "'on': 'true'" in text
    assert "big: '1e3'" in text
    assert "word: desk" in text
