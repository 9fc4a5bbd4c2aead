"""docs/personal-data.md, the register entries a municipality's privacy officer reads, is what the
services' declarations generate: `make test` fails when someone changes one without the other."""

from __future__ import annotations

from pathlib import Path

import pytest

from tosei_common.devtools.cli import main
from tosei_common.platform.personal_data_doc import render_register, stale_register
from tosei_common.platform.service import discover_services

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "personal-data.md"
SERVICES = discover_services()


def test_the_committed_document_is_what_the_declarations_generate() -> None:
    assert stale_register(SERVICES, DOCUMENT) == [], "run `make personal-data` and commit it"


def test_a_stale_document_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "personal-data.md"
    stale.write_text(
        render_register(SERVICES).replace("案件の終結から5年", "案件の終結から10年"), "utf-8"
    )

    assert stale_register(SERVICES, stale) == [
        f"{stale} differs from the services' personal-data declarations"
    ]
    assert main(["personal-data", "--check", str(stale)]) == 1
    assert "make personal-data" in capsys.readouterr().err


def test_writing_the_document_makes_the_check_pass(tmp_path: Path) -> None:
    written = tmp_path / "personal-data.md"

    assert main(["personal-data", "--check", str(written)]) == 1  # missing
    assert main(["personal-data", "--write", str(written)]) == 0
    assert main(["personal-data", "--check", str(written)]) == 0


def test_every_file_has_each_item_the_register_asks_for() -> None:
    text = DOCUMENT.read_text("utf-8")
    files = [f for s in SERVICES.values() if s.personal_data for f in s.personal_data.files]
    assert {f.name for f in files} >= {
        "経営相談記録ファイル（相談者・相談）",
        "経営相談の支援記録ファイル（案件・面談）",
        "在宅医療・介護連携研修会 参加申込者ファイル",
    }
    for personal_file in files:
        section = text.split(f". {personal_file.name}\n", 1)[1].split("\n## ", 1)[0]
        for label in (
            "利用目的",
            "記録項目",
            "記録範囲",
            "収集元",
            "収集方法",
            "保存期間",
            "提供先",
        ):
            assert f"| {label} | " in section, (personal_file.name, label)
        assert personal_file.items, personal_file.name
    assert "イベントには氏名・電話番号・メールアドレス" in text
