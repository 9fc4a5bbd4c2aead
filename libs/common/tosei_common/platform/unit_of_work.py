"""The unit of work every command runs in.

A command is one transaction. Its unit of work holds that transaction's connection, the one
moment the command happens (the service clock's ``now``, read once, so everything the command
records carries the same time), who does it, and the two things every change leaves behind:
the events it announces (``emit``: the outbox, in the same transaction), the mails it sends to
people (``send_mail``: the mail outbox, likewise) and the audit entry (``audit``: who, when,
what, why). Handlers take a unit of work and the caller; they never see
the pool, the runtime or the clock.

Event handlers get one too (``HandlerContext``, which is a unit of work whose connection already
holds the event's inbox row).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from tosei_common.platform.audit import Viewed, field_changes
from tosei_common.platform.audit_log import insert_entry, record_views
from tosei_common.platform.clock import Clock
from tosei_common.platform.db import Connection, Pool
from tosei_common.platform.events import Event
from tosei_common.platform.mail import Mail, MailOutbox, Readdressed
from tosei_common.platform.outbox import Outbox
from tosei_common.region.fiscal import TOKYO, fiscal_year

__all__ = ["UnitOfWork", "rehearsal", "unit_of_work"]


@dataclass
class UnitOfWork:
    """One command: its transaction, its moment, who acts, what it emits and records."""

    conn: Connection
    at: datetime
    actor: str
    outbox: Outbox
    #: The service's mail outbox, when it writes to people (``ServiceSpec.sends_mail``).
    mail: MailOutbox | None = field(default=None, kw_only=True)
    #: How many mails this unit of work added or made due again (the runtime wakes its mail
    #: relay after commit).
    mails_added: int = field(default=0, kw_only=True)

    @property
    def today(self) -> date:
        """The day in Japan the command happens on."""
        return self.at.astimezone(TOKYO).date()

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.at)

    async def emit(self, *events: Event) -> list[UUID]:
        """Announce ``events``: they are published exactly when this transaction commits."""
        return await self.outbox.add(self.conn, *events)

    async def send_mail(self, *mails: Mail) -> list[UUID]:
        """Send ``mails``: they are sent (by the mail relay) exactly when this transaction
        commits, and never when it rolls back."""
        if self.mail is None:
            raise RuntimeError("this service sends no mail (ServiceSpec.sends_mail)")
        ids = await self.mail.add(self.conn, *mails)
        self.mails_added += len(ids)
        return ids

    async def readdress_mail(self, about: UUID, to: str | None) -> Readdressed:
        """The mails to the person ``about`` not yet sent go to their corrected address ``to``
        once this transaction commits (none are sent when ``to`` is None); those sent stay
        sent (``MailOutbox.readdress``)."""
        if self.mail is None:
            raise RuntimeError("this service sends no mail (ServiceSpec.sends_mail)")
        done = await self.mail.readdress(self.conn, about, to, self.at)
        self.mails_added += done.readdressed  # due now: the relay is woken after the commit
        return done

    async def audit(
        self,
        entity: str,
        entity_id: str | UUID,
        action: str,
        *,
        changes: Mapping[str, Any] | None = None,
        reason: str | None = None,
        subject: str | UUID | None = None,
    ) -> None:
        """Record who did what to which record, when and why (never on a topic). ``changes``
        are written as ``{field: {"old", "new"}}`` (``audit.field_changes``); ``subject`` is the
        pseudonymous id of the person the record is about (a client id, a registration id)."""
        await insert_entry(
            self.conn,
            at=self.at,
            actor=self.actor,
            entity=entity,
            entity_id=entity_id,
            action=action,
            changes=field_changes(changes),
            reason=reason,
            subject=subject,
        )

    async def viewed(self, *viewed: Viewed) -> None:
        """Record that the caller was shown these records (閲覧記録): what, never the values."""
        await record_views(self.conn, at=self.at, actor=self.actor, viewed=viewed)


@asynccontextmanager
async def unit_of_work(
    pool: Pool, outbox: Outbox, clock: Clock, actor: str, mail: MailOutbox | None = None
) -> AsyncIterator[UnitOfWork]:
    """Open a command's transaction; it commits when the block ends and rolls back on error."""
    async with pool.acquire() as conn, conn.transaction():
        yield UnitOfWork(conn=conn, at=clock.now(), actor=actor, outbox=outbox, mail=mail)


class _Rehearsed(Exception):
    """Ends a rehearsal's unit of work, which rolls it back."""


@asynccontextmanager
async def rehearsal(
    opened: AbstractAsyncContextManager[UnitOfWork],
) -> AsyncIterator[UnitOfWork]:
    """A unit of work that is always rolled back: a dry run goes through exactly the steps a
    real run takes (locks, reads, writes, events, audit) and leaves nothing behind, so what it
    reports is what the real run would do. An error inside still propagates."""
    try:
        async with opened as uow:
            yield uow
            raise _Rehearsed
    except _Rehearsed:
        pass
