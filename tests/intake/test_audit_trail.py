"""The desk's audit trail: changes old → new, reads of a person's record, read per person by
the auditor, as JSON and CSV, and impossible to erase."""

from __future__ import annotations

import csv
import io
import json

import asyncpg
import httpx
import pytest

from tests.intake.helpers import AUDITOR, COORDINATOR, DESK, personal_data_in, register
from tests.support.auth import bearer
from tosei_common.platform.service import Runtime


async def test_the_auditor_reads_per_person_who_changed_and_who_saw_a_clients_record(
    intake: Runtime, http: httpx.AsyncClient
) -> None:
    first = await register(http)
    client_id = first["client_id"]
    other = await register(
        http, person={"name": "佐藤 花子", "phone": "080-1234-5678", "email": None}
    )

    # desk reads: the client's page, a search, a consultation
    assert (await http.get(f"/clients/{client_id}", headers=DESK)).status_code == 200
    found = await http.get("/clients", params={"q": "山田"}, headers=DESK)
    assert [c["id"] for c in found.json()] == [client_id]
    seen = await http.get(f"/consultations/{first['id']}", headers=bearer("desk", "ito"))
    assert seen.status_code == 200
    fixed = await http.patch(
        f"/clients/{client_id}",
        json={"furigana": "やまだ たろう（訂正）", "reason": "ふりがなの誤り"},
        headers=DESK,
    )
    assert fixed.status_code == 204, fixed.text

    # the desk does not read the trail; the coordinator and the auditor do
    refused = await http.get("/audit-log", headers=DESK)
    assert refused.status_code == 403, refused.text
    page = await http.get("/audit-log", params={"subject": client_id}, headers=AUDITOR)
    assert page.status_code == 200, page.text
    body = page.json()
    entries = body["entries"]
    assert body["total"] == len(entries)
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
    assert all(e["subject_id"] == client_id for e in entries)
    kinds = {(e["entity"], e["action"], (e["viewed"] or {}).get("part")) for e in entries}
    assert ("consultation", "registered", None) in kinds
    assert ("client", "viewed", "contacts") in kinds
    assert ("client", "viewed", "search_result") in kinds
    assert ("consultation", "viewed", None) in kinds
    corrected = next(e for e in entries if e["action"] == "corrected")
    assert corrected["changes"]["furigana"] == {
        "old": "やまだ たろう",
        "new": "やまだ たろう（訂正）",
    }
    assert corrected["reason"] == "ふりがなの誤り"
    # every change is {field: {old, new}}; a read says which part, never what it showed
    for e in entries:
        if e["action"] == "viewed":
            assert e["changes"] == {}
            assert set(e["viewed"]) == {"part", "filter", "entries"}
        else:
            assert all(set(v) == {"old", "new"} for v in e["changes"].values()), e
    reads = [e for e in entries if e["action"] == "viewed"]
    assert not personal_data_in(json.dumps(reads, ensure_ascii=False))
    assert {e["actor"] for e in reads} == {"desk:sato", "desk:ito"}

    # per member of staff and per period
    by_ito = await http.get("/audit-log", params={"actor": "desk:ito"}, headers=COORDINATOR)
    assert [e["entity_id"] for e in by_ito.json()["entries"]] == [first["id"]]
    none = await http.get(
        "/audit-log", params={"from": "2000-01-01", "to": "平成12年1月2日"}, headers=AUDITOR
    )
    assert none.json()["total"] == 0
    bad = await http.get("/audit-log", params={"from": "2026-02-30"}, headers=AUDITOR)
    assert bad.status_code == 422
    assert bad.json()["fields"][0]["field"] == "from"
    assert "存在しない日付" in bad.json()["message"]
    assert bad.json()["message"].startswith("期間の始まり")  # the field as a person calls it
    backwards = await http.get(
        "/audit-log", params={"from": "2026-10-02", "to": "2026-10-01"}, headers=AUDITOR
    )
    assert backwards.status_code == 422
    assert backwards.json()["fields"][0]["field"] == "to"
    assert backwards.json()["fields"][0]["message"] == "期間の始まりより前の日付です"

    # the CSV for Japanese Excel
    sheet = await http.get("/audit-log.csv", params={"subject": client_id}, headers=AUDITOR)
    assert sheet.status_code == 200
    text = sheet.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:7] == [
        "日時",
        "日付（和暦）",
        "操作した者",
        "記録の種類",
        "記録ID",
        "対象者ID",
        "操作",
    ]
    assert "変更内容" in rows[0]
    assert any(r[6] == "閲覧" and r[3] == "相談者" for r in rows[1:])
    assert all(r[1].startswith("令和") for r in rows[1:])

    # reading the trail is recorded too, about the person asked about
    async with intake.pool.acquire() as conn:
        looked = await conn.fetch(
            "SELECT actor, changes FROM audit_log WHERE entity = 'audit_log' AND subject_id = $1",
            client_id,
        )
        assert {r["actor"] for r in looked} == {"auditor:audit"}
        assert {json.loads(r["changes"])["part"] for r in looked} == {"entries", "csv"}
        other_trail = await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE subject_id = $1", other["client_id"]
        )
        assert other_trail >= 1  # the other person's registration, and nothing of Yamada's
        # as stored, not only as shown: every change is {field: {old, new}}
        stored = await conn.fetch("SELECT changes FROM audit_log WHERE action <> 'viewed'")
        for row in stored:
            assert all(set(v) == {"old", "new"} for v in json.loads(row["changes"]).values())


async def test_nobody_erases_the_trail_and_erasure_may_only_anonymise_it(
    intake: Runtime, http: httpx.AsyncClient
) -> None:
    first = await register(http)
    assert (await http.get(f"/clients/{first['client_id']}", headers=DESK)).status_code == 200
    # no route removes or rewrites an entry, for a coordinator either
    for method in ("DELETE", "PATCH", "PUT", "POST"):
        answer = await http.request(method, "/audit-log", headers=COORDINATOR)
        assert answer.status_code == 405, method
    async with intake.pool.acquire() as conn:
        before = await conn.fetchval("SELECT count(*) FROM audit_log")
        for statement in (
            "DELETE FROM audit_log",
            "UPDATE audit_log SET reason = 'x'",
            "UPDATE audit_log SET actor = 'someone:else'",
            "TRUNCATE audit_log",
        ):
            with pytest.raises(asyncpg.PostgresError, match="append-only"):
                await conn.execute(statement)
        async with conn.transaction():
            await conn.execute("SET LOCAL tosei.erasure = 'on'")
            anonymised = await conn.execute(
                "UPDATE audit_log SET reason = NULL, changes = '{}'::jsonb WHERE subject_id = $1",
                first["client_id"],
            )
            assert anonymised != "UPDATE 0"
            with pytest.raises(asyncpg.PostgresError, match="only reason and changes"):
                async with conn.transaction():
                    await conn.execute("UPDATE audit_log SET actor = 'x'")
            with pytest.raises(asyncpg.PostgresError, match="append-only"):
                async with conn.transaction():
                    await conn.execute("DELETE FROM audit_log")
        assert await conn.fetchval("SELECT count(*) FROM audit_log") == before
        # the setting is the transaction's own: the next one is refused again
        with pytest.raises(asyncpg.PostgresError, match="append-only"):
            await conn.execute("UPDATE audit_log SET reason = NULL")
