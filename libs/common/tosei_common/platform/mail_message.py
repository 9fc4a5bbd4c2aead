"""A mail as the domain composes it, and its MIME message (pure: no I/O, domains use it).

Sending is tosei_common.platform.mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from uuid import UUID

__all__ = ["InlineImage", "Mail", "image_cid", "render_message", "retry_at"]


@dataclass(frozen=True)
class InlineImage:
    """A PNG shown inside the HTML part, where it says ``<img src="cid:{cid}">``."""

    cid: str
    png: bytes


@dataclass(frozen=True)
class Mail:
    """One mail to one person, as the domain composed it."""

    to: str
    subject: str
    text: str
    #: What it is (``registration.accepted``): kept after its content is erased.
    kind: str
    #: The pseudonymous id of the person it concerns (a registration id): retention erases by it.
    about: UUID
    html: str | None = None
    images: tuple[InlineImage, ...] = ()


def render_message(mail: Mail, *, sender: str, message_id: UUID, date: datetime) -> EmailMessage:
    """The MIME message of ``mail`` (pure).

    Text only: a single text/plain part. With HTML: multipart/alternative of the text and a
    multipart/related of the HTML with its inline images, so a client showing HTML shows each
    image where the HTML places it and any other client shows the complete text.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = f"<{message_id}@{_domain_of(sender)}>"
    message.set_content(mail.text, charset="utf-8")
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html", charset="utf-8")
        html_part = message.get_body(preferencelist=("html",))
        assert isinstance(html_part, EmailMessage)
        for image in mail.images:
            html_part.add_related(image.png, maintype="image", subtype="png", cid=f"<{image.cid}>")
    return message


def _domain_of(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


def image_cid(name: str, sender: str) -> str:
    """The Content-ID of an inline image (``name`` unique within its message), in the
    sender's domain."""
    return f"{name}@{_domain_of(sender)}"


def retry_at(attempts: int, *, first_pause_s: float, longest_pause_s: float) -> float:
    """Seconds to wait before the next attempt after ``attempts`` failed ones (1, 2, 4 … × the
    first pause, at most the longest)."""
    return float(min(longest_pause_s, first_pause_s * 2 ** max(0, attempts - 1)))
