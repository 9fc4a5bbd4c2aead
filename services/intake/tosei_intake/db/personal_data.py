"""What intake holds about people (docs/personal-data.md is generated from it).

Every column of every intake table is classified here; a migration that adds a column fails the
completeness check (tests/common/test_personal_data.py) until it is classified.
"""

from __future__ import annotations

from tosei_common.platform.personal_data import (
    PersonalDataFile,
    ServiceRegister,
    Table,
    not_personal,
    personal,
    pseudonym,
    staff,
)
from tosei_common.platform.retention import DESK_RECORDS

CLIENTS = Table(
    "clients",
    "相談者（名寄せした一人につき一行。統合された重複は統合先を指して残る）",
    {
        "id": pseudonym("相談者ID"),
        "name": personal("氏名"),
        "furigana": personal("ふりがな"),
        "created_at": not_personal("登録日時"),
        "created_by": staff("登録した職員"),
        "merged_into": pseudonym("統合先の相談者ID"),
        "merged_at": not_personal("統合日時"),
        "merged_by": staff("統合した職員"),
    },
)

CLIENT_KEYS = Table(
    "client_keys",
    "相談者を探し、同一人物を見つけるための氏名・連絡先・事業者名（登録された表記と照合用の形）",
    {
        "client_id": pseudonym("相談者ID"),
        "kind": not_personal("項目の種類（氏名・電話・メール・ふりがな・事業者名）"),
        "key": personal("氏名・ふりがな・電話番号・メールアドレス・事業者名（照合用に正規化）"),
        "shown": personal("氏名・ふりがな・電話番号・メールアドレス・事業者名（登録された表記）"),
        "added_at": not_personal("登録日時"),
        "added_by": staff("登録した職員"),
    },
)

CONSULTATIONS = Table(
    "consultations",
    "相談（一件につき一行。案件を開く）",
    {
        "id": pseudonym("相談ID（案件IDと同じ）"),
        "client_id": pseudonym("相談者ID"),
        "registered_client_id": pseudonym("登録時の相談者ID"),
        "person_name": personal("氏名"),
        "furigana": personal("ふりがな"),
        "phone": personal("電話番号"),
        "email": personal("メールアドレス"),
        "business_name": personal("事業者名・屋号"),
        "stage": not_personal("事業の段階（創業前・創業期・既存事業者など）"),
        "municipality": not_personal("市町村コード"),
        "categories": not_personal("相談分野"),
        "channel": not_personal("相談の経路（来所・電話・メール・オンライン）"),
        "description": personal("相談内容（自由記述）"),
        "consent_to_share": not_personal("外部専門家への共有の同意の有無"),
        "consulted_at": not_personal("相談日時"),
        "origin": not_personal("記録の由来（新窓口・旧窓口からの引継ぎ）"),
        "legacy_status": not_personal("旧窓口での状況"),
        "legacy_staff_name": staff("旧窓口の担当職員の氏名"),
        "legacy_categories": not_personal("旧窓口での相談分野の表記"),
        "legacy_file": not_personal("取り込んだ旧台帳のファイル名"),
        "legacy_line": not_personal("旧台帳の行番号"),
        "legacy_fingerprint": pseudonym("旧台帳の行の指紋（二重取り込みの防止）"),
        "import_id": pseudonym("取り込みID"),
        "created_at": not_personal("登録日時"),
        "created_by": staff("登録した職員"),
    },
)

CONSENT_CHANGES = Table(
    "consent_changes",
    "相談後に示された、外部専門家への共有の同意・撤回",
    {
        "consultation_id": pseudonym("相談ID"),
        "consent_to_share": not_personal("同意の有無"),
        "given_on": not_personal("本人が意思を示した日"),
        "note": personal("同意に関する備考（自由記述）"),
        "recorded_at": not_personal("記録日時"),
        "recorded_by": staff("記録した職員"),
    },
)

CLIENT_MERGES = Table(
    "client_merges",
    "重複した相談者の統合と、その取消し",
    {
        "merged_client_id": pseudonym("統合された相談者ID"),
        "client_id": pseudonym("統合先の相談者ID"),
        "consultation_ids": pseudonym("移した相談のID"),
        "merged_at": not_personal("統合日時"),
        "merged_by": staff("統合した職員"),
        "keys_added": personal("統合で統合先に加えた氏名・連絡先・事業者名"),
        "furigana_given": not_personal("ふりがなを統合先に加えたか"),
        "undone_at": not_personal("取消し日時"),
        "undone_by": staff("取り消した職員"),
        "undo_reason": personal("統合を取り消した理由（自由記述）"),
    },
)

CLIENT_USE_STOPS = Table(
    "client_use_stops",
    "本人の請求による利用停止と、その解除（誰が・いつ・なぜ）",
    {
        "client_id": pseudonym("相談者ID"),
        "stopped_at": not_personal("利用停止の日時"),
        "stopped_by": staff("利用を停止した職員"),
        "reason": personal("利用停止の理由（自由記述）"),
        "resumed_at": not_personal("解除の日時"),
        "resumed_by": staff("解除した職員"),
        "resume_reason": personal("解除の理由（自由記述）"),
    },
)

LEGACY_IMPORTS = Table(
    "legacy_imports",
    "旧窓口の相談台帳の取り込み（一回の取り込みにつき一行）",
    {
        "id": pseudonym("取り込みID"),
        "files": not_personal("取り込んだファイル名"),
        "started_at": not_personal("取り込み日時"),
        "actor": staff("取り込んだ職員"),
    },
)

LEGAL_HOLDS = Table(
    "legal_holds",
    "訴訟等による保存（設定されている間、相談者の記録は保存期間を過ぎても消去しない）",
    {
        "id": pseudonym("保存の設定ID"),
        "client_id": pseudonym("相談者ID"),
        "reason": personal("保存の理由（自由記述）"),
        "placed_at": not_personal("設定日時"),
        "placed_by": staff("設定した職員"),
        "lifted_at": not_personal("解除日時"),
        "lifted_by": staff("解除した職員"),
        "lift_reason": personal("解除の理由（自由記述）"),
    },
)

CLIENT_ERASURES = Table(
    "client_erasures",
    "個人情報を消去した相談者（保存期間の満了・本人からの消去請求）",
    {
        "client_id": pseudonym("相談者ID"),
        "erased_at": not_personal("消去日時"),
        "erased_by": staff("消去した職員（保存期間の満了による自動の消去は system:retention）"),
        "basis": not_personal("消去の根拠（保存期間の満了・本人からの請求）"),
        "reason": not_personal("消去の理由（請求の受付などの記録。本人の個人情報は書かない）"),
        "consultation_ids": pseudonym("消去した相談のID"),
    },
)

CONSULTATION_FILE = PersonalDataFile(
    name="経営相談記録ファイル（相談者・相談）",
    purpose=(
        "経営の総合相談窓口（AOMORI STARTUP CENTER）で創業・経営の相談を受け付け、同じ相談者の"
        "相談をまとめ、支援人材による支援につなぎ、東青圏域の相談実績を協議会に報告するため"
    ),
    people=(
        "総合相談窓口に相談した個人（創業を考えている人、事業者とその担当者）と、"
        "旧窓口から引き継いだ相談の相談者"
    ),
    sources=(
        "本人（相談の際の申出）",
        "窓口職員（相談の記録）",
        "旧窓口の相談台帳（引継ぎの際の取り込み）",
    ),
    collection=(
        "来所・電話・メール・オンラインの相談を窓口職員が登録する。旧窓口の台帳（CSV）は"
        "`tosei import-legacy` またはその画面から取り込む"
    ),
    retention=DESK_RECORDS,
    access=(
        "窓口職員・協議会の事務局（登録・訂正・閲覧）、監査担当（閲覧のみ）、"
        "支援人材（自分が担当した、または担当している案件の相談のみ閲覧）。"
        "市町村の職員は自分の市町村の件数の集計だけを見られ、個々の記録は見られない"
    ),
    tables=(
        CLIENTS,
        CLIENT_KEYS,
        CONSULTATIONS,
        CONSENT_CHANGES,
        CLIENT_MERGES,
        LEGACY_IMPORTS,
        LEGAL_HOLDS,
        CLIENT_ERASURES,
        CLIENT_USE_STOPS,
    ),
    notes=(
        "自由記述の相談内容には、本人が話した場合、要配慮個人情報（病歴など）が含まれうる",
        "保存期間を過ぎた相談者（すべての案件が終結してから期間が過ぎた人。再開した案件は"
        "終結していないものとして数える。旧窓口から終結済みで引き継いだ案件は相談日を終結日と"
        "みなす）の氏名・ふりがな・連絡先・事業者名・相談内容・備考は、毎日の消去の処理"
        "（`tosei retention`）で「（消去済み）」または空にする。市町村・相談分野・事業の段階・"
        "経路・日付・同意の有無は統計のために残す。訴訟等による保存が設定された相談者は消去しない",
    ),
)

REGISTER = ServiceRegister(
    service="intake",
    declared_in=__name__,
    files=(CONSULTATION_FILE,),
    other_tables=(
        Table(
            "case_experts",
            "どの案件をどの支援人材が担当しているか（caseflow のイベントから作る写し）",
            {
                "case_id": pseudonym("案件ID"),
                "expert_id": pseudonym("支援人材ID"),
                "track": not_personal("支援の区分（創業・経営）"),
                "since": not_personal("担当の開始日時"),
                "event_id": pseudonym("イベントID"),
            },
        ),
        Table(
            "case_closures",
            "案件が終結した日時と再開（caseflow のイベントから作る写し。保存期間の起算に使う）",
            {
                "case_id": pseudonym("案件ID"),
                "closed_at": not_personal("終結日時（再開して対応中なら空）"),
                "changed_at": not_personal("終結・再開の日時"),
            },
        ),
        Table(
            "case_expert_history",
            "案件を担当したことのあるすべての支援人材（caseflow のイベントから作る写し）",
            {
                "case_id": pseudonym("案件ID"),
                "expert_id": pseudonym("支援人材ID"),
                "since": not_personal("担当の開始日時"),
            },
        ),
    ),
)
