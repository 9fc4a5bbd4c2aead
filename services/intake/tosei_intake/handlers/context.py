"""What the intake handlers need from a running service, whichever door (HTTP, CLI) calls them."""

from __future__ import annotations

from dataclasses import dataclass

from tosei_common.platform.clock import Clock
from tosei_common.platform.db import Pool
from tosei_common.platform.outbox import Outbox
from tosei_common.platform.service import Runtime


@dataclass(frozen=True)
class Intake:
    pool: Pool
    outbox: Outbox
    #: Keys the pseudonyms of the old desks' staff on the topic (shared with caseflow).
    pseudonym_secret: str
    clock: Clock

    @classmethod
    def of(cls, runtime: Runtime) -> Intake:
        return cls(runtime.pool, runtime.outbox, runtime.settings.pseudonym_secret, runtime.clock)
