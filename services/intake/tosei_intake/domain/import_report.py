"""What a hand-over import did (or, in a dry run, would do), row by row, and how it is printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from tosei_common.catalogue.intake import LegacyStatus
from tosei_common.catalogue.labels import LEGACY_STATUS
from tosei_common.region.sheet_import import RowProblem
from tosei_intake.domain.legacy import Desk


class ClientOutcome(StrEnum):
    NEW = "new"  # a person the desk did not know
    MATCHED = "matched"  # a client on file before this import
    SAME_AS_EARLIER_ROW = "same_as_earlier_row"  # a client this import created a few rows up


@dataclass(frozen=True)
class FileSummary:
    name: str
    encoding: str
    desk: Desk
    rows: int


@dataclass(frozen=True)
class ImportedRow:
    file: str
    line: int
    consultation_id: UUID
    client_id: UUID
    client: ClientOutcome


@dataclass(frozen=True)
class SkippedRow:
    file: str
    line: int
    consultation_id: UUID


@dataclass(frozen=True)
class StatusChange:
    """An old case imported before whose 状況 the new export says moved on (対応中 → 完了):
    recorded on the consultation and listed for a coordinator to act on in caseflow (close the
    case, or reopen it), never dropped silently."""

    file: str
    line: int
    consultation_id: UUID
    old: LegacyStatus
    new: LegacyStatus


@dataclass
class ImportReport:
    dry_run: bool
    files: list[FileSummary] = field(default_factory=list)
    imported: list[ImportedRow] = field(default_factory=list)
    already_imported: list[SkippedRow] = field(default_factory=list)
    status_changed: list[StatusChange] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)

    @property
    def matched(self) -> list[ImportedRow]:
        return [r for r in self.imported if r.client is ClientOutcome.MATCHED]

    @property
    def new_clients(self) -> int:
        return sum(1 for r in self.imported if r.client is ClientOutcome.NEW)

    @property
    def exit_code(self) -> int:
        """0 when every row was accepted, 1 when any was rejected."""
        return 1 if self.rejected else 0


def render(report: ImportReport) -> str:
    """The report as the desk reads it in a terminal."""
    title = "旧窓口の相談記録の取り込み (hand-over import)"
    lines = [title + ("  ― 試行 (dry run): 何も書き込んでいません" if report.dry_run else "")]
    for f in report.files:
        lines.append(f"  {f.name}  [{f.encoding}, {f.desk.value} desk]  {f.rows} rows")
    verb = "would be imported" if report.dry_run else "imported"
    lines += [
        f"受理 accepted ({verb}): {len(report.imported)}",
        f"  新規の相談者 new clients: {report.new_clients}",
        f"  既存の相談者と一致 matched to existing clients: {len(report.matched)}",
    ]
    lines += [f"    {r.file}:{r.line} → client {r.client_id}" for r in report.matched]
    lines.append(f"取り込み済み already imported (skipped): {len(report.already_imported)}")
    lines.append(f"  状況が変わった行 status changed (to review): {len(report.status_changed)}")
    lines += [
        f"    {c.file}:{c.line} → case {c.consultation_id}: "
        f"{LEGACY_STATUS[c.old]} → {LEGACY_STATUS[c.new]}"
        for c in report.status_changed
    ]
    lines.append(f"却下 rejected: {len(report.rejected)}")
    lines += [f"    {problem}" for problem in report.rejected]
    return "\n".join(lines)
