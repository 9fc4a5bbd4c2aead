"""The change feed: what changed in the plan since a reader's last look.

A reader is a town (all its officers share one bookmark: "what has our town seen") or, for
coordinators and auditors, the person. The bookmark moves only when the reader says what they
have seen, so a look that was interrupted loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from tosei_resilience.domain.revisions import RevisionRecord


@dataclass(frozen=True)
class FeedPage:
    reader: str
    since: int
    entries: list[RevisionRecord]
    last_seq: int  # the newest revision of the whole plan
    bookmark: int | None
    limit: int

    @property
    def next_since(self) -> int:
        """Where the next look starts: after the last entry shown."""
        return self.entries[-1].seq if self.entries else max(self.since, 0)

    @property
    def more(self) -> bool:
        """A full page: there may be more after it."""
        return len(self.entries) >= self.limit
