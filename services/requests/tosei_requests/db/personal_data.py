"""What the requests service holds about people: none of its tables is about a person; officers
are recorded by their ``role:subject``, and a briefing names the heads and prefectural officials
who attend it, by office (docs/personal-data.md is generated from this, and
tests/common/test_personal_data.py checks every column is classified here)."""

from __future__ import annotations

from tosei_common.platform.personal_data import (
    ServiceRegister,
    Table,
    not_personal,
    pseudonym,
    staff,
)

REGISTER = ServiceRegister(
    service="requests",
    declared_in=__name__,
    other_tables=(
        Table(
            "request_items",
            "県への重点事業要望の項目",
            {
                "id": pseudonym("要望項目ID"),
                "fiscal_year": not_personal("年度"),
                "number": not_personal("番号"),
                "title": not_personal("件名"),
                "body": not_personal("要望内容"),
                "background": not_personal("現状と課題"),
                "departments": not_personal("担当部局"),
                "municipalities": not_personal("要望する市町村"),
                "town_priority": not_personal("市町村の優先順位"),
                "requested_amount_yen": not_personal("要望額"),
                "plan_item_ids": pseudonym("国土強靱化計画の事業ID"),
                "status": not_personal("状態"),
                "return_reason": not_personal("差戻しの理由"),
                "derivation": not_personal("前年度からの引継ぎの種類"),
                "derived_from": pseudonym("前年度の要望項目ID"),
                "version": not_personal("版"),
                "created_at": not_personal("登録日時"),
                "created_by": staff("登録した職員"),
                "updated_at": not_personal("更新日時"),
                "updated_by": staff("更新した職員"),
            },
        ),
        Table(
            "briefings",
            "重点事業説明会（年度に一回）",
            {
                "id": pseudonym("説明会ID"),
                "fiscal_year": not_personal("年度"),
                "starts_at": not_personal("開始日時"),
                "ends_at": not_personal("終了日時"),
                "place": not_personal("場所"),
                "attendees": staff("出席する首長・副首長の職と氏名"),
                "prefectural_attendees": staff("出席する県の職員の職・氏名・部局"),
                "minutes": staff("議事録（出席者の発言を含みうる）"),
                "minutes_recorded_at": not_personal("議事録の記録日時"),
                "agenda": pseudonym("議題の要望項目ID"),
                "grouping": not_personal("議題の並べ方"),
                "agenda_version": not_personal("議題の版"),
                "agenda_fixed_at": not_personal("議題の確定日時"),
                "book_published_at": not_personal("要望書の発行日時"),
                "version": not_personal("版"),
                "created_at": not_personal("登録日時"),
                "created_by": staff("登録した職員"),
                "updated_at": not_personal("更新日時"),
                "updated_by": staff("更新した職員"),
            },
        ),
        Table(
            "answers",
            "要望への県の回答",
            {
                "item_id": pseudonym("要望項目ID"),
                "received_on": not_personal("受領日"),
                "text": not_personal("回答の内容"),
                "department": not_personal("回答した部局"),
                "status": not_personal("回答の区分"),
                "version": not_personal("版"),
                "recorded_at": not_personal("記録日時"),
                "recorded_by": staff("記録した職員"),
            },
        ),
        Table(
            "departments",
            "県の担当部局の一覧",
            {
                "code": not_personal("番号"),
                "name": not_personal("名称"),
                "position": not_personal("並び順"),
                "retired": not_personal("廃止されたか"),
                "added_by": staff("追加した職員"),
                "added_at": not_personal("追加日時"),
            },
        ),
        Table(
            "request_years",
            "要望の作成を始めた年度",
            {
                "fiscal_year": not_personal("年度"),
                "opened_at": not_personal("開始日時"),
                "opened_by": staff("開始した職員"),
            },
        ),
        Table(
            "plan_items",
            "国土強靱化計画の事業の写し（resilience のイベントから作る）",
            {
                "item_id": pseudonym("事業ID"),
                "number": not_personal("事業番号"),
                "municipality": not_personal("市町村コード"),
                "status": not_personal("状態"),
                "version": not_personal("版"),
                "changed_fields": not_personal("直近の改訂で変わった項目"),
                "changed_at": not_personal("改訂日時"),
                "title": not_personal("事業名"),
            },
        ),
    ),
)
