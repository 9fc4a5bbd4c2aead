"""The fault suite: the whole platform under a steady load of consultations, one fault at a time.

``tosei up`` runs the five services and the bundled broker on a PostgreSQL server of the suite's
own. For each fault the desk keeps registering consultations (30 a second, each retried with its
Idempotency-Key until it gets an answer), the fault is injected, and afterwards every accepted
consultation is reconciled against the databases and a full read of the topics: nothing lost,
nothing doubled, nothing dead-lettered that was not poison. The figures of the run are written
to docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from tests.system.load import Desk, Outcome
from tests.system.platform import (
    DatabaseServer,
    Platform,
    database_server,
    register_experts,
    terminate_connections,
    tosei_up,
)
from tests.system.reconcile import (
    INTAKE_CASES,
    OPENED,
    dead_letters,
    header,
    read_all,
    reconcile,
    settled,
)
from tests.system.report import Figure, write_figures

pytestmark = pytest.mark.slow

RATE = 30.0  # consultations a second
LEAD_S = 3.0  # load before the fault
TAIL_S = 3.0  # load after it

RUN = uuid.uuid4().hex[:6]
FIGURES: list[Figure] = []


def figures_document() -> Path:
    """Where this run's figures go: a copy of docs/reliability.md among the test artefacts, so
    that `make test` leaves the working tree as it found it; the document itself only when asked
    (`make reliability`, TOSEI_WRITE_RELIABILITY=1), on a machine quiet enough to be quoted."""
    document = Path(__file__).parents[2] / "docs" / "reliability.md"
    if os.environ.get("TOSEI_WRITE_RELIABILITY") == "1":
        return document
    copy = Path(__file__).parents[2] / ".tosei" / "artefacts" / "reliability.md"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(document.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseServer]:
    with database_server(tmp_path_factory.mktemp("pg")) as server:
        yield server


@pytest.fixture(scope="module")
async def stack(
    tmp_path_factory: pytest.TempPathFactory, database: DatabaseServer
) -> AsyncIterator[Platform]:
    with tosei_up(tmp_path_factory.mktemp("tosei"), database) as platform:
        await platform.wait_ready()
        await register_experts(platform)
        yield platform
    write_figures(FIGURES, figures_document())


@dataclass
class Phase:
    platform: Platform
    name: str
    fault: str
    duplicates_before: dict[str, float] = field(default_factory=dict)

    async def run(self, inject: Callable[[], Awaitable[None]]) -> tuple[Outcome, float]:
        """Load, inject the fault, load a little more; return what the desk saw and when the
        fault ended."""
        self.duplicates_before = await self._inbox_duplicates()
        desk = Desk(self.platform.urls["intake"], f"{RUN}-{self.name}", first_number=_base())
        stop = asyncio.Event()
        load = asyncio.create_task(desk.load(RATE, stop))
        await asyncio.sleep(LEAD_S)
        await inject()
        ended = time.monotonic()
        await asyncio.sleep(TAIL_S)
        stop.set()
        return await load, ended

    async def _inbox_duplicates(self) -> dict[str, float]:
        return {
            service: await self.platform.counter(service, "tosei_inbox_duplicates_total")
            for service in ("intake", "caseflow")
        }

    async def check(self, outcome: Outcome, fault_ended: float) -> None:
        """Reconcile, record the figures, and say what went wrong if anything did."""
        await self.platform.wait_ready()
        settled_at = await settled(self.platform.database.url, outcome)
        result = await reconcile(
            self.platform.database.url, self.platform.bootstrap, outcome, f"{RUN}-{self.name}"
        )
        absorbed = 0.0
        for service, before in self.duplicates_before.items():
            after = (await self._inbox_duplicates())[service]
            absorbed += after - before if after >= before else after  # a restart resets it
        latencies = sorted(outcome.accept_latencies)
        FIGURES.append(
            Figure(
                fault=self.fault,
                accepted=result.accepted,
                lost=len(result.lost),
                doubled=len(result.doubled),
                retried=outcome.retried,
                replayed=outcome.replayed,
                repeated_deliveries=result.repeated_deliveries,
                inbox_duplicates=int(absorbed),
                recovered_s=None if settled_at is None else settled_at - fault_ended,
                slowest_accept_s=latencies[-1] if latencies else 0.0,
            )
        )
        assert outcome.refused == [], outcome.refused[:5]
        assert outcome.unanswered == [], outcome.unanswered[:5]
        assert result.accepted > 0
        assert result.lost == [], result.lost[:10]
        assert result.doubled == [], result.doubled[:10]


async def test_no_fault_as_a_baseline(stack: Platform) -> None:
    phase = Phase(stack, "baseline", "none (baseline)")
    outcome, ended = await phase.run(lambda: asyncio.sleep(4))
    await phase.check(outcome, ended)
    assert await dead_letters(stack.bootstrap) == []


async def test_the_broker_paused_for_30_seconds(stack: Platform) -> None:
    async def pause() -> None:
        broker = stack.child("tansu")
        broker.suspend()
        try:
            await asyncio.sleep(30)
        finally:
            broker.resume()

    phase = Phase(stack, "broker-paused", "broker paused (SIGSTOP) 30 s")
    outcome, ended = await phase.run(pause)
    await phase.check(outcome, ended)


async def test_the_broker_killed_and_restarted_by_tosei_up(stack: Platform) -> None:
    async def kill() -> None:
        mark = len(stack.lines)
        stack.child("tansu").kill()
        await stack.wait_for_output("broker restarted", since=mark, timeout=90)

    phase = Phase(stack, "broker-killed", "broker killed (SIGKILL), restarted by tosei up")
    outcome, ended = await phase.run(kill)
    await phase.check(outcome, ended)


@pytest.mark.parametrize("service", ["intake", "caseflow"])
async def test_a_service_killed_mid_load_and_restarted(stack: Platform, service: str) -> None:
    async def kill() -> None:
        mark = len(stack.lines)
        stack.child(f"serve {service}").send_signal(signal.SIGKILL)
        await stack.wait_for_output(f"{service} restarted", since=mark, timeout=60)

    role = "the relay of case.opened" if service == "intake" else "the consumer"
    phase = Phase(stack, f"{service}-killed", f"{service} ({role}) killed, restarted")
    outcome, ended = await phase.run(kill)
    await phase.check(outcome, ended)


async def test_postgresql_restarted_under_load(stack: Platform) -> None:
    phase = Phase(stack, "pg-restarted", "PostgreSQL restarted (fast shutdown)")
    outcome, ended = await phase.run(lambda: asyncio.to_thread(stack.database.restart))
    await phase.check(outcome, ended)


async def test_connections_refused_for_20_seconds(stack: Platform) -> None:
    async def refuse() -> None:
        await stack.database.refuse_connections(True)
        try:
            await asyncio.sleep(20)
        finally:
            await stack.database.refuse_connections(False)

    phase = Phase(stack, "refused", "connections refused 20 s (ALLOW_CONNECTIONS false)")
    outcome, ended = await phase.run(refuse)
    await phase.check(outcome, ended)


async def test_connections_terminated_in_a_loop(stack: Platform) -> None:
    async def cut() -> None:
        admin = await asyncpg.connect(stack.database.admin_url)
        try:
            for _ in range(20):
                await terminate_connections(admin)
                await asyncio.sleep(0.5)
        finally:
            await admin.close()

    phase = Phase(stack, "terminated", "every connection terminated, twice a second for 10 s")
    outcome, ended = await phase.run(cut)
    await phase.check(outcome, ended)


async def test_poison_records_replays_and_a_payload_under_a_new_id(stack: Platform) -> None:
    assert await dead_letters(stack.bootstrap) == []
    victim = await _some_case_opened(stack)

    async def poison() -> None:
        await _produce_poison_and_repeats(stack.bootstrap, victim)

    phase = Phase(stack, "poison", "poison records, a replayed record, a payload under a new id")
    outcome, ended = await phase.run(poison)
    await phase.check(outcome, ended)

    letters = await dead_letters(stack.bootstrap)
    assert sorted(reason for _, reason, _ in letters) == ["invalid"] * 3, letters
    assert {topic for topic, _, _ in letters} == {"tosei.intake.cases.dlq"}
    case_id = uuid.UUID(header(victim, "ce_subject") or "")
    conn = await asyncpg.connect(stack.database.url)
    try:
        assigned = await conn.fetchval(
            "SELECT count(*) FROM caseflow.case_timeline WHERE case_id = $1 AND kind = 'assigned'",
            case_id,
        )
    finally:
        await conn.close()
    assert assigned == 1  # the repeat and the same case under a new id changed nothing


async def test_a_second_caseflow_joins_the_group_under_load_and_leaves(stack: Platform) -> None:
    async def join_and_leave() -> None:
        from tosei_common.devtools.devstack import free_port

        second = stack.start_process(
            "serve", "caseflow", port_env={"TOSEI_CASEFLOW_PORT": str(free_port())}
        )
        try:
            await asyncio.sleep(15)  # joins, the group rebalances, both consume
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.to_thread(second.wait, 30)

    # what an earlier phase dead-lettered (the poison phase's three) stays; a rebalance adds none
    letters_before = await dead_letters(stack.bootstrap)
    phase = Phase(stack, "rebalance", "a second caseflow joins the consumer group, then leaves")
    outcome, ended = await phase.run(join_and_leave)
    await phase.check(outcome, ended)
    assert await dead_letters(stack.bootstrap) == letters_before


# helpers ---------------------------------------------------------------------------------------

_numbers = iter(range(0, 10**9, 100_000))


def _base() -> int:
    return next(_numbers)


async def _some_case_opened(platform: Platform) -> object:
    records = await read_all(platform.bootstrap, [INTAKE_CASES])
    return next(r for r in records if header(r, "ce_type") == OPENED)


async def _produce_poison_and_repeats(bootstrap: str, victim: object) -> None:
    record = victim  # an aiokafka ConsumerRecord of a real case.opened
    headers = list(record.headers)  # type: ignore[attr-defined]
    value: bytes = record.value  # type: ignore[attr-defined]
    key: bytes = record.key  # type: ignore[attr-defined]
    payload = json.loads(value)
    broken_schema = json.dumps({**payload, "categories": "not-a-list"}).encode()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        poison = [
            (b"{not json", _new_id(headers)),  # bad JSON under valid CloudEvents headers
            (value, []),  # no headers at all
            (broken_schema, _new_id(headers)),  # valid JSON, not a case.opened
        ]
        for data, hdrs in poison:
            await producer.send_and_wait(INTAKE_CASES, data, key=key, headers=hdrs)
        await producer.send_and_wait(INTAKE_CASES, value, key=key, headers=headers)  # replayed
        await producer.send_and_wait(INTAKE_CASES, value, key=key, headers=_new_id(headers))
    finally:
        await producer.stop()


def _new_id(headers: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return [(k, str(uuid.uuid4()).encode() if k == "ce_id" else v) for k, v in headers]
