"""`tosei import-plan-history FILE [--dry-run]`, as a coordinator runs it from a shell."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import asyncpg
import pytest

from tests.resilience.test_history_import import HISTORY_ROWS, history_csv
from tests.support.runtime import tool_on
from tosei_resilience.app import SERVICE
from tosei_resilience.cli import run_import_plan_history


async def tosei_import_plan_history(database: str, file: Path, *options: str) -> int:
    """Run the command's function as `tosei` would, on a worker thread (it runs its own loop)."""
    args = argparse.Namespace(file=file, dry_run="--dry-run" in options, by="cli:kikaku-sato")
    code: int = await asyncio.to_thread(run_import_plan_history, args, tool_on(database, SERVICE))
    return code


async def counted(database: str) -> tuple[int, int, int]:
    conn = await asyncpg.connect(database)
    try:
        row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM resilience.plan_items) AS i,"
            " (SELECT count(*) FROM resilience.plan_item_revisions WHERE source = 'import') AS r,"
            " (SELECT count(*) FROM resilience.outbox) AS o"
        )
    finally:
        await conn.close()
    assert row is not None
    return row["i"], row["r"], row["o"]


async def test_a_dry_run_then_the_import_then_the_same_file_again(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "計画の履歴.csv"
    history.write_bytes(history_csv(*HISTORY_ROWS, encoding="cp932"))

    assert await tosei_import_plan_history(cli_database, history, "--dry-run") == 0
    dry = capsys.readouterr()
    assert "試行 (dry run)" in dry.out
    assert "受理 accepted (would be imported): 10 changes of 4 items (4 new)" in dry.out
    assert "令和3年度 (FY2021): 追加 0  変更 1  廃止 0" in dry.out
    assert "計画の履歴.csv:5  No.1  改定  2021-04-01  進捗状況" in dry.out
    assert await counted(cli_database) == (0, 0, 0)

    assert await tosei_import_plan_history(cli_database, history) == 0
    real = capsys.readouterr()
    assert "受理 accepted (imported): 10 changes" in real.out
    assert "importing… 10/10 changes" in real.err
    assert await counted(cli_database) == (4, 10, 10)

    assert await tosei_import_plan_history(cli_database, history) == 1
    again = capsys.readouterr().out
    assert "却下 rejected: 10 — 何も取り込んでいません" in again
    assert "計画の履歴.csv:2  事業番号 1  事業番号: 事業番号1はすでに計画にあります" in again
    assert await counted(cli_database) == (4, 10, 10)


async def test_a_file_that_cannot_be_used_stops_everything_with_exit_2(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "plan.csv"
    wrong.write_text("事業名,決定日\r\n除雪,2021/4/1\r\n", encoding="utf-8")

    assert await tosei_import_plan_history(cli_database, wrong) == 2
    assert await tosei_import_plan_history(cli_database, tmp_path / "missing.csv") == 2
    err = capsys.readouterr().err
    assert "plan.csv: 見出し行に種別、事業番号がありません" in err
    assert "missing.csv: 読めません" in err
    assert "何も取り込みませんでした。" in err
