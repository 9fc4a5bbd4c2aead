"""The fault suite's figures, written into docs/reliability.md between its markers."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from tosei_common.platform.clock import SYSTEM_CLOCK

START = "<!-- figures:start (written by tests/system; do not edit by hand) -->"
END = "<!-- figures:end -->"


@dataclass(frozen=True)
class Figure:
    fault: str
    accepted: int
    lost: int
    doubled: int
    retried: int
    replayed: int
    repeated_deliveries: int
    inbox_duplicates: int
    recovered_s: float | None
    slowest_accept_s: float


def table(figures: list[Figure]) -> str:
    lines = [
        "| fault | accepted | lost | doubled | requests retried | answered from the key "
        "| repeated on the topics | duplicates the inboxes absorbed | recovered in "
        "| slowest answer |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        recovered = "not within 180 s" if f.recovered_s is None else f"{f.recovered_s:.1f} s"
        lines.append(
            f"| {f.fault} | {f.accepted:,} | {f.lost} | {f.doubled} | {f.retried:,} "
            f"| {f.replayed:,} | {f.repeated_deliveries:,} | {f.inbox_duplicates:,} | {recovered} "
            f"| {f.slowest_accept_s:.1f} s |"
        )
    return "\n".join(lines)


def write_figures(figures: list[Figure], document: Path) -> None:
    """Replace the figures section of ``document`` with this run's (when the run has any)."""
    if not figures or not document.exists():
        return
    text = document.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return
    when = SYSTEM_CLOCK.now().strftime("%Y-%m-%d %H:%M JST")
    body = (
        f"{START}\n\nLast run: {when}, {platform.machine()}, `make test` (tests/system).\n\n"
        f"{table(figures)}\n\n{END}"
    )
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    document.write_text(head + body + tail, encoding="utf-8")
