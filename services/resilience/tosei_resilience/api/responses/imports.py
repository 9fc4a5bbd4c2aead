"""The history import's report: what was (or, in a dry run, would be) recorded, year by year and
row by row, and the rows refused, each by the line Excel shows."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.said import Language
from tosei_resilience.api.responses.common import Owned, owner
from tosei_resilience.domain import labels
from tosei_resilience.domain.history_import import ROW_KIND, ImportedChange, RowKind
from tosei_resilience.domain.revisions import RevisionKind
from tosei_resilience.handlers.plan_imports import HistoryImport


class ImportedFileOut(BaseModel):
    name: str
    encoding: str = Field(description="utf-8-sig, utf-8, cp932 or xlsx")
    rows: int


class YearOut(BaseModel):
    fiscal_year: int
    fiscal_year_label: str
    added: int
    revised: int
    retired: int


class ImportedRowOut(Owned):
    line: int = Field(description="The row's line, as Excel numbers it (the header is line 1).")
    number: int = Field(description="事業番号")
    title: str
    row_kind: RowKind
    row_kind_label: str = Field(description="策定・追加・改定・廃止")
    kind: RevisionKind
    decided_on: date = Field(description="決定日: the revision takes effect from this day (JST).")
    fiscal_year: int
    fiscal_year_label: str
    version: int
    changed_fields: list[str]
    changed_fields_label: str
    reason: str


class RefusedRowOut(BaseModel):
    line: int
    number: str = Field(description="事業番号 as written in the row.")
    reasons: list[str] = Field(description="Each naming its column (Japanese; English on en).")


class PlanImportOut(BaseModel):
    dry_run: bool
    imported: bool = Field(description="Whether anything was written (never in a dry run).")
    import_id: UUID | None
    file: ImportedFileOut
    items: int = Field(description="Items the file records changes of.")
    new_items: int
    changes: int
    by_fiscal_year: list[YearOut]
    rows: list[ImportedRowOut]
    rejected: list[RefusedRowOut] = Field(
        description="Rows refused; when any is, nothing is (or would be) imported."
    )


def _row(c: ImportedChange) -> ImportedRowOut:
    item = c.change.item
    return ImportedRowOut(
        line=c.line,
        number=item.number,
        title=item.title,
        **owner(item.municipality),
        row_kind=c.row_kind,
        row_kind_label=ROW_KIND[c.row_kind],
        kind=c.change.kind,
        decided_on=c.decided_on,
        fiscal_year=c.fiscal_year,
        fiscal_year_label=fiscal_year_label(c.fiscal_year),
        version=item.version,
        changed_fields=c.change.changed_fields,
        changed_fields_label=labels.field_names(c.change.changed_fields),
        reason=c.reason,
    )


def plan_import(result: HistoryImport, language: Language) -> PlanImportOut:
    plan = result.plan
    return PlanImportOut(
        dry_run=result.dry_run,
        imported=result.imported,
        import_id=result.import_id,
        file=ImportedFileOut(name=plan.file, encoding=plan.encoding, rows=plan.rows),
        items=plan.items,
        new_items=plan.new_items,
        changes=len(plan.changes),
        by_fiscal_year=[
            YearOut(
                fiscal_year=y.fiscal_year,
                fiscal_year_label=fiscal_year_label(y.fiscal_year),
                added=y.added,
                revised=y.revised,
                retired=y.retired,
            )
            for y in plan.by_fiscal_year
        ],
        rows=sorted((_row(c) for c in plan.changes), key=lambda r: r.line),
        rejected=[
            RefusedRowOut(
                line=p.line, number=plan.number_on(p.line), reasons=p.reasons_in(language)
            )
            for p in plan.rejected
        ],
    )
