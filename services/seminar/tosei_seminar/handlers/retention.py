"""The seminar's retention job: registrants' contacts erased a year after their seminar."""

from __future__ import annotations

from uuid import UUID

from tosei_common.platform.retention import (
    OpenUnitOfWork,
    RetentionReport,
    Say,
    allow_erasure,
    erase_audit_entries,
    erase_stored_responses,
    needles_of,
)
from tosei_common.platform.settings import Settings
from tosei_common.platform.unit_of_work import UnitOfWork, rehearsal
from tosei_seminar.db import retention as retention_db
from tosei_seminar.db.personal_data import CONTACTS
from tosei_seminar.domain.disclosure import CONTACTS_CORRECTED
from tosei_seminar.domain.retention import contacts_due

SEMINAR = "seminar"


async def erase_contacts(uow: UnitOfWork, seminar_id: UUID, reason: str) -> int:
    """Erase the e-mail and phone of every registration of the seminar (names stay, as on
    their certificates), the stored responses that showed them, and the addresses and bodies of
    the mails sent to them."""
    ids, values = await retention_db.contacts_of(uow.conn, seminar_id)
    await allow_erasure(uow.conn)
    await erase_stored_responses(uow.conn, needles_of(values))
    # a correction keeps the contact it replaced in the audit trail, which the row no longer has
    await erase_audit_entries(uow.conn, ids, needles_of(values), actions=(CONTACTS_CORRECTED,))
    erased = await retention_db.erase_contacts(uow.conn, seminar_id, uow.at)
    mails = await retention_db.erase_mails(uow.conn, seminar_id, uow.at)
    await uow.audit(
        SEMINAR,
        seminar_id,
        "registrations.contacts_erased",
        changes={"registrations": len(ids), "mails": mails},
        reason=reason,
    )
    return erased


async def run_retention(
    open_uow: OpenUnitOfWork, settings: Settings, dry_run: bool, say: Say
) -> RetentionReport:
    years = CONTACTS.years_in_force(settings)
    assert years is not None
    async with open_uow("system:retention") as uow:
        today = uow.today
        seminars = await retention_db.seminars_with_contacts(uow.conn)
    report = RetentionReport("seminar", dry_run, today)
    due = [d for d in (contacts_due(s, today, years) for s in seminars) if d.due]
    reason = f"保存期間の満了（申込者の連絡先: {CONTACTS.counted_from}から{years}年）"
    for done, decision in enumerate(due, start=1):
        opened = open_uow("system:retention")
        async with rehearsal(opened) if dry_run else opened as uow:
            erased = await erase_contacts(uow, decision.seminar_id, reason)
        report.add(
            f"seminar {decision.seminar_id}",
            "erase" if dry_run else "erased",
            decision.why,
            "seminars to erase" if dry_run else "seminars erased",
        )
        key = "contacts to erase" if dry_run else "registrations' contacts erased"
        report.counts[key] = report.counts.get(key, 0) + erased
        say(f"連絡先の消去 {done}/{len(due)} 研修会")
    return report
