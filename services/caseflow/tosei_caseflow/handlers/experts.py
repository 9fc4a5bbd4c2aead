"""The registries of experts: the desk's own, and the nationwide network's external experts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

from tosei_caseflow.db import queries
from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import Category
from tosei_common.platform.auth import Principal
from tosei_common.platform.errors import NotFound
from tosei_common.platform.service import Runtime
from tosei_common.region.text import name_key, pseudonym, tidy


def staff_key(rt: Runtime, name: str) -> str:
    """The pseudonym intake puts on a handed-over case for its old staff member of this name."""
    return pseudonym(rt.settings.pseudonym_secret, "staff", name_key(name))


async def register_expert(
    rt: Runtime,
    who: Principal,
    *,
    name: str,
    track: Track,
    specialities: Sequence[Category],
    weekly_capacity: int,
) -> UUID:
    expert_id = uuid.uuid4()
    async with rt.pool.acquire() as conn:
        await queries.insert_expert(
            conn,
            expert_id=expert_id,
            name=tidy(name),
            staff_key=staff_key(rt, name),
            track=track.value,
            specialities=sorted({s.value for s in specialities}),
            weekly_capacity=weekly_capacity,
            actor=who.actor,
        )
    return expert_id


async def change_expert(
    rt: Runtime,
    who: Principal,
    expert_id: UUID,
    *,
    track: Track | None = None,
    specialities: Sequence[Category] | None = None,
    weekly_capacity: int | None = None,
    active: bool | None = None,
) -> None:
    changes: dict[str, object] = {}
    if track is not None:
        changes["track"] = track.value
    if specialities is not None:
        changes["specialities"] = sorted({s.value for s in specialities})
    if weekly_capacity is not None:
        changes["weekly_capacity"] = weekly_capacity
    if active is not None:
        changes["active"] = active
    async with rt.pool.acquire() as conn:
        if not changes:
            if await queries.expert(conn, expert_id) is None:
                raise NotFound(f"no expert {expert_id}")
            return
        if not await queries.update_expert(conn, expert_id, changes, who.actor):
            raise NotFound(f"no expert {expert_id}")


async def register_external_expert(
    rt: Runtime, who: Principal, *, name: str, organisation: str, speciality: Category
) -> UUID:
    external_expert_id = uuid.uuid4()
    async with rt.pool.acquire() as conn:
        await queries.insert_external_expert(
            conn,
            external_expert_id=external_expert_id,
            name=tidy(name),
            organisation=tidy(organisation),
            speciality=speciality.value,
            actor=who.actor,
        )
    return external_expert_id
