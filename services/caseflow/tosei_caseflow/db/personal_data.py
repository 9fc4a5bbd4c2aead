"""What caseflow holds about people (docs/personal-data.md is generated from it).

Every column of every caseflow table is classified here; a migration that adds a column fails the
completeness check (tests/common/test_personal_data.py) until it is classified.
"""

from __future__ import annotations

from tosei_common.platform.personal_data import (
    PersonalDataFile,
    Retention,
    ServiceRegister,
    Table,
    not_personal,
    personal,
    pseudonym,
    staff,
)
from tosei_common.platform.retention import DESK_RECORDS

JOURNAL = Table(
    "journal",
    "案件の出来事ごとの、誰が・なぜ・どう記録したか（個人に関わる部分。イベントには載せない）",
    {
        "event_id": pseudonym("イベントID"),
        "case_id": pseudonym("案件ID"),
        "actor": staff("記録した職員・支援人材"),
        "reason": personal("理由（自由記述）"),
        "note": personal("経過のメモ（自由記述）"),
        "minutes": personal("面談の記録（自由記述）"),
        "confidential": personal("支援人材の非公開メモ（自由記述）"),
        "recorded_at": not_personal("記録日時"),
    },
)

CASES = Table(
    "cases",
    "案件の現在の状態（イベントから作る。仮名の識別子と区分・日付だけ）",
    {
        "case_id": pseudonym("案件ID"),
        "client_id": pseudonym("相談者ID"),
        "municipality": not_personal("市町村コード"),
        "stage": not_personal("事業の段階"),
        "categories": not_personal("相談分野"),
        "channel": not_personal("相談の経路"),
        "origin": not_personal("記録の由来"),
        "consent_to_share": not_personal("外部専門家への共有の同意の有無"),
        "opened_at": not_personal("受付日時"),
        "legacy_status": not_personal("旧窓口での状況"),
        "legacy_staff": pseudonym("旧窓口の担当職員の仮名"),
        "initial_track": not_personal("最初の支援の区分"),
        "track": not_personal("支援の区分（創業・経営）"),
        "state": not_personal("案件の状態"),
        "expert_id": pseudonym("担当の支援人材ID"),
        "next_action_on": not_personal("次の対応日"),
        "satisfaction": not_personal("満足度（1〜5）"),
        "resolved_at": not_personal("解決日時"),
        "closed_at": not_personal("終結日時"),
        "updated_at": not_personal("更新日時"),
    },
)

CASE_EXPERTS = Table(
    "case_experts",
    "案件を担当した支援人材と担当期間",
    {
        "case_id": pseudonym("案件ID"),
        "expert_id": pseudonym("支援人材ID"),
        "since": not_personal("担当の開始日時"),
        "until": not_personal("担当の終了日時"),
    },
)

CASE_TIMELINE = Table(
    "case_timeline",
    "案件の出来事の時系列（イベントの内容: 仮名の識別子・区分・日付・件数）",
    {
        "seq": not_personal("記録順"),
        "event_id": pseudonym("イベントID"),
        "case_id": pseudonym("案件ID"),
        "kind": not_personal("出来事の種類"),
        "at": not_personal("日時"),
        "facts": not_personal("イベントの内容（仮名の識別子・区分・日付・件数）"),
    },
)

SESSIONS = Table(
    "sessions",
    "支援人材との面談（内容の記録は journal）",
    {
        "session_id": pseudonym("面談ID"),
        "case_id": pseudonym("案件ID"),
        "expert_id": pseudonym("支援人材ID"),
        "track": not_personal("支援の区分"),
        "held_on": not_personal("面談日"),
        "mode": not_personal("面談の方法"),
        "duration_minutes": not_personal("面談時間（分）"),
        "next_action_on": not_personal("次の対応日"),
        "recorded_at": not_personal("記録日時"),
        "voided_at": not_personal("取消し日時"),
    },
)

REFERRALS = Table(
    "referrals",
    "外部専門家への取次ぎ",
    {
        "referral_id": pseudonym("取次ぎID"),
        "case_id": pseudonym("案件ID"),
        "external_expert_id": pseudonym("外部専門家ID"),
        "track": not_personal("支援の区分"),
        "status": not_personal("状態"),
        "visits": not_personal("派遣回数"),
        "requested_at": not_personal("依頼日時"),
        "completed_at": not_personal("完了日時"),
        "updated_at": not_personal("更新日時"),
    },
)

OUTCOMES = Table(
    "outcomes",
    "支援の成果（創業・事業承継・雇用など）",
    {
        "outcome_id": pseudonym("成果ID"),
        "case_id": pseudonym("案件ID"),
        "type": not_personal("成果の種類"),
        "achieved_on": not_personal("達成日"),
        "jobs": not_personal("雇用の人数"),
        "track": not_personal("支援の区分"),
        "municipality": not_personal("市町村コード"),
        "recorded_at": not_personal("記録日時"),
        "voided_at": not_personal("取消し日時"),
    },
)

CASE_FILE = PersonalDataFile(
    name="経営相談の支援記録ファイル（案件・面談）",
    purpose=(
        "総合相談窓口で受け付けた相談を支援人材に割り当て、面談・引継ぎ・外部専門家への取次ぎ・"
        "成果を記録して支援を続け、協議会に相談実績（KPI）を報告するため"
    ),
    people="総合相談窓口に相談した個人（経営相談記録ファイルの相談者）",
    sources=(
        "支援人材・窓口職員（面談と経過の記録）",
        "総合相談窓口（intake）のイベント（仮名の識別子・区分・日付だけ）",
    ),
    collection="支援人材と窓口職員がコンソールまたは API で記録する",
    retention=DESK_RECORDS,
    access=(
        "窓口職員・協議会の事務局（すべての案件の変更・閲覧。窓口職員は非公開メモを見られない）、"
        "支援人材（自分が担当した、または担当している案件だけ。非公開メモは担当していた間に"
        "書かれたものまで）、監査担当（閲覧のみ）"
    ),
    tables=(JOURNAL, CASES, CASE_EXPERTS, CASE_TIMELINE, SESSIONS, REFERRALS, OUTCOMES),
    notes=(
        "相談者の氏名・連絡先はこのファイルにはなく、相談者IDで経営相談記録ファイルと結び付く",
        "総合相談窓口（intake）が相談者の個人情報を消去したとき（client.erased）、その案件の"
        "理由・経過のメモ・面談の記録・非公開メモを「（消去済み）」にする。案件・面談・取次ぎ・"
        "成果の区分・日付・件数は相談実績の集計のために残す",
    ),
)

EXPERTS = Table(
    "experts",
    "総合相談窓口の支援人材",
    {
        "expert_id": pseudonym("支援人材ID"),
        "name": personal("氏名"),
        "staff_key": pseudonym("氏名の仮名（旧窓口の担当者との照合用）"),
        "track": not_personal("支援の区分（創業・経営）"),
        "specialities": personal("専門分野"),
        "weekly_capacity": not_personal("週あたりの受持ち件数"),
        "active": not_personal("有効か"),
        "created_at": not_personal("登録日時"),
        "created_by": staff("登録した職員"),
        "updated_at": not_personal("更新日時"),
        "updated_by": staff("更新した職員"),
    },
)

EXTERNAL_EXPERTS = Table(
    "external_experts",
    "受託者の全国ネットワークの外部専門家",
    {
        "external_expert_id": pseudonym("外部専門家ID"),
        "name": personal("氏名"),
        "organisation": personal("所属"),
        "speciality": personal("専門分野"),
        "active": not_personal("有効か"),
        "created_at": not_personal("登録日時"),
        "created_by": staff("登録した職員"),
        "updated_at": not_personal("更新日時"),
        "updated_by": staff("更新した職員"),
    },
)

EXPERT_FILE = PersonalDataFile(
    name="支援人材名簿",
    purpose="相談の案件を支援人材・外部専門家に割り当て、担当者として記録と画面に示すため",
    people="総合相談窓口の支援人材（創業・経営の専門家）と、取次ぎ先の外部専門家",
    sources=("本人（委託・登録の際の申出）", "協議会の事務局"),
    collection="協議会の事務局がコンソールまたは API で登録する",
    retention=Retention(
        "名簿から外した（無効にした）後も、担当した案件の保存期間が満了するまで"
        "（案件の記録が担当者を示すため。本プラットフォームとして定めた期間）",
        years=5,
        counted_from="担当した最後の案件の終結",
    ),
    access="協議会の事務局（登録・変更）、窓口職員・支援人材・監査担当（一覧の閲覧）",
    tables=(EXPERTS, EXTERNAL_EXPERTS),
)

REGISTER = ServiceRegister(
    service="caseflow",
    declared_in=__name__,
    files=(CASE_FILE, EXPERT_FILE),
    other_tables=(
        Table(
            "erased_cases",
            "相談者の個人情報を消去した案件（intake のイベントから作る写し）",
            {
                "case_id": pseudonym("案件ID"),
                "client_id": pseudonym("相談者ID"),
                "erased_at": not_personal("消去日時"),
                "event_id": pseudonym("イベントID"),
            },
        ),
        Table(
            "client_merges",
            "統合された相談者（intake のイベントから作る写し）",
            {
                "merged_client_id": pseudonym("統合された相談者ID"),
                "client_id": pseudonym("統合先の相談者ID"),
                "merged_at": not_personal("統合日時"),
            },
        ),
        Table(
            "client_use_stops",
            "本人の請求で記録の利用が停止されている相談者（intake のイベントから作る写し）",
            {
                "client_id": pseudonym("相談者ID"),
                "since": not_personal("利用停止の日時"),
            },
        ),
    ),
)
