"""Every accepted consultation, reconciled against the databases and a full read of the topics.

For each consultation the desk was told was registered (2xx): exactly one consultation row at
intake, one case at caseflow, one assignment, one ``case.opened`` and one ``case.assigned`` on
the topics (by ``ce_id``: the same event delivered again is a duplicate the inboxes absorb, a
second event is a doubled effect). Dead letters are read too: only poison may be there.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from tests.system.load import Outcome

OPENED = "jp.tosei.intake.case.opened.v1"
ASSIGNED = "jp.tosei.caseflow.case.assigned.v1"
INTAKE_CASES = "tosei.intake.cases"
CASEFLOW_CASES = "tosei.caseflow.cases"
DLQS = ("tosei.intake.cases.dlq", "tosei.caseflow.cases.dlq")


@dataclass
class Reconciliation:
    accepted: int
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    repeated_deliveries: int = 0  # records on the topics that repeat a ce_id

    @property
    def clean(self) -> bool:
        return not self.lost and not self.doubled


async def settled(database_url: str, outcome: Outcome, timeout: float = 180.0) -> float | None:
    """Wait until every accepted consultation has its case and its expert; return that moment
    (``time.monotonic()``), or None when it does not happen within ``timeout``."""
    ids = [uuid.UUID(i) for i in outcome.accepted.values()]
    started = time.monotonic()
    conn = await _connect(database_url, timeout)
    try:
        while True:
            try:
                assigned = await conn.fetchval(
                    "SELECT count(DISTINCT case_id) FROM caseflow.case_timeline"
                    " WHERE kind = 'assigned' AND case_id = ANY($1::uuid[])",
                    ids,
                )
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await conn.close()
                conn = await _connect(database_url, timeout)
                continue
            if assigned == len(ids):
                return time.monotonic()
            if time.monotonic() - started > timeout:
                return None
            await asyncio.sleep(0.2)
    finally:
        await conn.close()


async def reconcile(
    database_url: str, bootstrap: str, outcome: Outcome, run: str
) -> Reconciliation:
    result = Reconciliation(accepted=len(outcome.accepted))
    ids = {marker: uuid.UUID(i) for marker, i in outcome.accepted.items()}
    on_file, cases, assignments = await _on_file(database_url, run, list(ids.values()))
    for marker, registered in on_file.items():
        if len(registered) > 1:
            result.doubled.append(f"{marker}: {len(registered)} consultations")
        if marker not in ids:
            result.doubled.append(f"{marker}: on file, but the desk was never told so")
    events, deliveries = _events(await read_all(bootstrap, [INTAKE_CASES, CASEFLOW_CASES]))
    for marker, case_id in ids.items():
        facts = _Facts(on_file.get(marker), case_id in cases, assignments.get(case_id, 0))
        _check(result, marker, case_id, facts, events, deliveries)
    return result


@dataclass(frozen=True)
class _Facts:
    registered: list[uuid.UUID] | None
    has_case: bool
    assigned: int


def _check(
    result: Reconciliation,
    marker: str,
    case_id: uuid.UUID,
    facts: _Facts,
    events: dict[tuple[str, str], set[str]],
    deliveries: dict[tuple[str, str], int],
) -> None:
    """One accepted consultation: what is missing is lost, what is there twice is doubled."""
    problems = []
    if facts.registered != [case_id]:
        problems.append("no consultation row")
    if not facts.has_case:
        problems.append("no case")
    if facts.assigned == 0:
        problems.append("no assignment")
    if facts.assigned > 1:
        result.doubled.append(f"{marker}: assigned {facts.assigned} times")
    for ce_type in (OPENED, ASSIGNED):
        key = (ce_type, str(case_id))
        seen = len(events.get(key, set()))
        if seen == 0:
            problems.append(f"no {ce_type.split('.')[-2]} on the topic")
        elif seen > 1:
            result.doubled.append(f"{marker}: {seen} different {ce_type} events")
        result.repeated_deliveries += deliveries.get(key, 0) - seen
    if problems:
        result.lost.append(f"{marker} {case_id}: {', '.join(problems)}")


async def _on_file(
    database_url: str, run: str, ids: list[uuid.UUID]
) -> tuple[dict[str, list[uuid.UUID]], set[uuid.UUID], dict[uuid.UUID, int]]:
    """The run's consultations by marker, the cases caseflow has, and their assignments."""
    conn = await _connect(database_url, 60)
    try:
        rows = await conn.fetch(
            "SELECT substring(description FROM '^(\\[[^]]+\\])') AS marker, array_agg(id) AS ids"
            " FROM intake.consultations WHERE description LIKE $1 GROUP BY 1",
            f"[{run}#%",
        )
        cases = await conn.fetch(
            "SELECT case_id FROM caseflow.cases WHERE case_id = ANY($1::uuid[])", ids
        )
        assignments = await conn.fetch(
            "SELECT case_id, count(*) AS n FROM caseflow.case_timeline"
            " WHERE kind = 'assigned' AND case_id = ANY($1::uuid[]) GROUP BY case_id",
            ids,
        )
    finally:
        await conn.close()
    return (
        {r["marker"]: list(r["ids"]) for r in rows},
        {r["case_id"] for r in cases},
        {r["case_id"]: r["n"] for r in assignments},
    )


def _events(
    records: list[ConsumerRecord[bytes, bytes]],
) -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str], int]]:
    """Distinct event ids and deliveries per (type, subject)."""
    events: dict[tuple[str, str], set[str]] = defaultdict(set)
    deliveries: dict[tuple[str, str], int] = defaultdict(int)
    for record in records:
        key = (header(record, "ce_type") or "", header(record, "ce_subject") or "")
        events[key].add(header(record, "ce_id") or "")
        deliveries[key] += 1
    return events, deliveries


async def dead_letters(bootstrap: str) -> list[tuple[str, str, str]]:
    """(topic, reason, error) of every record on the desk's dead-letter topics."""
    return [
        (record.topic, header(record, "dlq_reason") or "", header(record, "dlq_error") or "")
        for record in await read_all(bootstrap, list(DLQS))
    ]


async def read_all(bootstrap: str, topics: list[str]) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of ``topics`` from the beginning to the high watermark of each partition."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=50
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return records
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        quiet = 0
        while quiet < 3:
            batch = await consumer.getmany(timeout_ms=300, max_records=5000)
            if batch:
                quiet = 0
                for items in batch.values():
                    records.extend(items)
                continue
            done = True
            for tp in partitions:
                highwater = consumer.highwater(tp)
                if highwater is not None and await consumer.position(tp) < highwater:
                    done = False
            quiet = quiet + 1 if done else 0
    finally:
        await consumer.stop()
    return records


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers:
        if key == name:
            text: str = value.decode(errors="replace")
            return text
    return None


async def _connect(database_url: str, timeout: float) -> asyncpg.Connection:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await asyncpg.connect(database_url, timeout=5)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
