"""The free-text rule holds in every service: a control character sent to any free-text field of
any write endpoint is refused with a 422 naming that field, and nothing is written.

The endpoints and fields are read from each service's own OpenAPI document, so a field or an
endpoint added later is covered without touching this test. Free text is told from the rest by
the shared input types' mark (``x-tosei-input: text``); a string that is neither marked nor
structured (an enum, a format, a pattern) is what a person types too, and must refuse the
character as well (a municipality as typed, a registration's reference).

Each request's body is otherwise valid: it is built from the schema (the field's own example
where it has one). Path parameters are well-formed but name nothing: the rule belongs to the
input types, so the request is refused before any record is looked up (an endpoint that only
checked its text after loading the record would answer 404 here, and fail).
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support.auth import bearer
from tests.support.runtime import Start
from tosei_caseflow.app import SERVICE as CASEFLOW
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_common.region.inputs import INPUT_KIND
from tosei_intake.app import SERVICE as INTAKE
from tosei_requests.app import SERVICE as REQUESTS
from tosei_resilience.app import resilience_service
from tosei_seminar.app import SERVICE as SEMINAR

pytestmark = pytest.mark.slow

BAD = "受付\x07メモ"
WRITES = ("post", "put", "patch")
#: Strings of these formats are parsed, not typed as text.
STRUCTURED_FORMATS = {"date", "date-time", "time", "uuid", "email", "uri"}
#: Marked strings that are not free text (each refuses the bad value for its own reason).
NOT_TEXT = {"phone", "email", "fiscal-year"}

Schema = dict[str, Any]
Path = tuple[str | int, ...]

#: Unmarked strings that are not text but a code looked up as typed.
LOOKED_UP: set[tuple[str, str, Path]] = {
    # A registration's reference is its holder's only credential: anything that is no
    # reference is answered 404, like an unknown one, on purpose (seminar domain/references.py).
    ("post", "/seminars/{seminar_id}/check-ins", ("reference",)),
    ("post", "/seminars/{seminar_id}/attendance-corrections", ("reference",)),
}


@dataclass(frozen=True)
class Target:
    method: str
    path: str
    field: Path
    free_text: bool  # marked as the shared FreeText (else an unmarked typed string)

    @property
    def name(self) -> str:
        """The field as the error names it: ``kpis.0.indicator``."""
        return ".".join(str(part) for part in self.field)


class Document:
    """A service's OpenAPI document: its write operations, their bodies and text fields."""

    def __init__(self, doc: Schema, today: date, now: datetime) -> None:
        self.doc = doc
        self.today = today
        self.now = now

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            schema = self.doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def choice(self, schema: Schema) -> Schema:
        """The schema itself, or its first alternative that is not null."""
        schema = self.resolve(schema)
        alternatives = schema.get("anyOf") or schema.get("oneOf")
        if not alternatives:
            return schema
        chosen = next(a for a in map(self.choice, alternatives) if a.get("type") != "null")
        # Keep the property's own example and marks beside the alternative's type.
        return {**{k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}, **chosen}

    def operations(self) -> Iterator[tuple[str, str, Schema, Schema]]:
        """(method, path, operation, body schema) of every write with a JSON body."""
        for path, item in self.doc["paths"].items():
            for method, operation in item.items():
                if method not in WRITES or "requestBody" not in operation:
                    continue
                content = operation["requestBody"]["content"]
                # Multipart uploads (intake's legacy import) carry files, not a JSON body;
                # their rows are checked by intake's import tests with the same check_* rules.
                if "application/json" in content:
                    yield method, path, operation, content["application/json"]["schema"]

    def targets(self, method: str, path: str, body: Schema) -> list[Target]:
        return [
            Target(method, path, field, free_text=schema.get(INPUT_KIND) == "text")
            for field, schema in self.strings(body, ())
            if is_typed_text(schema) and (method, path, field) not in LOOKED_UP
        ]

    def strings(self, schema: Schema, at: Path) -> Iterator[tuple[Path, Schema]]:
        """Every string in a body: (where, its schema), through objects and arrays."""
        schema = self.choice(schema)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            for name, member in schema.get("properties", {}).items():
                yield from self.strings(member, (*at, name))
        elif kind == "array":
            yield from self.strings(schema.get("items", {}), (*at, 0))
        elif kind == "string":
            yield at, schema

    def example(self, schema: Schema, n: int = 0) -> Any:
        """A valid value of ``schema`` (the n-th of a list, for lists of unique items)."""
        schema = self.choice(schema)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return {k: self.example(v) for k, v in schema.get("properties", {}).items()}
        if kind == "array":
            count = max(schema.get("minItems", 1), 1)
            return [self.example(schema.get("items", {}), i) for i in range(count)]
        if "enum" in schema:
            return schema["enum"][n % len(schema["enum"])]
        if "const" in schema:
            return schema["const"]
        examples = schema.get("examples")
        if examples and kind in ("string", "integer", "number", "boolean"):
            return examples[0]
        if kind == "string":
            return self.string(schema)
        if kind in ("integer", "number"):
            return number(schema)
        if kind == "boolean":
            return True
        raise AssertionError(f"no example for {schema!r}")

    def string(self, schema: Schema) -> str:
        formats: dict[str, Callable[[], str]] = {
            "uuid": lambda: str(uuid.uuid4()),
            "date": lambda: self.today.isoformat(),
            "date-time": lambda: self.now.isoformat(),
            "time": lambda: "13:30",
        }
        if schema.get("format") in formats:
            return formats[schema["format"]]()
        by_kind = {"phone": "017-723-1111", "email": "hanako@example.jp", "fiscal-year": "2026"}
        if schema.get(INPUT_KIND) in by_kind:
            return by_kind[schema[INPUT_KIND]]
        if "pattern" in schema:
            fits = [c for c in ("1-1", "general", "a1") if re.fullmatch(schema["pattern"], c)]
            assert fits, f"no example for the pattern {schema['pattern']}"
            return fits[0]
        return "青森市"


def is_typed_text(schema: Schema) -> bool:
    """A string a person types as text: free text, or a string with no structure."""
    if schema.get(INPUT_KIND) == "text":
        return True
    structured = (
        "enum" in schema
        or "const" in schema
        or "pattern" in schema
        or schema.get("format") in STRUCTURED_FORMATS
        or schema.get(INPUT_KIND) in NOT_TEXT
    )
    return not structured


def number(schema: Schema) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
    high = schema.get("maximum", schema.get("exclusiveMaximum", low + 2) - 1)
    value: int | float = min(max(low, 1), high)
    return value


def with_value(body: Any, at: Path, value: str) -> Any:
    changed = copy.deepcopy(body)
    place = changed
    for part in at[:-1]:
        place = place[part]
    place[at[-1]] = value
    return changed


async def row_counts(conn: asyncpg.Connection, schema: str) -> dict[str, int]:
    """How many rows each table of the service's schema holds (its outbox and audit too)."""
    tables = await conn.fetch(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
        schema,
    )
    assert tables, f"no tables in {schema}"
    counts: dict[str, int] = {}
    for row in tables:
        name = row["table_name"]
        counts[name] = await conn.fetchval(f'SELECT count(*) FROM "{schema}"."{name}"')
    return counts


def filled(path: str, operation: Schema, document: Document) -> str:
    """The path with its parameters well-formed (an id that names nothing)."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            value = document.example(parameter["schema"])
            path = path.replace("{" + parameter["name"] + "}", str(value))
    return path


SERVICES: dict[str, Callable[[], ServiceSpec]] = {
    "intake": lambda: INTAKE,
    "caseflow": lambda: CASEFLOW,
    "seminar": lambda: SEMINAR,
    "resilience": resilience_service,
    "requests": lambda: REQUESTS,
}


@pytest.mark.parametrize("service", list(SERVICES))
async def test_every_free_text_field_refuses_a_control_character(
    service: str, start: Start, db: asyncpg.Connection
) -> None:
    spec = SERVICES[service]()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    async with start(spec, schema=schema, consume=False) as rt:
        await refuses_everywhere(rt, schema, db)


async def refuses_everywhere(rt: Runtime, schema: str, db: asyncpg.Connection) -> None:
    app = build_app(rt)
    document = Document(app.openapi(), rt.clock.today(), rt.clock.now())
    headers = bearer("coordinator", "coordinator-sato")
    before = await row_counts(db, schema)
    checked: list[Target] = []
    failures: list[str] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        for method, path, operation, body_schema in document.operations():
            body = document.example(body_schema)
            url = filled(path, operation, document)
            for target in document.targets(method, path, body_schema):
                sent = with_value(body, target.field, BAD)
                response = await client.request(method, url, json=sent, headers=headers)
                named = {f["field"] for f in response.json().get("fields", [])}
                if (response.status_code, named) != (422, {target.name}):
                    failures.append(
                        f"{method.upper()} {path} {target.name}: "
                        f"{response.status_code} {response.text[:300]}"
                    )
                after = await row_counts(db, schema)
                assert after == before, f"{method.upper()} {path} {target.name} wrote rows"
                checked.append(target)
    assert failures == []
    free_text = [t for t in checked if t.free_text]
    endpoints = {(t.method, t.path) for t in checked}
    print(
        f"{rt.spec.name}: {len(checked)} fields ({len(free_text)} free text) "
        f"on {len(endpoints)} write endpoints refuse a control character"
    )
    assert len(free_text) >= 3
    assert endpoints
