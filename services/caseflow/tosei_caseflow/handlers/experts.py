"""Commands on the registries: the desk's experts and the network's external experts.

Names are stored as typed; a handed-over case finds its old staff member through the
pseudonym of the name's key, which is what intake puts on the case.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

from tosei_caseflow.db import experts as experts_db
from tosei_caseflow.domain import access
from tosei_caseflow.domain.experts import ExpertChanges, no_expert, speciality_codes
from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import Category
from tosei_common.platform.audit import changed
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.text import name_key, pseudonym


def staff_key(secret: str, name: str) -> str:
    """The pseudonym intake puts on a handed-over case for its old staff member of this name."""
    return pseudonym(secret, "staff", name_key(name))


async def register_expert(
    uow: UnitOfWork,
    who: Principal,
    *,
    name: str,
    track: Track,
    specialities: Sequence[Category],
    weekly_capacity: int,
    pseudonym_secret: str,
) -> UUID:
    access.ensure_may_manage_experts(who)
    expert_id = uuid.uuid4()
    codes = speciality_codes(specialities)
    await experts_db.insert(
        uow.conn,
        expert_id=expert_id,
        name=name,
        staff_key=staff_key(pseudonym_secret, name),
        track=track.value,
        specialities=codes,
        weekly_capacity=weekly_capacity,
        actor=uow.actor,
        at=uow.at,
    )
    details = {"track": track.value, "specialities": codes, "weekly_capacity": weekly_capacity}
    await uow.audit("expert", expert_id, "registered", changes=details)
    return expert_id


async def change_expert(
    uow: UnitOfWork, who: Principal, expert_id: UUID, changes: ExpertChanges
) -> None:
    access.ensure_may_manage_experts(who)
    columns = changes.columns()
    before = await experts_db.get(uow.conn, expert_id)
    if before is None:
        raise no_expert(expert_id)
    if not columns:
        return
    if not await experts_db.update(uow.conn, expert_id, columns, uow.actor, uow.at):
        raise no_expert(expert_id)
    was = {
        "track": before.track.value,
        "specialities": speciality_codes(before.specialities),
        "weekly_capacity": before.weekly_capacity,
        "active": before.active,
    }
    await uow.audit("expert", expert_id, "changed", changes=changed(was, columns, columns))


async def register_external_expert(
    uow: UnitOfWork, who: Principal, *, name: str, organisation: str, speciality: Category
) -> UUID:
    access.ensure_may_manage_experts(who)
    external_expert_id = uuid.uuid4()
    await experts_db.insert_external(
        uow.conn,
        external_expert_id=external_expert_id,
        name=name,
        organisation=organisation,
        speciality=speciality.value,
        actor=uow.actor,
        at=uow.at,
    )
    await uow.audit(
        "external_expert", external_expert_id, "registered", changes={"speciality": speciality}
    )
    return external_expert_id
