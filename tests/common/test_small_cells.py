"""Which cells of a breakdown are hidden so that no figure names a person."""

from __future__ import annotations

from tosei_common.platform.settings import Settings
from tosei_common.region.small_cells import (
    MARK,
    Partition,
    hidden,
    hides_statistic,
    note,
)


def test_counts_below_the_threshold_are_hidden_and_those_at_it_are_shown() -> None:
    towns = {"022012": 40, "023019": 3, "023035": 2, "023043": 1}
    assert hidden(towns, 3) == {"023035", "023043"}


def test_nobody_is_shown_as_zero() -> None:
    assert hidden({"physician": 0, "nurse": 5}, 3) == set()


def test_one_hidden_part_of_a_shown_total_takes_the_next_smallest_with_it() -> None:
    roles = {"physician": 1, "nurse": 5, "care_manager": 4, "resident": 0, "total": 10}
    parts = Partition(("physician", "nurse", "care_manager", "resident"), "total")
    # the physician would be 10 − 5 − 4 − 0; the care managers go too (not the empty residents)
    assert hidden(roles, 3, [parts]) == {"physician", "care_manager"}


def test_two_hidden_parts_need_no_more() -> None:
    modes = {"venue": 1, "viewing_site": 2, "online": 9, "total": 12}
    parts = Partition(("venue", "viewing_site", "online"), "total")
    assert hidden(modes, 3, [parts]) == {"venue", "viewing_site"}


def test_a_hidden_total_gives_no_part_away() -> None:
    tracks = {"startup": 1, "sme": 0, "total": 1}
    assert hidden(tracks, 3, [Partition(("startup", "sme"), "total")]) == {"startup", "total"}


def test_a_lone_hidden_part_beside_empty_ones_hides_the_total() -> None:
    # startup's April is hidden beside April's small SME figure; the year's startup row has
    # only April: without hiding that row's total, it would give April back
    cells = {"startup-04": 5, "startup-05": 0, "startup-year": 5}
    partitions = [Partition(("startup-04", "startup-05"), "startup-year")]
    assert hidden(cells, 3, partitions, linked=[("startup-04", "sme-04")]) == set()
    cells |= {"sme-04": 1}
    assert hidden(cells, 3, partitions, linked=[("startup-04", "sme-04")]) == {
        "sme-04", "startup-04", "startup-year",
    }  # fmt: skip


def test_linked_cells_are_hidden_together() -> None:
    cells = {"total": 2, "imabetsu": 2, "founders": 4, "founded_outcomes": 4}
    assert hidden(cells, 3, linked=[("founders", "founded_outcomes")]) == {"total", "imabetsu"}
    cells["founders"] = 1
    assert hidden(cells, 3, linked=[("founders", "founded_outcomes")]) == {
        "total", "imabetsu", "founders", "founded_outcomes",
    }  # fmt: skip


def test_a_cell_hidden_for_one_partition_is_covered_in_the_others() -> None:
    # tracks × two months; the startup track's April is small
    cells = {
        ("startup", "04"): 1, ("startup", "05"): 6, ("sme", "04"): 5, ("sme", "05"): 7,
        ("startup", "year"): 7, ("sme", "year"): 12, ("all", "04"): 6, ("all", "05"): 13,
    }  # fmt: skip
    partitions = [
        Partition((("startup", "04"), ("startup", "05")), ("startup", "year")),
        Partition((("sme", "04"), ("sme", "05")), ("sme", "year")),
        Partition((("startup", "04"), ("sme", "04")), ("all", "04")),
        Partition((("startup", "05"), ("sme", "05")), ("all", "05")),
    ]
    secret = hidden(cells, 3, partitions)
    assert secret == {("startup", "04"), ("startup", "05"), ("sme", "04"), ("sme", "05")}
    for group in partitions:  # no partition with a shown total has exactly one hidden part
        assert group.whole in secret or sum(p in secret for p in group.parts) != 1


def test_overlapping_breakdowns_get_primary_suppression_only() -> None:
    categories = {"financing": 1, "sales_channels": 8, "total": 8}
    assert hidden(categories, 3) == {"financing"}


def test_threshold_one_hides_nothing() -> None:
    cells = {"a": 1, "b": 2, "c": 0, "total": 3}
    assert hidden(cells, 1, [Partition(("a", "b", "c"), "total")]) == set()
    assert not hides_statistic(1, 1)


def test_a_mean_is_hidden_below_its_base() -> None:
    assert hides_statistic(1, 3)
    assert hides_statistic(2, 3)
    assert not hides_statistic(3, 3)
    assert not hides_statistic(0, 3)  # no mean to hide


def test_the_mark_and_the_note_people_read() -> None:
    assert MARK == "―"
    assert note(3) == "3人未満の区分は、個人が特定されないよう「―」（秘匿）としています"


def test_the_council_sets_the_threshold() -> None:
    assert Settings().small_cell_threshold == 3
    assert Settings(small_cell_threshold=5).small_cell_threshold == 5
