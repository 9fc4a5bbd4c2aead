"""Registering a consultation: find or create the client, store it, announce the case."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.outbox import Outbox
from tosei_common.region.text import name_key
from tosei_intake.db import queries
from tosei_intake.domain.clients import KeyKind, find_match, new_keys
from tosei_intake.domain.consultations import NewConsultation, case_opened
from tosei_intake.handlers.context import Intake


@dataclass(frozen=True)
class Registered:
    consultation_id: UUID
    client_id: UUID
    client_created: bool


async def register_consultation(intake: Intake, new: NewConsultation, *, actor: str) -> Registered:
    """Store a consultation and its case.opened event in one transaction."""
    async with intake.pool.acquire() as conn, conn.transaction():
        return await register_in_transaction(
            conn,
            intake.outbox,
            new,
            actor=actor,
            at=intake.clock.now(),
            pseudonym_secret=intake.pseudonym_secret,
        )


async def register_in_transaction(
    conn: Connection,
    outbox: Outbox,
    new: NewConsultation,
    *,
    actor: str,
    at: datetime,
    pseudonym_secret: str,
    consultation_id: UUID | None = None,
    import_id: UUID | None = None,
    serialise: bool = True,
) -> Registered:
    """The registration inside the caller's transaction (the hand-over import runs many in one).

    ``serialise`` takes the per-name lock that keeps two desks from creating the same new client
    twice, and locks the matching clients against a merge; a dry run, which rolls everything
    back, takes no locks.
    """
    person = new.person
    keys = person.keys
    if serialise:
        await queries.lock_name(conn, name_key(person.name))
    # Only a client sharing a phone or an e-mail can be this person (a name alone never is),
    # so namesakes are neither read nor locked: a common name costs no more than a rare one.
    contacts = [k for k in keys if k.kind is not KeyKind.NAME]
    known = await queries.clients_sharing_keys(conn, contacts, lock=serialise) if contacts else []
    match = find_match(person, known)
    if match is None:
        client_id = uuid.uuid4()
        await queries.insert_client(conn, client_id, person.name, person.furigana, actor, at)
    else:
        client_id = match.id
        if person.furigana:
            await queries.fill_furigana(conn, client_id, person.furigana)
    await queries.add_keys(conn, client_id, new_keys(person, match), actor, at)
    consultation_id = consultation_id or uuid.uuid4()
    await queries.insert_consultation(conn, consultation_id, client_id, new, actor, at, import_id)
    await outbox.add(
        conn, case_opened(consultation_id, client_id, new, pseudonym_secret=pseudonym_secret)
    )
    return Registered(consultation_id, client_id, client_created=match is None)
