"""What the console holds about people: its users' accounts and sign-in sessions, and how often
each client address used the public seminar pages lately (docs/personal-data.md is generated
from this, and tests/common/test_personal_data.py checks every column is classified here)."""

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

PUBLIC_RATE_LIMITS = Table(
    "public_rate_limits",
    "接続元ごとの、研修会の公開ページの最近の利用の回数（期間を過ぎると削除）",
    {
        "kind": not_personal("数える利用の種類（参加の申込・受付番号を使った利用）"),
        "client_hash": personal(
            "接続元のIPアドレス（IPv6 は /64 のネットワーク）の鍵付きハッシュ値"
            "（HMAC-SHA256 の先頭16バイト。アドレスそのものは保存しない）"
        ),
        "hits": not_personal("期間内に数えた利用の日時（上限の回数まで）"),
        "forget_at": not_personal("すべての利用が期間を出て、行を削除する日時"),
    },
)

RATE_LIMIT_FILE = PersonalDataFile(
    name="研修会の公開ページの利用回数ファイル",
    purpose=(
        "1か所からの大量の参加の申込（小さな会場の席を埋めるいたずら）や受付番号の機械的な照会を"
        "止めるため、同じ接続元からの利用を期間ごとに数え、上限を超えた利用を断るため"
    ),
    people="研修会の公開ページ（参加の申込・わたしの申込）を利用した人の接続元",
    sources=(
        "利用者の接続（コンソールに届いた通信の接続元アドレス、またはプロキシが付けたヘッダー）",
    ),
    collection=(
        "申込の送信と受付番号を使った利用のたびに、接続元のアドレスを秘密の鍵でハッシュ値に"
        "変えて数える。アドレスそのもの、氏名や受付番号とは結び付けない"
    ),
    retention=Retention(
        "数えた利用がすべて期間（既定では申込は1時間、受付番号の利用は10分）を出た時点で削除する"
        "（次の利用の判定のとき、遅くとも1時間ごとの整理のとき）。本プラットフォームとして定めた扱い"
    ),
    access="なし（画面や API で見る手段はない。運用者がデータベースを直接見る場合を除く）",
    tables=(PUBLIC_RATE_LIMITS,),
    notes=(
        "鍵（`TOSEI_AUTH_SECRET` から導く）がなければ、ハッシュ値からアドレスはわからない。"
        "鍵を持つ者は IPv4 のアドレスをすべて試して求められるため、鍵はサービスの設定の外に出さず、"
        "行は期間を過ぎると削除する",
        "表は UNLOGGED（先行書き込みログに残さない）ため、WAL のアーカイブや待機系には写らない。"
        "`tosei backup` のバックアップには、その時点で期間内の行が含まれる（バックアップの保存期間"
        "のあいだ残る）",
    ),
)

REGISTER = ServiceRegister(
    service="console", declared_in=__name__, files=(ACCOUNT_FILE, RATE_LIMIT_FILE)
)
