"""Sending what domain/notices.py composes, in the command's own transaction: a mail is sent
exactly when the change it tells of commits (tosei_common.platform.mail)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from tosei_common.platform.mail import Mail
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_seminar.db import places as places_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.domain import notices
from tosei_seminar.domain.notices import Letterhead
from tosei_seminar.domain.places import Place
from tosei_seminar.domain.registration import ON_THE_LIST, Registration, RegistrationStatus
from tosei_seminar.domain.seminar import Seminar

Compose = Callable[[Sequence[Place], Letterhead], Sequence[Mail | None]]


async def send(uow: UnitOfWork, seminar_id: UUID, compose: Compose) -> int:
    """Compose with the seminar's places and the letterhead, and send what it gives."""
    if uow.mail is None:  # made without the mail outbox (an event handler's context)
        return 0
    head = Letterhead(uow.mail.console_url, uow.mail.sender)
    mails = [m for m in compose(await places_db.of_seminar(uow.conn, seminar_id), head) if m]
    await uow.send_mail(*mails)
    return len(mails)


async def on_the_list(uow: UnitOfWork, seminar_id: UUID) -> list[Registration]:
    """Everyone seated or waiting: who a change of the seminar concerns."""
    return await registrations_db.of_seminar(uow.conn, seminar_id, statuses=ON_THE_LIST)


async def attendees(uow: UnitOfWork, seminar_id: UUID) -> list[Registration]:
    return await registrations_db.of_seminar(
        uow.conn, seminar_id, statuses=(RegistrationStatus.ACCEPTED,), attended=True
    )


async def promoted(uow: UnitOfWork, seminar: Seminar, seated: Sequence[Registration]) -> None:
    """Tell those the wait list seated."""
    if seated:
        await send(
            uow,
            seminar.id,
            lambda places, head: [notices.promoted(seminar, r, places, head) for r in seated],
        )
