"""What the seminar service holds about people (docs/personal-data.md is generated from it).

Every column of every seminar table is classified here; a migration that adds a column fails the
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

#: A registrant's contacts are needed until the seminar and its follow-up are over.
CONTACTS = Retention(
    "研修会の開催から1年",
    years=1,
    counted_from="研修会の開催",
    setting="retention_seminar_contact_years",
)

REGISTRATIONS = Table(
    "registrations",
    "研修会への参加申込（一人・一研修会につき一行）",
    {
        "id": pseudonym("申込ID"),
        "seq": not_personal("申込順"),
        "reference": pseudonym("申込番号（本人が自分の申込を確認・取消しするための番号）"),
        "seminar_id": pseudonym("研修会ID"),
        "place_id": pseudonym("参加会場ID"),
        "mode": not_personal("参加の方法（会場・サテライト会場・オンライン）"),
        "name": personal("氏名"),
        "name_kana": personal("ふりがな"),
        "name_key": personal("氏名（同じ人の二重申込を見つけるための照合用）"),
        "organisation": personal("所属"),
        "role": personal("職種"),
        "municipality": not_personal("市町村コード"),
        "email": personal("メールアドレス", CONTACTS),
        "email_key": personal("メールアドレス（照合用）", CONTACTS),
        "phone": personal("電話番号", CONTACTS),
        "phone_key": personal("電話番号（照合用）", CONTACTS),
        "contacts_erased_at": not_personal("連絡先を消去した日時（保存期間の満了）"),
        "status": not_personal("申込の状態（参加確定・キャンセル待ち・取消し）"),
        "registered_at": not_personal("申込日時"),
        "accepted_at": not_personal("参加確定日時"),
        "promoted_at": not_personal("キャンセル待ちからの繰上げ日時"),
        "cancelled_at": not_personal("取消し日時"),
        "cancelled_by": staff("取り消した者（本人または事務局）"),
        "checked_in_at": not_personal("受付（出席）日時"),
        "checked_in_by": staff("受付をした職員"),
    },
)

FEEDBACK = Table(
    "feedback",
    "参加者のアンケートの回答",
    {
        "registration_id": pseudonym("申込ID"),
        "seminar_id": pseudonym("研修会ID"),
        "satisfaction": not_personal("満足度（1〜5）"),
        "usefulness": not_personal("役立ち度（1〜5）"),
        "comment": personal("感想（自由記述）"),
        "submitted_at": not_personal("回答日時"),
    },
)

MAIL_OUTBOX = Table(
    "mail_outbox",
    "申込者に送るメール（申込・繰上げ・取消し・日時の変更・中止・開催後のアンケートのお知らせ）",
    {
        "seq": not_personal("作成順"),
        "id": pseudonym("メールID（Message-ID）"),
        "kind": not_personal("お知らせの種類"),
        "about": pseudonym("申込ID"),
        "recipient": personal("宛先のメールアドレス", CONTACTS),
        "subject": personal("件名", CONTACTS),
        "body_text": personal("本文（氏名・受付番号・参加の方法を含む）", CONTACTS),
        "body_html": personal("本文のHTML版", CONTACTS),
        "image_cids": not_personal("本文に埋め込む画像の識別子"),
        "image_pngs": pseudonym("受付番号のQRコード（画像）"),
        "occurred_at": not_personal("お知らせの元になった変更の日時"),
        "created_at": not_personal("作成日時"),
        "next_attempt_at": not_personal("次に送信を試みる日時"),
        "attempts": not_personal("送信を試みた回数"),
        "last_error": personal("最後の送信失敗の内容（宛先を含むことがある）", CONTACTS),
        "sent_at": not_personal("送信日時"),
        "given_up_at": not_personal("送信をあきらめた日時"),
        "erased_at": not_personal(
            "宛先と本文を消去した日時（保存期間の満了、または送る前に宛先が削除された）"
        ),
    },
)

REGISTRANT_FILE = PersonalDataFile(
    name="在宅医療・介護連携研修会 参加申込者ファイル",
    purpose=(
        "在宅医療・介護連携の合同研修会の参加申込を受け付け、席とキャンセル待ちを管理し、"
        "当日の受付・出席を記録し、修了証を発行し、アンケートの結果を集計するため"
    ),
    people="研修会に参加を申し込んだ病院・介護事業所などの職員と住民",
    sources=("本人（申込フォーム・アンケート）", "協議会の事務局（当日の受付）"),
    collection="本人が公開の申込画面または API で申し込む。受付は事務局が記録する",
    retention=Retention(
        "氏名・ふりがな・所属・職種など修了証の記載事項は、修了証を発行したとおり保存する"
        "（期間の定めなし）。連絡先（メールアドレス・電話番号）と送ったメールの宛先・本文は"
        "研修会の開催から1年",
    ),
    access=(
        "協議会の事務局（運営・閲覧）、監査担当（閲覧のみ）。市町村の職員は出席と"
        "アンケートの集計だけを見られ（自由記述の感想は見られない）、個々の申込は見られない。"
        "本人は申込番号で自分の申込だけを確認・取消しできる"
    ),
    tables=(REGISTRATIONS, FEEDBACK, MAIL_OUTBOX),
    notes=(
        "修了証（PDF）は申込の記録からその都度作るもので、別に保存はしない",
        "メールは本サービスから SMTP サーバーへ直接送り、イベント（Kafka）には載せない。"
        "消去の後も、いつ何のお知らせを送ったか（種類・日時）は残る",
    ),
)

SPEAKERS = Table(
    "speakers",
    "研修会の講師",
    {
        "id": pseudonym("講師ID"),
        "seminar_id": pseudonym("研修会ID"),
        "name": personal("氏名"),
        "affiliation": personal("所属"),
        "profession": personal("職種"),
        "keynote": not_personal("基調講演か"),
        "talk_title": not_personal("演題（講演の題名。公開の案内に載せる）"),
        "fee": personal("謝金の額"),
        "created_by": staff("登録した職員"),
        "created_at": not_personal("登録日時"),
    },
)

SPEAKER_FILE = PersonalDataFile(
    name="研修会講師ファイル",
    purpose="研修会の講師を依頼・案内し、謝金を予算に計上するため",
    people="研修会の講師",
    sources=("本人（講師の依頼への承諾）", "協議会の事務局"),
    collection="協議会の事務局がコンソールまたは API で登録する",
    retention=Retention(
        "研修会の開催から5年（会計の記録にあわせて本プラットフォームとして定めた期間）",
        years=5,
        counted_from="研修会の開催",
    ),
    access="協議会の事務局（登録・閲覧）、監査担当（閲覧のみ）",
    tables=(SPEAKERS,),
)

REGISTER = ServiceRegister(
    service="seminar",
    declared_in=__name__,
    files=(REGISTRANT_FILE, SPEAKER_FILE),
    other_tables=(
        Table(
            "seminars",
            "研修会（年度に一回）",
            {
                "id": pseudonym("研修会ID"),
                "fiscal_year": not_personal("年度"),
                "title": not_personal("題名"),
                "host_municipality": not_personal("当番の市町村コード"),
                "state": not_personal("状態"),
                "starts_at": not_personal("開始日時"),
                "ends_at": not_personal("終了日時"),
                "stream_url": not_personal("配信のURL"),
                "chosen_venue_id": pseudonym("会場ID"),
                "cancel_reason": not_personal("中止の理由"),
                "created_by": staff("登録した職員"),
                "created_at": not_personal("登録日時"),
                "updated_by": staff("更新した職員"),
                "updated_at": not_personal("更新日時"),
                "announced_at": not_personal("公開日時"),
            },
        ),
        Table(
            "venues",
            "会場の候補",
            {
                "id": pseudonym("会場ID"),
                "seminar_id": pseudonym("研修会ID"),
                "name": not_personal("会場名"),
                "municipality": not_personal("市町村コード"),
                "capacity": not_personal("定員"),
                "fee": not_personal("使用料"),
                "created_by": staff("登録した職員"),
                "created_at": not_personal("登録日時"),
            },
        ),
        Table(
            "places",
            "参加の場所（本会場・サテライト会場・オンライン）と席数",
            {
                "id": pseudonym("参加会場ID"),
                "seminar_id": pseudonym("研修会ID"),
                "mode": not_personal("参加の方法"),
                "name": not_personal("名称"),
                "municipality": not_personal("市町村コード"),
                "capacity": not_personal("席数"),
                "created_by": staff("登録した職員"),
                "created_at": not_personal("登録日時"),
                "updated_by": staff("更新した職員"),
                "updated_at": not_personal("更新日時"),
            },
        ),
        Table(
            "budget_lines",
            "研修会の予算と実績",
            {
                "id": pseudonym("予算行ID"),
                "seminar_id": pseudonym("研修会ID"),
                "category": not_personal("費目"),
                "item": not_personal("内訳"),
                "planned": not_personal("予算額"),
                "actual": not_personal("実績額"),
                "created_by": staff("登録した職員"),
                "updated_by": staff("更新した職員"),
                "updated_at": not_personal("更新日時"),
            },
        ),
        Table(
            "rotation_overrides",
            "当番の市町村の持ち回りの変更",
            {
                "fiscal_year": not_personal("年度"),
                "host_municipality": not_personal("当番の市町村コード"),
                "reason": not_personal("変更の理由"),
                "set_by": staff("変更した職員"),
                "set_at": not_personal("変更日時"),
            },
        ),
    ),
)
