"""What the command handlers need: the running service (pool, outbox, clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tosei_common.platform.db import Pool
from tosei_common.platform.outbox import Outbox
from tosei_common.platform.service import Runtime


@dataclass(frozen=True)
class Deps:
    runtime: Runtime

    def clock(self) -> datetime:
        """Now, by the service's clock: every change is dated by it."""
        return self.runtime.clock.now()

    @property
    def pool(self) -> Pool:
        return self.runtime.pool

    @property
    def outbox(self) -> Outbox:
        return self.runtime.outbox
