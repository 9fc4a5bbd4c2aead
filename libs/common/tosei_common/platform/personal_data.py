"""What personal data each service holds, declared in code: the register (個人情報ファイル簿) entry.

Every service declares, next to its SQL, every column of every table it owns: a personal item
(個人情報: 氏名, 連絡先, 相談内容 …) of the people a file is about, an identifier of the staff who
recorded something, a pseudonymous id, or nothing personal. Tables that hold personal data are
grouped into files (個人情報ファイル) with their purpose, sources, retention and recipients.

``docs/personal-data.md`` is generated from these declarations (``tosei personal-data``), and
``undeclared_columns`` compares them with the schema the migrations really build, so a new column
cannot arrive without someone saying what it holds. Retention, erasure and disclosure requests
build on the same declarations: ``Category.PERSONAL`` columns are what they erase or disclose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from tosei_common.platform.db import Connection


class Category(StrEnum):
    """What one column holds."""

    #: 個人情報 of the people the file is about (clients, registrants, …): erased or disclosed
    #: with their record.
    PERSONAL = "personal"
    #: Who recorded or changed something (``role:subject`` of a staff member, an expert, an
    #: officer): personal information about staff in the course of their duties.
    STAFF = "staff"
    #: A pseudonymous id (a UUID, a keyed pseudonym): identifies a record, not a person, without
    #: the service's own tables.
    PSEUDONYM = "pseudonym"
    #: Nothing about a person: codes, categories, dates, counts, states.
    NONE = "none"


CATEGORY_LABELS: Mapping[Category, str] = {
    Category.PERSONAL: "個人情報",
    Category.STAFF: "職員等の識別情報",
    Category.PSEUDONYM: "仮名の識別子",
    Category.NONE: "個人情報ではない",
}


@dataclass(frozen=True)
class Column:
    """One column's classification and, in Japanese, what it records (記録項目)."""

    category: Category
    item: str = ""
    #: A period of its own, when it differs from its file's (a registrant's contacts go
    #: before the names on their certificate).
    retention: Retention | None = None

    def __post_init__(self) -> None:
        if self.category is not Category.NONE and not self.item:
            raise ValueError(f"a {self.category} column names the item it records")


def personal(item: str, retention: Retention | None = None) -> Column:
    """A personal item of the file's people: 氏名, 電話番号, 相談内容 …"""
    return Column(Category.PERSONAL, item, retention)


def staff(item: str = "記録した職員等の識別子") -> Column:
    """Who recorded or changed the row (a ``role:subject``), or a staff member's own data."""
    return Column(Category.STAFF, item)


def pseudonym(item: str) -> Column:
    """A pseudonymous id: 相談者ID, 案件ID …"""
    return Column(Category.PSEUDONYM, item)


def not_personal(item: str = "") -> Column:
    """Nothing about a person."""
    return Column(Category.NONE, item)


@dataclass(frozen=True)
class Table:
    """A table and every one of its columns, classified."""

    name: str
    #: What one row is, in Japanese.
    description: str
    columns: Mapping[str, Column]

    def of(self, category: Category) -> list[str]:
        return [name for name, column in self.columns.items() if column.category is category]

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.of(Category.PERSONAL))


@dataclass(frozen=True)
class Retention:
    """保存期間 as the council intends it. ``years`` counted from ``counted_from``; ``None``: no
    fixed period (kept as long as the record is needed, e.g. a certificate as issued)."""

    text: str
    years: int | None = None
    counted_from: str | None = None
    #: The setting (``Settings`` field, ``TOSEI_<NAME>`` in the environment) by which the
    #: council changes ``years``; the retention job erases by the period in force.
    setting: str | None = None

    def years_in_force(self, settings: object) -> int | None:
        """The period the council set (``setting``), or the declared one."""
        if self.setting is not None:
            chosen = getattr(settings, self.setting, None)
            if chosen is not None:
                return int(chosen)
        return self.years

    @property
    def setting_variable(self) -> str | None:
        """The environment variable of ``setting``: ``TOSEI_RETENTION_DESK_YEARS``."""
        return f"TOSEI_{self.setting.upper()}" if self.setting else None


@dataclass(frozen=True)
class PersonalDataFile:
    """個人情報ファイル: a set of records about people, kept for one purpose."""

    #: ファイルの名称
    name: str
    #: 利用目的
    purpose: str
    #: 記録範囲: whose records these are.
    people: str
    #: 収集元 (本人, 職員, 旧窓口の台帳 …)
    sources: Sequence[str]
    #: 収集方法
    collection: str
    retention: Retention
    #: 閲覧・変更できる者 (the roles the service lets in).
    access: str
    tables: Sequence[Table]
    #: 提供先: nobody outside the service; what leaves it on a topic is pseudonymous.
    recipients: str = "なし（サービスの外には提供しない。イベントには個人情報を載せない）"
    #: Anything the privacy officer should know that the items above do not say.
    notes: Sequence[str] = ()

    @property
    def items(self) -> list[str]:
        """記録項目: every personal item of the file, in the order first declared."""
        seen: dict[str, None] = {}
        for table in self.tables:
            for column in table.columns.values():
                if column.category is Category.PERSONAL:
                    seen.setdefault(column.item, None)
        return list(seen)


@dataclass(frozen=True)
class ServiceRegister:
    """One service's declaration: its files, and its tables that are in no file."""

    service: str
    #: The module that declares it, named in the messages of the completeness check.
    declared_in: str
    files: Sequence[PersonalDataFile] = ()
    #: Tables about no one in particular (lists, read models of pseudonymous events …).
    other_tables: Sequence[Table] = ()

    @property
    def tables(self) -> list[Table]:
        return [t for f in self.files for t in f.tables] + list(self.other_tables)

    def problems(self) -> list[str]:
        """Declarations that contradict themselves (found without a database)."""
        found: list[str] = []
        names = [t.name for t in self.tables]
        for name in sorted({n for n in names if names.count(n) > 1}):
            found.append(f"{self.service}.{name} is declared more than once ({self.declared_in})")
        for table in self.other_tables:
            if table.holds_personal_data:
                found.append(
                    f"{self.service}.{table.name} holds personal data "
                    f"({', '.join(table.of(Category.PERSONAL))}) but is in no file: "
                    f"put it in a PersonalDataFile in {self.declared_in}"
                )
        return found


#: The platform's own tables, in every service's schema (tosei_common/platform/sql and the
#: migration runner's ``schema_migrations``).
PLATFORM_TABLES: Sequence[Table] = (
    Table(
        "outbox",
        "送信待ち・送信済みのイベント（公開済みの行は一定日数後に削除）",
        {
            "seq": not_personal("記録順"),
            "id": pseudonym("イベントID"),
            "topic": not_personal("トピック"),
            "aggregate_type": not_personal("対象の種類"),
            "aggregate_id": pseudonym("対象ID"),
            "type": not_personal("イベントの種類"),
            "source": not_personal("送信元サービス"),
            "occurred_at": not_personal("発生日時"),
            "payload": not_personal("イベントの内容（仮名ID・団体コード・区分・日付・件数のみ）"),
            "created_at": not_personal("記録日時"),
            "published_at": not_personal("送信日時"),
            "attempts": not_personal("送信試行回数"),
            "last_error": not_personal("直近の送信エラー"),
        },
    ),
    Table(
        "inbox",
        "受信済みイベントの記録（二重処理の防止）",
        {
            "event_id": pseudonym("イベントID"),
            "type": not_personal("イベントの種類"),
            "source": not_personal("送信元サービス"),
            "topic": not_personal("トピック"),
            "partition": not_personal("パーティション"),
            "offset": not_personal("オフセット"),
            "received_at": not_personal("受信日時"),
        },
    ),
    Table(
        "dead_letters",
        "処理できなかったイベントの記録（運用者向け）",
        {
            "id": not_personal("記録番号"),
            "event_id": pseudonym("イベントID"),
            "type": not_personal("イベントの種類"),
            "topic": not_personal("トピック"),
            "partition": not_personal("パーティション"),
            "offset": not_personal("オフセット"),
            "reason": not_personal("理由の区分"),
            "error": not_personal("エラーの内容"),
            "attempts": not_personal("試行回数"),
            "created_at": not_personal("記録日時"),
        },
    ),
    Table(
        "idempotency_keys",
        "再送された操作の二重実行を防ぐための、操作とその応答の控え（一定時間後に削除）",
        {
            "caller": staff("操作した者の識別子"),
            "key": not_personal("再送識別キー"),
            "fingerprint": not_personal("操作内容のハッシュ値"),
            "status": not_personal("応答の状態コード"),
            "headers": not_personal("応答のヘッダー"),
            "body": personal("操作の応答（登録・変更した記録の内容を含みうる）"),
            "created_at": not_personal("記録日時"),
        },
    ),
    Table(
        "audit_log",
        "変更と閲覧の記録（監査記録）: 誰が・いつ・どの記録の・どの項目を・なぜ変更したか、"
        "誰が・いつ・誰の記録のどの部分を閲覧したか（閲覧した値そのものは記録しない）",
        {
            "id": not_personal("記録番号"),
            "at": not_personal("変更・閲覧の日時"),
            "actor": staff("変更・閲覧した者の識別子"),
            "entity": not_personal("記録の種類"),
            "entity_id": pseudonym("記録のID"),
            "action": not_personal("操作の種類"),
            "reason": personal("変更の理由（自由記述）"),
            "changes": personal("変更前後の値（閲覧の記録では、閲覧した部分の名前だけ）"),
            "subject_id": pseudonym("記録が誰についてのものか（相談者ID・参加申込ID等）"),
        },
    ),
    Table(
        "schema_migrations",
        "適用済みのデータベース定義の変更",
        {
            "source": not_personal(),
            "version": not_personal(),
            "name": not_personal(),
            "checksum": not_personal(),
            "applied_at": not_personal(),
        },
    ),
)

PLATFORM_DECLARED_IN = "tosei_common.platform.personal_data.PLATFORM_TABLES"


def undeclared_columns(
    register: ServiceRegister,
    actual: Mapping[str, Sequence[str]],
    platform_tables: Iterable[Table] = PLATFORM_TABLES,
) -> list[str]:
    """Where the declarations and the real schema (table → its columns) disagree, one sentence
    each: a column or table nobody classified, and a declared one that does not exist."""
    declared: dict[str, tuple[Table, str]] = {
        t.name: (t, register.declared_in) for t in register.tables
    }
    for table in platform_tables:
        declared.setdefault(table.name, (table, PLATFORM_DECLARED_IN))
    found = list(register.problems())
    where = register.service
    for name in sorted(actual):
        if name not in declared:
            found.append(
                f"{where}.{name}: table not declared; classify each of its columns "
                f"({', '.join(actual[name])}) in {register.declared_in}"
            )
            continue
        table, module = declared[name]
        for column in actual[name]:
            if column not in table.columns:
                found.append(
                    f"{where}.{name}.{column}: column not declared; classify it (personal, "
                    f"staff, pseudonym or not_personal) in {module}"
                )
        for column in table.columns:
            if column not in actual[name]:
                found.append(
                    f"{where}.{name}.{column}: declared in {module} but the table has no such "
                    "column"
                )
    for name in sorted(set(declared) - set(actual)):
        table, module = declared[name]
        if module == register.declared_in:
            found.append(f"{where}.{name}: declared in {module} but the schema has no such table")
    return found


async def schema_columns(conn: Connection, schema: str) -> dict[str, list[str]]:
    """Every table of ``schema`` and its columns, in their order, as the database has them."""
    rows = await conn.fetch(
        """
        SELECT c.table_name, c.column_name
          FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name, c.ordinal_position
        """,
        schema,
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["table_name"], []).append(row["column_name"])
    return found
