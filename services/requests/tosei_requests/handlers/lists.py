"""Commands on the programme's lists: open a fiscal year's drafting, keep the departments."""

from __future__ import annotations

from tosei_common.platform.errors import Message, NotFound
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_requests.db import departments as departments_db
from tosei_requests.db import years as years_db
from tosei_requests.domain import access
from tosei_requests.domain.departments import Department, add_department, revise_department
from tosei_requests.domain.years import RequestYear, open_year


async def open_drafting(uow: UnitOfWork, who: Principal, fiscal_year: int) -> RequestYear:
    access.ensure_coordinator(who, "年度の要望作成の開始")
    existing = await years_db.get(uow.conn, fiscal_year, for_update=True)
    year = open_year(
        fiscal_year, existing, current_year=uow.fiscal_year, at=uow.at, actor=uow.actor
    )
    if not await years_db.insert(uow.conn, year):
        # another coordinator opened it a moment ago: the same answer as if we had seen it
        found = await years_db.get(uow.conn, fiscal_year)
        open_year(fiscal_year, found, current_year=uow.fiscal_year, at=uow.at, actor=uow.actor)
    await uow.audit("request_year", str(fiscal_year), "opened")
    return year


async def add(uow: UnitOfWork, who: Principal, code: str, name: str) -> Department:
    access.ensure_coordinator(who, "担当部局の登録")
    await departments_db.lock(uow.conn)
    existing = await departments_db.listed(uow.conn)
    position = max((d.position for d in existing), default=0) + 1
    change = add_department(code, name, existing, position=position)
    await departments_db.insert(uow.conn, change.department, actor=uow.actor, at=uow.at)
    await uow.audit("department", code, change.action, changes=change.changes)
    return change.department


async def revise(
    uow: UnitOfWork, who: Principal, code: str, *, name: str | None, retired: bool | None
) -> Department:
    access.ensure_coordinator(who, "担当部局の変更")
    await departments_db.lock(uow.conn)
    existing = await departments_db.listed(uow.conn)
    department = next((d for d in existing if d.code == code), None)
    if department is None:
        raise NotFound(
            f"担当部局「{code}」はありません",
            en=f"no department {code}",
            fields={"code": Message("ありません", "unknown")},
        )
    change = revise_department(department, existing, name=name, retired=retired)
    await departments_db.update(uow.conn, change.department)
    await uow.audit("department", code, change.action, changes=change.changes)
    return change.department
