"""``docs/personal-data.md``: the register entries (個人情報ファイル簿) generated from the services'
declarations (``ServiceSpec.personal_data``), with what a municipality's privacy officer needs to
know about the platform, in Japanese. ``tosei personal-data --check`` fails when the committed
document differs from what the declarations say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from tosei_common.platform.personal_data import (
    CATEGORY_LABELS,
    PLATFORM_TABLES,
    Category,
    Column,
    PersonalDataFile,
    Retention,
    ServiceRegister,
    Table,
)
from tosei_common.platform.service import ServiceSpec

SERVICE_NAMES: Mapping[str, str] = {
    "intake": "intake（総合相談窓口の受付）",
    "caseflow": "caseflow（相談案件の支援）",
    "seminar": "seminar（在宅医療・介護連携研修会）",
    "resilience": "resilience（国土強靱化地域計画）",
    "requests": "requests（県への重点事業要望）",
    "console": "console（職員向けの画面）",
}

INTRODUCTION = """\
# 個人情報の取扱い（個人情報ファイル簿の記載事項）

<!-- このファイルは `tosei personal-data --write docs/personal-data.md`（`make personal-data`）で
各サービスの宣言（services/<サービス>/tosei_<サービス>/db/personal_data.py と
libs/common/tosei_common/platform/personal_data.py）から作ります。直接編集しないでください。
`make test` は、このファイルが宣言と食い違うとき、また宣言のない列がデータベースにあるときに
失敗します。 -->

東青圏域連携プラットフォーム（東青圏域の5市町村: 青森市・平内町・今別町・外ヶ浜町・蓬田村）が
保有する個人情報について、各市町村の個人情報保護の担当者に向けてまとめたものです。
令和5年4月から市町村にも個人情報の保護に関する法律（個人情報保護法）が直接適用され、
個人情報保護委員会が監督しています。本人の数が1,000人以上の個人情報ファイルは
個人情報ファイル簿に掲載して公表する必要があり、経営の総合相談窓口の相談記録
（令和元年度だけで744件）は2年ほどでこれに達する見込みです。以下の各ファイルの記載は、
ファイル簿を作るときの元にできるよう、その記載事項に沿っています。

## このプラットフォームが保有するもの

- **どこに**: サービスごとに一つの PostgreSQL のスキーマ（データベースの区画）に保存します。
  あるサービスが別のサービスのスキーマを読むことはありません。
  個人情報を持つのは intake（相談者と相談）、caseflow（面談の記録・支援人材の非公開メモ・
  支援人材名簿）、seminar（研修会の申込者と講師）、console（利用者のアカウントと、
  研修会の公開ページの接続元の鍵付きハッシュ値。後者は数えた期間を過ぎると削除）です。
  resilience と requests は住民や事業者の個人情報を持たず、記録したり変更したりした職員の
  識別子と、説明会に出席する首長・県の職員の職と氏名だけを持ちます。
- **なぜ・どれだけの期間**: ファイルごとに下の「利用目的」「保存期間」に記します。
  保存期間は協議会が定める予定の期間です（相談の記録は案件の終結から5年、研修会の申込者の
  連絡先は開催から1年、修了証の記載事項は発行したとおり保存。そのほかは本プラットフォームとして
  定めた期間で、そう記しています）。
- **誰が見られるか**: 利用者は役割（窓口職員・支援人材・協議会の事務局・市町村の職員・
  監査担当）を持ち、各サービスは役割と担当に応じて見せる範囲を決めます。支援人材は自分が
  担当した案件だけを、市町村の職員は自分の市町村の件数の集計だけを見られます。
  ファイルごとの範囲は「閲覧できる者」に記します。
- **外部への提供**: どのファイルもサービスの外には提供しません。サービスの間の連絡は
  Kafka のイベントで行いますが、イベントには氏名・電話番号・メールアドレス・住所・相談内容の
  記述などの個人情報を載せず、仮名の識別子（無作為の ID や鍵付きの仮名）、市町村コード、
  区分、日付、件数だけを載せます。イベントの一覧は docs/asyncapi/ にあります。
- **変更と閲覧の記録（監査記録）**: 各サービスのスキーマには共通の形の監査記録（audit_log）が
  あり、イベントには載せません。記録の変更（誰が・いつ・どの記録の・どの項目を変更前→変更後に・
  なぜ）と、職員による閲覧（閲覧記録: 誰が・いつ・誰の相談記録、案件の面談記録の非公開メモ、
  研修会の申込者の連絡先を見たか。閲覧した値そのものは記録しません）を記録します。
  コンソールのサインイン（成功・失敗・ロック・サインアウト）も記録します。記録は誰について
  のものか（相談者ID・参加申込ID）を持ち、監査担当は人ごと・職員ごと・期間ごとに
  `GET /audit-log` と `GET /audit-log.csv` で読めます（読んだこと自体も記録されます）。
  監査記録は変更も削除もできません（データベースが拒否します。消去の手続きだけが、理由と
  変更内容の個人情報を匿名化できます）。詳しくは `docs/audit.md`。

## 現在できていること・これから作るもの

本人からの開示・訂正・利用停止の請求（本人からの請求）への対応と、保存期間の管理について、
現在の状態は次のとおりです。

- **できていること**: 窓口職員と協議会の事務局は、相談者を氏名・ふりがな・電話番号・
  メールアドレス・事業者名で探し、その相談の記録を画面で見られます。相談内容の訂正と、
  外部専門家への共有の同意・撤回の記録ができます。研修会の申込者は、申込番号で自分の申込を
  確認し、取り消せます。再送された操作の控え（idempotency_keys）は一定時間（既定では24時間）、
  送信済みのイベントの控え（outbox）は一定日数（既定では7日）で自動的に削除し、期限の切れた
  サインインのセッションも削除します。市町村の職員など記録そのものを見る権限のない人に示す
  集計（実績報告、研修会の出席・アンケートの集計、研修会の開催イベント）では、人数が少なく
  個人が特定されるおそれのある区分（既定では3人未満、`TOSEI_SMALL_CELL_THRESHOLD`）を「―」と
  して秘匿します。サービスごとのバックアップと復元（`tosei backup` / `tosei restore`、手順は
  `docs/operations.md`）があります。バックアップにも個人情報が含まれるため、その保管場所と
  保存期間は記録そのものと同じく管理してください。
- **保存期間を過ぎた記録の消去**: 下に記す保存期間を過ぎた相談者の記録と研修会の申込者の
  連絡先は、毎日の処理（`tosei retention`、手順は `docs/operations.md`）で個人情報の項目だけを
  「（消去済み）」または空にします。市町村・区分・日付・成果・件数は残すため、過去の年度の
  集計は変わりません。変更の記録（audit_log）の理由と変更前後の値、再送された操作の控えも
  同時に消去します。訴訟等による保存が設定された相談者は消去せず、設定・解除は理由とともに
  記録します。本人からの消去請求には、協議会の事務局が期間の満了を待たずに同じ消去を行えます
  （訴訟等による保存がある間はできません）。
- 開示請求等を受け付ける組織の名称と所在地、ファイル簿への掲載の要否（本人の数が1,000人に
  満たないファイルなど）は、各市町村の定めによります。

## 本人からの請求への対応（開示・訂正・利用停止）

請求は、請求を受け付けた市町村の手続（本人確認を含む）に従い、協議会の事務局
（コーディネーター）が対応します。操作の手順は `docs/disclosure.md` にあります。

- **開示（保有個人情報開示）**: コンソールの相談者の画面の「本人開示」から、相談受付
  （相談者の氏名・ふりがな・すべての表記・電話番号・メールアドレス・事業者名、すべての相談の
  内容、共有の同意とその変更、重複した記録の統合）、案件管理（案件ごとの状態の経過・担当した
  支援人材・引継ぎ・外部専門家への依頼・面談の記録・成果）、在宅医療推進のための共同セミナー（相談者の
  メールアドレス・電話番号と、本人が示した連絡先で探した申込み・出席・アンケートの回答・
  修了証の発行の可否）を、一つの PDF（日本語、和暦の作成日、ページ番号付き）と一つの JSON に
  まとめて出力します。各記録には、訂正の前と後の値と理由、利用停止とその解除の履歴を載せます。
  開示したこと（誰が・いつ）は各サービスの変更記録（audit_log）に残ります。研修会の記録は
  氏名だけでは探しません（同姓同名の別人の記録を開示しないため）。
- **支援人材の非公開メモ**: 面談の記録のうち支援人材の非公開メモは、支援人材自身の所見であり、
  開示すると相談支援の事務の適正な遂行に支障を及ぼすおそれがあるもの（個人情報保護法
  第78条第1項第7号の不開示情報）として、既定では開示しません。開示書には、メモが何件あり、
  なぜ開示しないかを記します。協議会が開示すると定めた場合は、caseflow の設定
  `TOSEI_DISCLOSE_CONFIDENTIAL_NOTES=true` で開示に含めます。
- **訂正**: 開示するすべての項目に訂正の手段があります。相談者の氏名・ふりがな・電話番号・
  メールアドレス（相談者の画面）、相談ごとの内容・市町村・分野・段階・経路と、相談時の氏名・
  連絡先・事業者名（相談の画面）、共有の同意（同意・撤回の記録）、誤って記録した面談・成果の
  取消し（caseflow）、研修会の申込者の氏名・ふりがな・所属・メールアドレス・電話番号
  （seminar の `PATCH /registrations/{受付番号}/contacts`）、出席の訂正（seminar）。
  いずれも理由を必須とし、訂正の前と後の値を変更記録に残します。
- **利用停止**: 事務局は、理由を記録して相談者の記録の利用を停止できます（解除も理由を記録）。
  停止中は、その相談者に新しい相談を登録できず（電話番号・メールアドレスが一致すると窓口で
  止まります）、その案件を外部専門家に依頼できず、窓口職員の相談者の検索に表示されません。
  事務局と監査担当の画面には「利用停止中」と表示します。記録は消去しません（消去は別の請求です）。
  停止したことは、個人情報を含まないイベント（`client.use_stopped`）で案件管理サービスに伝えます。
  研修会の申込者の記録は相談者の記録とつながっていないため、利用停止の対象外です
  （申込みの取消しは申込者自身、または事務局が受付番号で行えます）。

## 列の分類

各表のすべての列を、次のいずれかに分類して宣言しています。宣言のない列がデータベースに
加わると `make test` が失敗するため、新しい列は必ずここに現れます。

| 分類 | 意味 |
|---|---|
| 個人情報 | そのファイルの本人（相談者・申込者など）に関する情報。保存期間の管理と開示の対象 |
| 職員等の識別情報 | 記録・変更した職員・支援人材・市町村職員の識別子（役割:利用者ID）など |
| 仮名の識別子 | 記録を指す無作為の ID や鍵付きの仮名。サービス自身の表がなければ人を特定できない |
| 個人情報ではない | 市町村コード・区分・日付・件数・状態など |
"""


def render_register(services: Mapping[str, ServiceSpec]) -> str:
    """The whole document, from the declarations of ``services`` (in their order)."""
    registers = [s.personal_data for s in services.values() if s.personal_data is not None]
    parts = [INTRODUCTION, "\n# 個人情報ファイル\n"]
    number = 0
    for register in registers:
        for personal_file in register.files:
            number += 1
            parts.append(_file_section(number, register, personal_file))
    parts.append(_other_tables(registers))
    parts.append(_platform_tables())
    return "\n".join(parts).rstrip() + "\n"


def stale_register(services: Mapping[str, ServiceSpec], path: Path) -> list[str]:
    """Why the committed document at ``path`` is not what the declarations generate."""
    if not path.exists():
        return [f"{path} is missing"]
    if path.read_text(encoding="utf-8") != render_register(services):
        return [f"{path} differs from the services' personal-data declarations"]
    return []


def _file_section(number: int, register: ServiceRegister, file: PersonalDataFile) -> str:
    rows = [
        ("ファイルの名称", file.name),
        ("保有するサービス", SERVICE_NAMES.get(register.service, register.service)),
        ("利用目的", file.purpose),
        ("記録項目", "、".join(file.items)),
        ("記録範囲", file.people),
        ("収集元", "、".join(file.sources)),
        ("収集方法", file.collection),
        ("保存期間", _period(file.retention)),
        ("提供先", file.recipients),
        ("閲覧できる者", file.access),
    ]
    lines = [f"## {number}. {file.name}", "", "| 記載事項 | 内容 |", "|---|---|"]
    lines += [f"| {label} | {text} |" for label, text in rows]
    for note in file.notes:
        lines += ["", f"- {note}"]
    for table in file.tables:
        lines += ["", *_columns_table(register.service, table)]
    return "\n".join(lines) + "\n"


def _columns_table(service: str, table: Table) -> list[str]:
    lines = [
        f"### 表 `{service}.{table.name}`: {table.description}",
        "",
        "| 列 | 分類 | 記録項目 | 保存期間 |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{name}` | {CATEGORY_LABELS[column.category]} | {column.item} | {_own_period(column)} |"
        for name, column in table.columns.items()
    ]
    return lines


def _own_period(column: Column) -> str:
    return _period(column.retention) if column.retention is not None else ""


def _period(retention: Retention) -> str:
    """The period as declared and, when the council can change it, by which setting (with the
    period in force when it is not set)."""
    if retention.setting_variable is None:
        return retention.text
    return (
        f"{retention.text}（協議会が設定 `{retention.setting_variable}` で変えられる。"
        f"既定は{retention.years}年。過ぎたものは `tosei retention` が消去する）"
    )


def _other_tables(registers: Sequence[ServiceRegister]) -> str:
    lines = [
        "# ファイルに含まれない表",
        "",
        "住民・事業者・申込者などの個人情報を持たない表です。職員等の識別情報の列は、",
        "記録・変更した者を示します。",
        "",
        "| 表 | 内容 | 職員等の識別情報の列 |",
        "|---|---|---|",
    ]
    for register in registers:
        for table in register.other_tables:
            staff = ", ".join(f"`{c}`" for c in table.of(Category.STAFF)) or "なし"
            lines.append(f"| `{register.service}.{table.name}` | {table.description} | {staff} |")
    return "\n".join(lines) + "\n"


def _platform_tables() -> str:
    lines = [
        "# 全サービスに共通の表",
        "",
        "各サービスのスキーマに同じ形で置かれる表です。",
        "",
    ]
    for table in PLATFORM_TABLES:
        lines += [*_columns_table("各サービス", table), ""]
    return "\n".join(lines)
