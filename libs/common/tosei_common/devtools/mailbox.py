"""The development mailbox: an SMTP server on the loopback that keeps every message it accepts
as a ``.eml`` file (``tosei up`` starts it into ``<data_dir>/mail/``; the tests read theirs).

A ``.eml`` file is the message exactly as it was sent, which any mail client opens (double-click
it, or ``python -m email`` it apart). Nothing is relayed anywhere.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import os
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tosei_common.devtools.devstack import StackError, port_is_open


@dataclass
class Mailbox:
    """An SMTP server on 127.0.0.1:``port`` writing each message into ``directory``."""

    directory: Path
    port: int
    host: str = "127.0.0.1"
    _controller: Any = field(default=None, repr=False)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        try:
            from aiosmtpd.controller import Controller
        except ImportError as exc:  # the production image has no development mailbox
            raise StackError(
                "the development mailbox is not installed (tosei-common[mailbox]); set "
                "TOSEI_SMTP_HOST to an SMTP server, or run `make up`, which installs it"
            ) from exc
        if port_is_open(self.host, self.port):
            raise StackError(
                f"port {self.port} is taken; stop what uses it or set TOSEI_MAIL_DEV_PORT "
                "(or TOSEI_SMTP_HOST to send through an SMTP server)"
            )
        self.directory.mkdir(parents=True, exist_ok=True)
        controller = Controller(_Keep(self), hostname=self.host, port=self.port)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def keep(self, content: bytes) -> Path:
        """Write one message as a new ``.eml`` file (whole or not at all)."""
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(self._numbers):04d}-{uuid.uuid4().hex[:6]}"
        path = self.directory / f"{name}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(content)
        os.replace(partial, path)
        return path

    def files(self) -> list[Path]:
        """The kept messages, oldest first."""
        if not self.directory.exists():
            return []
        return sorted(self.directory.glob("*.eml"))

    def messages(self) -> list[EmailMessage]:
        """The kept messages, parsed, oldest first."""
        return [read_eml(path) for path in self.files()]


def read_eml(path: Path | str) -> EmailMessage:
    """A ``.eml`` file as a message (headers decoded, parts walkable)."""
    with Path(path).open("rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


class _Keep:
    """aiosmtpd's handler: keep what arrives, say 250."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        self.mailbox.keep(content)
        return "250 Message kept"
