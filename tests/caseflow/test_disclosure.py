"""A person's request to see what caseflow holds about them (本人開示), and what a stop of their
records' use (intake's client.use_stopped) does to their cases."""

from __future__ import annotations

import uuid

import pytest

from tests.caseflow.conftest import COORDINATOR, DESK, Desk, expert_token
from tests.caseflow.test_case_work import session
from tests.support.publish import publish
from tests.support.waiting import eventually
from tosei_common.catalogue.intake import ClientUseResumed, ClientUseStopped

pytestmark = pytest.mark.slow


async def test_a_disclosure_holds_every_case_and_withholds_confidential_notes_as_set(
    desk: Desk,
) -> None:
    client_id = uuid.uuid4()
    expert = await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    case_id = await desk.open_case(client_id=client_id)
    other = await desk.open_case()  # someone else's
    made = await desk.post(f"/cases/{case_id}/sessions", session(), expert_token(expert))
    assert made.status_code == 201, made.text

    refused = await desk.client.get(f"/clients/{client_id}/disclosure", headers=DESK)
    assert refused.status_code == 403
    assert "本人開示" in refused.json()["message"]

    response = await desk.client.get(f"/clients/{client_id}/disclosure", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    bundle = response.json()
    assert [c["case"]["case_id"] for c in bundle["cases"]] == [case_id]
    assert other not in response.text
    (disclosed,) = bundle["cases"]
    assert [e["expert_name"] for e in disclosed["experts"]] == ["佐藤 健一"]
    assert [s["expert_name"] for s in disclosed["sessions"]] == ["佐藤 健一"]
    (entry,) = [e for e in disclosed["timeline"] if e["kind"] == "session"]
    assert entry["minutes"] == "創業計画書の資金計画を確認"
    # withheld by default, and said so
    assert "自己資金" not in response.text
    assert "confidential" not in entry
    assert (bundle["confidential_notes_disclosed"], bundle["confidential_notes_withheld"]) == (
        False,
        1,
    )
    assert disclosed["confidential_notes_withheld"] == 1
    assert "第78条" in bundle["withheld_because"]

    settings = desk.rt.settings
    settings.disclose_confidential_notes = True
    try:
        shown = await desk.client.get(f"/clients/{client_id}/disclosure", headers=COORDINATOR)
    finally:
        settings.disclose_confidential_notes = False
    bundle = shown.json()
    (entry,) = [e for e in bundle["cases"][0]["timeline"] if e["kind"] == "session"]
    assert entry["confidential"] == "自己資金の一部は親族からの借入"
    assert (bundle["confidential_notes_withheld"], bundle["withheld_because"]) == (0, None)

    async with desk.rt.pool.acquire() as conn:
        audited = await conn.fetch(
            "SELECT actor, changes FROM audit_log WHERE entity = 'client' AND entity_id = $1"
            " AND action = 'disclosed'",
            str(client_id),
        )
    assert [r["actor"] for r in audited] == ["coordinator:coordinator-sato"] * 2

    # the person asks that their records' use be stopped: no referral of their cases
    external = await desk.external_expert("中村 由美", "financing")
    at = desk.rt.clock.now()
    await publish(
        desk.broker.bootstrap,
        [ClientUseStopped(client_id=client_id, case_ids=[uuid.UUID(case_id)], stopped_at=at)],
        source="intake",
    )

    async def marked(stopped: bool) -> bool:
        return bool((await desk.case(case_id))["client_use_stopped"] is stopped)

    await eventually(lambda: marked(True), timeout=30)
    referral = {"external_expert_id": external}
    blocked = await desk.post(f"/cases/{case_id}/referrals", referral, expert_token(expert))
    assert blocked.status_code == 409, blocked.text
    assert "利用は停止" in blocked.json()["message"]
    listed = await desk.client.get("/cases", headers=COORDINATOR)
    assert {c["case_id"]: c["client_use_stopped"] for c in listed.json()["cases"]} == {
        case_id: True,
        other: False,
    }

    await publish(
        desk.broker.bootstrap,
        [ClientUseResumed(client_id=client_id, case_ids=[uuid.UUID(case_id)], resumed_at=at)],
        source="intake",
    )
    await eventually(lambda: marked(False), timeout=30)
    allowed = await desk.post(f"/cases/{case_id}/referrals", referral, expert_token(expert))
    assert allowed.status_code == 201, allowed.text
