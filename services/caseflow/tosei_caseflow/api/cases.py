"""HTTP: cases, their timeline, and the commands on them."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from tosei_caseflow.api.schemas import (
    Assignment,
    NewOutcome,
    NewReferral,
    NewSession,
    ReferralUpdate,
    Transfer,
    Transition,
)
from tosei_caseflow.db import queries
from tosei_caseflow.domain.lifecycle import STATE_LABELS
from tosei_caseflow.domain.referrals import paid_visits
from tosei_caseflow.handlers import commands
from tosei_common.catalogue.caseflow import CaseState, Track
from tosei_common.platform.auth import Principal, Role, require
from tosei_common.platform.errors import NotFound, Unprocessable
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import (
    UnknownMunicipality,
    municipality,
    resolve_municipality,
)

READERS = (Role.DESK, Role.COORDINATOR, Role.AUDITOR, Role.EXPERT)
ACTORS = (Role.DESK, Role.COORDINATOR, Role.EXPERT)
#: Who reads session minutes' confidential notes: the case's experts, coordinators, auditors.
CONFIDENTIAL = (Role.COORDINATOR, Role.AUDITOR, Role.EXPERT)


def case_summary(row: Any) -> dict[str, Any]:
    state = CaseState(row["state"])
    return {
        "case_id": str(row["case_id"]),
        "client_id": str(row["client_id"]),
        "municipality": row["municipality"],
        "municipality_name": municipality(row["municipality"]).name,
        "stage": row["stage"],
        "categories": list(row["categories"]),
        "channel": row["channel"],
        "origin": row["origin"],
        "consent_to_share": row["consent_to_share"],
        "opened_at": row["opened_at"].isoformat(),
        "legacy_status": row["legacy_status"],
        "track": row["track"],
        "state": state.value,
        "state_label": STATE_LABELS[state],
        "expert_id": str(row["expert_id"]) if row["expert_id"] else None,
        "expert_name": row.get("expert_name"),
        "next_action_on": row["next_action_on"].isoformat() if row["next_action_on"] else None,
        "satisfaction": row["satisfaction"],
        "closed_at": row["closed_at"].isoformat() if row["closed_at"] else None,
    }


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter(prefix="/cases", tags=["cases"])

    async def readable(case_id: UUID, who: Principal) -> Any:
        async with rt.pool.acquire() as conn:
            row = await queries.case_row(conn, case_id)
            mine = commands.expert_id_of(who)
            if row is None or (
                mine is not None and not await queries.has_had_case(conn, case_id, mine)
            ):
                raise NotFound(f"no case {case_id}")
        return row

    @router.get("", summary="Cases, newest first (an expert sees their current and former cases)")
    async def list_cases(
        who: Principal = Depends(require(*READERS)),
        state: CaseState | None = None,
        track: Track | None = None,
        expert_id: UUID | None = None,
        municipality_: str | None = Query(default=None, alias="municipality", max_length=40),
        limit: int = Query(default=50, ge=1, le=500),
        offset: int = Query(default=0, ge=0, le=1_000_000),
    ) -> dict[str, Any]:
        code = None
        if municipality_ is not None:
            try:
                code = resolve_municipality(municipality_).code
            except UnknownMunicipality as exc:
                raise Unprocessable(str(exc), fields={"municipality": "not in the region"}) from exc
        async with rt.pool.acquire() as conn:
            rows = await queries.list_cases(
                conn,
                readable_by=commands.expert_id_of(who),
                state=state.value if state else None,
                track=track.value if track else None,
                expert_id=expert_id,
                municipality=code,
                limit=limit,
                offset=offset,
            )
        return {"cases": [case_summary(r) for r in rows], "limit": limit, "offset": offset}

    @router.get("/{case_id}", summary="A case with its whole history, across experts")
    async def get_case(
        case_id: UUID, who: Principal = Depends(require(*READERS))
    ) -> dict[str, Any]:
        await readable(case_id, who)
        async with rt.pool.acquire() as conn:
            row = await queries.case_row(conn, case_id)
            entries = await queries.timeline(conn, case_id)
            sessions = await queries.sessions_of(conn, case_id)
            referrals = await queries.referrals_of(conn, case_id)
            outcomes = await queries.outcomes_of(conn, case_id)
            names = {r["expert_id"]: r["name"] for r in await queries.experts_with_load(conn)}
            mine = commands.expert_id_of(who)
            # a former expert reads the case, but no confidential notes written after they left
            left_at = await queries.left_case_at(conn, case_id, mine) if mine else None
        assert row is not None
        see_confidential = who.role in CONFIDENTIAL
        can_change = who.role in (Role.DESK, Role.COORDINATOR) or (
            mine is not None and row["expert_id"] == mine
        )
        return {
            **case_summary(row),
            "can_change": can_change,
            "timeline": [
                _entry(e, see_confidential and (left_at is None or e["at"] <= left_at))
                for e in entries
            ],
            "sessions": [
                {
                    "session_id": str(s["session_id"]),
                    "expert_id": str(s["expert_id"]),
                    "expert_name": names.get(s["expert_id"]),
                    "held_on": s["held_on"].isoformat(),
                    "mode": s["mode"],
                    "duration_minutes": s["duration_minutes"],
                    "next_action_on": s["next_action_on"].isoformat()
                    if s["next_action_on"]
                    else None,
                }
                for s in sessions
            ],
            "referrals": [
                {
                    "referral_id": str(r["referral_id"]),
                    "external_expert_id": str(r["external_expert_id"]),
                    "external_expert_name": r["external_expert_name"],
                    "organisation": r["organisation"],
                    "status": r["status"],
                    "visits": r["visits"],
                    "paid_visits": paid_visits(r["visits"]),
                    "requested_at": r["requested_at"].isoformat(),
                }
                for r in referrals
            ],
            "outcomes": [
                {
                    "outcome_id": str(o["outcome_id"]),
                    "type": o["type"],
                    "achieved_on": o["achieved_on"].isoformat(),
                    "jobs": o["jobs"],
                }
                for o in outcomes
            ],
            "experts": {str(k): v for k, v in names.items()},
        }

    @router.post("/{case_id}/assign", status_code=204, summary="Give the case to an expert by hand")
    async def assign(
        case_id: UUID,
        body: Assignment,
        who: Principal = Depends(require(Role.DESK, Role.COORDINATOR)),
    ) -> None:
        await commands.assign(rt, who, case_id, body.expert_id, body.reason)

    @router.post(
        "/{case_id}/transitions", status_code=204, summary="Move the case in its lifecycle"
    )
    async def transition(
        case_id: UUID, body: Transition, who: Principal = Depends(require(*ACTORS))
    ) -> None:
        await commands.change_state(rt, who, case_id, body.to, body.reason, body.satisfaction)

    @router.post("/{case_id}/sessions", status_code=201, summary="Record a meeting with the client")
    async def session(
        case_id: UUID, body: NewSession, who: Principal = Depends(require(*ACTORS))
    ) -> dict[str, str]:
        session_id = await commands.record_session(
            rt,
            who,
            case_id,
            commands.SessionInput(
                held_on=body.held_on,
                mode=body.mode,
                duration_minutes=body.duration_minutes,
                minutes=body.minutes,
                confidential_notes=body.confidential_notes,
                next_action_on=body.next_action_on,
            ),
        )
        return {"session_id": str(session_id)}

    @router.post("/{case_id}/transfer", status_code=204, summary="Hand the case to another expert")
    async def transfer(
        case_id: UUID, body: Transfer, who: Principal = Depends(require(*ACTORS))
    ) -> None:
        await commands.transfer(
            rt, who, case_id, body.to_expert_id, body.reason, body.handover_note
        )

    @router.post("/{case_id}/referrals", status_code=201, summary="Refer to an external expert")
    async def refer(
        case_id: UUID, body: NewReferral, who: Principal = Depends(require(*ACTORS))
    ) -> dict[str, str]:
        referral_id = await commands.refer(rt, who, case_id, body.external_expert_id, body.note)
        return {"referral_id": str(referral_id)}

    @router.post(
        "/{case_id}/referrals/{referral_id}",
        status_code=204,
        summary="Move a referral on, or count a visit of the external expert",
    )
    async def update_referral(
        case_id: UUID,
        referral_id: UUID,
        body: ReferralUpdate,
        who: Principal = Depends(require(*ACTORS)),
    ) -> None:
        if body.visit == (body.status is not None):
            raise Unprocessable(
                "give either a status or visit: true",
                fields={"status": "either status or visit", "visit": "either status or visit"},
            )
        await commands.update_referral(
            rt,
            who,
            case_id,
            referral_id,
            status=body.status,
            visit=body.visit,
            note=body.note,
        )

    @router.post("/{case_id}/outcomes", status_code=201, summary="Record what the support achieved")
    async def outcome(
        case_id: UUID, body: NewOutcome, who: Principal = Depends(require(*ACTORS))
    ) -> dict[str, str]:
        outcome_id = await commands.record_outcome(
            rt, who, case_id, body.type, body.achieved_on, body.jobs, body.note
        )
        return {"outcome_id": str(outcome_id)}

    return router


def _entry(row: Any, see_confidential: bool) -> dict[str, Any]:
    entry = {
        "event_id": str(row["event_id"]),
        "kind": row["kind"],
        "at": row["at"].isoformat(),
        "facts": json.loads(row["facts"]),
        "by": row["actor"] or "intake",
        "reason": row["reason"],
        "note": row["note"],
        "minutes": row["minutes"],
    }
    if see_confidential:
        entry["confidential"] = row["confidential"]
    return entry


def queue_routes(rt: Runtime) -> APIRouter:
    router = APIRouter(tags=["cases"])

    @router.get("/queue", summary="Cases waiting for an expert (e.g. handed over, no match)")
    async def waiting(
        _: Principal = Depends(require(Role.DESK, Role.COORDINATOR, Role.AUDITOR)),
    ) -> dict[str, Any]:
        async with rt.pool.acquire() as conn:
            rows = await queries.queue(conn)
        return {"cases": [case_summary(r) for r in rows]}

    @router.get("/follow-ups/overdue", summary="Cases whose next action date has passed")
    async def overdue(
        who: Principal = Depends(require(*READERS)),
        expert_id: UUID | None = None,
    ) -> dict[str, Any]:
        mine = commands.expert_id_of(who)
        async with rt.pool.acquire() as conn:
            rows = await queries.overdue_follow_ups(
                conn, rt.clock.today(), mine if mine is not None else expert_id
            )
        return {
            "follow_ups": [
                {
                    "case_id": str(r["case_id"]),
                    "expert_id": str(r["expert_id"]),
                    "expert_name": r["expert_name"],
                    "next_action_on": r["next_action_on"].isoformat(),
                    "days_overdue": r["days_overdue"],
                    "state": r["state"],
                    "track": r["track"],
                }
                for r in rows
            ]
        }

    return router
