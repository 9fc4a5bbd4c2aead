"""The hand-over import: the old desks' validated rows become consultations, once each.

Each row is written in its own unit of work, taking its locks in the same order a desk
registration does (old case, name, client rows), so an import never deadlocks with the desk;
a failure halfway loses nothing already done, and re-running the import adds only what is
missing, because an old case is recognised by its fingerprint. A dry run goes through exactly
the same steps in one unit of work, without locks, and rolls it back, so its report is what a
real run would do and nothing is written.

Because it commits row by row, the import takes a way to open units of work (``Units``, for
the caller who imports) rather than one unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from uuid import UUID

from tosei_common.catalogue.intake import LegacyStatus
from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork, rehearsal
from tosei_intake.db import imports as imports_db
from tosei_intake.domain import access
from tosei_intake.domain.consultations import LegacyRecord, NewConsultation, staff_pseudonym
from tosei_intake.domain.import_report import (
    ClientOutcome,
    FileSummary,
    ImportedRow,
    ImportReport,
    SkippedRow,
    StatusChange,
)
from tosei_intake.domain.legacy import Desk, ParsedFile, consultation_id, parse_files
from tosei_intake.handlers.consultations import record

#: Opens a unit of work of the one who imports (``partial(runtime.unit_of_work, who)``).
Units = Callable[[], AbstractAsyncContextManager[UnitOfWork]]
Progress = Callable[[int, int], None]
CHUNK = 100


async def import_uploads(
    units: Units,
    who: Principal,
    uploads: Sequence[tuple[str, bytes]],
    desk: Desk | None,
    *,
    today: date,
    dry_run: bool,
    pseudonym_secret: str,
) -> ImportReport:
    """Files handed over at the desk (name, content): all validated first; if any cannot be
    used at all, nothing of any file is imported."""
    access.ensure_may_import(who)
    parsed, problems = parse_files(uploads, desk, today=today)
    if problems:
        ja = "取り込みませんでした: " + "；".join(p.message.ja for p in problems)
        en = "nothing was imported: " + "; ".join(p.message.en for p in problems)
        raise Unprocessable(
            ja,
            en=en,
            fields={
                "files": Message(
                    "；".join(p.message.ja for p in problems),
                    "; ".join(p.message.en for p in problems),
                )
            },
        )
    return await import_files(units, parsed, dry_run=dry_run, pseudonym_secret=pseudonym_secret)


async def import_files(
    units: Units,
    files: Sequence[ParsedFile],
    *,
    dry_run: bool,
    pseudonym_secret: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the accepted rows of already validated files; report every row's fate.

    Also the door of ``tosei import-legacy``, run by an operator with the database's own
    credentials (who imports is the actor of ``units``)."""
    report = ImportReport(
        dry_run=dry_run,
        files=[FileSummary(f.name, f.encoding, f.desk, f.rows) for f in files],
        rejected=[problem for f in files for problem in f.rejected],
    )
    cases = [case for f in files for case in f.cases]
    run = _Run(report, pseudonym_secret, import_id=uuid.uuid4(), files=[f.name for f in files])

    def done(count: int) -> None:
        if progress is not None and (count % CHUNK == 0 or count == len(cases)):
            progress(count, len(cases))

    if dry_run:
        async with rehearsal(units()) as uow:  # rolled back: a rehearsal writes nothing
            for count, case in enumerate(cases, start=1):
                await run.one(uow, case, serialise=False)
                done(count)
    else:
        for count, case in enumerate(cases, start=1):
            async with units() as uow:
                await run.one(uow, case, serialise=True)
            done(count)
    return report


class _Run:
    async def _status_moved_on(
        self, uow: UnitOfWork, legacy: LegacyRecord, consultation: UUID, was: LegacyStatus
    ) -> None:
        """The same old case, its 状況 moved on since it was imported: kept, audited, listed."""
        self.report.status_changed.append(
            StatusChange(legacy.file, legacy.line, consultation, was, legacy.status)
        )
        await imports_db.record_status(uow.conn, consultation, legacy.status)
        await uow.audit(
            "consultation",
            consultation,
            "legacy_status_changed",
            changes={"legacy_status": {"old": was.value, "new": legacy.status.value}},
            reason=f"{legacy.file}:{legacy.line} の再取り込み",
        )

    def __init__(
        self, report: ImportReport, pseudonym_secret: str, import_id: UUID, files: list[str]
    ) -> None:
        self.report = report
        self.pseudonym_secret = pseudonym_secret
        self.import_id = import_id
        self.files = files
        self.recorded = False
        self.created_clients: set[UUID] = set()

    async def one(self, uow: UnitOfWork, case: NewConsultation, *, serialise: bool) -> None:
        legacy = case.legacy
        assert legacy is not None
        if serialise:
            await imports_db.lock_legacy_case(uow.conn, legacy.fingerprint)
        existing = await imports_db.imported_as(uow.conn, legacy.fingerprint)
        if existing is not None:
            consultation, status = existing
            self.report.already_imported.append(SkippedRow(legacy.file, legacy.line, consultation))
            if status is not legacy.status:
                await self._status_moved_on(uow, legacy, consultation, status)
            return
        if not self.recorded:
            await imports_db.insert_import(uow.conn, self.import_id, self.files, uow.actor, uow.at)
            self.recorded = True
        registration = await record(
            uow,
            case,
            consultation_id=consultation_id(legacy.fingerprint),
            import_id=self.import_id,
            legacy_staff=staff_pseudonym(self.pseudonym_secret, legacy.staff_name),
            serialise=serialise,
        )
        if registration.client_created:
            outcome = ClientOutcome.NEW
            self.created_clients.add(registration.client_id)
        elif registration.client_id in self.created_clients:
            outcome = ClientOutcome.SAME_AS_EARLIER_ROW
        else:
            outcome = ClientOutcome.MATCHED
        self.report.imported.append(
            ImportedRow(
                legacy.file,
                legacy.line,
                registration.consultation_id,
                registration.client_id,
                outcome,
            )
        )
