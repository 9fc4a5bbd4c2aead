"""The plan's past, from the coordinators' spreadsheet: the items as adopted (策定, December
2020), then every year's revisions (改定), additions (追加) and retirements (廃止), each with the
day it was decided and why.

One sheet, one row per decision about one item, the item named by its 事業番号 (the plan's own
number). Nothing here touches the database: the rows become the changes to record, each dated
when it was decided, or line-numbered problems naming the column; one problem anywhere and
nothing is recorded. The same rules as a live change apply (status transitions, fiscal years in
order, known lists); on top, a decision cannot be in the future, an item's rows run in date
order, and an item already changed through the API cannot be given an imported past: its
versions are already announced, and an imported revision would sit before, between or after
them out of the order in which they were decided.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from tosei_common.catalogue.resilience import PlanItemStatus, RetirementReason
from tosei_common.platform.errors import Language, Message, ServiceError, Unprocessable
from tosei_common.region.exports import Sheet, SheetRow
from tosei_common.region.fiscal import TOKYO, fiscal_year, parse_date, tokyo_date
from tosei_common.region.inputs import check_fiscal_year, check_text
from tosei_common.region.said import InputError
from tosei_common.region.sheet_import import FileProblem, RowProblem
from tosei_common.region.text import tidy
from tosei_resilience.domain.funding import FundingProgramme
from tosei_resilience.domain.labels import REGION_NAME, RETIREMENT, STATUS, owner_code
from tosei_resilience.domain.plan_item import (
    BY_LINEAGE,
    Change,
    PlanItem,
    PlanItemContent,
    add_item,
    retire_by_decision,
    revise_item,
)
from tosei_resilience.domain.reference import PolicyArea, Scenario
from tosei_resilience.domain.revisions import RevisionKind

T = TypeVar("T")


class RowKind(StrEnum):
    ADOPTED = "adopted"  # 策定: an item of the plan as adopted
    ADDED = "added"  # 追加: an item added at a later revision
    REVISED = "revised"  # 改定: a revision of an item
    RETIRED = "retired"  # 廃止: the item left the plan


ROW_KIND = {
    RowKind.ADOPTED: "策定",
    RowKind.ADDED: "追加",
    RowKind.REVISED: "改定",
    RowKind.RETIRED: "廃止",
}
_KIND_WORDS = {
    **{label: kind for kind, label in ROW_KIND.items()},
    **{kind.value: kind for kind in RowKind},
    "変更": RowKind.REVISED,
    "見直し": RowKind.REVISED,
}
CREATING = frozenset({RowKind.ADOPTED, RowKind.ADDED})

KIND, DECIDED, NUMBER, REASON, RETIREMENT_COLUMN = "種別", "決定日", "事業番号", "理由", "廃止理由"
#: The columns of what an item says, named as the plan's export names them.
FIELD_COLUMNS: dict[str, str] = {
    "title": "事業名",
    "municipality": "実施主体",
    "risk_scenario": "起きてはならない最悪の事態",
    "policy_area": "施策分野",
    "lead_department": "担当部署",
    "estimated_cost_yen": "概算事業費（円）",
    "fiscal_year_from": "実施年度（開始）",
    "fiscal_year_to": "実施年度（終了）",
    "status": "進捗状況",
    "funding_programmes": "活用する交付金・補助金",
}
HEADERS: tuple[str, ...] = (
    KIND,
    DECIDED,
    NUMBER,
    REASON,
    *FIELD_COLUMNS.values(),
    RETIREMENT_COLUMN,
)
REQUIRED: tuple[str, ...] = (KIND, DECIDED, NUMBER)
#: What an adopted or added item must say (cost and programmes may be left empty).
REQUIRED_FOR_NEW = (
    "title",
    "municipality",
    "risk_scenario",
    "policy_area",
    "lead_department",
    "fiscal_year_from",
    "fiscal_year_to",
)
#: Columns of the plan's export that an import reads past (derived, or shown only).
IGNORED: tuple[str, ...] = ("版", "重点化・要件化", "備考")
_ALIASES = {
    "区分": KIND,
    "変更種別": KIND,
    "決定年月日": DECIDED,
    "議決日": DECIDED,
    "日付": DECIDED,
    "No": NUMBER,
    "No.": NUMBER,
    "番号": NUMBER,
    "変更理由": REASON,
    "改定理由": REASON,
    "市町村": "実施主体",
    "最悪の事態": "起きてはならない最悪の事態",
    "リスクシナリオ": "起きてはならない最悪の事態",
    "担当課": "担当部署",
    "概算事業費": "概算事業費（円）",
    "事業費": "概算事業費（円）",
    "開始年度": "実施年度（開始）",
    "終了年度": "実施年度（終了）",
    "状況": "進捗状況",
    "進捗": "進捗状況",
    "交付金・補助金": "活用する交付金・補助金",
}
_COLUMN_OF = {f: c for f, c in FIELD_COLUMNS.items()} | {"retirement": RETIREMENT_COLUMN}
#: The reason recorded for an adopted item when its row gives none.
ADOPTION_REASON = "国土強靱化地域計画の策定"
MAX_NUMBER = 99_999
MAX_COST = 10**13

_STATUS_WORDS = {
    **{label: status for status, label in STATUS.items()},
    **{status.value: status for status in PlanItemStatus},
    "実施": PlanItemStatus.IN_PROGRESS,
    "未着手": PlanItemStatus.PLANNED,
}
_RETIREMENT_WORDS = {
    **{label: reason for reason, label in RETIREMENT.items()},
    **{reason.value: reason for reason in RetirementReason},
    "完了": RetirementReason.COMPLETED,
}
_NONE_WORDS = frozenset({"なし", "無し", "-", "－", "―", "none"})


def _key(text: str) -> str:
    """How headers and coded words are compared: NFKC, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


_HEADER_KEYS = {_key(h): h for h in (*HEADERS, *IGNORED)} | {
    _key(alias): h for alias, h in _ALIASES.items()
}


@dataclass(frozen=True)
class OnRecord:
    """An item already in the plan, as the import needs to see it."""

    item: PlanItem
    last_at: datetime  # its latest revision took effect then
    live_from: datetime | None = None  # its revisions made through the API: first and last
    live_to: datetime | None = None
    live_versions: tuple[int, int] | None = None  # first and last live version


@dataclass(frozen=True)
class PlanLists:
    """What a row may name: the plan's scenarios, policy areas and funding programmes."""

    scenarios: Mapping[str, Scenario]
    areas: Mapping[str, PolicyArea]
    programmes: Mapping[UUID, FundingProgramme]


@dataclass(frozen=True)
class ImportedChange:
    """One row's change, to be recorded as taking effect at ``at`` (the decision day)."""

    line: int
    row_kind: RowKind
    change: Change
    decided_on: date
    reason: str

    @property
    def at(self) -> datetime:
        return decision_moment(self.decided_on)

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.decided_on)


@dataclass(frozen=True)
class YearCount:
    fiscal_year: int
    added: int = 0
    revised: int = 0
    retired: int = 0


@dataclass
class HistoryPlan:
    """What an import would record (in the order to record it) or the rows that stop it."""

    file: str
    encoding: str
    rows: int
    changes: list[ImportedChange] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    numbers: dict[int, str] = field(default_factory=dict)  # 事業番号 as written, by line

    def number_on(self, line: int) -> str:
        return self.numbers.get(line, "")

    @property
    def ok(self) -> bool:
        return not self.rejected and bool(self.changes)

    @property
    def items(self) -> int:
        return len({c.change.item.id for c in self.changes})

    @property
    def new_items(self) -> int:
        return sum(1 for c in self.changes if c.change.kind is RevisionKind.ADDED)

    @property
    def by_fiscal_year(self) -> list[YearCount]:
        counts: dict[int, Counter[RevisionKind]] = {}
        for c in self.changes:
            counts.setdefault(c.fiscal_year, Counter())[c.change.kind] += 1
        return [
            YearCount(
                fy,
                added=n[RevisionKind.ADDED],
                revised=n[RevisionKind.REVISED],
                retired=n[RevisionKind.RETIRED],
            )
            for fy, n in sorted(counts.items())
        ]


class HistoryRefused(Unprocessable):
    """A real import with any refused row: nothing is recorded; the rows say why."""

    def __init__(self, plan: HistoryPlan) -> None:
        first = plan.rejected[0]
        super().__init__(
            f"取り込みませんでした。{len(plan.rejected)}行に問題があります"
            f"（{first.line}行目: {first.reasons[0].ja}）。"
            "すべての行を直してから、もう一度取り込んでください",
            en=f"nothing was imported: {len(plan.rejected)} rows are refused "
            f"(line {first.line}: {first.reasons[0].en})",
            fields={
                "file": Message(
                    f"{plan.file}: {len(plan.rejected)}行に問題があります",
                    f"{plan.file}: {len(plan.rejected)} rows refused",
                )
            },
        )
        self.plan = plan

    def body(self, language: Language = "ja") -> dict[str, Any]:
        body = super().body(language)
        body["rejected"] = [
            {
                "line": p.line,
                "number": self.plan.number_on(p.line),
                "reasons": p.reasons_in(language),
            }
            for p in self.plan.rejected
        ]
        return body


def decision_moment(day: date) -> datetime:
    """A decision takes effect from the start of its day in Japan."""
    return datetime.combine(day, time.min, TOKYO)


@dataclass(frozen=True)
class _Row:
    line: int
    kind: RowKind
    day: date
    number: int
    reason: str | None
    values: dict[str, Any]  # the item's fields the row gives (empty cells: unchanged)
    retirement: RetirementReason | None


def plan_history(
    sheet: Sheet,
    on_record: Mapping[int, OnRecord],
    lists: PlanLists,
    *,
    today: date,
    new_id: Callable[[], UUID],
) -> HistoryPlan:
    """Every row of the sheet as the change it records, or the reasons it cannot be.

    ``on_record``: the items already in the plan, by 事業番号. ``today``: the day in Japan
    (no decision after it). ``new_id``: ids for the items the file adds."""
    columns = _columns(sheet)
    plan = HistoryPlan(sheet.name, sheet.encoding, len(sheet.rows))
    if not sheet.rows:
        raise FileProblem(
            f"{sheet.name}: 見出しの下に行がありません", f"{sheet.name}: no rows under the header"
        )
    rows: list[_Row] = []
    for sheet_row in sheet.rows:
        cells = {name: sheet_row.values.get(original, "") for name, original in columns.items()}
        plan.numbers[sheet_row.line] = cells.get(NUMBER, "")
        parsed = _parse_row(cells, sheet_row, lists, today)
        if isinstance(parsed, _Row):
            rows.append(parsed)
        else:
            plan.rejected.append(RowProblem(sheet.name, sheet_row.line, tuple(parsed)))
    by_number: dict[int, list[_Row]] = {}
    for row in rows:
        by_number.setdefault(row.number, []).append(row)
    unusable = {p.line for p in plan.rejected}
    adopted_on = next((r.day for r in rows if r.kind is RowKind.ADOPTED), None)
    for number, item_rows in by_number.items():
        recorded = on_record.get(number)
        _item_history(number, item_rows, recorded, adopted_on, plan, unusable, new_id)
    plan.rejected.sort(key=lambda p: p.line)
    plan.changes.sort(key=lambda c: (c.decided_on, c.line))
    return plan


def numbers_named(sheet: Sheet) -> set[int]:
    """The 事業番号 the sheet's rows name (the plan's records of them are needed to check it);
    a number that cannot be read is refused later, by its row."""
    column = _columns(sheet)[NUMBER]
    found: set[int] = set()
    for row in sheet.rows:
        try:
            found.add(_number(row.values.get(column, "")))
        except InputError:
            continue
    return found


def _columns(sheet: Sheet) -> dict[str, str]:
    """The sheet's headers by their canonical names; unknown or missing ones stop the file."""
    columns: dict[str, str] = {}
    unknown: list[str] = []
    for header in sheet.header:
        if not header:
            continue
        canonical = _HEADER_KEYS.get(_key(header))
        if canonical is None:
            unknown.append(header)
        elif canonical not in IGNORED:
            columns[canonical] = header
    accepted = "、".join(HEADERS)
    if unknown:
        raise FileProblem(
            f"{sheet.name}: 見出し「{'」「'.join(unknown)}」は取り込めません（使える見出し: "
            f"{accepted}）。重要業績指標（KPI）は取り込みの後に画面で入力してください",
            f"{sheet.name}: unknown headers {', '.join(unknown)} (expected {accepted})",
        )
    missing = "、".join(h for h in REQUIRED if h not in columns)
    if missing:
        found = "、".join(h for h in sheet.header if h)
        raise FileProblem(
            f"{sheet.name}: 見出し行に{missing}がありません（見つかった見出し: {found or 'なし'}。"
            f"使える見出し: {accepted}）",
            f"{sheet.name}: the header row lacks {missing} (found: {found or 'none'})",
        )
    return columns


def _parse_row(
    cells: dict[str, str], row: SheetRow, lists: PlanLists, today: date
) -> _Row | list[Message]:
    reasons: list[Message] = []

    def check(column: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(cells.get(column, ""))
        except InputError as exc:
            reasons.append(Message(f"{column}: {exc.message.ja}", f"{column}: {exc.message.en}"))
            return None

    kind = check(KIND, _kind)
    day = check(DECIDED, lambda v: _decided(v, today))
    number = check(NUMBER, _number)
    reason = check(REASON, _reason)
    parsers: dict[str, Callable[[str], Any]] = {
        "title": lambda v: check_text(v, max_length=200),
        "municipality": owner_code,
        "risk_scenario": lambda v: _scenario(v, lists.scenarios),
        "policy_area": lambda v: _area(v, lists.areas),
        "lead_department": lambda v: check_text(v, max_length=100),
        "estimated_cost_yen": _cost,
        "fiscal_year_from": check_fiscal_year,
        "fiscal_year_to": check_fiscal_year,
        "status": _status,
        "funding_programmes": lambda v: _programmes(v, lists.programmes),
    }
    values: dict[str, Any] = {}
    for name, parse in parsers.items():
        column = FIELD_COLUMNS[name]
        if cells.get(column, "").strip():
            told = len(reasons)
            parsed = check(column, parse)
            if len(reasons) == told:  # None is a value too: 圏域全体, or a cost of なし
                values[name] = parsed
    retirement = None
    if cells.get(RETIREMENT_COLUMN, "").strip():
        retirement = check(RETIREMENT_COLUMN, _retirement)
    if kind is not None:
        reasons += _row_rules(kind, cells, reason, retirement)
    if reasons:
        return reasons
    # without reasons every check returned its value
    assert kind is not None
    assert day is not None
    assert number is not None
    return _Row(row.line, kind, day, number, reason, values, retirement)


def _row_rules(
    kind: RowKind, cells: dict[str, str], reason: str | None, retirement: RetirementReason | None
) -> list[Message]:
    """What each kind of row must (and must not) say."""
    said: list[Message] = []
    given = [f for f, column in FIELD_COLUMNS.items() if cells.get(column, "").strip()]
    if kind in CREATING:
        for name in REQUIRED_FOR_NEW:
            if name not in given:
                column = FIELD_COLUMNS[name]
                hint = f"（圏域全体の事業なら{REGION_NAME}）" if name == "municipality" else ""
                said.append(
                    Message(
                        f"{column}: {ROW_KIND[kind]}の行には入力が必要です{hint}",
                        f"{column}: required on a {kind.value} row",
                    )
                )
    if kind is not RowKind.ADOPTED and reason is None:
        said.append(
            Message(
                f"{REASON}: {ROW_KIND[kind]}の理由を入力してください",
                f"{REASON}: say why the item was {kind.value}",
            )
        )
    if kind is RowKind.REVISED and not given:
        said.append(
            Message(
                f"{KIND}: 改定の行に変わった項目がありません（変わった列だけ入力してください）",
                f"{KIND}: a revised row changes nothing (fill in the columns that changed)",
            )
        )
    if kind is RowKind.RETIRED and retirement is None and not cells.get(RETIREMENT_COLUMN):
        said.append(
            Message(
                f"{RETIREMENT_COLUMN}: 事業完了・廃止・その他のいずれかを入力してください",
                f"{RETIREMENT_COLUMN}: completed, abolished or other",
            )
        )
    if kind is not RowKind.RETIRED and cells.get(RETIREMENT_COLUMN, "").strip():
        said.append(
            Message(
                f"{RETIREMENT_COLUMN}: 種別が廃止の行にだけ入力します",
                f"{RETIREMENT_COLUMN}: only on a retired row",
            )
        )
    return said


def _item_history(
    number: int,
    rows: list[_Row],
    recorded: OnRecord | None,
    adopted_on: date | None,
    plan: HistoryPlan,
    unusable: set[int],
    new_id: Callable[[], UUID],
) -> None:
    """One item's rows, in file order, as its revisions after what the plan already holds.

    After a refused row the item's later rows are not checked (they would only repeat it)."""
    state = recorded.item if recorded else None
    last_day = tokyo_date(recorded.last_at) if recorded else None
    refused_at: int | None = None
    for row in rows:
        if refused_at is None and row.line in unusable:
            refused_at = row.line
        if refused_at is not None:
            if row.line not in unusable:
                plan.rejected.append(_refused(plan, row, _after_refused(number, refused_at)))
            continue
        try:
            _place(row, state, recorded, last_day, adopted_on, number)
            change = _change(row, state, number, new_id)
        except ServiceError as exc:
            plan.rejected.append(_refused(plan, row, _domain_said(exc, row)))
            refused_at = row.line
            continue
        reason = row.reason or ADOPTION_REASON
        plan.changes.append(ImportedChange(row.line, row.kind, change, row.day, reason))
        state = change.item
        last_day = row.day


def _place(
    row: _Row,
    state: PlanItem | None,
    recorded: OnRecord | None,
    last_day: date | None,
    adopted_on: date | None,
    number: int,
) -> None:
    """Refuse (``_RowSaid``) a row that cannot take its place in the item's history."""
    said = _placement(row, state, recorded, last_day, adopted_on, number)
    if said is not None:
        raise _RowSaid(said)


def _placement(
    row: _Row,
    state: PlanItem | None,
    recorded: OnRecord | None,
    last_day: date | None,
    adopted_on: date | None,
    number: int,
) -> Message | None:
    if recorded is not None and recorded.live_from is not None:
        return _live_refusal(row, recorded)
    if row.kind in CREATING:
        if recorded is not None:
            return Message(
                f"{NUMBER}: 事業番号{number}はすでに計画にあります"
                f"（{recorded.item.label.ja}、{tokyo_date(recorded.last_at)}まで取込済み）",
                f"{NUMBER}: item No.{number} is in the plan already",
            )
        if state is not None:
            return Message(
                f"{KIND}: 事業番号{number}はこのファイルの前の行ですでに"
                f"{'策定' if row.kind is RowKind.ADOPTED else '追加'}されています",
                f"{KIND}: item No.{number} was already added by an earlier row",
            )
        if row.kind is RowKind.ADOPTED and adopted_on is not None and row.day != adopted_on:
            return Message(
                f"{DECIDED}: 計画の策定日は一つです（最初の策定の行は{adopted_on.isoformat()}）",
                f"{DECIDED}: the plan was adopted on one day ({adopted_on.isoformat()})",
            )
    elif state is None:
        return Message(
            f"{NUMBER}: 事業番号{number}は計画になく、このファイルにも策定・追加の行がありません"
            "（最初の行を種別「策定」か「追加」にしてください）",
            f"{NUMBER}: no item No.{number} in the plan and no adopted/added row for it",
        )
    if adopted_on is not None and row.day < adopted_on:
        return Message(
            f"{DECIDED}: {row.day.isoformat()}は計画の策定（{adopted_on.isoformat()}）より前です",
            f"{DECIDED}: {row.day.isoformat()} is before the plan's adoption "
            f"({adopted_on.isoformat()})",
        )
    if last_day is not None and row.day < last_day:
        return Message(
            f"{DECIDED}: {row.day.isoformat()}は、この事業の前の決定（{last_day.isoformat()}）"
            "より前です。同じ事業の行は決定日の順に並べてください",
            f"{DECIDED}: {row.day.isoformat()} is before the item's previous decision "
            f"({last_day.isoformat()}); order an item's rows by date",
        )
    return None


def _live_refusal(row: _Row, recorded: OnRecord) -> Message:
    """An item changed through the API keeps the history it has: its versions are announced."""
    assert recorded.live_from is not None
    assert recorded.live_to is not None
    assert recorded.live_versions is not None
    first, last = tokyo_date(recorded.live_from), tokyo_date(recorded.live_to)
    low, high = recorded.live_versions
    versions = f"第{low}版" if low == high else f"第{low}版〜第{high}版"
    moment = decision_moment(row.day)
    if moment <= recorded.live_from:
        where, en = "より前", "before"
    elif moment <= recorded.live_to:
        where, en = "の間", "between"
    else:
        where, en = "より後", "after"
    span = first.isoformat() if first == last else f"{first.isoformat()}〜{last.isoformat()}"
    return Message(
        f"{DECIDED}: {recorded.item.label.ja}は{span}に画面・APIで記録された変更（{versions}）が"
        f"あり、{row.day.isoformat()}の取り込みはそれ{where}に入ります。記録済みの変更がある事業に"
        "は、その前にも間にも後にも履歴を取り込めません。この事業の行を外してください",
        f"{DECIDED}: {recorded.item.label.en} has revisions recorded live ({span}, {versions}); "
        f"{row.day.isoformat()} would fall {en} them. An item changed live takes no imported "
        "history; leave its rows out",
    )


def _change(row: _Row, state: PlanItem | None, number: int, new_id: Callable[[], UUID]) -> Change:
    if row.kind in CREATING:
        values = {"status": PlanItemStatus.PLANNED, "estimated_cost_yen": None} | row.values
        values.setdefault("funding_programmes", ())
        content = PlanItemContent(**values, kpis=())
        return add_item(new_id(), number, content)
    assert state is not None
    if row.kind is RowKind.REVISED:
        return revise_item(state, expected_version=state.version, changes=row.values)
    assert row.retirement is not None
    _ensure_unchanged_on_retirement(row, state)
    return retire_by_decision(state, expected_version=state.version, reason=row.retirement)


def _ensure_unchanged_on_retirement(row: _Row, state: PlanItem) -> None:
    current = state.model_dump()
    differ = [
        FIELD_COLUMNS[f] for f, v in row.values.items() if _comparable(v) != _comparable(current[f])
    ]
    if differ:
        raise _RowSaid(
            Message(
                f"{'・'.join(differ)}: 廃止の行では事業の内容は変えられません"
                "（変わった内容は、前に改定の行を置いて記録してください）",
                f"{', '.join(differ)}: a retired row changes nothing else; add a revised row first",
            )
        )


def _comparable(value: Any) -> Any:
    return tuple(sorted(map(str, value))) if isinstance(value, tuple | list) else value


class _RowSaid(ServiceError):
    def __init__(self, said: Message) -> None:
        super().__init__(said.ja, en=said.en)


def _domain_said(exc: ServiceError, row: _Row) -> Message:
    """A domain rule's refusal, named by the row's column(s)."""
    if isinstance(exc, _RowSaid):
        return exc.message
    named = [_COLUMN_OF[f] for f in exc.fields if f in _COLUMN_OF]
    if not named:
        named = [FIELD_COLUMNS["status"]] if "status" in row.values else [KIND]
    columns = "・".join(dict.fromkeys(named))
    return Message(f"{columns}: {exc.message.ja}", f"{columns}: {exc.message.en}")


def _refused(plan: HistoryPlan, row: _Row, said: Message) -> RowProblem:
    return RowProblem(plan.file, row.line, (said,))


def _after_refused(number: int, line: int) -> Message:
    return Message(
        f"{NUMBER}: 事業番号{number}の前の行（{line}行目）に問題があるため、"
        "この行は確かめていません",
        f"{NUMBER}: not checked, as an earlier row of item No.{number} (line {line}) is refused",
    )


# cells ---------------------------------------------------------------------------------------


def _missing() -> InputError:
    return InputError("入力がありません", "missing")


def _kind(value: str) -> RowKind:
    if not value.strip():
        raise _missing()
    found = _KIND_WORDS.get(_key(value))
    if found is None:
        raise InputError(
            f"「{value}」は使えません。策定・追加・改定・廃止のいずれかを入力してください",
            f"{value!r}: use 策定 (adopted), 追加 (added), 改定 (revised) or 廃止 (retired)",
        )
    return found


def _decided(value: str, today: date) -> date:
    if not value.strip():
        raise InputError("日付がありません", "no date")
    day = parse_date(value)  # DateParseError says why, in both languages
    if day > today:
        raise InputError(
            f"{day.isoformat()}は未来の日付です（今日は{today.isoformat()}）。"
            "決定された日を入力してください",
            f"{day.isoformat()} is in the future (today is {today.isoformat()})",
        )
    return day


_NUMBER = re.compile(r"^(?:no\.?|№)?(\d{1,6})$")


def _number(value: str) -> int:
    if not value.strip():
        raise _missing()
    m = _NUMBER.match(_key(value))
    number = int(m[1]) if m else 0
    if not 1 <= number <= MAX_NUMBER:
        raise InputError(
            f"「{value}」は事業番号として使えません（1〜{MAX_NUMBER}の番号を入力してください）",
            f"{value!r} is not an item number (1-{MAX_NUMBER})",
        )
    return number


def _reason(value: str) -> str | None:
    if not value.strip():
        return None
    return check_text(value, max_length=1000, multiline=True)


def _scenario(value: str, scenarios: Mapping[str, Scenario]) -> str:
    text = unicodedata.normalize("NFKC", value).strip()
    if (m := re.match(r"^(\d{1,2}-\d{1,2})(?:\s|$)", text)) and m[1] in scenarios:
        return m[1]
    by_name = {tidy(s.name): s.code for s in scenarios.values()}
    if (code := by_name.get(tidy(text))) is not None:
        return code
    raise InputError(
        f"「{value}」は計画の起きてはならない最悪の事態にありません（「1-6」のように番号で"
        "入力してください。一覧は GET /risk-scenarios）",
        f"{value!r} is not one of the plan's risk scenarios (write its code, e.g. 1-6)",
    )


def _area(value: str, areas: Mapping[str, PolicyArea]) -> str:
    text = value.strip()
    if text in areas:
        return text
    by_name = {tidy(a.name): a.code for a in areas.values()}
    if (code := by_name.get(tidy(text))) is not None:
        return code
    names = "・".join(a.name for a in areas.values())
    raise InputError(
        f"「{value}」は計画の施策分野にありません（{names}）",
        f"{value!r} is not one of the plan's policy areas",
    )


def _cost(value: str) -> int | None:
    text = re.sub(r"[,，円¥￥\s]", "", unicodedata.normalize("NFKC", value))
    if text.lower() in _NONE_WORDS:
        return None
    if not text.isdigit() or int(text) > MAX_COST:
        raise InputError(
            f"「{value}」は金額として読めません（45000000 のように円で入力してください）",
            f"{value!r} is not an amount in yen (e.g. 45000000)",
        )
    return int(text)


def _status(value: str) -> PlanItemStatus:
    found = _STATUS_WORDS.get(_key(value))
    if found is PlanItemStatus.RETIRED:
        raise InputError(
            "廃止は進捗状況ではなく、種別「廃止」の行で記録してください",
            "retirement is a 廃止 row, not a status",
        )
    if found is None:
        raise InputError(
            f"「{value}」は使えません。計画・実施中・完了のいずれかを入力してください",
            f"{value!r}: use 計画 (planned), 実施中 (in_progress) or 完了 (done)",
        )
    return found


def _programmes(value: str, programmes: Mapping[UUID, FundingProgramme]) -> tuple[UUID, ...]:
    if _key(value) in _NONE_WORDS:
        return ()
    by_name = {tidy(p.name): p.id for p in programmes.values()}
    names = [n.strip() for n in re.split(r"[、,，;；\n]", value) if n.strip()]
    unknown = [n for n in names if tidy(n) not in by_name]
    if unknown:
        raise InputError(
            f"「{'」「'.join(unknown)}」は登録された交付金・補助金にありません"
            "（先に交付金・補助金を登録してください。一覧は GET /funding-programmes）",
            f"not registered funding programmes: {', '.join(unknown)}",
        )
    return tuple(by_name[tidy(n)] for n in names)


def _retirement(value: str) -> RetirementReason:
    found = _RETIREMENT_WORDS.get(_key(value))
    if found in BY_LINEAGE:
        raise InputError(
            "分割・統合は取り込めません（取り込みの後に分割・統合の手続きで記録してください）",
            "splits and mergers are not imported; record them with split or merge",
        )
    if found is None:
        raise InputError(
            f"「{value}」は使えません。事業完了・廃止・その他のいずれかを入力してください",
            f"{value!r}: use 事業完了 (completed), 廃止 (abolished) or その他 (other)",
        )
    return found
