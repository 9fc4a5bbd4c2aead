"""The KPI report over two fiscal years from the real read model, replay equality, and fuzzing."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import pytest

from tests.caseflow.conftest import AUDITOR, COORDINATOR, Desk, expert_token
from tests.support.auth import bearer
from tests.support.fuzz import server_errors
from tests.support.publish import publish
from tests.support.runtime import fast_settings
from tests.support.waiting import eventually
from tosei_caseflow.app import SERVICE
from tosei_caseflow.domain.cases import OutcomeInput, SessionInput
from tosei_caseflow.handlers import cases
from tosei_common.catalogue.caseflow import CaseState, OutcomeType, SessionMode, TransferReason
from tosei_common.catalogue.intake import (
    BusinessStage,
    Category,
    ClientsMerged,
    ClientsUnmerged,
    ConsultationCorrected,
    Origin,
)
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.http import build_app
from tosei_common.platform.principal import Principal, Role
from tosei_common.platform.replay import replay_service
from tosei_common.platform.service import Runtime
from tosei_common.platform.unit_of_work import UnitOfWork

pytestmark = pytest.mark.slow


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)


def expert(expert_id: str) -> Principal:
    return Principal(subject=expert_id, role=Role.EXPERT)


@asynccontextmanager
async def on(rt: Runtime, day: str, who: Principal) -> AsyncIterator[UnitOfWork]:
    """A unit of work of ``who`` at 10:00 UTC of ``day``: what it records is dated then."""
    assert isinstance(rt.clock, SettableClock)
    rt.clock.set(at(day))
    async with rt.unit_of_work(who) as uow:
        yield uow


async def meet(rt: Runtime, who: str, case_id: str, held_on: str) -> None:
    async with on(rt, held_on, expert(who)) as uow:
        await cases.record_session(
            uow,
            expert(who),
            uuid.UUID(case_id),
            SessionInput(
                date.fromisoformat(held_on), SessionMode.IN_PERSON, 60, "面談", None, None
            ),
        )


async def test_the_kpi_report_over_two_fiscal_years_matches_hand_counted_figures(
    desk: Desk, caseflow: Runtime
) -> None:
    s = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    m = await desk.expert("高橋 美咲", "sme", ["sales_channels"])
    p, q = uuid.uuid4(), uuid.uuid4()

    async def opened_on(day: str, **fields: Any) -> str:
        """The case opens, and triage assigns it, on ``day``."""
        assert isinstance(caseflow.clock, SettableClock)
        caseflow.clock.set(at(day))
        return await desk.open_case(opened_at=at(day), **fields)

    x1 = await opened_on("2021-03-20", client_id=p, municipality="022012")
    x2 = await opened_on(
        "2021-04-02",
        client_id=p,
        stage=BusinessStage.ESTABLISHED,
        categories=(Category.SALES_CHANNELS,),
        municipality="023078",
    )
    x3 = await opened_on("2022-03-31", client_id=q, municipality="023019")
    assert [(await desk.case(c))["expert_id"] for c in (x1, x2, x3)] == [s, m, s]

    await meet(caseflow, s, x1, "2021-03-25")
    await meet(caseflow, s, x1, "2021-04-15")
    founded = OutcomeInput(OutcomeType.FOUNDED, date(2021, 5, 10), None, "開業")
    async with on(caseflow, "2021-05-12", expert(s)) as uow:
        await cases.record_outcome(uow, expert(s), uuid.UUID(x1), founded)
    async with on(caseflow, "2021-06-01", expert(s)) as uow:
        await cases.change_state(uow, expert(s), uuid.UUID(x1), CaseState.RESOLVED, None, None)
    async with on(caseflow, "2021-06-02", expert(s)) as uow:
        await cases.change_state(uow, expert(s), uuid.UUID(x1), CaseState.CLOSED, None, 4)
    await meet(caseflow, m, x2, "2021-04-05")
    async with on(caseflow, "2021-05-01", expert(m)) as uow:
        await cases.transfer(
            uow, expert(m), uuid.UUID(x2), uuid.UUID(s), TransferReason.OTHER, "引継ぎ"
        )
    await meet(caseflow, s, x2, "2021-05-10")
    await meet(caseflow, s, x3, "2022-04-01")

    fy2021 = (
        await desk.client.get("/reports/kpi", params={"fiscal_year": "令和3年度"}, headers=AUDITOR)
    ).json()
    assert fy2021["label"] == "令和3年度 (FY2021)"
    total = fy2021["total"]
    assert total["consultations"] == 3
    assert total["new_cases"] == 2
    assert (total["distinct_clients"], total["repeat_clients"]) == (2, 1)
    assert total["founders"] == 1
    assert (total["satisfaction_ratings"], total["satisfaction_average"]) == (1, 4.0)
    assert total["transfers"] == 1
    assert total["median_days_to_first_session"] == 2.0  # x2: 3 days, x3: 1 day
    assert fy2021["by_track"]["startup"]["consultations"] == 2
    assert fy2021["by_track"]["sme"]["consultations"] == 1
    assert fy2021["months"]["2021-04"]["consultations"] == 2
    assert fy2021["by_municipality"]["023078"]["name"] == "外ヶ浜町"
    assert fy2021["baseline"]["tracks"]["startup"]["founders"] == {
        "value": 1, "baseline": 20, "ratio": 0.05,
    }  # fmt: skip

    fy2020 = (
        await desk.client.get("/reports/kpi", params={"fiscal_year": "2020"}, headers=COORDINATOR)
    ).json()
    assert (fy2020["total"]["consultations"], fy2020["total"]["new_cases"]) == (1, 1)
    assert fy2020["total"]["median_days_to_first_session"] == 5.0

    download = await desk.client.get(
        "/reports/kpi.csv", params={"fiscal_year": "R3"}, headers=COORDINATOR
    )
    assert download.status_code == 200
    assert download.content.startswith(b"\xef\xbb\xbf")
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["区分", "項目", "令和3年度 (FY2021)"]
    assert rows[0][3] == "4月"
    assert rows[0][-2] == "3月"
    by_label = {(r[0], r[1]): r for r in rows[1:]}
    assert by_label[("全体", "相談件数")][2] == "3"
    assert by_label[("全体", "創業者数")][2] == "1"
    assert by_label[("支援区分:創業支援", "創業者数")][-1] == "20"
    # the FY2019 column on every row that compares: the whole desk is both old desks together
    assert by_label[("全体", "相談件数")][-1] == "744"
    assert by_label[("全体", "創業者数")][-1] == "20"
    # breakdowns month by month: x2's sessions in April (SME, then startup after the transfer)
    april = rows[0].index("4月")
    assert by_label[("支援区分:経営支援", "相談件数")][april] == "1"
    assert by_label[("支援区分:創業支援", "相談件数")][april + 1] == "1"  # May, after the move
    assert by_label[("市町村:外ヶ浜町", "新規案件数")][april] == "1"
    assert by_label[("新規案件の受付元", "経営の総合相談窓口")][2] == "2"
    assert by_label[("満足度の分布", "満足度4")][2] == "1"
    assert by_label[("相談区分:販路開拓", "新規案件数")][2] == "1"
    # the JSON says the words for codes too
    assert fy2021["by_category"]["sales_channels"]["label"] == "販路開拓"
    assert fy2021["by_track"]["sme"]["label"] == "中小企業経営支援"

    bad = await desk.client.get("/reports/kpi", params={"fiscal_year": "来年"}, headers=COORDINATOR)
    assert bad.status_code == 422


DERIVED = {
    "cases": "SELECT * FROM {s}.cases ORDER BY case_id",
    "case_experts": "SELECT * FROM {s}.case_experts ORDER BY case_id, since",
    "case_timeline": "SELECT event_id, case_id, kind, at, facts FROM {s}.case_timeline"
    " ORDER BY case_id, at, seq",
    "sessions": "SELECT * FROM {s}.sessions ORDER BY session_id",
    "referrals": "SELECT * FROM {s}.referrals ORDER BY referral_id",
    "outcomes": "SELECT * FROM {s}.outcomes ORDER BY outcome_id",
    "journal": "SELECT * FROM {s}.journal ORDER BY event_id",
    "experts": "SELECT * FROM {s}.experts ORDER BY expert_id",
}


async def snapshot(db: asyncpg.Connection, schema: str) -> dict[str, list[tuple[Any, ...]]]:
    return {
        name: [tuple(r) for r in await db.fetch(q.format(s=schema))] for name, q in DERIVED.items()
    }


async def test_replay_rebuilds_exactly_the_live_state(
    desk: Desk,
    caseflow: Runtime,
    broker: TansuBroker,
    database_url: str,
    schema: str,
    db: asyncpg.Connection,
) -> None:
    s = await desk.expert("佐藤 健一", "startup", ["founding_plan", "financing"])
    m = await desk.expert("高橋 美咲", "sme", ["sales_channels"])
    external = await desk.external_expert("中村 由美", "financing")
    cases = [await desk.open_case() for _ in range(3)]
    cases.append(
        await desk.open_case(stage=BusinessStage.ESTABLISHED, categories=(Category.SALES_CHANNELS,))
    )
    today = caseflow.clock.today().isoformat()
    session = {"held_on": today, "mode": "online", "duration_minutes": 45, "minutes": "議事録"}
    for case_id in cases[:3]:
        assert (
            await desk.post(f"/cases/{case_id}/sessions", session, expert_token(s))
        ).status_code == 201
    await desk.post(
        f"/cases/{cases[0]}/transfer",
        {"to_expert_id": m, "reason": "stage_changed", "handover_note": "経営支援へ"},
        expert_token(s),
    )
    referral = await desk.post(
        f"/cases/{cases[1]}/referrals", {"external_expert_id": external}, expert_token(s)
    )
    await desk.post(
        f"/cases/{cases[1]}/referrals/{referral.json()['referral_id']}",
        {"status": "accepted"},
        expert_token(s),
    )
    await desk.post(
        f"/cases/{cases[2]}/outcomes", {"type": "founded", "achieved_on": today}, expert_token(s)
    )
    await desk.post(f"/cases/{cases[2]}/transitions", {"to": "resolved"}, expert_token(s))
    await desk.post(
        f"/cases/{cases[2]}/transitions", {"to": "closed", "satisfaction": 5}, expert_token(s)
    )
    await desk.post(f"/cases/{cases[3]}/assign", {"expert_id": s}, COORDINATOR)

    async def all_published() -> bool:
        async with caseflow.pool.acquire() as conn:
            return bool(
                await conn.fetchval("SELECT count(*) = 0 FROM outbox WHERE published_at IS NULL")
            )

    await eventually(all_published)
    live = await snapshot(db, schema)
    assert len(live["case_timeline"]) > 15

    lines: list[str] = []
    code = await replay_service(
        SERVICE,
        fast_settings(),
        database_url=database_url,
        kafka_bootstrap=broker.bootstrap,
        live_schema=schema,
        into=f"{schema}_re",
        out=lines.append,
    )
    assert code == 0, lines
    rebuilt = await snapshot(db, f"{schema}_re")
    for table in DERIVED:
        assert rebuilt[table] == live[table], table
    # nothing was decided again while replaying: no new events in the rebuilt outbox
    assert await db.fetchval(f"SELECT count(*) FROM {schema}_re.outbox") == 0


async def test_fuzzing_the_api_finds_no_server_error(desk: Desk, caseflow: Runtime) -> None:
    s = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    await desk.open_case()
    app = build_app(caseflow)
    assert await server_errors(app, COORDINATOR, max_examples=15) == []
    assert await server_errors(app, expert_token(s), max_examples=10) == []


async def test_merged_clients_count_as_one_client(desk: Desk, broker: TansuBroker) -> None:
    await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    survivor, duplicate = uuid.uuid4(), uuid.uuid4()
    first = await desk.open_case(client_id=survivor)
    second = await desk.open_case(client_id=duplicate)
    merged = ClientsMerged(
        client_id=survivor,
        merged_client_id=duplicate,
        case_ids=[uuid.UUID(second)],
        merged_at=desk.rt.clock.now(),
    )
    await publish(broker.bootstrap, [merged], source="intake")

    async def moved() -> bool:
        return bool((await desk.case(second))["client_id"] == str(survivor))

    await eventually(moved)
    assert (await desk.case(first))["client_id"] == str(survivor)
    # a case of the duplicate that arrives after the merge (as in a replay) joins the survivor
    late = await desk.open_case(client_id=duplicate)
    assert (await desk.case(late))["client_id"] == str(survivor)
    report = await desk.client.get(
        "/reports/kpi",
        params={"fiscal_year": str(desk.rt.clock.fiscal_year())},
        headers=COORDINATOR,
    )
    assert report.json()["total"]["distinct_clients"] == 1


async def test_a_municipal_officer_reads_their_own_town_s_kpis_and_no_other(desk: Desk) -> None:
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    aomori = [await desk.open_case(municipality="022012") for _ in range(3)]
    await desk.open_case(municipality="023035")  # 今別町
    for case_id in aomori:
        held = await desk.post(
            f"/cases/{case_id}/sessions",
            {"held_on": desk.rt.clock.today().isoformat(), "mode": "in_person",
             "duration_minutes": 30},
            expert_token(expert),
        )  # fmt: skip
        assert held.status_code == 201, held.text
    officer = bearer("municipality", "aomori-1", municipality="青森市")
    mine = await desk.client.get("/reports/kpi?fiscal_year=2026", headers=officer)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["municipality"] == {"code": "022012", "name": "青森市"}
    assert (body["total"]["new_cases"], body["total"]["consultations"]) == (3, 3)
    assert list(body["by_municipality"]) == ["022012"]
    csv_download = await desk.client.get("/reports/kpi.csv?fiscal_year=2026", headers=officer)
    assert csv_download.status_code == 200
    region = (await desk.client.get("/reports/kpi?fiscal_year=2026", headers=COORDINATOR)).json()
    assert (region["municipality"], region["total"]["new_cases"]) == (None, 4)
    imabetsu = bearer("municipality", "imabetsu-1", municipality="今別町")
    theirs = (await desk.client.get("/reports/kpi?fiscal_year=2026", headers=imabetsu)).json()
    assert (theirs["total"]["new_cases"], theirs["total"]["consultations"]) == (None, 0)
    refused = await desk.client.get("/reports/kpi?fiscal_year=2026", headers=expert_token(expert))
    assert refused.status_code == 403
    assert "市町村の職員" in refused.json()["message"]


async def test_an_officer_of_a_small_town_reads_few_clients_as_hidden_cells(desk: Desk) -> None:
    """今別町 had two clients: its officer reads 「―」 (null) where they would be counted, with
    the note; coordinators read the numbers."""
    await desk.open_case(municipality="023035", origin=Origin.NEW_DESK)
    await desk.open_case(municipality="023035", origin=Origin.NEW_DESK)
    for _ in range(3):
        await desk.open_case(municipality="022012")
    month = desk.rt.clock.today().strftime("%Y-%m")
    year = {"fiscal_year": str(desk.rt.clock.fiscal_year())}
    officer = bearer("municipality", "imabetsu-1", municipality="今別町")

    theirs = (await desk.client.get("/reports/kpi", params=year, headers=officer)).json()
    total = theirs["total"]
    assert (total["new_cases"], total["distinct_clients"]) == (None, None)
    assert total["new_cases_by_origin"] == {"new_desk": None}
    assert total["consultations"] == 0  # nobody is shown: it names nobody
    assert {"new_cases", "distinct_clients", "new_cases_by_origin.new_desk"} <= set(
        total["suppressed"]
    )
    assert theirs["months"][month]["new_cases"] is None
    assert theirs["by_municipality"]["023035"]["new_cases"] is None
    assert theirs["by_track"]["startup"]["new_cases"] is None
    assert theirs["small_cells"] == {
        "threshold": 3,
        "note": "3人未満の区分は、個人が特定されないよう「―」（秘匿）としています",
    }
    sheet = await desk.client.get("/reports/kpi.csv", params=year, headers=officer)
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    cases_row = next(r for r in rows if r[:2] == ["全体", "新規案件数"])
    assert cases_row[2] == "―"
    town_row = next(r for r in rows if r[:2] == ["市町村:今別町", "新規案件数"])
    assert town_row[2] == "―"
    assert rows[-1][:2] == ["注記", theirs["small_cells"]["note"]]
    assert "2" not in {cell for row in rows for cell in row[2:14]}

    region = (await desk.client.get("/reports/kpi", params=year, headers=COORDINATOR)).json()
    town = region["by_municipality"]["023035"]
    assert (town["new_cases"], town["distinct_clients"]) == (2, 2)
    assert "suppressed" not in town
    assert "small_cells" not in region
    aomori = bearer("municipality", "aomori-1", municipality="青森市")
    shown = (await desk.client.get("/reports/kpi", params=year, headers=aomori)).json()
    assert shown["total"]["new_cases"] == 3
    assert "new_cases" not in shown["total"]["suppressed"]
    coordinator_sheet = await desk.client.get("/reports/kpi.csv", params=year, headers=COORDINATOR)
    assert "―" not in coordinator_sheet.content.decode("utf-8-sig")


async def test_kpis_over_two_years_with_a_correction_a_void_an_unmerge_and_a_transfer(
    desk: Desk, caseflow: Runtime, broker: TansuBroker
) -> None:
    """Hand-counted: FY2025 and FY2026 (令和7・8年度) of four cases, with what staff get wrong
    and put right — a town corrected at intake, a session voided, a merge undone — and a
    founding recorded after its case moved from the startup to the SME experts."""
    s = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    m = await desk.expert("高橋 美咲", "sme", ["sales_channels"])
    p, q, r, r2 = (uuid.uuid4() for _ in range(4))
    clock = caseflow.clock
    assert isinstance(clock, SettableClock)

    async def opened_on(day: str, **fields: Any) -> str:
        clock.set(at(day))
        return await desk.open_case(opened_at=at(day), **fields)

    planning = {"stage": BusinessStage.PLANNING, "categories": (Category.FOUNDING_PLAN,)}
    selling = {"stage": BusinessStage.ESTABLISHED, "categories": (Category.SALES_CHANNELS,)}
    a1 = await opened_on("2025-06-02", client_id=p, municipality="022012", **planning)
    a2 = await opened_on("2026-03-20", client_id=q, municipality="023019", **planning)
    a3 = await opened_on("2026-05-01", client_id=r, municipality="023035", **planning)
    a4 = await opened_on("2026-07-01", client_id=r2, municipality="023035", **selling)
    assert [(await desk.case(c))["expert_id"] for c in (a1, a2, a3, a4)] == [s, s, s, m]

    await meet(caseflow, s, a1, "2025-06-10")
    await meet(caseflow, s, a1, "2025-07-01")
    founded_a1 = OutcomeInput(OutcomeType.FOUNDED, date(2025, 9, 1), None, None)
    async with on(caseflow, "2025-09-02", expert(s)) as uow:
        await cases.record_outcome(uow, expert(s), uuid.UUID(a1), founded_a1)
    await meet(caseflow, s, a2, "2026-03-25")
    await meet(caseflow, s, a2, "2026-04-10")
    await meet(caseflow, s, a2, "2026-04-11")  # typed on the wrong case …
    wrong = (await desk.case(a2))["sessions"][-1]["session_id"]
    async with on(caseflow, "2026-04-12", expert(s)) as uow:  # … and voided the next day
        await cases.void_session(uow, expert(s), uuid.UUID(a2), uuid.UUID(wrong), "別の案件")
    await meet(caseflow, s, a3, "2026-05-10")
    async with on(caseflow, "2026-06-01", expert(s)) as uow:
        await cases.transfer(
            uow, expert(s), uuid.UUID(a3), uuid.UUID(m), TransferReason.STAGE_CHANGED, "販路へ"
        )
    founded_a3 = OutcomeInput(OutcomeType.FOUNDED, date(2026, 5, 20), None, "5月に開業していた")
    async with on(caseflow, "2026-06-05", expert(m)) as uow:
        await cases.record_outcome(uow, expert(m), uuid.UUID(a3), founded_a3)
    await meet(caseflow, m, a4, "2026-07-02")

    clock.set(at("2026-07-20"))
    corrected = ConsultationCorrected(
        case_id=uuid.UUID(a2),
        municipality="023078",
        stage=BusinessStage.PLANNING,
        categories=[Category.FOUNDING_PLAN],
        corrected_at=at("2026-07-20"),
    )
    merged = ClientsMerged(
        client_id=r, merged_client_id=r2, case_ids=[uuid.UUID(a4)], merged_at=at("2026-07-05")
    )
    unmerged = ClientsUnmerged(
        client_id=r, unmerged_client_id=r2, case_ids=[uuid.UUID(a4)], unmerged_at=at("2026-07-10")
    )
    await publish(broker.bootstrap, [corrected], source="intake")
    await publish(broker.bootstrap, [merged, unmerged], source="intake")

    async def settled() -> bool:
        a2_now, a4_now = await desk.case(a2), await desk.case(a4)
        kinds = [e["kind"] for e in a2_now["timeline"]]
        return "corrected" in kinds and a4_now["client_id"] == str(r2)

    async def report(year: int) -> dict[str, Any]:
        answer = await desk.client.get(f"/reports/kpi?fiscal_year={year}", headers=COORDINATOR)
        body: dict[str, Any] = answer.json()
        return body

    await eventually(settled, timeout=30)
    await eventually(lambda: _distinct(report(2026), 3), timeout=30)

    fy2025, fy2026 = await report(2025), await report(2026)
    t25, t26 = fy2025["total"], fy2026["total"]
    assert (t25["consultations"], t25["new_cases"], t25["founders"]) == (3, 2, 1)
    assert (t25["distinct_clients"], t25["repeat_clients"]) == (2, 1)  # P on two days
    assert (t26["consultations"], t26["new_cases"], t26["founders"]) == (3, 2, 1)  # void out
    assert (t26["distinct_clients"], t26["repeat_clients"]) == (3, 0)  # R and R2: two people
    assert t26["transfers"] == 1
    assert fy2026["by_track"]["startup"]["founders"] == 1  # founded on the startup track
    assert fy2026["by_track"]["sme"]["founders"] == 0
    tracks = fy2026["by_track"]
    assert (tracks["startup"]["consultations"], tracks["sme"]["consultations"]) == (2, 1)
    # the corrected town: a2 counts for 外ヶ浜町 in both years, 平内町 has nothing
    assert fy2025["by_municipality"]["023078"]["new_cases"] == 1
    assert fy2026["by_municipality"]["023078"]["consultations"] == 1
    assert "023019" not in fy2025["by_municipality"]
    assert fy2026["by_municipality"]["023035"]["consultations"] == 2
    assert all(
        value >= 0
        for figures in (t25, t26)
        for value in figures.values()
        if isinstance(value, int | float)
    )


async def _distinct(report: Awaitable[dict[str, Any]], expected: int) -> bool:
    return bool((await report)["total"]["distinct_clients"] == expected)
