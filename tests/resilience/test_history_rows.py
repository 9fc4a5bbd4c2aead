"""The history import's rows, read without a database: what each kind of row must say."""

from __future__ import annotations

import uuid
from datetime import date

from tests.resilience.test_history_import import HEADER, HISTORY_ROWS, history_csv
from tosei_common.region.exports import read_sheet
from tosei_resilience.domain.history_import import PlanLists, RowKind, plan_history
from tosei_resilience.domain.reference import PolicyArea, Scenario

LISTS = PlanLists(
    scenarios={
        code: Scenario(code, int(code[0]), name)
        for code, name in [
            ("1-3", "大規模地震・津波による多数の死傷者の発生"),
            ("1-6", "暴風雪及び豪雪による重大事故や交通途絶等に伴う多数の死傷者の発生"),
            ("2-1", "被災地での食料・飲料水・電力・燃料等、生命に関わる物資・エネルギー供給の停止"),
            ("4-1", "防災・災害対応に必要な通信インフラの麻痺・機能停止（情報通信の途絶）"),
        ]
    },
    areas={
        a.code: a
        for a in [
            PolicyArea("transport", "交通・物流", False),
            PolicyArea("communications", "情報通信", False),
            PolicyArea("health_welfare", "保健医療・福祉", False),
            PolicyArea("land_conservation", "国土保全", False),
        ]
    },
    programmes={},
)
TODAY = date(2026, 12, 2)


def planned(*rows: str, header: str = HEADER) -> dict[int, list[str]]:
    data = "\r\n".join([header, *rows]).encode("utf-8")
    plan = plan_history(read_sheet(data, "h.csv"), {}, LISTS, today=TODAY, new_id=uuid.uuid4)
    return {p.line: p.reasons_in("ja") for p in plan.rejected}


def test_the_whole_history_reads_with_no_problem() -> None:
    sheet = read_sheet(history_csv(*HISTORY_ROWS), "h.csv")
    plan = plan_history(sheet, {}, LISTS, today=TODAY, new_id=uuid.uuid4)
    assert plan.rejected == []
    assert [c.row_kind for c in plan.changes][:3] == [RowKind.ADOPTED] * 3
    assert [c.decided_on for c in plan.changes] == sorted(c.decided_on for c in plan.changes)


def test_headers_may_be_written_as_people_write_them() -> None:
    header = (
        "区分,決定年月日,No,変更理由,事業名,市町村,最悪の事態,施策分野,担当課,事業費,"
        "開始年度,終了年度,状況"
    )
    row = "策定,2020/12/25,No.1,,除雪機械の更新,平内,1-6,transport,建設課,4500万円,R3,R7,計画"
    refused = planned(row, header=header)
    assert refused == {
        2: [
            "概算事業費（円）: 「4500万円」は金額として読めません"
            "（45000000 のように円で入力してください）"
        ]
    }


def test_nothing_is_decided_before_the_plan_was_adopted() -> None:
    refused = planned(
        HISTORY_ROWS[0],
        "追加,2020/4/1,7,先行して追加,避難路の整備,平内町,1-3,国土保全,建設課,,2020,2021,計画",
        "策定,2020/12/26,8,,通信の多重化,青森市,4-1,情報通信,総務課,,2021,2022,計画",
    )
    assert refused == {
        3: ["決定日: 2020-04-01は計画の策定（2020-12-25）より前です"],
        4: ["決定日: 計画の策定日は一つです（最初の策定の行は2020-12-25）"],
    }


def test_a_retirement_row_changes_nothing_else_and_says_why_it_ends() -> None:
    refused = planned(
        HISTORY_ROWS[0],
        "廃止,2022/4/1,1,事業完了,冬期道路交通確保のための除雪機械の更新,,,,,60000000,,,,,事業完了",
        "廃止,2022/4/1,1,分割,,,,,,,,,,,分割",
    )
    assert refused[3] == [
        "概算事業費（円）: 廃止の行では事業の内容は変えられません"
        "（変わった内容は、前に改定の行を置いて記録してください）"
    ]
    assert refused[4][0].startswith("廃止理由: 分割・統合は取り込めません")


def test_a_status_that_cannot_follow_is_refused_naming_the_column() -> None:
    refused = planned(
        HISTORY_ROWS[0],
        "改定,2021/4/1,1,完了,,,,,,,,,完了,,",
        "改定,2022/4/1,1,見直し,,,,,,,,,計画,,",
        "改定,2023/4/1,1,見直し,,,,,,,,,実施中,,",
    )
    assert refused[4] == [
        "進捗状況: 計画事業 No.1「冬期道路交通確保のための除雪機械の更新」の進捗状況は"
        "完了（done）から計画（planned）には変えられません"
    ]
    assert refused[5] == [
        "事業番号: 事業番号1の前の行（4行目）に問題があるため、この行は確かめていません"
    ]
