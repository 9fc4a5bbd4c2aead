"""``tosei import-plan-history FILE [--dry-run] [--by WHO]``: the plan's past, from a shell.

It goes through the same handler as ``POST /plan-imports``; the plan_item events it adds to the
outbox go out when the resilience service's relay runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from functools import partial
from pathlib import Path
from typing import Any

from tosei_common.platform.errors import Unprocessable
from tosei_common.platform.service import ToolContext
from tosei_common.region.fiscal import fiscal_year_label
from tosei_resilience.domain.history_import import (
    HEADERS,
    ROW_KIND,
    HistoryPlan,
    HistoryRefused,
)
from tosei_resilience.domain.labels import field_names
from tosei_resilience.handlers.plan_imports import import_sheet, read

#: Exit codes: recorded (or, in a dry run, every row would be); rows refused (nothing
#: recorded); nothing could be done (no such file, unreadable, the wrong headers).
OK, ROWS_REJECTED, NOTHING_DONE = 0, 1, 2
#: Progress is told every this many changes.
CHUNK = 50


def add_commands(sub: Any) -> None:
    """Add ``import-plan-history`` to the ``tosei`` command."""
    command = sub.add_parser(
        "import-plan-history",
        help="import the resilience plan's history (adopted plan and yearly revisions)",
        description=(
            "Import the plan as adopted and every later decision about its items from one "
            f"CSV (UTF-8 or Shift_JIS/CP932) or .xlsx sheet; headers {'、'.join(HEADERS)}. Every "
            "row is checked first; one refused row and nothing is recorded. Each revision is "
            "dated on its 決定日 and marked as imported. Exit status: 0 recorded (or, with "
            "--dry-run, all rows good), 1 rows refused, 2 nothing done."
        ),
    )
    command.add_argument("file", type=Path, metavar="FILE")
    command.add_argument("--dry-run", action="store_true", help="check and report only")
    command.add_argument(
        "--by",
        metavar="WHO",
        help="who is importing, recorded with every revision (default: login)",
    )
    command.set_defaults(run_tool=run_import_plan_history)


def run_import_plan_history(args: argparse.Namespace, tool: ToolContext) -> int:
    given, problems = tool.read_files([args.file])
    if problems:
        return _nothing_done(problems[0].ja)
    [(name, data)] = given
    try:
        sheet = read(name, data)
    except Unprocessable as exc:
        return _nothing_done(exc.message.ja)
    actor = args.by or tool.actor

    async def run() -> HistoryPlan:
        async with tool.runtime_of("resilience", application_name="tosei-import-plan") as rt:
            done = await import_sheet(
                partial(rt.unit_of_work, actor), sheet, dry_run=args.dry_run, progress=_progress
            )
            return done.plan

    try:
        plan = asyncio.run(run())
    except HistoryRefused as refused:
        print(render(refused.plan, dry_run=args.dry_run, recorded=False))
        return ROWS_REJECTED
    except Unprocessable as exc:
        return _nothing_done(exc.message.ja)
    print(render(plan, dry_run=args.dry_run, recorded=not args.dry_run and not plan.rejected))
    return ROWS_REJECTED if plan.rejected else OK


def render(plan: HistoryPlan, *, dry_run: bool, recorded: bool) -> str:
    """The report as a coordinator reads it in a terminal."""
    title = "国土強靱化地域計画の履歴の取り込み (plan history import)"
    lines = [title + ("  ― 試行 (dry run): 何も書き込んでいません" if dry_run else "")]
    lines.append(f"  {plan.file}  [{plan.encoding}]  {plan.rows} rows")
    if plan.rejected:
        lines.append(
            f"却下 rejected: {len(plan.rejected)} — 何も取り込んでいません (nothing imported)"
        )
        lines += [f"    {plan.file}:{p.line}  事業番号 {plan.number_on(p.line)}  "
                  f"{'; '.join(p.reasons_in('ja'))}" for p in plan.rejected]  # fmt: skip
        return "\n".join(lines)
    verb = "imported" if recorded else "would be imported"
    lines.append(
        f"受理 accepted ({verb}): {len(plan.changes)} changes of {plan.items} items "
        f"({plan.new_items} new)"
    )
    for year in plan.by_fiscal_year:
        lines.append(
            f"  {fiscal_year_label(year.fiscal_year)} (FY{year.fiscal_year}): 追加 {year.added}"
            f"  変更 {year.revised}  廃止 {year.retired}"
        )
    for c in sorted(plan.changes, key=lambda c: c.line):
        fields = field_names(c.change.changed_fields)
        lines.append(
            f"    {plan.file}:{c.line}  No.{c.change.item.number}  {ROW_KIND[c.row_kind]}"
            f"  {c.decided_on.isoformat()}{'  ' + fields if fields else ''}"
        )
    return "\n".join(lines)


def _progress(done: int, total: int) -> None:
    if done % CHUNK == 0 or done == total:
        print(f"取り込み中 importing… {done}/{total} changes", file=sys.stderr, flush=True)


def _nothing_done(said: str) -> int:
    print(f"tosei import-plan-history: {said}", file=sys.stderr)
    print("何も取り込みませんでした。", file=sys.stderr)
    return NOTHING_DONE
