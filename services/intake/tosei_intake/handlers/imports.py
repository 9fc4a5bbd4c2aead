"""The hand-over import: the old desks' validated rows become consultations, once each.

Each row is written in its own transaction, taking its locks in the same order a desk
registration does (old case, name, client rows), so an import never deadlocks with the desk;
a failure halfway loses nothing already done, and re-running the import adds only what is
missing, because an old case is recognised by its fingerprint. A dry run goes through exactly
the same steps in one transaction, without locks, and rolls it back, so its report is what a
real run would do and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_intake.db import queries
from tosei_intake.domain.consultations import NewConsultation
from tosei_intake.domain.import_report import (
    ClientOutcome,
    FileSummary,
    ImportedRow,
    ImportReport,
    SkippedRow,
)
from tosei_intake.domain.legacy import ParsedFile, consultation_id
from tosei_intake.handlers.consultations import register_in_transaction
from tosei_intake.handlers.context import Intake

Progress = Callable[[int, int], None]
CHUNK = 100


async def import_legacy(
    intake: Intake,
    files: Sequence[ParsedFile],
    *,
    dry_run: bool,
    actor: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the accepted rows of already validated files; report every row's fate."""
    report = ImportReport(
        dry_run=dry_run,
        files=[FileSummary(f.name, f.encoding, f.desk, f.rows) for f in files],
        rejected=[problem for f in files for problem in f.rejected],
    )
    cases = [case for f in files for case in f.cases]
    run = _Run(intake, report, actor, import_id=uuid.uuid4(), files=[f.name for f in files])
    async with intake.pool.acquire() as conn:
        rehearsal = conn.transaction() if dry_run else None
        if rehearsal is not None:
            await rehearsal.start()
        try:
            for done, case in enumerate(cases, start=1):
                if rehearsal is not None:
                    await run.one(conn, case, serialise=False)
                else:
                    async with conn.transaction():
                        await run.one(conn, case, serialise=True)
                if progress is not None and (done % CHUNK == 0 or done == len(cases)):
                    progress(done, len(cases))
        finally:
            if rehearsal is not None:
                await rehearsal.rollback()
    return report


class _Run:
    def __init__(
        self, intake: Intake, report: ImportReport, actor: str, import_id: UUID, files: list[str]
    ) -> None:
        self.intake = intake
        self.report = report
        self.actor = actor
        self.import_id = import_id
        self.files = files
        self.recorded = False
        self.created_clients: set[UUID] = set()

    async def one(self, conn: Connection, case: NewConsultation, *, serialise: bool) -> None:
        legacy = case.legacy
        assert legacy is not None
        if serialise:
            await queries.lock_legacy_case(conn, legacy.fingerprint)
        existing = await queries.legacy_case(conn, legacy.fingerprint)
        if existing is not None:
            self.report.already_imported.append(SkippedRow(legacy.file, legacy.line, existing))
            return
        if not self.recorded:
            await queries.insert_import(
                conn, self.import_id, self.files, self.actor, self.intake.clock.now()
            )
            self.recorded = True
        registered = await register_in_transaction(
            conn,
            self.intake.outbox,
            case,
            actor=self.actor,
            at=self.intake.clock.now(),
            pseudonym_secret=self.intake.pseudonym_secret,
            consultation_id=consultation_id(legacy.fingerprint),
            import_id=self.import_id,
            serialise=serialise,
        )
        if registered.client_created:
            outcome = ClientOutcome.NEW
            self.created_clients.add(registered.client_id)
        elif registered.client_id in self.created_clients:
            outcome = ClientOutcome.SAME_AS_EARLIER_ROW
        else:
            outcome = ClientOutcome.MATCHED
        self.report.imported.append(
            ImportedRow(
                legacy.file, legacy.line, registered.consultation_id, registered.client_id, outcome
            )
        )
