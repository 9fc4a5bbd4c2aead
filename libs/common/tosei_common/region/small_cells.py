"""Figures that do not identify people: which cells of a breakdown to hide (秘匿).

A breakdown shown to someone without access to the records behind it (a municipal officer, the
public, an integrator reading a topic) must not name a person by a small count: "今別町 1人" or
a role's mean of one respondent is that person. Statistical offices hide such cells (一次秘匿)
and, where a shown total would give a hidden cell back by subtraction, one more cell beside it
(二次秘匿, complementary suppression). This module decides which; the services only say what
their cells and totals are and write 「―」 (or leave a key out) where it says so.

- Primary: a count of 1 ≤ n < threshold people is hidden. 0 is shown: "nobody" names nobody.
- Secondary, for true partitions only (months of a year, tracks, modes, towns of a region: each
  person or fact in exactly one part, and the parts add up to a total that is shown): when
  exactly one part is hidden, the next smallest shown part with n > 0 is hidden too, so that
  the total minus the shown parts gives two cells together, not one. (A shown 0 would not do:
  hiding it next to a primary cell gives nothing away the reader could not guess.) When no
  such part is left (the others are all 0), the hidden part equals the total, and the total is
  hidden instead. Repeated
  until no partition changes, so a cell hidden for one partition (a month of a track) is
  covered in the others it belongs to (that track's year, that month's total).
- Overlapping breakdowns need primary suppression only. A case tagged with two categories is
  counted in both, so the categories' figures do not add up to the total and no subtraction
  gives one back: declare no partition for them.
- Cells that count the same people under two names (a town's report: the town's row and the
  total) are ``linked``: one hidden hides the others, or the other name would show it.
- A mean or median tells about its base: it is hidden when fewer than ``threshold`` people
  answered (``hides_statistic``).

Threshold 1 hides nothing (no count is 1 ≤ n < 1): the setting's way of turning it off.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

#: What a hidden cell shows instead of its number.
MARK = "―"


def note(threshold: int) -> str:
    """The sentence printed with a breakdown whose small cells are hidden."""
    return f"{threshold}人未満の区分は、個人が特定されないよう「{MARK}」（秘匿）としています"


@dataclass(frozen=True)
class Partition(Generic[K]):
    """Cells (``parts``) that add up to another cell (``whole``): each person in one part."""

    parts: tuple[K, ...]
    whole: K


def hidden(
    cells: Mapping[K, int],
    threshold: int,
    partitions: Iterable[Partition[K]] = (),
    linked: Iterable[Iterable[K]] = (),
) -> frozenset[K]:
    """The cells to hide of ``cells`` (key → number of people), primary and secondary.

    Every key a partition or a link names must be in ``cells``; a cell missing from a
    breakdown that lists only its non-empty keys is 0 (shown) and may be left out of all three.
    """
    secret = {key for key, n in cells.items() if 1 <= n < threshold}
    groups = tuple(partitions)
    links = tuple(frozenset(link) for link in linked)
    changed = bool(secret)
    while changed:
        before = len(secret)
        for link in links:
            if link & secret:
                secret |= link
        for group in groups:
            if group.whole in secret:
                continue  # the total is hidden: no subtraction gives a part back
            if sum(1 for key in group.parts if key in secret) != 1:
                continue
            shown = [key for key in group.parts if key not in secret and cells[key] > 0]
            if shown:
                secret.add(min(shown, key=lambda key: cells[key]))
            else:
                secret.add(group.whole)
        changed = len(secret) > before
    return frozenset(secret)


def hides_statistic(base: int, threshold: int) -> bool:
    """Whether a mean or median of ``base`` respondents is hidden (fewer than ``threshold``).

    With no respondent there is no statistic to hide (it is absent already)."""
    return 0 < base < threshold
