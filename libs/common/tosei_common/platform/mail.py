"""Mail to people, sent with the change that calls for it: a mail outbox and its relay.

A service that writes to people (the seminar's registrants) adds each mail to its ``mail_outbox``
table inside the command's transaction (``UnitOfWork.send_mail``), so a mail exists exactly when
the change it tells of was committed: a rolled-back registration sends nothing. ``MailRelay``, a
background task of the service's runtime, sends what is due over SMTP, one mail per transaction:
the row is locked (``FOR UPDATE SKIP LOCKED``, so replicas share the work and never take the same
mail), sent, and marked sent in that transaction. A failure is recorded on the mail (attempts,
the last error) and it is tried again after a growing pause; a mail the server refuses for good
(a 5xx answer) or that failed ``mail_max_attempts`` times is given up and stays in the table,
counted by ``tosei_mail_undeliverable`` for an operator to look at.

Mail never goes through Kafka: addresses and bodies are personal data and stay in the service's
own schema, erased by its retention job like the rest of a person's contacts. A crash after the
server accepted a mail and before the mark committed sends it again (the same ``Message-ID``).

The table is the service's (its migration creates it, its personal-data register declares it);
its columns are the contract this module reads and writes::

    seq bigserial, id uuid (the Message-ID), kind text, about uuid (the pseudonymous id of the
    person it concerns), recipient text, subject text, body_text text, body_html text,
    image_cids text[], image_pngs bytea[], occurred_at timestamptz (the command's moment, the
    Date header), created_at timestamptz (the database's clock), next_attempt_at timestamptz,
    attempts integer, last_error text, sent_at timestamptz, given_up_at timestamptz,
    erased_at timestamptz
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Protocol
from uuid import UUID

import aiosmtplib
from prometheus_client import CollectorRegistry, Counter, Gauge

from tosei_common.platform.background import BackgroundLoop
from tosei_common.platform.clock import SYSTEM_CLOCK, Clock
from tosei_common.platform.db import Connection, Pool
from tosei_common.platform.mail_message import InlineImage, Mail, render_message, retry_at
from tosei_common.platform.settings import Settings

log = logging.getLogger(__name__)

__all__ = [
    "InlineImage",
    "Mail",
    "MailMetrics",
    "MailOutbox",
    "MailRelay",
    "Readdressed",
    "SmtpSender",
    "mail_backlog",
]


class OutsideTransaction(RuntimeError):
    """Mails must be added inside the transaction that makes the change they tell of."""


def is_permanent(error: BaseException) -> bool:
    """Whether the server refused the mail for good (5xx), so trying again cannot help.

    A refused login is the service's configuration, not the mail's fault: it is retried."""
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return all(500 <= r.code < 600 for r in error.recipients)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return 500 <= error.code < 600
    return False


# writing ------------------------------------------------------------------------------------


class MailOutbox:
    """Adds a service's mails to its ``mail_outbox`` in the caller's transaction."""

    def __init__(self, settings: Settings, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        #: Where links in mails point: the console as people's browsers reach it.
        self.console_url = console_link_base(settings)
        self.sender = settings.mail_from

    async def add(self, conn: Connection, *mails: Mail) -> list[UUID]:
        """Add mails inside the caller's open transaction; return their ids."""
        if not conn.is_in_transaction():
            raise OutsideTransaction("MailOutbox.add needs the caller's transaction")
        if not mails:
            return []
        ids = [uuid.uuid4() for _ in mails]
        await conn.executemany(
            """
            INSERT INTO mail_outbox (id, kind, about, recipient, subject, body_text, body_html,
                                     image_cids, image_pngs, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            [
                (
                    i,
                    m.kind,
                    m.about,
                    m.to,
                    m.subject,
                    m.text,
                    m.html,
                    [image.cid for image in m.images],
                    [image.png for image in m.images],
                    self.clock.utc_now(),
                )
                for i, m in zip(ids, mails, strict=True)
            ],
        )
        return ids

    async def readdress(
        self, conn: Connection, about: UUID, to: str | None, at: datetime
    ) -> Readdressed:
        """The person ``about`` corrected their address: in the caller's transaction, the mails
        to them not yet sent go to ``to`` instead, tried afresh (a mail given up on the old,
        mistyped address included: the server's refusal was the address's, not the mail's).
        Mails already sent stay as sent, to the address they went to, and are not sent again;
        one the relay is sending at this moment holds its row, and is found sent once it
        commits. ``to`` None (the address withdrawn): the unsent mails are never sent, and
        their address and body are erased at ``at`` as the retention run erases them."""
        if not conn.is_in_transaction():
            raise OutsideTransaction("MailOutbox.readdress needs the caller's transaction")
        if to is None:
            status: str = await conn.execute(
                """
                UPDATE mail_outbox
                   SET recipient = NULL, subject = NULL, body_text = NULL, body_html = NULL,
                       last_error = NULL, image_cids = '{}', image_pngs = '{}', erased_at = $2
                 WHERE about = $1 AND sent_at IS NULL AND erased_at IS NULL
                """,
                about,
                at,
            )
            return Readdressed(readdressed=0, withdrawn=int(status.rsplit(" ", 1)[-1]))
        status = await conn.execute(
            """
            UPDATE mail_outbox
               SET recipient = $2, attempts = 0, last_error = NULL, given_up_at = NULL,
                   next_attempt_at = clock_timestamp()
             WHERE about = $1 AND sent_at IS NULL AND erased_at IS NULL
            """,
            about,
            to,
        )
        return Readdressed(readdressed=int(status.rsplit(" ", 1)[-1]), withdrawn=0)


@dataclass(frozen=True)
class Readdressed:
    """What a correction of an address did to the mails not yet sent."""

    #: Now due to the new address.
    readdressed: int
    #: Never to be sent: the address was withdrawn (erased with their bodies).
    withdrawn: int


def console_link_base(settings: Settings) -> str:
    """The console's address for links in mails: TOSEI_CONSOLE_PUBLIC_URL, else this machine's
    console (a wildcard bind address is no address to browse to)."""
    if settings.console_public_url:
        return settings.console_public_url.rstrip("/")
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    return f"http://{host}:{settings.port_of('console')}"


# sending ------------------------------------------------------------------------------------


class MailSession(Protocol):
    async def send(self, message: EmailMessage, sender: str, recipient: str) -> None: ...

    async def close(self) -> None: ...


class SmtpSender:
    """Opens SMTP sessions to the configured server (``TOSEI_SMTP_*``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def open(self) -> MailSession:
        s = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port_in_use,
            username=s.smtp_username,
            password=s.smtp_password,
            use_tls=s.smtp_tls,
            start_tls=s.smtp_starttls,
            timeout=s.smtp_timeout_s,
        )
        await smtp.connect()
        return _SmtpSession(smtp)


class _SmtpSession:
    def __init__(self, smtp: aiosmtplib.SMTP) -> None:
        self.smtp = smtp

    async def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        await self.smtp.send_message(message, sender=sender, recipients=[recipient])

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.smtp.quit()
        with contextlib.suppress(Exception):
            self.smtp.close()


class MailMetrics:
    """The mail outbox's figures, on the service's registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.pending = Gauge(
            "tosei_mail_pending",
            "Mails waiting to be sent (not sent, not given up).",
            registry=registry,
        )
        self.oldest_pending_age = Gauge(
            "tosei_mail_oldest_pending_age_seconds",
            "Age of the oldest mail waiting to be sent (0 when none).",
            registry=registry,
        )
        self.undeliverable = Gauge(
            "tosei_mail_undeliverable",
            "Mails given up (refused by the server, or failed every attempt), kept for a look.",
            registry=registry,
        )
        self.sent = Counter(
            "tosei_mail_sent", "Mails the SMTP server accepted.", ["kind"], registry=registry
        )
        self.send_failures = Counter(
            "tosei_mail_send_failures",
            "Attempts to send a mail that failed (it is retried or given up).",
            registry=registry,
        )

    async def refresh(self, conn: Connection) -> None:
        backlog = await mail_backlog(conn)
        self.pending.set(backlog.pending)
        self.oldest_pending_age.set(backlog.oldest_pending_s)
        self.undeliverable.set(backlog.undeliverable)


@dataclass(frozen=True)
class _Due:
    id: UUID
    kind: str
    recipient: str
    attempts: int
    occurred_at: datetime
    mail: Mail


class MailRelay(BackgroundLoop):
    """Sends a schema's due mails, every ``mail_poll_interval_s`` and when woken."""

    def __init__(
        self,
        *,
        pool: Pool,
        settings: Settings,
        metrics: MailMetrics,
        sender: SmtpSender | None = None,
        name: str = "mail",
    ) -> None:
        self.pool = pool
        self.settings = settings
        self.metrics = metrics
        self.sender = sender or SmtpSender(settings)
        self.name = name
        super().__init__(f"mail-relay-{name}")

    async def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                await self.send_due()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database away: the next pass tries again
                log.warning("%s: mail relay pass failed: %s", self.name, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.mail_poll_interval_s)

    async def send_due(self) -> int:
        """Send every due mail, each in its own transaction; return how many were sent. A
        failure to reach the server ends the pass (the others would fail alike)."""
        sent = 0
        session: MailSession | None = None
        try:
            while not self._stopping.is_set():
                async with self.pool.acquire() as conn, conn.transaction():
                    due = await _claim(conn)
                    if due is None:
                        return sent
                    try:
                        if session is None:
                            session = await self.sender.open()
                        await session.send(self._message(due), self._envelope_sender, due.recipient)
                    except Exception as exc:
                        if session is not None:
                            await session.close()
                            session = None
                        permanent = await self._failed(conn, due, exc)
                        if not permanent:
                            return sent
                        continue
                    await conn.execute(
                        "UPDATE mail_outbox SET sent_at = clock_timestamp(), attempts = attempts"
                        " + 1, last_error = NULL WHERE id = $1",
                        due.id,
                    )
                self.metrics.sent.labels(kind=due.kind).inc()
                sent += 1
            return sent
        finally:
            if session is not None:
                await session.close()

    @property
    def _envelope_sender(self) -> str:
        return parseaddr(self.settings.mail_from)[1]

    def _message(self, due: _Due) -> EmailMessage:
        return render_message(
            due.mail, sender=self.settings.mail_from, message_id=due.id, date=due.occurred_at
        )

    async def _failed(self, conn: Connection, due: _Due, error: BaseException) -> bool:
        """Record a failed attempt; give the mail up when it is refused for good or out of
        attempts. Returns whether the failure was the mail's own (the server answered)."""
        attempts = due.attempts + 1
        permanent = is_permanent(error)
        give_up = permanent or attempts >= self.settings.mail_max_attempts
        pause = retry_at(
            attempts,
            first_pause_s=self.settings.mail_retry_backoff_s,
            longest_pause_s=self.settings.mail_max_backoff_s,
        )
        await conn.execute(
            """
            UPDATE mail_outbox
               SET attempts = $2, last_error = $3,
                   next_attempt_at = clock_timestamp() + make_interval(secs => $4),
                   given_up_at = CASE WHEN $5 THEN clock_timestamp() END
             WHERE id = $1
            """,
            due.id,
            attempts,
            f"{type(error).__name__}: {error}"[:500],
            pause,
            give_up,
        )
        self.metrics.send_failures.inc()
        log.warning(
            "%s: mail %s (%s) not sent, attempt %d: %s%s",
            self.name,
            due.id,
            due.kind,
            attempts,
            type(error).__name__,
            "; given up" if give_up else f"; trying again in {pause:.0f}s",
        )
        return permanent


async def _claim(conn: Connection) -> _Due | None:
    """The next due mail, locked for this transaction (skipped by other relays)."""
    row = await conn.fetchrow(
        """
        SELECT id, kind, about, recipient, subject, body_text, body_html, image_cids,
               image_pngs, attempts, occurred_at
          FROM mail_outbox
         WHERE sent_at IS NULL AND given_up_at IS NULL AND erased_at IS NULL
           AND next_attempt_at <= clock_timestamp()
         ORDER BY next_attempt_at, seq
         LIMIT 1
           FOR UPDATE SKIP LOCKED
        """
    )
    if row is None:
        return None
    images = tuple(
        InlineImage(cid, png)
        for cid, png in zip(row["image_cids"] or [], row["image_pngs"] or [], strict=True)
    )
    mail = Mail(
        to=row["recipient"],
        subject=row["subject"],
        text=row["body_text"],
        kind=row["kind"],
        about=row["about"],
        html=row["body_html"],
        images=images,
    )
    return _Due(row["id"], row["kind"], row["recipient"], row["attempts"], row["occurred_at"], mail)


@dataclass(frozen=True)
class MailBacklog:
    pending: int
    #: Seconds since the oldest waiting mail was queued (0 when none).
    oldest_pending_s: float
    undeliverable: int


async def mail_backlog(conn: Connection) -> MailBacklog:
    """Mails waiting to be sent, the age of the oldest, and mails given up (not erased)."""
    row = await conn.fetchrow(
        """
        SELECT count(*) FILTER (WHERE sent_at IS NULL AND given_up_at IS NULL) AS pending,
               coalesce(extract(epoch FROM clock_timestamp() - min(created_at)
                   FILTER (WHERE sent_at IS NULL AND given_up_at IS NULL)), 0) AS oldest,
               count(*) FILTER (WHERE given_up_at IS NOT NULL) AS undeliverable
          FROM mail_outbox WHERE erased_at IS NULL
        """
    )
    assert row is not None
    return MailBacklog(row["pending"], max(0.0, float(row["oldest"])), row["undeliverable"])
