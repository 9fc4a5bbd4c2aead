"""Topics as the platform declares them (``platform.topic_setup`` creates them at start-up)."""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 24 * 60 * 60 * 1000


@dataclass(frozen=True)
class Topic:
    """A Kafka topic as the platform declares it.

    Aggregate streams keep their events forever (``retention_ms=-1``) because a service's read
    model is rebuilt by replaying them from the beginning.
    """

    name: str
    description: str
    partitions: int = 6
    retention_ms: int = -1

    @property
    def dlq(self) -> Topic:
        """The dead-letter topic beside this one: poison events land there with their reason."""
        return Topic(
            name=f"{self.name}.dlq",
            description=f"Events of {self.name} that could not be handled (error in headers).",
            partitions=1,
            retention_ms=30 * DAY_MS,
        )
