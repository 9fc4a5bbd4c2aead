"""`tosei import-legacy FILE... [--desk startup|sme] [--dry-run]`, as the desk runs it."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from tests.intake.helpers import payload
from tests.intake.test_handover_import import HEADER, STARTUP_DESK_CSV
from tests.support.runtime import fast_settings, running, tool_on
from tests.support.waiting import read_topic
from tosei_common.catalogue.intake import CASES
from tosei_common.devtools.devstack import TansuBroker
from tosei_intake.app import SERVICE
from tosei_intake.cli import run_import_legacy


async def tosei_import_legacy(database: str, *argv: str) -> int:
    """Run the command's function as `tosei` would, on a worker thread (it runs its own loop)."""
    args = argparse.Namespace(files=[Path(a) for a in argv if not a.startswith("--")],
                              desk=None, dry_run="--dry-run" in argv, by="desk:sato")  # fmt: skip
    for option in argv:
        if option.startswith("--desk="):
            args.desk = option.removeprefix("--desk=")

    code: int = await asyncio.to_thread(run_import_legacy, args, tool_on(database, SERVICE))
    return code


async def counted(database: str) -> tuple[int, int]:
    conn = await asyncpg.connect(database)
    try:
        row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM intake.consultations) AS c,"
            " (SELECT count(*) FROM intake.outbox) AS o"
        )
    finally:
        await conn.close()
    assert row is not None
    return row["c"], row["o"]


async def test_dry_run_then_import_then_again(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "startup_2020.csv"
    export.write_bytes(STARTUP_DESK_CSV)

    assert await tosei_import_legacy(cli_database, str(export), "--dry-run") == 1
    dry = capsys.readouterr().out
    assert "試行 (dry run)" in dry
    assert "受理 accepted (would be imported): 3" in dry
    assert "startup_2020.csv:5  受付日: 日付がありません" in dry
    assert "startup_2020.csv:7  市町村: 「弘前市」は東青圏域の市町村ではありません" in dry
    assert await counted(cli_database) == (0, 0)

    assert await tosei_import_legacy(cli_database, str(export)) == 1
    real = capsys.readouterr().out
    assert "受理 accepted (imported): 3" in real
    assert "却下 rejected: 3" in real
    # The events wait in the outbox for the intake service's relay.
    assert await counted(cli_database) == (3, 3)

    assert await tosei_import_legacy(cli_database, str(export)) == 1
    again = capsys.readouterr().out
    assert "受理 accepted (imported): 0" in again
    assert "取り込み済み already imported (skipped): 3" in again
    assert await counted(cli_database) == (3, 3)


async def test_the_imported_cases_go_out_when_the_intake_service_runs(
    cli_database: str, broker: TansuBroker, tmp_path: Path
) -> None:
    export = tmp_path / "startup.csv"
    export.write_bytes(STARTUP_DESK_CSV)
    assert await tosei_import_legacy(cli_database, str(export)) == 1

    async with running(
        SERVICE,
        fast_settings(),
        database_url=cli_database,
        bootstrap=broker.bootstrap,
        consume=False,
    ):
        records = await read_topic(broker.bootstrap, CASES.name, expect=3)
    assert sorted(payload(r)["origin"] for r in records) == ["startup_desk"] * 3
    assert await counted(cli_database) == (3, 3)


async def test_a_clean_file_exits_0_and_a_large_one_shows_progress(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        f"2020/9/{1 + i % 28},相談者 {i},事業所 {i},平内町,資金調達,運転資金の相談 {i},"
        f"工藤 次郎,対応中,017-755-{i:04d},"
        for i in range(250)
    ]
    export = tmp_path / "cases.csv"
    export.write_text("\r\n".join([HEADER, *rows]), encoding="utf-8-sig")

    assert await tosei_import_legacy(cli_database, str(export), "--desk=sme") == 0
    output = capsys.readouterr()
    assert "importing… 100/250 rows" in output.err
    assert "importing… 250/250 rows" in output.err
    assert "受理 accepted (imported): 250" in output.out
    assert await counted(cli_database) == (250, 250)


async def test_an_unusable_file_stops_everything_with_exit_2(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "startup.csv"
    good.write_bytes(STARTUP_DESK_CSV)
    wrong = tmp_path / "startup_names.csv"
    wrong.write_text("相談者名,電話番号\r\n山田 太郎,017-723-1111\r\n", encoding="utf-8")

    code = await tosei_import_legacy(
        cli_database, str(good), str(wrong), str(tmp_path / "nope.csv")
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "startup_names.csv: 見出し行に受付日、市町村がありません" in err
    assert "nope.csv: 読めません" in err
    assert "何も取り込みませんでした。" in err


def test_the_tosei_command_runs_it_and_exits_non_zero_on_rejected_rows(
    cli_database: str, tmp_path: Path
) -> None:
    export = tmp_path / "sme_cases.csv"
    export.write_bytes(STARTUP_DESK_CSV)
    tosei = Path(sys.executable).with_name("tosei")
    done = subprocess.run(
        [str(tosei), "import-legacy", str(export), "--desk", "startup", "--dry-run"],
        capture_output=True,
        text=True,
        env={**os.environ, "TOSEI_DATABASE_URL": cli_database, "TOSEI_DATA_DIR": str(tmp_path)},
        check=False,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "[cp932, startup desk]  6 rows" in done.stdout
    assert "sme_cases.csv:6  受付日: 「2021/2/30」は存在しない日付です" in done.stdout
