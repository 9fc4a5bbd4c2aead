"""The change feed: what changed in the plan since a reader's last look.

A reader is one person: every officer, coordinator and auditor keeps their own bookmark, so
nobody moves it for anyone else. The bookmark moves only when the reader says what they have
seen, so a look that was interrupted loses nothing, and it moves backwards only when they say
so (``rewind``): a stale screen cannot silently make them read everything again.

Towns' officers used to share one bookmark per town; it is kept as the town's starting point:
an officer with no bookmark of their own yet starts where the town had got to.
"""

from __future__ import annotations

from dataclasses import dataclass

from tosei_common.platform.errors import Conflict, Message, Unprocessable
from tosei_common.platform.principal import Principal
from tosei_resilience.domain.plan import Lists
from tosei_resilience.domain.revisions import RevisionRecord


@dataclass(frozen=True)
class Bookmark:
    """Where a reader's look starts: their own bookmark, or else their town's old shared one."""

    seen_up_to: int | None
    from_town: bool = False


@dataclass(frozen=True)
class FeedPage:
    reader: str
    since: int
    entries: list[RevisionRecord]
    last_seq: int  # the newest revision of the whole plan
    bookmark: Bookmark
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
    """Whose bookmark the feed keeps: the caller's own (``municipality:hiranai-kimura``)."""
    return who.actor


def bookmark_of(own: int | None, town: int | None) -> Bookmark:
    """The reader's own bookmark wins; an officer who has none starts where the town had got."""
    if own is not None:
        return Bookmark(own)
    return Bookmark(town, from_town=town is not None)


def ensure_not_backwards(current: Bookmark, seen_up_to: int, *, rewind: bool) -> None:
    """A bookmark moves back only when the reader asks for it: a screen opened before their last
    look (another tab, a colleague's forwarded link) must not silently undo what they read."""
    if rewind or current.seen_up_to is None or seen_up_to >= current.seen_up_to:
        return
    at = current.seen_up_to
    raise Conflict(
        f"既読の位置はすでに{at}番まで進んでいます。{seen_up_to}番に戻すときは"
        '"rewind": true を付けて送ってください',
        en=f"your bookmark is at {at} already; to move it back to {seen_up_to}, "
        'send "rewind": true',
        fields={
            "seen_up_to": Message(
                f"{at}以上にしてください（戻すときは rewind を true に）",
                f"at least {at} (or send rewind: true)",
            )
        },
        current_seen_up_to=at,
    )


def ensure_seen_exists(seen_up_to: int, last_seq: int) -> None:
    """A bookmark never points past the newest revision: nobody has seen what is not there."""
    if seen_up_to > last_seq:
        raise Unprocessable(
            f"変更の一覧は{last_seq}番までです。{seen_up_to}番はまだありません",
            en=f"the feed ends at {last_seq}; nobody has seen {seen_up_to} yet",
            fields={"seen_up_to": Message(f"{last_seq}以下にしてください", f"at most {last_seq}")},
        )
