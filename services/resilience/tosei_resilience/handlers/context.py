"""What the command handlers need: the running service (pool, outbox) and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tosei_common.db import Pool
from tosei_common.outbox import Outbox
from tosei_common.service import Runtime

#: The source of "now" for every change; tests pass one they can set to any date.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    runtime: Runtime
    clock: Clock = utc_now

    @property
    def pool(self) -> Pool:
        return self.runtime.pool

    @property
    def outbox(self) -> Outbox:
        return self.runtime.outbox
