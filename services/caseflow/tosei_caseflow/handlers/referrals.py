"""Commands on a case's referrals to external experts of the nationwide network."""

from __future__ import annotations

import uuid
from uuid import UUID

from tosei_caseflow.db import experts as experts_db
from tosei_caseflow.db import referrals as referrals_db
from tosei_caseflow.domain import referrals as decide
from tosei_caseflow.handlers.cases import case_to_change
from tosei_caseflow.handlers.record import record
from tosei_common.catalogue.caseflow import ReferralStatus
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork


async def refer(
    uow: UnitOfWork, who: Principal, case_id: UUID, external_expert_id: UUID, note: str | None
) -> UUID:
    """Ask an external expert to help; needs the client's consent."""
    case = await case_to_change(uow, who, case_id)
    external = await experts_db.external(uow.conn, external_expert_id)
    referral_id = uuid.uuid4()
    change = decide.refer(
        case, external, external_expert_id, note=note, referral_id=referral_id, at=uow.at
    )
    await record(uow, change)
    return referral_id


async def update_referral(
    uow: UnitOfWork,
    who: Principal,
    case_id: UUID,
    referral_id: UUID,
    *,
    status: ReferralStatus | None,
    visit: bool,
    note: str | None,
) -> None:
    """Move a referral on (accepted, completed with what came of it, declined) or count a visit."""
    case = await case_to_change(uow, who, case_id)
    referral = await referrals_db.get(uow.conn, case_id, referral_id)
    change = decide.update(
        case, referral, referral_id, status=status, visit=visit, note=note, at=uow.at
    )
    await record(uow, change)
