"""``tosei import-legacy FILE... [--desk startup|sme] [--dry-run]``: the hand-over, from a shell.

It writes to the database through the same handlers as the HTTP upload; the case.opened events
it adds to the outbox go out when the intake service's relay runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from tosei_common.platform.clock import SYSTEM_CLOCK
from tosei_common.platform.service import ToolContext
from tosei_common.region.said import Message
from tosei_intake.domain.import_report import ImportReport, render
from tosei_intake.domain.legacy import Desk, ParsedFile, parse_files
from tosei_intake.domain.legacy_words import HEADERS
from tosei_intake.handlers.imports import CHUNK, import_files

#: Exit codes: every row accepted; some rows rejected (the good ones were imported); nothing
#: could be done (a file unreadable, the wrong headers, no such file).
OK, ROWS_REJECTED, NOTHING_DONE = 0, 1, 2


def add_commands(sub: Any) -> None:
    """Add ``import-legacy`` to the ``tosei`` command."""
    command = sub.add_parser(
        "import-legacy",
        help="hand over the old desks' cases from their CSV/.xlsx exports",
        description=(
            "Import the old startup and SME desks' exports (CSV in UTF-8 or Shift_JIS/CP932, or "
            f".xlsx; headers {'、'.join(HEADERS)}). Every row is validated first; the report "
            "lists accepted rows, rejected rows with file:line and reason, and clients matched "
            "to existing ones. Exit status: 0 all rows accepted, 1 some rows rejected (the "
            "others were imported), 2 nothing done."
        ),
    )
    command.add_argument("files", nargs="+", type=Path, metavar="FILE")
    command.add_argument(
        "--desk",
        choices=[d.value for d in Desk],
        help="the old desk the files came from (default: told by each file's name)",
    )
    command.add_argument("--dry-run", action="store_true", help="validate and report only")
    command.add_argument(
        "--by", metavar="WHO", help="who is importing, recorded with every case (default: login)"
    )
    command.set_defaults(run_tool=run_import_legacy)


def run_import_legacy(args: argparse.Namespace, tool: ToolContext) -> int:
    desk = Desk(args.desk) if args.desk else None
    parsed, problems = read_files(args.files, desk, SYSTEM_CLOCK.today())
    if problems:
        for problem in problems:
            print(f"tosei import-legacy: {problem.ja}", file=sys.stderr)
        print("何も取り込みませんでした。", file=sys.stderr)
        return NOTHING_DONE
    actor = args.by or tool.actor

    async def run() -> ImportReport:
        async with tool.runtime_of("intake", application_name="tosei-import-legacy") as runtime:
            return await import_files(
                partial(runtime.unit_of_work, actor),
                parsed,
                dry_run=args.dry_run,
                pseudonym_secret=runtime.settings.pseudonym_secret,
                progress=_progress if sum(len(f.cases) for f in parsed) > CHUNK else None,
            )

    report = asyncio.run(run())
    print(render(report))
    return report.exit_code


def read_files(
    paths: list[Path], desk: Desk | None, today: date
) -> tuple[list[ParsedFile], list[Message]]:
    """Read and validate every file; the problems that stop the whole import."""
    given, problems = ToolContext.read_files(paths)
    parsed, refused = parse_files(given, desk, today=today)
    return parsed, problems + [p.message for p in refused]


def _progress(done: int, total: int) -> None:
    print(f"取り込み中 importing… {done}/{total} rows", file=sys.stderr, flush=True)
