"""What the console holds about people: its users' accounts and sign-in sessions
(docs/personal-data.md is generated from this, and tests/common/test_personal_data.py checks
every column is classified here)."""

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

ACCOUNTS = Table(
    "accounts",
    "コンソールの利用者のアカウント",
    {
        "account_id": pseudonym("アカウントID"),
        "login": personal("ログインID（メールアドレスのこともある）"),
        "display_name": personal("氏名（表示名）"),
        "role": not_personal("役割（窓口職員・支援人材・事務局・市町村職員・監査担当）"),
        "municipality": not_personal("市町村職員の市町村コード"),
        "expert_id": pseudonym("支援人材ID"),
        "password_hash": personal(
            "パスワードのハッシュ値（argon2。パスワードそのものは保存しない）"
        ),
        "active": not_personal("有効か"),
        "failed_attempts": not_personal("連続したサインインの失敗回数"),
        "locked_until": not_personal("ロックの解除日時"),
        "created_at": not_personal("作成日時"),
        "created_by": staff("作成した職員"),
    },
)

SESSIONS = Table(
    "sessions",
    "サインイン中のセッション（有効期限まで）",
    {
        "session_hash": pseudonym("セッションの秘密のハッシュ値"),
        "account_id": pseudonym("アカウントID"),
        "csrf_token": not_personal("偽の送信を防ぐための値"),
        "created_at": not_personal("サインイン日時"),
        "expires_at": not_personal("有効期限"),
    },
)

ACCOUNT_FILE = PersonalDataFile(
    name="コンソール利用者アカウントファイル",
    purpose="コンソールにサインインする人を確かめ、役割に応じた操作だけを許し、変更の記録者を示すため",
    people="窓口職員・支援人材・協議会の事務局・市町村の職員・監査担当などコンソールの利用者",
    sources=("運用者（アカウントの作成）",),
    collection=(
        "運用者が `tosei user add` でアカウントを作る（最初の事務局のアカウントは導入時に"
        "作られる）。市町村の認証基盤（OpenID Connect）でサインインする場合も、"
        "既存のアカウントに結び付けるだけで新たな項目は記録しない"
    ),
    retention=Retention(
        "利用を終えたアカウントは無効にして保存する（変更の記録が記録者を示すため、期間の定めなし。"
        "本プラットフォームとして定めた扱い）。セッションは有効期限で失効する"
    ),
    access="運用者（アカウントの作成）。画面や API でアカウントの一覧を見る手段は今はない",
    tables=(ACCOUNTS, SESSIONS),
)

REGISTER = ServiceRegister(service="console", declared_in=__name__, files=(ACCOUNT_FILE,))
