"""What the resilience service holds about people: none of its tables is about a person; officers
who change the plan are recorded by their ``role:subject`` (docs/personal-data.md is generated
from this, and tests/common/test_personal_data.py checks every column is classified here)."""

from __future__ import annotations

from tosei_common.platform.personal_data import (
    ServiceRegister,
    Table,
    not_personal,
    pseudonym,
    staff,
)

REGISTER = ServiceRegister(
    service="resilience",
    declared_in=__name__,
    other_tables=(
        Table(
            "plan_items",
            "国土強靱化地域計画の事業（現在の内容）",
            {
                "id": pseudonym("事業ID"),
                "number": not_personal("事業番号"),
                "municipality": not_personal("市町村コード"),
                "status": not_personal("状態"),
                "funding_programmes": pseudonym("財源の制度ID"),
                "version": not_personal("版"),
                "state": not_personal("事業の内容（名称・所管課・事業費・指標など）"),
                "added_at": not_personal("追加日時"),
                "updated_at": not_personal("更新日時"),
            },
        ),
        Table(
            "plan_item_revisions",
            "事業の改訂の履歴",
            {
                "seq": not_personal("記録順"),
                "item_id": pseudonym("事業ID"),
                "version": not_personal("版"),
                "kind": not_personal("改訂の種類"),
                "changed_fields": not_personal("変更した項目"),
                "changes": not_personal("変更前後の値（事業の内容）"),
                "snapshot": not_personal("改訂後の事業の内容"),
                "municipality": not_personal("市町村コード"),
                "reason": not_personal("改訂の理由"),
                "actor": staff("改訂した職員"),
                "recorded_at": not_personal("記録日時"),
                "fiscal_year": not_personal("年度"),
                "source": not_personal("記録の出どころ（入力・取込）"),
                "import_id": pseudonym("履歴の取込ID"),
                "imported_at": not_personal("取込日時"),
            },
        ),
        Table(
            "funding_programmes",
            "財源となる国の制度（交付金・補助金）",
            {
                "id": pseudonym("制度ID"),
                "name": not_personal("制度の名称"),
                "ministry": not_personal("所管の省庁"),
                "condition": not_personal("要件"),
                "condition_note": not_personal("要件の補足"),
                "effective_from_fiscal_year": not_personal("適用開始年度"),
                "version": not_personal("版"),
                "updated_at": not_personal("更新日時"),
                "updated_by": staff("更新した職員"),
            },
        ),
        Table(
            "funding_programme_revisions",
            "財源の制度の改訂の履歴",
            {
                "seq": not_personal("記録順"),
                "programme_id": pseudonym("制度ID"),
                "version": not_personal("版"),
                "change": not_personal("改訂の種類"),
                "changes": not_personal("変更前後の値"),
                "snapshot": not_personal("改訂後の内容"),
                "reason": not_personal("改訂の理由"),
                "actor": staff("改訂した職員"),
                "recorded_at": not_personal("記録日時"),
            },
        ),
        Table(
            "review_flags",
            "財源の要件が変わり、見直しが必要な事業",
            {
                "id": pseudonym("見直しID"),
                "item_id": pseudonym("事業ID"),
                "programme_id": pseudonym("制度ID"),
                "programme_version": not_personal("制度の版"),
                "changed_fields": not_personal("変わった要件"),
                "flagged_at": not_personal("記録日時"),
                "resolved_at": not_personal("確認日時"),
                "resolved_by": staff("確認した職員"),
                "resolution_note": not_personal("確認の内容"),
            },
        ),
        Table(
            "feed_bookmarks",
            "変更一覧をどこまで読んだか（読む人ごと）",
            {
                "reader": staff("読む人の識別子"),
                "seen_up_to": not_personal("読んだ位置"),
                "updated_at": not_personal("更新日時"),
                "updated_by": staff("更新した職員"),
            },
        ),
        Table(
            "feed_town_bookmarks",
            "変更一覧をどこまで読んだか（市町村ごとの出発点）",
            {
                "municipality": not_personal("市町村コード"),
                "seen_up_to": not_personal("読んだ位置"),
                "updated_at": not_personal("更新日時"),
                "updated_by": staff("更新した職員"),
            },
        ),
        Table(
            "risk_goals",
            "事前に備えるべき目標",
            {"number": not_personal("番号"), "name": not_personal("名称")},
        ),
        Table(
            "risk_scenarios",
            "起きてはならない最悪の事態",
            {
                "code": not_personal("番号"),
                "goal": not_personal("目標の番号"),
                "name": not_personal("名称"),
                "position": not_personal("並び順"),
                "added_by": staff("追加した職員"),
                "added_at": not_personal("追加日時"),
            },
        ),
        Table(
            "policy_areas",
            "施策分野",
            {
                "code": not_personal("番号"),
                "name": not_personal("名称"),
                "cross_cutting": not_personal("横断的分野か"),
                "position": not_personal("並び順"),
                "added_by": staff("追加した職員"),
                "added_at": not_personal("追加日時"),
            },
        ),
    ),
)
