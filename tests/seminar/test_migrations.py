"""The seminar's own change log moves into the platform's audit trail, and its history with it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import asyncpg
import httpx

from tests.seminar.conftest import AUDITOR, ok
from tests.support.runtime import Start
from tosei_common.platform.http import build_app
from tosei_common.platform.migrations import migrate, migrations_for
from tosei_seminar.app import SERVICE

AT = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)


async def test_the_change_log_is_copied_into_the_audit_log_and_the_history_reads_it(
    db: asyncpg.Connection, schema: str, start: Start
) -> None:
    plan = migrations_for(SERVICE.migrations_package)
    before = [m for m in plan if m.label != "service/0002_audit_log"]
    assert len(before) == len(plan) - 1
    await migrate(db, schema, before)
    await db.execute(f"SET search_path TO {schema}, public")
    seminar_id = uuid.uuid4()
    await db.execute(
        "INSERT INTO seminars (id, fiscal_year, title, host_municipality, created_by, updated_by)"
        " VALUES ($1, 2027, '在宅医療', '022012', 'coordinator:sato', 'coordinator:sato')",
        seminar_id,
    )
    logged = [
        (seminar_id, "seminar.created", {"fiscal_year": 2027}),
        (None, "rotation.override_set", {"fiscal_year": 2028, "host": "023078", "reason": "改修"}),
        (seminar_id, "venue.added", {"venue_id": str(uuid.uuid4())}),
        (seminar_id, "registration.accepted", {"registration_id": str(uuid.uuid4())}),
    ]
    for n, (sid, action, detail) in enumerate(logged):
        actor = "registrant:x" if action.startswith("registration.") else "coordinator:sato"
        await db.execute(
            "INSERT INTO change_log (seminar_id, action, actor, at, detail)"
            " VALUES ($1, $2, $3, $4, $5::jsonb)",
            sid,
            action,
            actor,
            AT.replace(minute=n),
            json.dumps(detail, ensure_ascii=False),
        )

    async with start(SERVICE, schema=schema) as rt:  # starting migrates the rest
        async with rt.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT entity, entity_id, action, reason, at FROM audit_log ORDER BY id"
            )
            gone = await conn.fetchval("SELECT to_regclass('change_log')")
        assert [(r["entity"], r["entity_id"], r["action"]) for r in rows] == [
            ("seminar", str(seminar_id), "seminar.created"),
            ("rotation", "2028", "rotation.override_set"),
            ("seminar", str(seminar_id), "venue.added"),
            ("seminar", str(seminar_id), "registration.accepted"),
        ]
        assert rows[1]["reason"] == "改修"
        assert [r["at"] for r in rows] == [AT.replace(minute=n) for n in range(4)]
        assert gone is None

        transport = httpx.ASGITransport(app=build_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://seminar") as client:
            history = ok(await client.get(f"/seminars/{seminar_id}/history", headers=AUDITOR))
    changes = history["changes"]
    assert [c["action"] for c in changes] == [
        "seminar.created",
        "venue.added",
        "registration.accepted",
    ]
    assert changes[0]["detail"] == {"fiscal_year": 2027}
    assert [c["actor"] for c in changes] == ["coordinator:sato", "coordinator:sato", "registrant:x"]
