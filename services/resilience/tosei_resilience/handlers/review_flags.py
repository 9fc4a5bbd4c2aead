"""Commands on review flags: the item's owner (or a coordinator) confirms they reviewed it."""

from __future__ import annotations

from uuid import UUID

from tosei_common.platform.errors import Message, NotFound
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_resilience.db import review_flags as review_flags_db
from tosei_resilience.domain import access
from tosei_resilience.domain.review import ReviewFlag, ensure_open


async def resolve(uow: UnitOfWork, who: Principal, flag_id: UUID, note: str) -> ReviewFlag:
    access.ensure_may_change(who)
    flag = await review_flags_db.review_flag(uow.conn, flag_id)
    if flag is None:
        raise NotFound(f"確認依頼（ID: {flag_id}）が見つかりません", en=f"no review flag {flag_id}")
    number = flag.item_number
    what = Message(f"計画事業 No.{number}", f"plan item No.{number}")
    access.ensure_may_edit(who, flag.municipality, what)
    ensure_open(flag)
    await review_flags_db.resolve(uow.conn, flag_id=flag_id, actor=uow.actor, at=uow.at, note=note)
    await uow.audit("review_flag", flag_id, "resolved", reason=note)
    resolved = await review_flags_db.review_flag(uow.conn, flag_id)
    assert resolved is not None
    return resolved
