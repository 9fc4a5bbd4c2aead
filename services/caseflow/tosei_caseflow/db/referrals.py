"""The SQL of referrals to external experts."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tosei_caseflow.domain.referrals import Referral
from tosei_caseflow.domain.views import ReferralRow
from tosei_common.catalogue.caseflow import ReferralStatus
from tosei_common.platform.db import Connection


async def upsert(
    conn: Connection,
    *,
    referral_id: UUID,
    case_id: UUID,
    external_expert_id: UUID,
    status: str,
    visits: int,
    at: datetime,
) -> None:
    """A referral's latest status and visits; the track is the case's when it was requested."""
    await conn.execute(
        """
        INSERT INTO referrals (referral_id, case_id, external_expert_id, track, status, visits,
                               requested_at, completed_at, updated_at)
        SELECT $1, $2, $3, track, $4::text, $5, $6::timestamptz,
               CASE WHEN $4::text = 'completed' THEN $6::timestamptz END, $6::timestamptz
        FROM cases WHERE case_id = $2
        ON CONFLICT (referral_id) DO UPDATE SET
            status = excluded.status,
            visits = excluded.visits,
            completed_at = coalesce(referrals.completed_at, excluded.completed_at),
            updated_at = excluded.updated_at
        """,
        referral_id,
        case_id,
        external_expert_id,
        status,
        visits,
        at,
    )


async def get(conn: Connection, case_id: UUID, referral_id: UUID) -> Referral | None:
    row = await conn.fetchrow(
        "SELECT * FROM referrals WHERE case_id = $1 AND referral_id = $2", case_id, referral_id
    )
    if row is None:
        return None
    return Referral(
        referral_id=row["referral_id"],
        case_id=row["case_id"],
        external_expert_id=row["external_expert_id"],
        status=ReferralStatus(row["status"]),
        visits=row["visits"],
    )


async def of_case(conn: Connection, case_id: UUID) -> list[ReferralRow]:
    rows = await conn.fetch(
        """
        SELECT r.*, x.name AS external_expert_name, x.organisation
        FROM referrals r LEFT JOIN external_experts x USING (external_expert_id)
        WHERE r.case_id = $1 ORDER BY r.requested_at
        """,
        case_id,
    )
    return [
        ReferralRow(
            referral_id=r["referral_id"],
            external_expert_id=r["external_expert_id"],
            external_expert_name=r["external_expert_name"],
            organisation=r["organisation"],
            status=ReferralStatus(r["status"]),
            visits=r["visits"],
            requested_at=r["requested_at"],
        )
        for r in rows
    ]
