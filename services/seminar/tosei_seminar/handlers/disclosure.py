"""A registrant's requests about their own records (coordinators): what the seminar holds
about them, found by their contacts (本人開示), and correcting their name and contacts."""

from __future__ import annotations

import asyncpg

from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_seminar.db import disclosure as disclosure_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.db import seminars as seminars_db
from tosei_seminar.domain import access
from tosei_seminar.domain.disclosure import (
    CONTACTS_CORRECTED,
    ContactCorrection,
    DisclosedRegistration,
    correct_contacts,
    disclosure,
    lookup,
)
from tosei_seminar.domain.identity import already_registered
from tosei_seminar.domain.registration import Registration
from tosei_seminar.handlers import loading


async def disclose(
    uow: UnitOfWork, who: Principal, *, name: str | None, email: str | None, phone: str | None
) -> list[DisclosedRegistration]:
    """Every registration of the person, with the mails written to them; that a disclosure was
    made (not whom it looked for: that is personal) is audited with the registrations it
    showed."""
    access.ensure_may_manage(who, doing="本人開示")
    conn = uow.conn
    found = await registrations_db.registrations_of(conn, lookup(name, email, phone))
    seminars = {}
    for seminar_id in {r.seminar_id for r in found}:
        seminar = await seminars_db.get(conn, seminar_id)
        assert seminar is not None  # a registration's seminar stays
        seminars[seminar_id] = seminar
    ids = [r.id for r in found]
    shown = disclosure(
        found,
        seminars,
        await disclosure_db.place_names(conn, [r.place_id for r in found]),
        await disclosure_db.feedback_of(conn, ids),
        await disclosure_db.history_of(conn, ids),
        await disclosure_db.mails_of(conn, ids),
    )
    for registration_id in ids:
        await uow.audit("registration", registration_id, "disclosed", subject=registration_id)
    return shown


async def correct(
    uow: UnitOfWork, who: Principal, reference: str, fix: ContactCorrection
) -> Registration:
    """A registrant's name, furigana, organisation, e-mail or phone corrected, old → new and
    why audited; a corrected e-mail takes the mails still waiting to be sent with it. Nothing
    is announced: contacts never go on a topic, and what the figures count (role, town,
    attendance) does not change."""
    access.ensure_may_manage(who, doing="参加者の氏名・連絡先の訂正")
    found = await loading.registration(uow.conn, reference)
    current = await registrations_db.lock(uow.conn, found.id)
    assert current is not None  # found just now; registrations are never deleted
    done = correct_contacts(current, fix)
    try:
        async with uow.conn.transaction():  # a savepoint: the indexes refuse the same person twice
            await registrations_db.save_contacts(uow.conn, done.registration, done.keys)
    except asyncpg.UniqueViolationError as exc:
        raise already_registered(done.registration.name) from exc
    if "email" in done.changes and uow.mail is not None:
        # What is not sent yet goes to the address as corrected (or, withdrawn, nowhere);
        # what was sent stays sent. Later mails are composed from the corrected record.
        await uow.readdress_mail(current.id, done.registration.email)
    await uow.audit(
        "registration",
        current.id,
        CONTACTS_CORRECTED,
        changes=done.changes,
        reason=fix.reason,
        subject=current.id,
    )
    return done.registration
