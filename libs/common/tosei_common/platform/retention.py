"""Retention: what is past its declared period is anonymised, and the statistics stay.

Each service that keeps personal data past a period declares the period (``Retention`` in its
``db/personal_data.py``, changeable by the council through a setting) and gives its
``ServiceSpec`` a retention job. The job finds what is past its period on the service clock's
day in Japan, and anonymises it: the personal columns become NULL or ``ERASED``; the columns the
statistics count (towns, categories, dates, outcomes, counts) stay as they are, so a report of a
past year is the same before and after.

The same job runs three ways: ``tosei retention --dry-run`` (every step in a transaction that
is rolled back: ``unit_of_work.rehearsal``), ``tosei retention``, and once a day inside the
running service (``Runtime``; the hour in Japan time is ``TOSEI_RETENTION_HOUR``, off with
``TOSEI_RETENTION_SCHEDULE=false``). It says what it did per record in ids only: its output and
its log never carry what it erases.

The helpers below erase the platform's own tables: the audit log (``reason`` and the values of
``changes``, in a transaction that declared ``SET LOCAL tosei.erasure = 'on'``: the audit log
lets nothing else change it and nothing delete it) and the stored responses of retry-safe
commands (``idempotency_keys.body``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.personal_data import Retention
from tosei_common.platform.settings import Settings
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.fiscal import TOKYO
from tosei_common.region.retention_periods import ERASED, japan_day, period_ends

__all__ = ["ERASED", "japan_day", "period_ends"]

#: Who the job's changes are recorded as.
RETENTION_ACTOR = "system:retention"

#: The desk's records: intake's clients and consultations and caseflow's notes of their cases.
DESK_RECORDS = Retention(
    "案件の終結から5年",
    years=5,
    counted_from="案件の終結",
    setting="retention_desk_years",
)

#: Needles shorter than this are not searched for in free text (one kana matches everything).
MIN_NEEDLE = 2

Say = Callable[[str], object]
OpenUnitOfWork = Callable[[str], AbstractAsyncContextManager[UnitOfWork]]


@dataclass(frozen=True)
class RetentionLine:
    """One record the job erased (or would erase), or kept although past its period."""

    record: str  # "client 0f7c…", "seminar 5b0e…" — ids only
    action: str  # "erased", "held", …
    why: str  # in Japanese, no personal values


@dataclass
class RetentionReport:
    """What one service's run did (or, in a dry run, would do)."""

    service: str
    dry_run: bool
    today: date
    lines: list[RetentionLine] = field(default_factory=list)
    #: How many of what: {"clients erased": 3, "held": 1, …}
    counts: dict[str, int] = field(default_factory=dict)
    #: The cases whose client was (would be) erased: what other services erase in turn.
    cases: list[UUID] = field(default_factory=list)

    def add(self, record: str, action: str, why: str, count_as: str | None = None) -> None:
        self.lines.append(RetentionLine(record, action, why))
        key = count_as or action
        self.counts[key] = self.counts.get(key, 0) + 1

    def render(self) -> str:
        would = "消去する予定（dry run: 何も変更していません）" if self.dry_run else "消去しました"
        head = f"{self.service:<11} {self.today.isoformat()} 時点: " + (
            ", ".join(f"{k} {v}" for k, v in self.counts.items())
            or "保存期間を過ぎた記録はありません"
        )
        body = [f"  {line.action:<8} {line.record}: {line.why}" for line in self.lines]
        return "\n".join([head, *body, f"  ({would})" if self.lines else ""]).rstrip()


#: A service's retention job: (its units of work, its settings, dry run?, progress) → report.
RetentionJob = Callable[[OpenUnitOfWork, Settings, bool, Say], Awaitable[RetentionReport]]

#: What a service that follows client.erased holds about the given cases: {what: how many}.
RetentionPreview = Callable[[Connection, Sequence[UUID]], Awaitable[dict[str, int]]]


async def allow_erasure(conn: Connection) -> None:
    """Declare this transaction an erasure: the audit log's guard then lets ``reason`` and
    ``changes`` be overwritten (and nothing else, and never a delete)."""
    await conn.execute("SET LOCAL tosei.erasure = 'on'")


def needles_of(values: Sequence[str | None]) -> list[str]:
    """The distinct values worth searching free text for (long enough to mean someone)."""
    found: dict[str, None] = {}
    for value in values:
        if value and len(value.strip()) >= MIN_NEEDLE:
            found.setdefault(value.strip(), None)
    return list(found)


async def erase_audit_entries(
    conn: Connection,
    entity_ids: Sequence[str],
    needles: Sequence[str] = (),
    *,
    actions: Sequence[str] = (),
) -> int:
    """Overwrite the reason and every value of ``changes`` (the keys stay: which fields were
    changed, and when, by whom, remains) of the audit entries about ``entity_ids`` (only those
    of ``actions``, when given) and of any entry whose reason or changes mention one of
    ``needles``. Call ``allow_erasure`` first."""
    marker = json.dumps(ERASED, ensure_ascii=False)
    status: str = await conn.execute(
        """
        UPDATE audit_log
           SET reason = CASE WHEN reason IS NULL THEN NULL ELSE $3 END,
               changes = CASE jsonb_typeof(changes)
                   WHEN 'object' THEN (SELECT coalesce(jsonb_object_agg(k, $4::jsonb), '{}')
                                         FROM jsonb_object_keys(changes) AS k)
                   ELSE $4::jsonb END
         WHERE (entity_id = ANY($1::text[])
                AND (cardinality($5::text[]) = 0 OR action = ANY($5::text[])))
            OR EXISTS (SELECT 1 FROM unnest($2::text[]) AS n
                        WHERE strpos(coalesce(reason, ''), n) > 0
                           OR strpos(changes::text, n) > 0)
        """,
        list(entity_ids),
        list(needles),
        ERASED,
        marker,
        list(actions),
    )
    return int(status.rsplit(" ", 1)[-1])


async def erase_stored_responses(conn: Connection, needles: Sequence[str]) -> int:
    """Forget the stored response body of every retry-safe command whose response mentions one
    of ``needles`` (ids or personal values): a repeat of the key then gets its status and an
    erased body, and no second effect."""
    if not needles:
        return 0
    erased = json.dumps({"detail": ERASED}, ensure_ascii=False).encode()
    status: str = await conn.execute(
        """
        UPDATE idempotency_keys SET body = $2
         WHERE body IS NOT NULL AND body <> $2
           AND EXISTS (SELECT 1 FROM unnest($1::bytea[]) AS n WHERE position(n IN body) > 0)
        """,
        [n.encode() for n in needles],
        erased,
    )
    return int(status.rsplit(" ", 1)[-1])


def due_today(now: datetime, hour: int, last_run: date | None) -> bool:
    """Whether the daily run is due at ``now``: past ``hour`` in Japan and not yet run today."""
    local = now.astimezone(TOKYO)
    return local.hour >= hour and last_run != local.date()
