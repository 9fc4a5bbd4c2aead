"""Coordinators' commands on a seminar's speakers."""

from __future__ import annotations

import uuid
from uuid import UUID

from tosei_common.platform.audit import removed
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_seminar.db import speakers as speakers_db
from tosei_seminar.domain import access
from tosei_seminar.domain.history import SEMINAR
from tosei_seminar.domain.speakers import Speaker, add_speaker, remove_speaker
from tosei_seminar.handlers import loading


async def add(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    *,
    name: str,
    affiliation: str,
    profession: str | None,
    keynote: bool,
    fee: int,
    talk_title: str | None = None,
) -> UUID:
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    speaker = add_speaker(
        seminar, Speaker(uuid.uuid4(), name, affiliation, profession, keynote, fee, talk_title)
    )
    await speakers_db.insert(uow.conn, seminar_id, speaker, uow.actor, uow.at)
    await uow.audit(SEMINAR, seminar_id, "speaker.added", changes={"speaker_id": speaker.id})
    return speaker.id


async def remove(uow: UnitOfWork, who: Principal, seminar_id: UUID, speaker_id: UUID) -> None:
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    speaker = await speakers_db.get(uow.conn, seminar_id, speaker_id)
    remove_speaker(seminar, speaker, speaker_id)
    await speakers_db.delete(uow.conn, seminar_id, speaker_id)
    await uow.audit(
        SEMINAR, seminar_id, "speaker.removed", changes=removed({"speaker_id": speaker_id})
    )
