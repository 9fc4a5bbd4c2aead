"""The SQL of the KPI report and the operators' gauges: facts and counts from the read model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from tosei_caseflow.db.cases import OPEN_LOAD_STATES
from tosei_caseflow.domain import kpi
from tosei_common.catalogue.caseflow import CaseState, OutcomeType, ReferralStatus, Track
from tosei_common.catalogue.intake import Category, Origin
from tosei_common.platform.db import Connection
from tosei_common.region.fiscal import tokyo_date


@dataclass(frozen=True)
class Count:
    track: Track
    state: CaseState | None
    n: int


async def facts(conn: Connection) -> kpi.Facts:
    """Everything the KPI report counts, as the domain's facts (days in Japan)."""
    cases = await conn.fetch(
        "SELECT case_id, client_id, opened_at, origin, initial_track, municipality, categories"
        " FROM cases"
    )
    sessions = await conn.fetch(
        "SELECT case_id, held_on, track FROM sessions WHERE voided_at IS NULL"
    )
    outcomes = await conn.fetch(
        "SELECT case_id, type, achieved_on, jobs, track FROM outcomes WHERE voided_at IS NULL"
    )
    referrals = await conn.fetch(
        "SELECT case_id, requested_at, completed_at, status, track FROM referrals"
    )
    timeline = await conn.fetch(
        "SELECT case_id, kind, at, facts FROM case_timeline WHERE kind IN ('closed', 'transferred')"
    )
    closes: list[kpi.CloseFact] = []
    transfers: list[kpi.TransferFact] = []
    for row in timeline:
        said = json.loads(row["facts"])
        if row["kind"] == "closed":
            closes.append(
                kpi.CloseFact(
                    row["case_id"],
                    tokyo_date(row["at"]),
                    said["satisfaction"],
                    Track(said["track"]),
                )
            )
        else:
            transfers.append(
                kpi.TransferFact(
                    row["case_id"],
                    tokyo_date(row["at"]),
                    Track(said["from_track"]),
                    Track(said["to_track"]),
                )
            )
    return kpi.Facts(
        cases=tuple(
            kpi.CaseFact(
                case_id=r["case_id"],
                client_id=r["client_id"],
                opened_on=tokyo_date(r["opened_at"]),
                origin=Origin(r["origin"]),
                track=Track(r["initial_track"]),
                municipality=r["municipality"],
                categories=tuple(Category(c) for c in r["categories"]),
            )
            for r in cases
        ),
        sessions=tuple(
            kpi.SessionFact(r["case_id"], r["held_on"], Track(r["track"])) for r in sessions
        ),
        outcomes=tuple(
            kpi.OutcomeFact(
                r["case_id"], OutcomeType(r["type"]), r["achieved_on"], r["jobs"], Track(r["track"])
            )
            for r in outcomes
        ),
        closes=tuple(closes),
        transfers=tuple(transfers),
        referrals=tuple(
            kpi.ReferralFact(
                case_id=r["case_id"],
                requested_on=tokyo_date(r["requested_at"]),
                completed_on=tokyo_date(r["completed_at"]) if r["completed_at"] else None,
                status=ReferralStatus(r["status"]),
                track=Track(r["track"]),
            )
            for r in referrals
        ),
    )


async def open_cases_by_track_and_state(conn: Connection) -> list[Count]:
    rows = await conn.fetch(
        "SELECT track, state, count(*) AS n FROM cases WHERE state <> 'closed'"
        " GROUP BY track, state"
    )
    return [Count(Track(r["track"]), CaseState(r["state"]), r["n"]) for r in rows]


async def overdue_by_track(conn: Connection, today: date) -> list[Count]:
    rows = await conn.fetch(
        "SELECT track, count(*) AS n FROM cases"
        " WHERE next_action_on < $1 AND state = ANY($2::text[]) GROUP BY track",
        today,
        OPEN_LOAD_STATES,
    )
    return [Count(Track(r["track"]), None, r["n"]) for r in rows]
