"""Registering a consultation: find or create the client, store it, announce the case."""

from __future__ import annotations

import uuid
from uuid import UUID

from tosei_common.platform.audit import created
from tosei_common.platform.errors import NotFound
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.text import name_key
from tosei_intake.db import clients as clients_db
from tosei_intake.db import consultations as consultations_db
from tosei_intake.db import use_stops as use_stops_db
from tosei_intake.domain import access, use_stops
from tosei_intake.domain.consent import ConsentChange, change_consent
from tosei_intake.domain.consultations import (
    Consultation,
    NewConsultation,
    Registration,
    register,
)
from tosei_intake.domain.corrections import ConsultationCorrection, correct_consultation


async def register_consultation(
    uow: UnitOfWork, who: Principal, new: NewConsultation
) -> Registration:
    """A consultation registered at the desk, and its case.opened event, in one transaction."""
    access.ensure_may_register(who)
    return await record(uow, new)


async def record(
    uow: UnitOfWork,
    new: NewConsultation,
    *,
    consultation_id: UUID | None = None,
    import_id: UUID | None = None,
    legacy_staff: str | None = None,
    serialise: bool = True,
) -> Registration:
    """The registration inside the unit of work (the hand-over import runs one per row).

    ``serialise`` takes the per-name lock that keeps two desks from creating the same new client
    twice, and locks the matching clients against a merge; a dry run, which rolls everything
    back, takes no locks.
    """
    person = new.person
    if serialise:
        await clients_db.lock_name(uow.conn, name_key(person.name))
    # Only a client sharing a phone or an e-mail can be this person (a name alone never is),
    # so namesakes are neither read nor locked: a common name costs no more than a rare one.
    contacts = person.contact_keys
    known = await clients_db.sharing_keys(uow.conn, contacts, lock=serialise) if contacts else []
    registration = register(
        new,
        known,
        at=uow.at,
        consultation_id=consultation_id or uuid.uuid4(),
        new_client_id=uuid.uuid4(),
        legacy_staff=legacy_staff,
    )
    if not registration.client_created and await use_stops_db.standing(
        uow.conn, registration.client_id
    ):
        raise use_stops.refused_registration(registration.client_id)
    await clients_db.save_registration(uow.conn, registration, uow.actor, uow.at)
    await consultations_db.insert(
        uow.conn, registration, actor=uow.actor, at=uow.at, import_id=import_id
    )
    await uow.emit(*registration.events)
    facts = registration.consultation
    # The facts, not the personal values: the record itself holds those, and a copy here
    # would be one more place for erasure to find them.
    await uow.audit(
        "consultation",
        registration.consultation_id,
        "registered",
        changes=created(
            {
                "client_id": registration.client_id,
                "client_created": registration.client_created,
                "municipality": facts.municipality,
                "categories": [c.value for c in facts.categories],
                "channel": facts.channel.value,
                "stage": facts.stage.value,
                "consent_to_share": facts.consent_to_share,
                "origin": facts.origin.value,
                "import_id": import_id,
            }
        ),
        subject=registration.client_id,
    )
    return registration


async def correct(
    uow: UnitOfWork, who: Principal, consultation_id: UUID, fix: ConsultationCorrection
) -> None:
    """What the desk got wrong, corrected: old → new and why in the audit log; the town,
    categories and stage announced to caseflow."""
    access.ensure_may_correct(who)
    consultation = await _locked(uow, consultation_id)
    done = correct_consultation(consultation, fix, at=uow.at)
    await consultations_db.save_correction(uow.conn, done.consultation)
    await uow.audit(
        "consultation",
        consultation_id,
        "corrected",
        changes=done.changes,
        reason=fix.reason,
        subject=consultation.client_id,
    )
    if done.event is not None:
        await uow.emit(done.event)


async def _locked(uow: UnitOfWork, consultation_id: UUID) -> Consultation:
    consultation = await consultations_db.locked(uow.conn, consultation_id)
    if consultation is None:
        raise NotFound(
            f"相談（{consultation_id}）は見つかりません", en=f"no consultation {consultation_id}"
        )
    return consultation


async def record_consent(
    uow: UnitOfWork, who: Principal, consultation_id: UUID, change: ConsentChange
) -> None:
    """The client's consent given or withdrawn after the consultation, announced to caseflow."""
    access.ensure_may_record_consent(who)
    consultation = await _locked(uow, consultation_id)
    event = change_consent(consultation, change, at=uow.at, today=uow.today)
    await consultations_db.record_consent(
        uow.conn,
        consultation_id,
        consent=change.consent_to_share,
        given_on=change.given_on,
        note=change.note,
        actor=uow.actor,
        at=uow.at,
    )
    await uow.audit(
        "consultation",
        consultation_id,
        "consent_changed",
        changes={
            "consent_to_share": {
                "old": consultation.consent_to_share,
                "new": change.consent_to_share,
            },
            "consent_given_on": {"old": None, "new": str(change.given_on)},
        },
        reason=change.note,
        subject=consultation.client_id,
    )
    await uow.emit(event)
