"""The change feed: what changed in the plan since a reader's last look.

A reader is a town (all its officers share one bookmark: "what has our town seen") or, for
coordinators and auditors, the person. The bookmark moves only when the reader says what they
have seen, so a look that was interrupted loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.platform.principal import Principal, Role
from tosei_resilience.domain.plan import Lists
from tosei_resilience.domain.revisions import RevisionRecord


@dataclass(frozen=True)
class FeedPage:
    reader: str
    since: int
    entries: list[RevisionRecord]
    last_seq: int  # the newest revision of the whole plan
    bookmark: int | None
    limit: int
    lists: Lists  # names the codes in the entries' diffs

    @property
    def next_since(self) -> int:
        """Where the next look starts: after the last entry shown."""
        return self.entries[-1].seq if self.entries else max(self.since, 0)

    @property
    def more(self) -> bool:
        """A full page: there may be more after it."""
        return len(self.entries) >= self.limit


def reader_of(who: Principal) -> str:
    """Whose bookmark the feed keeps: a town's officers share one; anyone else has their own."""
    if who.role is Role.MUNICIPALITY and who.municipality is not None:
        return f"municipality:{who.municipality}"
    return who.actor


def ensure_seen_exists(seen_up_to: int, last_seq: int) -> None:
    """A bookmark never points past the newest revision: nobody has seen what is not there."""
    if seen_up_to > last_seq:
        raise Unprocessable(
            f"変更の一覧は{last_seq}番までです。{seen_up_to}番はまだありません",
            en=f"the feed ends at {last_seq}; nobody has seen {seen_up_to} yet",
            fields={"seen_up_to": Message(f"{last_seq}以下にしてください", f"at most {last_seq}")},
        )
