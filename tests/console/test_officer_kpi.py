"""A municipal officer of a small town reads their KPIs in the browser: cells of too few
people show 「―」, with the note saying why."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from tests.caseflow.conftest import opened
from tests.console.conftest import Stack
from tests.support.publish import publish
from tests.support.waiting import eventually

pytestmark = pytest.mark.slow


async def test_an_officer_of_a_small_town_reads_hidden_cells_with_the_note(
    stack: Stack, person: Any
) -> None:
    now = stack.caseflow_runtime.clock.now()
    cases = [opened(municipality="023035", opened_at=now) for _ in range(2)]  # 今別町
    await publish(stack.caseflow_runtime.kafka_bootstrap, cases, source="intake")
    await stack.account("imabetsu", "municipality", "今別 花子", municipality="今別町")

    async def both_registered() -> bool:
        return all([await stack.api("caseflow", f"/cases/{c.case_id}") is not None for c in cases])

    await eventually(both_registered)
    officer = await person()
    await officer.sign_in("imabetsu")
    await officer.open("/kpi")
    page = officer.page
    await expect(page.locator("#small-cells-note")).to_have_text(
        "3人未満の区分は、個人が特定されないよう「―」（秘匿）としています"
    )
    await expect(page.locator("#total-consultations")).to_have_text("0件")  # nobody: shown
    startup = page.locator("#by-track tr", has_text="創業支援")
    await expect(startup.locator("td").nth(1)).to_have_text("―")  # 新しい案件: 2 clients
    await expect(startup.locator("td").nth(2)).to_have_text("―")  # 相談者（実人数）
    region = await stack.api("caseflow", "/reports/kpi")
    assert region["by_municipality"]["023035"]["new_cases"] == 2  # a coordinator reads it
    await officer.keep("kpi-officer")
