"""The development mailbox in tests: a real SMTP server (aiosmtpd) on a free port that keeps every
message as a ``.eml`` file in the test's directory, read back as a person's mail client would.

The ``mailbox`` fixture (tests/conftest.py) starts one per test; ``mail_settings`` points a
service at it. Console browser tests get it as ``Stack.mailbox``.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from tests.support.waiting import eventually
from tosei_common.devtools.mailbox import Mailbox


@dataclass
class TestMailbox:
    """A started ``Mailbox`` with what tests ask of it."""

    server: Mailbox

    __test__ = False  # not a test class

    @property
    def directory(self) -> Path:
        return self.server.directory

    def settings(self) -> dict[str, object]:
        """The settings that send a service's mail here."""
        return {"smtp_host": self.server.host, "smtp_port": self.server.port}

    def messages(self) -> list[EmailMessage]:
        return self.server.messages()

    def to(self, address: str) -> list[EmailMessage]:
        """The messages addressed to ``address``, oldest first."""
        return [m for m in self.messages() if m["To"] == address]

    async def wait_for(
        self, count: int, *, to: str | None = None, timeout: float = 20
    ) -> list[EmailMessage]:
        """At least ``count`` messages (to ``to``, if given) once they have arrived."""

        async def arrived() -> list[EmailMessage] | None:
            found = self.to(to) if to is not None else self.messages()
            return found if len(found) >= count else None

        found: list[EmailMessage] = await eventually(arrived, timeout=timeout)
        return found

    def stop(self) -> None:
        """The SMTP server goes away (its port refuses connections)."""
        self.server.stop()

    def restart(self) -> None:
        """It comes back on the same port, keeping what it kept."""
        self.server.start()


def text_of(message: EmailMessage) -> str:
    """The text/plain body of a message."""
    part = message.get_body(preferencelist=("plain",))
    assert isinstance(part, EmailMessage), message
    content: str = part.get_content()
    return content


def html_of(message: EmailMessage) -> str | None:
    part = message.get_body(preferencelist=("html",))
    if part is None:
        return None
    assert isinstance(part, EmailMessage)
    content: str = part.get_content()
    return content


def inline_images(message: EmailMessage) -> list[EmailMessage]:
    """The image parts of a message (the QR code), with their Content-ID."""
    return [
        part
        for part in message.walk()
        if isinstance(part, EmailMessage) and part.get_content_maintype() == "image"
    ]
