"""The coordinators' overrides of the host rotation."""

from __future__ import annotations

from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.municipalities import Municipality
from tosei_seminar.db import rotation as rotation_db
from tosei_seminar.db import seminars as seminars_db
from tosei_seminar.domain import access
from tosei_seminar.domain.history import ROTATION, SEMINAR
from tosei_seminar.domain.rotation import change_override


async def set_host(
    uow: UnitOfWork,
    who: Principal,
    fiscal_year: int,
    host: Municipality | None,
    reason: str | None,
) -> None:
    """Another town hosts ``fiscal_year`` (with the reason), or with ``host`` None the town
    whose turn it is hosts again; a planned seminar of that year moves with it."""
    access.ensure_may_manage(who, doing="当番（輪番）の変更")
    await rotation_db.lock(uow.conn)
    seminar = await seminars_db.of_year(uow.conn, fiscal_year, lock=True)
    current = (await rotation_db.overrides(uow.conn)).get(fiscal_year)
    change = change_override(
        fiscal_year, host, reason, current=current, seminar=seminar, actor=uow.actor, at=uow.at
    )
    await rotation_db.save(uow.conn, fiscal_year, change.override, uow.at)
    action = "rotation.override_set" if change.override else "rotation.override_removed"
    recorded = {"fiscal_year": fiscal_year, "host": change.host.code}
    await uow.audit(ROTATION, str(fiscal_year), action, changes=recorded, reason=reason)
    if change.seminar is not None:
        await seminars_db.update(uow.conn, change.seminar)
        await uow.audit(SEMINAR, change.seminar.id, action, changes=recorded, reason=reason)
