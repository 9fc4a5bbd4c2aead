"""The register of personal data (個人情報ファイル簿) is held to the schema the migrations build:
every column of every table is classified, and nothing is declared that is not there."""

from __future__ import annotations

import asyncpg
import pytest

from tosei_common.platform.migrations import migrate, migrations_for
from tosei_common.platform.personal_data import (
    Category,
    Column,
    ServiceRegister,
    Table,
    schema_columns,
    undeclared_columns,
)
from tosei_common.platform.service import ServiceSpec, discover_services

SERVICES = discover_services()


def register_of(spec: ServiceSpec) -> ServiceRegister:
    assert spec.personal_data is not None, f"{spec.name} declares no personal data"
    return spec.personal_data


async def real_columns(
    db: asyncpg.Connection, spec: ServiceSpec, schema: str
) -> dict[str, list[str]]:
    await migrate(db, schema, migrations_for(spec.migrations_package))
    return await schema_columns(db, schema)


def test_every_service_declares_its_personal_data() -> None:
    assert set(SERVICES) == {"intake", "caseflow", "seminar", "resilience", "requests", "console"}
    for spec in SERVICES.values():
        assert register_of(spec).service == spec.name


@pytest.mark.parametrize("service", list(SERVICES))
async def test_every_column_of_the_real_schema_is_declared(
    db: asyncpg.Connection, schema: str, service: str
) -> None:
    spec = SERVICES[service]
    actual = await real_columns(db, spec, schema)

    assert undeclared_columns(register_of(spec), actual) == []


async def test_a_new_column_nobody_classified_fails_naming_the_table_column_and_where(
    db: asyncpg.Connection, schema: str
) -> None:
    spec = SERVICES["intake"]
    await real_columns(db, spec, schema)
    await db.execute(f"ALTER TABLE {schema}.clients ADD COLUMN birthday date")
    await db.execute(f"CREATE TABLE {schema}.client_notes (client_id uuid, note text)")

    problems = undeclared_columns(register_of(spec), await schema_columns(db, schema))

    assert problems == [
        "intake.client_notes: table not declared; classify each of its columns (client_id, note) "
        "in tosei_intake.db.personal_data",
        "intake.clients.birthday: column not declared; classify it (personal, staff, pseudonym "
        "or not_personal) in tosei_intake.db.personal_data",
    ]


async def test_a_declared_column_the_schema_does_not_have_fails(
    db: asyncpg.Connection, schema: str
) -> None:
    spec = SERVICES["seminar"]
    actual = await real_columns(db, spec, schema)
    await db.execute(f"ALTER TABLE {schema}.feedback DROP COLUMN comment")

    problems = undeclared_columns(register_of(spec), await schema_columns(db, schema))

    assert problems == [
        "seminar.feedback.comment: declared in tosei_seminar.db.personal_data but the table "
        "has no such column"
    ]
    assert "comment" in actual["feedback"]


async def test_a_platform_column_is_declared_once_in_libs_common(
    db: asyncpg.Connection, schema: str
) -> None:
    spec = SERVICES["requests"]
    await real_columns(db, spec, schema)
    await db.execute(f"ALTER TABLE {schema}.audit_log ADD COLUMN ip_address text")

    problems = undeclared_columns(register_of(spec), await schema_columns(db, schema))

    assert problems == [
        "requests.audit_log.ip_address: column not declared; classify it (personal, staff, "
        "pseudonym or not_personal) in tosei_common.platform.personal_data.PLATFORM_TABLES"
    ]


def test_a_table_holding_personal_data_must_be_in_a_file() -> None:
    loose = ServiceRegister(
        service="widgets",
        declared_in="tests.widgets",
        other_tables=(Table("owners", "持ち主", {"name": Column(Category.PERSONAL, "氏名")}),),
    )

    assert undeclared_columns(loose, {"owners": ["name"]}) == [
        "widgets.owners holds personal data (name) but is in no file: put it in a "
        "PersonalDataFile in tests.widgets"
    ]


def test_what_the_issue_names_as_personal_is_declared_personal() -> None:
    """The records the council asked about: clients, consultations, experts' notes, contacts."""
    personal = {
        (spec.name, table.name): set(table.of(Category.PERSONAL))
        for spec in SERVICES.values()
        for table in register_of(spec).tables
    }
    assert {"name", "furigana"} <= personal["intake", "clients"]
    assert {"person_name", "phone", "email", "business_name", "description"} <= personal[
        "intake", "consultations"
    ]
    assert {"confidential", "minutes", "note"} <= personal["caseflow", "journal"]
    assert {"name", "email", "phone", "organisation"} <= personal["seminar", "registrations"]
    assert {"password_hash", "display_name"} <= personal["console", "accounts"]
