"""The prefecture's departments (担当部局) a request is addressed to: a list the coordinators keep.

Departments are renamed and reorganised over the years. A department is never deleted: it is
retired, so the requests and answers that named it still do, and new ones cannot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from tosei_common.platform.errors import Conflict, Message, Unprocessable
from tosei_requests.domain.revisions import FieldChange


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    position: int
    retired: bool = False


@dataclass(frozen=True)
class DepartmentChange:
    department: Department
    action: str  # added or revised
    changes: dict[str, FieldChange]


def add_department(
    code: str, name: str, existing: Iterable[Department], *, position: int
) -> DepartmentChange:
    for known in existing:
        if known.code == code:
            raise Conflict(
                f"部局コード「{code}」はすでに「{known.name}」に使われています",
                en=f"the code {code} is taken by {known.name}",
                fields={"code": Message("すでに使われています", "taken")},
            )
        if known.name == name:
            raise Conflict(
                f"「{name}」はすでに登録されています（コード {known.code}）",
                en=f"{name} is listed already as {known.code}",
                fields={"name": Message("すでに登録されています", "listed already")},
            )
    department = Department(code, name, position)
    changes = {"code": {"old": None, "new": code}, "name": {"old": None, "new": name}}
    return DepartmentChange(department, "added", changes)


def revise_department(
    department: Department,
    existing: Iterable[Department],
    *,
    name: str | None = None,
    retired: bool | None = None,
) -> DepartmentChange:
    if name is not None and any(d.name == name and d.code != department.code for d in existing):
        raise Conflict(
            f"「{name}」は別の部局として登録されています",
            en=f"{name} is another department already",
            fields={"name": Message("別の部局の名称です", "another department's name")},
        )
    revised = replace(
        department,
        name=department.name if name is None else name,
        retired=department.retired if retired is None else retired,
    )
    changes: dict[str, FieldChange] = {}
    if revised.name != department.name:
        changes["name"] = {"old": department.name, "new": revised.name}
    if revised.retired != department.retired:
        changes["retired"] = {"old": department.retired, "new": revised.retired}
    if not changes:
        raise Unprocessable(
            f"変更がありません: 「{department.name}」はすでにこの内容です",
            en=f"the change changes nothing: {department.code} already says this",
            fields={"body": Message("今の内容と同じです", "same as the current values")},
        )
    return DepartmentChange(revised, "revised", changes)


def ensure_departments(
    codes: Iterable[str],
    departments: Mapping[str, Department],
    *,
    field: str,
    allow_retired: Iterable[str] = (),
) -> None:
    """Every code names a department of the list; a retired one only where it stood already."""
    kept = set(allow_retired)
    for code in codes:
        known = departments.get(code)
        if known is None:
            raise Unprocessable(
                f"担当部局「{code}」は一覧にありません（GET /departments で確認できます）",
                en=f"no department {code}; GET /departments lists them",
                fields={field: Message(f"「{code}」は一覧にありません", f"unknown: {code}")},
            )
        if known.retired and code not in kept:
            raise Unprocessable(
                f"担当部局「{known.name}」は廃止されています",
                en=f"the department {code} ({known.name}) is retired",
                fields={field: Message(f"「{known.name}」は廃止されています", f"retired: {code}")},
            )
