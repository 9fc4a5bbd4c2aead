"""Retention on the real database and broker: a past year's desk and seminar, erased on schedule.

FY2019 (令和元年度): the desk registers clients, experts hold sessions with notes, cases close;
the seminar is held and its registrants checked in. Years later the services' clocks pass the
periods, the daily run erases, and the council's figures for FY2019 — caseflow's KPI report (as
the coordinator and as a town's officer sees it), intake's counts, the seminar's attendance —
are exactly what they were, while nothing personal about the erased client is left in any text
column of any schema, nor in any log line written meanwhile. A client under a legal hold stays
(the dry run says so) until the hold is lifted and they are erased on their own request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest

from tests.caseflow.conftest import COORDINATOR as CASEFLOW_COORDINATOR
from tests.caseflow.conftest import expert_token
from tests.intake.helpers import AUDITOR, COORDINATOR, DESK, consultation
from tests.seminar.conftest import COORDINATOR as SEMINAR_COORDINATOR
from tests.seminar.conftest import ok, open_seminar, person
from tests.support.auth import bearer
from tests.support.runtime import fast_settings, running
from tests.support.waiting import eventually
from tosei_caseflow.app import SERVICE as CASEFLOW
from tosei_common.devtools import cli
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.clock import SettableClock, japan_moment
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_common.platform.settings import get_settings
from tosei_intake.app import SERVICE as INTAKE
from tosei_seminar.app import SERVICE as SEMINAR

pytestmark = pytest.mark.slow

#: The client whose every trace must go.
TOKITA: dict[str, Any] = {
    "person": {
        "name": "土岐田 権兵衛",
        "furigana": "ときた ごんべえ",
        "phone": "0172-99-4321",
        "email": "gonbee.tokita@mail.example.net",
    },
    "business": {"name": "岩木林檎農園", "stage": "planning"},
    "municipality": "青森市",
    "description": "岩木山麓の農園でシードル醸造を始めたい。補助金の相談。",
}
TOKITA_TRACES = (
    "080-5555-1234",
    "土岐田",
    "権兵衛",
    "ときた",
    "ごんべえ",
    "0172-99-4321",
    "0172994321",
    "gonbee",
    "mail.example.net",
    "岩木林檎",
    "林檎農園",
    "シードル醸造",
    "岩木山麓",
    "家族からの借入",
)
#: Held by a lawsuit: kept past the period until the hold is lifted.
MURAKAMI: dict[str, Any] = {
    "person": {
        "name": "村上 静香",
        "furigana": "むらかみ しずか",
        "phone": "017-700-8888",
        "email": "shizuka.murakami@hotate.example.com",
    },
    "business": {"name": "静香ほたて商店", "stage": "planning"},
    "municipality": "平内町",
    "description": "ほたての通信販売で起業したい。",
}
MURAKAMI_TRACES = ("村上", "静香", "017-700-8888", "shizuka", "ほたて商店")
#: Their case was closed and reopened: still open, kept.
SASAKI: dict[str, Any] = {
    "person": {"name": "佐々木 一郎", "furigana": None, "phone": "0174-31-2222", "email": None},
    "business": {"name": None, "stage": "planning"},
    "municipality": "今別町",
    "description": "民宿を継ぐか迷っている。",
}


def client_of(runtime: Runtime) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=build_app(runtime))
    return httpx.AsyncClient(transport=transport, base_url=f"http://{runtime.spec.name}")


@asynccontextmanager
async def platform(
    database: str, broker: TansuBroker, clock: SettableClock
) -> AsyncIterator[tuple[Runtime, Runtime, Runtime]]:
    settings = fast_settings(
        retention_schedule=True, retention_check_interval_s=0.2, retention_hour=3
    )
    async with AsyncExitStack() as stack:
        runtimes = [
            await stack.enter_async_context(
                running(
                    spec, settings, database_url=database, bootstrap=broker.bootstrap, clock=clock
                )
            )
            for spec in (CASEFLOW, INTAKE, SEMINAR)
        ]
        yield runtimes[0], runtimes[1], runtimes[2]


async def figures(intake: Runtime, caseflow: Runtime, seminar: Runtime, seminar_id: str) -> Any:
    """What the council reports of FY2019: caseflow's KPIs (coordinator, Aomori's officer),
    intake's counts, the seminar's attendance and feedback figures."""
    officer = bearer("municipality", "aomori-1", municipality="青森市")
    year = {"fiscal_year": 2019}
    async with client_of(intake) as i, client_of(caseflow) as c, client_of(seminar) as s:
        answers = [
            await c.get("/reports/kpi", params=year, headers=CASEFLOW_COORDINATOR),
            await c.get("/reports/kpi", params=year, headers=officer),
            await c.get("/reports/kpi.csv", params=year, headers=CASEFLOW_COORDINATOR),
            await i.get(
                "/consultations/counts", params={**year, "by": "municipality"}, headers=DESK
            ),
            await i.get("/consultations/counts", params={**year, "by": "category"}, headers=DESK),
            await i.get("/consultations/counts", params={**year, "by": "day"}, headers=officer),
            await s.get(f"/seminars/{seminar_id}/attendance", headers=SEMINAR_COORDINATOR),
            await s.get(f"/seminars/{seminar_id}/attendance", headers=officer),
        ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
    return [a.json() if "json" in a.headers["content-type"] else a.text for a in answers]


async def traces_in_every_schema(database: str, needles: Sequence[str]) -> list[str]:
    """Every `schema.table.column` of a text, varchar, json(b), text[] or bytea column of any
    schema that holds one of ``needles``."""
    conn = await asyncpg.connect(database)
    try:
        columns = await conn.fetch(
            """
            SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name
              FROM information_schema.columns c
              JOIN information_schema.tables t USING (table_schema, table_name)
             WHERE t.table_type = 'BASE TABLE'
               AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
               AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb',
                                    'bytea')
                    OR c.udt_name IN ('_text', '_varchar'))
            """
        )
        schemas = {c["table_schema"] for c in columns}
        assert {"intake", "caseflow", "seminar"} <= schemas
        found: list[str] = []
        for c in columns:
            column = f'"{c["table_schema"]}"."{c["table_name"]}"'
            name = f'"{c["column_name"]}"'
            if c["data_type"] == "bytea":
                hit = await conn.fetchval(
                    f"SELECT count(*) FROM {column} WHERE EXISTS (SELECT 1 FROM"
                    f" unnest($1::bytea[]) n WHERE position(n IN {name}) > 0)",
                    [n.encode() for n in needles],
                )
            else:
                hit = await conn.fetchval(
                    f"SELECT count(*) FROM {column} WHERE EXISTS (SELECT 1 FROM"
                    f" unnest($1::text[]) n WHERE strpos({name}::text, n) > 0)",
                    list(needles),
                )
            if hit:
                found.append(f"{c['table_schema']}.{c['table_name']}.{c['column_name']}")
        return found
    finally:
        await conn.close()


async def register(intake: Runtime, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    headers = {**DESK, **({"Idempotency-Key": key} if key else {})}
    async with client_of(intake) as http:
        response = await http.post("/consultations", json=consultation(**body), headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def work_and_close(
    caseflow: Runtime, case_id: str, expert: str, *, minutes: str, confidential: str, on: str
) -> None:
    """A session with notes, an outcome, resolved, closed with a rating."""
    async with client_of(caseflow) as http:
        steps = [
            (
                f"/cases/{case_id}/sessions",
                {
                    "held_on": on,
                    "mode": "in_person",
                    "duration_minutes": 60,
                    "minutes": minutes,
                    "confidential_notes": confidential,
                },
                expert_token(expert),
            ),
            (
                f"/cases/{case_id}/outcomes",
                {"type": "founded", "achieved_on": on, "note": minutes},
                expert_token(expert),
            ),
            (
                f"/cases/{case_id}/transitions",
                {"to": "resolved", "reason": minutes},
                expert_token(expert),
            ),
            (
                f"/cases/{case_id}/transitions",
                {"to": "closed", "satisfaction": 5},
                CASEFLOW_COORDINATOR,
            ),
        ]
        for path, body, headers in steps:
            response = await http.post(path, json=body, headers=headers)
            assert response.status_code in (201, 204), response.text


async def count(database: str, sql: str) -> int:
    conn = await asyncpg.connect(database)
    try:
        value: int = await conn.fetchval(sql)
        return value
    finally:
        await conn.close()


async def tosei(monkeypatch: pytest.MonkeyPatch, database: str, *argv: str) -> int:
    monkeypatch.setenv("TOSEI_DATABASE_URL", database)
    get_settings.cache_clear()
    try:
        code: int = await asyncio.to_thread(cli.main, list(argv))
    finally:
        get_settings.cache_clear()
    return code


async def test_retention_erases_a_past_year_s_people_and_leaves_its_figures_as_they_were(
    own_database: str,
    broker: TansuBroker,
    clock: SettableClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.set(japan_moment("2019-06-10 10:00"))
    async with platform(own_database, broker, clock) as (caseflow, intake, seminar):
        # FY2019 at the desk ---------------------------------------------------------------
        async with client_of(caseflow) as http:
            made = await http.post(
                "/experts",
                json={
                    "name": "支援 太郎",
                    "track": "startup",
                    "specialities": [],
                    "weekly_capacity": 20,
                },
                headers=CASEFLOW_COORDINATOR,
            )
        assert made.status_code == 201, made.text
        expert = made.json()["expert_id"]
        tokita = await register(intake, TOKITA, key="desk-2019-0001")
        clock.set(japan_moment("2019-07-01 10:00"))
        again = await register(
            intake,
            {**TOKITA, "categories": ["financing"], "description": "シードル醸造の設備の資金。"},
        )
        assert again["client_id"] == tokita["client_id"]  # the same person, one client
        # the same name with a new mobile only: a record of its own, merged by the coordinator
        duplicate = await register(
            intake,
            {**TOKITA, "person": {**TOKITA["person"], "phone": "080-5555-1234", "email": None}},
        )
        assert duplicate["client_id"] != tokita["client_id"]
        async with client_of(intake) as http:
            merged = await http.post(
                f"/clients/{tokita['client_id']}/merge",
                json={"duplicate_id": duplicate["client_id"]},
                headers=COORDINATOR,
            )
        assert merged.status_code == 200, merged.text
        murakami = await register(intake, MURAKAMI)
        sasaki = await register(intake, SASAKI)
        others = [
            await register(
                intake,
                {
                    "person": {
                        "name": f"相談 {n}郎",
                        "furigana": None,
                        "phone": f"017-723-{2000 + n}",
                        "email": None,
                    },
                    "business": {"name": None, "stage": "planning"},
                    "municipality": town,
                    "description": "創業の手続を知りたい。",
                },
            )
            for n, town in enumerate(["外ケ浜町", "蓬田村", "青森市"])
        ]
        async with client_of(intake) as http:
            fixed = await http.patch(
                f"/clients/{tokita['client_id']}",
                json={
                    "furigana": "ときた ごんべい",
                    "reason": "土岐田さん本人の申出でふりがなを訂正",
                },
                headers=COORDINATOR,
            )
        assert fixed.status_code == 204, fixed.text
        conn = await asyncpg.connect(own_database)
        try:
            with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="append-only"):
                await conn.execute("UPDATE intake.audit_log SET reason = 'x'")
        finally:
            await conn.close()

        cases = [tokita["id"], again["id"], duplicate["id"], murakami["id"], sasaki["id"]]
        cases += [o["id"] for o in others]

        async def all_assigned() -> bool:
            async with caseflow.pool.acquire() as conn:
                n = await conn.fetchval(
                    "SELECT count(*) FROM cases"
                    " WHERE case_id = ANY($1::uuid[]) AND state = 'assigned'",
                    cases,
                )
            return bool(n == len(cases))

        await eventually(all_assigned, timeout=30)
        clock.set(japan_moment("2019-11-20 10:00"))
        for case_id in [*cases[:5], others[0]["id"]]:
            await work_and_close(
                caseflow,
                case_id,
                expert,
                minutes="シードル醸造の計画を確認" if case_id in cases[:3] else "計画を確認",
                confidential="家族からの借入あり（土岐田さん）" if case_id in cases[:3] else "なし",
                on="2019-11-20",
            )
        clock.set(japan_moment("2020-02-03 10:00"))
        async with client_of(caseflow) as http:
            reopened = await http.post(
                f"/cases/{sasaki['id']}/transitions",
                json={"to": "reopened", "reason": "相談の再開"},
                headers=CASEFLOW_COORDINATOR,
            )
        assert reopened.status_code == 204, reopened.text

        # FY2019's seminar -----------------------------------------------------------------
        clock.set(japan_moment("2021-06-10 11:00"))
        async with client_of(seminar) as http:
            held = await open_seminar(http, fiscal_year=2021)
            references = [
                ok(
                    await http.post(
                        f"/seminars/{held.id}/registrations",
                        json=person(n, email=f"kango{n}@byouin.example.org", phone="0172-33-1200"),
                    ),
                    201,
                )["reference"]
                for n in range(4)
            ]
            # a registrant's e-mail corrected: the wrong one lives on in the audit trail
            ok(
                await http.patch(
                    f"/registrations/{references[0]}/contacts",
                    json={
                        "reason": "メールアドレスの誤り",
                        "email": "kango0-new@byouin.example.org",
                    },
                    headers=SEMINAR_COORDINATOR,
                )
            )
            clock.set(japan_moment("2021-10-17 14:00"))
            for reference in references[:3]:
                ok(
                    await http.post(
                        f"/seminars/{held.id}/check-ins",
                        json={"reference": reference},
                        headers=SEMINAR_COORDINATOR,
                    )
                )
            for state in ("registration_closed", "held"):
                ok(
                    await http.post(
                        f"/seminars/{held.id}/state",
                        json={"state": state},
                        headers=SEMINAR_COORDINATOR,
                    )
                )

        async def closures_heard() -> bool:
            async with intake.pool.acquire() as conn:
                rows = await conn.fetch("SELECT case_id, closed_at FROM case_closures")
            states = {str(r["case_id"]): r["closed_at"] is not None for r in rows}
            return states.get(sasaki["id"]) is False and sum(states.values()) == 5

        await eventually(closures_heard, timeout=30)
        before = await figures(intake, caseflow, seminar, held.id)

        # a lawsuit keeps 村上's records ----------------------------------------------------
        async with client_of(intake) as http:
            reasonless = await http.post(
                f"/clients/{murakami['client_id']}/legal-hold", json={}, headers=COORDINATOR
            )
            assert reasonless.status_code == 422, reasonless.text
            assert reasonless.json()["message"] == "訴訟等による保存の理由を入力してください"
            assert reasonless.json()["fields"][0]["field"] == "reason"
            hold = await http.post(
                f"/clients/{murakami['client_id']}/legal-hold",
                json={"reason": "令和2年(ワ)第45号事件の証拠として保存"},
                headers=COORDINATOR,
            )
            assert hold.status_code == 201, hold.text
            standing = await http.get(f"/clients/{murakami['client_id']}", headers=COORDINATOR)
            assert standing.json()["legal_hold_reason"] == "令和2年(ワ)第45号事件の証拠として保存"
            assert standing.json()["legal_hold_since"] is not None
            assert standing.json()["erased_at"] is None
            refused = await http.post(
                f"/clients/{murakami['client_id']}/erasure",
                json={"reason": "本人からの消去請求"},
                headers=COORDINATOR,
            )
            assert refused.status_code == 409, refused.text
            assert refused.json()["error"] == "legal_hold"
            assert "訴訟等による保存" in refused.json()["message"]
            by_desk = await http.post(
                f"/clients/{tokita['client_id']}/erasure",
                json={"reason": "本人からの消去請求"},
                headers=DESK,
            )
            assert by_desk.status_code == 403, by_desk.text

        # the dry run (today's real date is years past FY2019) lists and changes nothing ----
        capsys.readouterr()
        assert await tosei(monkeypatch, own_database, "retention", "--dry-run") == 0
        said = capsys.readouterr().out
        assert f"erase    client {tokita['client_id']}" in said
        assert f"held     client {murakami['client_id']}" in said
        assert f"client {sasaki['client_id']}" not in said
        assert f"erase    seminar {held.id}" in said
        assert "caseflow    erases its notes" in said
        # 土岐田's three cases and 相談 0郎's: five entries with text each
        assert "of the cases above: cases with notes 4, journal entries with text 20" in said
        assert "dry run" in said
        assert await traces_in_every_schema(own_database, ["土岐田", "gonbee", "kango1@"])
        assert await count(own_database, "SELECT count(*) FROM intake.client_erasures") == 0

        # years later: not before the hour of the daily run, then at it ----------------------
        caplog.clear()
        caplog.set_level(logging.DEBUG)
        clock.set(japan_moment("2026-06-01 02:30"))
        await asyncio.sleep(1.0)
        assert await count(own_database, "SELECT count(*) FROM intake.client_erasures") == 0
        clock.set(japan_moment("2026-06-01 03:05"))

        async def erased_everywhere() -> bool:
            conn = await asyncpg.connect(own_database)
            try:
                row = await conn.fetchrow(
                    "SELECT (SELECT count(*) FROM intake.client_erasures) AS clients,"
                    " (SELECT count(*) FROM caseflow.erased_cases) AS cases,"
                    " (SELECT count(*) FROM seminar.registrations"
                    "   WHERE contacts_erased_at IS NOT NULL) AS contacts"
                )
            finally:
                await conn.close()
            assert row is not None
            return (row["clients"], row["cases"], row["contacts"]) == (2, 4, 4)

        # 土岐田 (three cases, one of a merged duplicate) and 相談 0郎 (one): erased; 村上 held;
        # 佐々木 reopened; the others open
        await eventually(erased_everywhere, timeout=30)
        run_log = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records) + caplog.text
        assert "retention" in run_log
        assert [t for t in TOKITA_TRACES if t in run_log] == []

        after = await figures(intake, caseflow, seminar, held.id)
        assert after == before
        # the mails to the registrants (never sent here: no SMTP server) lost their addresses
        # and bodies with the contacts; what was to be sent when stays
        mails = await count(
            own_database,
            "SELECT count(*) FROM seminar.mail_outbox WHERE erased_at IS NOT NULL"
            " AND recipient IS NULL AND body_text IS NULL AND kind <> ''",
        )
        assert mails == await count(own_database, "SELECT count(*) FROM seminar.mail_outbox") > 0
        assert await traces_in_every_schema(own_database, TOKITA_TRACES) == []
        # the scan finds what is kept: the held client, the names on certificates
        assert await traces_in_every_schema(own_database, MURAKAMI_TRACES)
        assert "seminar.registrations.name" in await traces_in_every_schema(
            own_database, ["青森 太郎1"]
        )
        assert (
            await traces_in_every_schema(own_database, ["kango0@", "kango1@", "0172-33-1200"]) == []
        )
        async with client_of(intake) as http:
            shown = (await http.get(f"/consultations/{tokita['id']}", headers=DESK)).json()
            replayed = await http.post(
                "/consultations",
                json=consultation(**TOKITA),
                headers={**DESK, "Idempotency-Key": "desk-2019-0001"},
            )
        assert shown["municipality"]["code"] == "022012"
        assert "（消去済み）" in str(shown)
        assert replayed.headers.get("Idempotent-Replayed") == "true"
        assert "土岐田" not in replayed.text
        async with client_of(intake) as http:
            remerged = await http.post(
                f"/clients/{others[1]['client_id']}/merge",
                json={"duplicate_id": tokita["client_id"]},
                headers=COORDINATOR,
            )
        assert remerged.status_code == 409, remerged.text
        assert "消去した相談者は統合できません" in remerged.json()["message"]

        # the hold is lifted; 村上 asks to be erased ----------------------------------------
        async with client_of(intake) as http:
            lifted = await http.post(
                f"/clients/{murakami['client_id']}/legal-hold/lift",
                json={"reason": "判決の確定"},
                headers=COORDINATOR,
            )
            assert lifted.status_code == 204, lifted.text
            erased = await http.post(
                f"/clients/{murakami['client_id']}/erasure",
                json={"reason": "本人からの消去請求（令和8年6月1日受付）"},
                headers=COORDINATOR,
            )
            assert erased.status_code == 200, erased.text
            assert erased.json()["consultation_ids"] == [murakami["id"]]
            shown = (
                await http.get(f"/clients/{murakami['client_id']}", headers=COORDINATOR)
            ).json()
            assert shown["erased_at"] == erased.json()["erased_at"]
            assert shown["legal_hold_since"] is None
            twice = await http.post(
                f"/clients/{murakami['client_id']}/erasure",
                json={"reason": "本人からの消去請求"},
                headers=COORDINATOR,
            )
            assert twice.status_code == 409, twice.text
            # the auditors read what was done about the person, with its reasons erased
            trail = await http.get(
                "/audit-log", params={"subject": murakami["client_id"]}, headers=AUDITOR
            )
            assert trail.status_code == 200, trail.text
            actions = {e["action"] for e in trail.json()["entries"]}
            assert {"legal_hold.placed", "legal_hold.lifted", "erased"} <= actions, actions

        async def murakami_gone() -> bool:
            return not await traces_in_every_schema(own_database, MURAKAMI_TRACES)

        await eventually(murakami_gone, timeout=30)
        assert await figures(intake, caseflow, seminar, held.id) == before


async def test_a_dry_run_on_a_schema_behind_its_migrations_changes_nothing(
    own_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dry run that migrated would change the database it promises not to touch (and, with a
    newer command than the running services, their schema under them)."""
    assert await tosei(monkeypatch, own_database, "retention", "--dry-run", "intake") == 1
    said = capsys.readouterr().out
    assert "the schema lacks" in said
    assert "tosei migrate intake" in said
    assert (
        await count(own_database, "SELECT count(*) FROM pg_namespace WHERE nspname = 'intake'") == 0
    )
