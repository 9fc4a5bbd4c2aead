"""A town's shared feed bookmark, from before bookmarks were each officer's own, becomes where
that town's officers start; people's own bookmarks stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
import httpx

from tests.resilience.plan import (
    AOMORI,
    COORDINATOR,
    HIRANAI,
    SHELTER_RADIO,
    SNOW_PLOUGHS,
    PlanClient,
    officer,
)
from tests.support.runtime import Start
from tosei_common.platform.http import build_app
from tosei_common.platform.migrations import migrate, migrations_for
from tosei_resilience.app import resilience_service

AT = datetime(2025, 6, 1, 0, 0, tzinfo=UTC)


async def test_a_town_s_shared_bookmark_becomes_where_its_officers_start(
    db: asyncpg.Connection, schema: str, start: Start
) -> None:
    spec = resilience_service()
    plan = migrations_for(spec.migrations_package)
    before = [m for m in plan if m.label != "service/0003_feed_bookmarks_per_reader"]
    assert len(before) == len(plan) - 1
    await migrate(db, schema, before)
    await db.executemany(
        f"INSERT INTO {schema}.feed_bookmarks (reader, seen_up_to, updated_at, updated_by)"
        " VALUES ($1, $2, $3, $4)",
        [
            (f"municipality:{HIRANAI}", 2, AT, "municipality:hiranai-kimura"),
            ("coordinator:kikaku-sato", 1, AT, "coordinator:kikaku-sato"),
        ],
    )

    async with start(spec, schema=schema) as rt:  # starting migrates the rest
        transport = httpx.ASGITransport(app=build_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://resilience") as http:
            client = PlanClient(http)
            for body, who in ((SNOW_PLOUGHS, HIRANAI), (SHELTER_RADIO, AOMORI)):
                await client.add(body, officer(who))
            await client.add({**SNOW_PLOUGHS, "title": "除雪車庫の改修"}, officer(HIRANAI))
            kimura, kudo = officer(HIRANAI, "hiranai-kimura"), officer(HIRANAI, "hiranai-kudo")

            inherited = await client.get("/changes", kudo)
            assert (inherited["bookmark"], inherited["bookmark_from_town"]) == (2, True)
            assert [c["number"] for c in inherited["changes"]] == [3]
            coordinator = await client.get("/changes", COORDINATOR)
            assert (coordinator["bookmark"], coordinator["bookmark_from_town"]) == (1, False)
            aomori = await client.get("/changes", officer(AOMORI))
            assert (aomori["bookmark"], len(aomori["changes"])) == (None, 3)

            marked = await http.put("/changes/bookmark", json={"seen_up_to": 3}, headers=kudo)
            assert marked.json()["previous"] == 2
            # Kudo's is now their own; Kimura still starts from the town's
            assert (await client.get("/changes", kudo))["bookmark_from_town"] is False
            assert (await client.get("/changes", kimura))["bookmark"] == 2
            behind_town = await http.put(
                "/changes/bookmark", json={"seen_up_to": 1}, headers=kimura
            )
            assert behind_town.status_code == 409

        async with rt.pool.acquire() as conn:
            towns = await conn.fetch("SELECT municipality, seen_up_to FROM feed_town_bookmarks")
            readers = await conn.fetch("SELECT reader FROM feed_bookmarks ORDER BY reader")
    assert [(r["municipality"], r["seen_up_to"]) for r in towns] == [(HIRANAI, 2)]
    assert [r["reader"] for r in readers] == [
        "coordinator:kikaku-sato",
        "municipality:hiranai-kudo",
    ]
