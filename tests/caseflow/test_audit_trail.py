"""Caseflow's audit trail: every change to a case old → new about its client, and who read the
sessions' confidential notes; the coordinators and auditors read it per person."""

from __future__ import annotations

import json
import uuid

from tests.caseflow.conftest import AUDITOR, COORDINATOR, DESK, Desk, expert_token
from tests.caseflow.test_case_work import session


async def test_changes_and_reads_of_confidential_notes_are_audited_per_client(desk: Desk) -> None:
    experts = {
        await desk.expert("佐藤 健一", "startup", ["founding_plan"]),
        await desk.expert("工藤 直子", "startup", ["founding_plan"]),
    }
    client_id = uuid.uuid4()
    case_id = await desk.open_case(client_id=client_id)
    first = (await desk.case(case_id))["expert_id"]  # triage chose one of them
    (second,) = experts - {first}
    me = expert_token(first)
    recorded = await desk.post(f"/cases/{case_id}/sessions", session(), me)
    assert recorded.status_code == 201, recorded.text
    moved = await desk.post(
        f"/cases/{case_id}/transfer",
        {"to_expert_id": second, "reason": "speciality", "handover_note": "資金計画から"},
    )
    assert moved.status_code == 204, moved.text
    await desk.case(case_id, DESK)  # the desk does not see confidential notes
    await desk.case(case_id, COORDINATOR)  # the coordinator does

    assert (await desk.client.get("/audit-log", headers=DESK)).status_code == 403
    page = await desk.client.get(
        "/audit-log", params={"subject": str(client_id), "entity": "case"}, headers=AUDITOR
    )
    assert page.status_code == 200, page.text
    entries = page.json()["entries"]
    actions = [e["action"] for e in entries]
    assert "case.session_recorded" in actions
    assert "case.transferred" in actions
    transfer = next(e for e in entries if e["action"] == "case.transferred")
    assert transfer["changes"]["expert_id"] == {"old": first, "new": second}
    assert transfer["reason"] == "speciality"
    assert transfer["actor"] == "coordinator:coordinator-sato"
    noted = next(e for e in entries if e["action"] == "case.session_recorded")
    assert noted["changes"]["session_id"]["old"] is None
    started = next(e for e in entries if e["action"] == "case.state_changed")
    assert started["changes"]["state"] == {"old": "assigned", "new": "in_progress"}
    # the notes stay in the journal; the entry says they were written, not what they say
    assert noted["changes"]["confidential_notes"]["new"].startswith("journal:")
    assert "親族" not in json.dumps(entries, ensure_ascii=False)
    for e in entries:
        if e["action"] != "viewed":
            assert all(set(v) == {"old", "new"} for v in e["changes"].values()), e

    reads = [(e["actor"], e["viewed"]["part"]) for e in entries if e["action"] == "viewed"]
    assert ("desk:desk-kimura", "case_file") in reads
    assert ("desk:desk-kimura", "confidential_notes") not in reads
    assert ("coordinator:coordinator-sato", "confidential_notes") in reads
    sheet = await desk.client.get(
        "/audit-log.csv", params={"subject": str(client_id)}, headers=COORDINATOR
    )
    assert sheet.status_code == 200
    assert "案件" in sheet.content.decode("utf-8-sig")
