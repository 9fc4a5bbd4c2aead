"""`tosei backup` and `tosei restore` as an operator runs them after losing the database.

The desk registers consultations; caseflow opens their cases from `case.opened`. A backup is
taken while the services run, with one consultation's event still unsent in intake's outbox;
more are registered after it. Then the database is gone: the backup is restored into an empty
one and the services start on it. They show what they showed at backup time, and once their
consumers resume, every case opened after the backup is in caseflow exactly once, although
Kafka's committed offsets had moved past them and the unsent event is sent a second time.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.caseflow.conftest import COORDINATOR
from tests.intake.helpers import DESK, consultation
from tests.support import databases
from tests.support.runtime import fast_settings, running
from tests.support.waiting import eventually
from tosei_caseflow.app import SERVICE as CASEFLOW
from tosei_common.devtools import cli
from tosei_common.devtools.devstack import TansuBroker, free_port
from tosei_common.platform.backup import read_manifest
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_common.platform.settings import get_settings
from tosei_intake.app import SERVICE as INTAKE

pytestmark = pytest.mark.slow

TOWNS = ["外ケ浜町", "平内町", "蓬田村", "今別町", "青森市"]


@pytest.fixture
async def empty_database(database_url: str) -> AsyncIterator[str]:
    """Where the backup is restored: a database nothing has run on."""
    async with databases.own_database(database_url, "tosei_restored") as url:
        yield url


@dataclass(frozen=True)
class View:
    """What the desk and the coordinator see: the records and the KPI report."""

    consultations: list[Any]
    cases: list[Any]
    kpi: Any


class Platform:
    def __init__(self, broker: TansuBroker, clock: SettableClock) -> None:
        self.broker = broker
        self.clock = clock

    def run(
        self, spec: ServiceSpec, database_url: str, **options: Any
    ) -> AbstractAsyncContextManager[Runtime]:
        return running(
            spec,
            fast_settings(),
            database_url=database_url,
            bootstrap=self.broker.bootstrap,
            clock=self.clock,
            **options,
        )


async def register(intake: Runtime, n: int) -> str:
    body = consultation(
        person={
            "name": f"利用者 {n}号",
            "phone": f"017-723-{1000 + n}",
            "email": f"u{n}@example.jp",
        },
        municipality=TOWNS[n % len(TOWNS)],
    )
    async with _client(intake) as http:
        response = await http.post("/consultations", json=body, headers=DESK)
    assert response.status_code == 201, response.text
    consultation_id: str = response.json()["id"]
    return consultation_id


async def case_ids(caseflow: Runtime) -> set[str]:
    async with _client(caseflow) as http:
        listed = await http.get("/cases", params={"limit": 500}, headers=COORDINATOR)
    assert listed.status_code == 200, listed.text
    return {c["case_id"] for c in listed.json()["cases"]}


async def view(intake: Runtime, caseflow: Runtime) -> View:
    async with _client(intake) as desk, _client(caseflow) as coordinator:
        consultations = await desk.get("/consultations", params={"limit": 100}, headers=DESK)
        cases = await coordinator.get("/cases", params={"limit": 500}, headers=COORDINATOR)
        kpi = await coordinator.get("/reports/kpi", headers=COORDINATOR)
    for response in (consultations, cases, kpi):
        assert response.status_code == 200, response.text
    return View(consultations.json()["items"], cases.json()["cases"], kpi.json())


async def tosei(monkeypatch: pytest.MonkeyPatch, broker: TansuBroker, *argv: str) -> int:
    """Run the `tosei` command as an operator would (in a thread: it runs its own loop)."""
    monkeypatch.setenv("TOSEI_KAFKA_BOOTSTRAP", broker.bootstrap)
    monkeypatch.setenv("TOSEI_CONSUMER_SESSION_TIMEOUT_MS", "3000")
    get_settings.cache_clear()
    try:
        code: int = await asyncio.to_thread(cli.main, list(argv))
    finally:
        get_settings.cache_clear()
    return code


async def test_a_backup_restored_into_an_empty_database_shows_the_same_and_resumes_exactly_once(
    own_database: str,
    empty_database: str,
    broker: TansuBroker,
    clock: SettableClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    platform = Platform(broker, clock)
    backups = tmp_path / "backups"
    monkeypatch.setenv("TOSEI_DATABASE_URL", own_database)

    async with platform.run(CASEFLOW, own_database) as caseflow:
        async with platform.run(INTAKE, own_database) as intake:
            opened = {await register(intake, n) for n in range(2)}
            await eventually(lambda: _equals(case_ids(caseflow), opened), timeout=30)
        # intake's relay is stopped: this consultation's case.opened waits in its outbox
        async with platform.run(INTAKE, own_database, relay=False) as intake:
            unsent = await register(intake, 2)
            at_backup = await view(intake, caseflow)
            assert await tosei(monkeypatch, broker, "backup", "--all", "--to", str(backups)) == 0
        async with platform.run(INTAKE, own_database) as intake:
            after = {await register(intake, n) for n in range(3, 5)}
            everything = opened | {unsent} | after
            await eventually(lambda: _equals(case_ids(caseflow), everything), timeout=30)
            before_the_loss = await view(intake, caseflow)
    said = capsys.readouterr().out
    lines = {line.split()[0]: line for line in said.splitlines() if line.strip()}
    assert "outbox 3 (1 unsent)" in lines["intake"]
    assert "outbox 0 (0 unsent), inbox 2" in lines["caseflow"]
    assert "seminar     no schema seminar in the database; skipped" in said

    # The database is lost; the broker, its topics and the consumers' offsets are not.
    monkeypatch.setenv("TOSEI_DATABASE_URL", empty_database)
    restored = await tosei(monkeypatch, broker, "restore", "--all", "--from", str(backups))
    assert restored == 0, capsys.readouterr().err
    said = capsys.readouterr().out
    assert "tosei.caseflow resumes at tosei.intake.cases" in said

    # Started on the restored database, before consuming anything: as at backup time.
    async with (
        platform.run(INTAKE, empty_database, consume=False, relay=False) as intake,
        platform.run(CASEFLOW, empty_database, consume=False, relay=False) as caseflow,
    ):
        assert await view(intake, caseflow) == at_backup

    async with (
        platform.run(INTAKE, empty_database) as intake,
        platform.run(CASEFLOW, empty_database) as caseflow,
    ):
        # the unsent event is sent again by the restored outbox: caseflow had it already
        await eventually(lambda: _duplicates(caseflow), timeout=30)
        await eventually(lambda: _equals(case_ids(caseflow), everything), timeout=30)
        now = await view(intake, caseflow)
    assert now.cases == before_the_loss.cases
    assert now.kpi == before_the_loss.kpi
    assert now.kpi["total"] != at_backup.kpi["total"]
    # intake's own records after the backup are what a backup cannot bring back
    assert now.consultations == at_backup.consultations
    conn = await asyncpg.connect(empty_database)
    try:
        counted = await conn.fetch(
            "SELECT case_id::text, count(*) AS n FROM caseflow.cases GROUP BY case_id"
        )
    finally:
        await conn.close()
    assert {r["case_id"]: r["n"] for r in counted} == dict.fromkeys(everything, 1)


async def test_a_backup_taken_while_the_broker_is_away_resumes_from_what_the_inbox_recorded(
    own_database: str,
    empty_database: str,
    broker: TansuBroker,
    clock: SettableClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    platform = Platform(broker, clock)
    monkeypatch.setenv("TOSEI_DATABASE_URL", own_database)
    async with (
        platform.run(CASEFLOW, own_database) as caseflow,
        platform.run(INTAKE, own_database) as intake,
    ):
        opened = {await register(intake, n) for n in range(2)}
        await eventually(lambda: _equals(case_ids(caseflow), opened), timeout=30)
        away = TansuBroker(free_port(), tmp_path / "away.log")  # never started
        backup = ("backup", "caseflow", "--to", str(tmp_path))
        assert await tosei(monkeypatch, away, *backup) == 0
        later = await register(intake, 2)
        await eventually(lambda: _equals(case_ids(caseflow), opened | {later}), timeout=30)
    assert "a restore will resume from what the inbox recorded" in capsys.readouterr().out
    (path,) = await asyncio.to_thread(lambda: list(tmp_path.glob("caseflow-*.json")))
    assert read_manifest(path).consumer_offsets is None

    monkeypatch.setenv("TOSEI_DATABASE_URL", empty_database)
    restore = ("restore", "caseflow", "--from", str(tmp_path))
    assert await tosei(monkeypatch, broker, *restore) == 0, capsys.readouterr().err
    async with platform.run(CASEFLOW, empty_database) as caseflow:
        await eventually(lambda: _equals(case_ids(caseflow), opened | {later}), timeout=30)


async def test_a_restore_refuses_a_schema_that_holds_tables_and_changes_nothing(
    own_database: str,
    broker: TansuBroker,
    clock: SettableClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    platform = Platform(broker, clock)
    monkeypatch.setenv("TOSEI_DATABASE_URL", own_database)
    async with platform.run(INTAKE, own_database, consume=False, relay=False) as intake:
        kept = await register(intake, 1)
    assert await tosei(monkeypatch, broker, "backup", "intake", "--to", str(tmp_path)) == 0
    async with platform.run(INTAKE, own_database, consume=False, relay=False) as intake:
        later = await register(intake, 2)
    capsys.readouterr()

    assert await tosei(monkeypatch, broker, "restore", "intake", "--from", str(tmp_path)) == 1
    assert "schema intake already holds" in capsys.readouterr().err
    assert await _consultations(own_database) == {kept, later}

    replaced = await tosei(
        monkeypatch, broker, "restore", "intake", "--from", str(tmp_path), "--replace"
    )
    assert replaced == 0, capsys.readouterr().err
    assert await _consultations(own_database) == {kept}
    assert await _consultations(own_database, "intake_before_restore") == {kept, later}


async def _consultations(url: str, schema: str = "intake") -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        return {r["id"] for r in await conn.fetch(f"SELECT id::text FROM {schema}.consultations")}
    finally:
        await conn.close()


async def _duplicates(caseflow: Runtime) -> bool:
    counted = caseflow.metrics.inbox_duplicates.labels(topic="tosei.intake.cases")
    return bool(counted._value.get() >= 1)


async def _equals(value: Any, expected: Any) -> bool:
    return bool(await value == expected)


def _client(rt: Runtime) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(rt)), base_url="http://t")


def _owned_by_nobody(manifest: dict[str, Any], _: Path) -> None:
    manifest["owner"] = "tosei_nobody"


def _cut_short(_: dict[str, Any], dump: Path) -> None:
    dump.write_bytes(dump.read_bytes()[:-10])


def _from_a_newer_version(manifest: dict[str, Any], _: Path) -> None:
    manifest["migrations"].append(
        {"source": "service", "version": 999, "name": "later", "checksum": "x"}
    )


def _edit_backup(directory: Path, edit: Callable[[dict[str, Any], Path], None]) -> None:
    (path,) = directory.glob("intake-*.json")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest, directory / manifest["dump"])
    path.write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "refusal"),
    [
        pytest.param(
            _owned_by_nobody,
            "role tosei_nobody (owner of the schema in the backup) does not exist",
            id="owner-missing",
        ),
        pytest.param(_cut_short, "does not match its manifest's sha256", id="dump-cut-short"),
        pytest.param(
            _from_a_newer_version,
            "the backup was taken by a newer version (service/0999_later is unknown here)",
            id="newer-version",
        ),
    ],
)
async def test_a_restore_refuses_a_backup_it_cannot_trust_before_it_touches_anything(
    own_database: str,
    empty_database: str,
    broker: TansuBroker,
    clock: SettableClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spoil: Callable[[dict[str, Any], Path], None],
    refusal: str,
) -> None:
    platform = Platform(broker, clock)
    monkeypatch.setenv("TOSEI_DATABASE_URL", own_database)
    async with platform.run(INTAKE, own_database, consume=False, relay=False) as intake:
        await register(intake, 1)
    assert await tosei(monkeypatch, broker, "backup", "intake", "--to", str(tmp_path)) == 0
    _edit_backup(tmp_path, spoil)
    capsys.readouterr()

    monkeypatch.setenv("TOSEI_DATABASE_URL", empty_database)
    assert await tosei(monkeypatch, broker, "restore", "intake", "--from", str(tmp_path)) == 1
    assert refusal in capsys.readouterr().err
    conn = await asyncpg.connect(empty_database)
    try:
        assert not await conn.fetchval("SELECT true FROM pg_namespace WHERE nspname = 'intake'")
    finally:
        await conn.close()


async def test_without_the_backups_roles_the_restoring_user_may_own_what_is_restored(
    own_database: str,
    empty_database: str,
    broker: TansuBroker,
    clock: SettableClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = Platform(broker, clock)
    monkeypatch.setenv("TOSEI_DATABASE_URL", own_database)
    async with platform.run(INTAKE, own_database, consume=False, relay=False) as intake:
        registered = await register(intake, 1)
    assert await tosei(monkeypatch, broker, "backup", "intake", "--to", str(tmp_path)) == 0
    _edit_backup(tmp_path, _owned_by_nobody)

    monkeypatch.setenv("TOSEI_DATABASE_URL", empty_database)
    restore = ("restore", "intake", "--from", str(tmp_path), "--no-owner", "--keep-offsets")
    assert await tosei(monkeypatch, broker, *restore) == 0
    assert await _consultations(empty_database) == {registered}
