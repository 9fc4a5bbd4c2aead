"""The history import: the plan's past from the coordinators' spreadsheet, all or nothing.

One unit of work under the plan's write lock: load what the plan holds for the file's 事業番号,
let the domain turn the rows into dated changes (or refuse them), record every change with its
decision day, marked as imported, with its event and audit entry. A dry run takes exactly the
same steps in a rehearsal that is rolled back, so its report is what the real run would do; a
real run with any refused row raises, and nothing is written.

It takes a way to open units of work (``Units``) rather than one, so that the HTTP upload and
``tosei import-plan-history`` share it.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork, rehearsal
from tosei_common.region.exports import Sheet
from tosei_common.region.sheet_import import FileProblem, read_upload
from tosei_resilience.db import funding_programmes as funding_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.db import reference_lists
from tosei_resilience.domain import access
from tosei_resilience.domain.history_import import (
    HistoryPlan,
    HistoryRefused,
    PlanLists,
    numbers_named,
    plan_history,
)
from tosei_resilience.domain.revisions import Imported
from tosei_resilience.handlers.plan_items import record

#: Opens a unit of work of the one who imports (``partial(runtime.unit_of_work, who)``).
Units = Callable[[], AbstractAsyncContextManager[UnitOfWork]]
#: Told (changes recorded, of how many) as the import goes.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class HistoryImport:
    """What an import recorded, or in a dry run would record (``import_id`` None)."""

    plan: HistoryPlan
    dry_run: bool
    import_id: UUID | None

    @property
    def imported(self) -> bool:
        return self.import_id is not None


async def import_upload(
    units: Units, who: Principal, name: str, data: bytes, *, dry_run: bool
) -> HistoryImport:
    """An uploaded spreadsheet of the plan's history, imported by a coordinator."""
    access.ensure_may_import_history(who)
    return await import_sheet(units, read(name, data), dry_run=dry_run)


def read(name: str, data: bytes) -> Sheet:
    """The file as a sheet; one that cannot be read is a 422 saying why."""
    try:
        return read_upload(name, data)
    except FileProblem as exc:
        raise _file_refused(exc) from exc


async def import_sheet(
    units: Units, sheet: Sheet, *, dry_run: bool, progress: Progress | None = None
) -> HistoryImport:
    """Validate every row against the plan as it is, then record them all (or, in a dry run,
    rehearse recording them). Also the door of ``tosei import-plan-history``."""
    import_id = uuid.uuid4()
    opened = rehearsal(units()) if dry_run else units()
    async with opened as uow:
        await plan_items_db.lock_plan(uow.conn)
        plan = await _plan(uow.conn, sheet, uow)
        if plan.rejected and not dry_run:
            raise HistoryRefused(plan)
        if not plan.rejected:
            await _record(uow, plan, import_id, progress)
    return HistoryImport(plan, dry_run, None if dry_run else import_id)


async def _plan(conn: Connection, sheet: Sheet, uow: UnitOfWork) -> HistoryPlan:
    lists = PlanLists(
        scenarios={s.code: s for s in await reference_lists.scenarios(conn)},
        areas={a.code: a for a in await reference_lists.policy_areas(conn)},
        programmes={p.id: p for p in await funding_db.programmes(conn)},
    )
    try:
        numbers = numbers_named(sheet)
        recorded = {r.item.number: r for r in await plan_items_db.on_record(conn, numbers)}
        return plan_history(sheet, recorded, lists, today=uow.today, new_id=uuid.uuid4)
    except FileProblem as exc:
        raise _file_refused(exc) from exc


async def _record(
    uow: UnitOfWork, plan: HistoryPlan, import_id: UUID, progress: Progress | None
) -> None:
    imported = Imported(import_id, uow.at)
    total = len(plan.changes)
    for done, c in enumerate(plan.changes, start=1):
        await record(uow, [c.change], c.reason, at=c.at, imported=imported)
        if progress is not None:
            progress(done, total)
    await uow.audit(
        "plan_import",
        import_id,
        "imported",
        changes={
            "file": plan.file,
            "encoding": plan.encoding,
            "rows": plan.rows,
            "items": plan.items,
            "new_items": plan.new_items,
            "by_fiscal_year": [dataclasses.asdict(y) for y in plan.by_fiscal_year],
        },
        reason="計画の履歴の取り込み",
    )


def _file_refused(exc: FileProblem) -> Unprocessable:
    return Unprocessable(
        f"取り込みませんでした: {exc.message.ja}",
        en=f"nothing was imported: {exc.message.en}",
        fields={"file": Message(exc.message.ja, exc.message.en)},
    )
