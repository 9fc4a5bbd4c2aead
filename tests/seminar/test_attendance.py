"""After the day: a coordinator corrects who attended, with a reason, and the corrected figures
are announced (``seminar.attendance_corrected``)."""

from __future__ import annotations

import json

import httpx

from tests.seminar.conftest import COORDINATOR, ON_THE_DAY, ok, open_seminar, person, register
from tests.seminar.test_registrations import check_in_everyone_and_hold
from tests.support.auth import bearer
from tests.support.waiting import header, read_topic
from tosei_common.catalogue.seminar import SEMINARS
from tosei_common.platform.clock import SettableClock, japan_moment
from tosei_common.platform.service import Runtime

OFFICER = bearer("municipality", "hiranai-kimura", municipality="平内町")


async def test_a_missed_check_in_is_corrected_after_the_day_with_a_reason(
    client: httpx.AsyncClient, clock: SettableClock, service: Runtime
) -> None:
    seminar = await open_seminar(client)
    came = await register(client, seminar, person(1, name="山田 花子"))
    missed = await register(
        client, seminar, person(2, name="佐藤 一郎", role="physician", municipality="平内町")
    )
    mistaken = await register(client, seminar, person(3, name="鈴木 次郎"))

    async def correct(
        reference: str, attended: bool, reason: str = "署名簿で確認"
    ) -> httpx.Response:
        return await client.post(
            f"/seminars/{seminar.id}/attendance-corrections",
            json={"reference": reference, "attended": attended, "reason": reason},
            headers=COORDINATOR,
        )

    clock.set(ON_THE_DAY)
    early = await correct(missed["reference"], True)
    assert early.status_code == 409
    assert "開催済みになる前は受付（チェックイン）で記録してください" in early.json()["message"]

    await check_in_everyone_and_hold(
        client, seminar, [came["reference"], mistaken["reference"]], clock
    )
    late_check_in = await client.post(
        f"/seminars/{seminar.id}/check-ins",
        json={"reference": missed["reference"]},
        headers=COORDINATOR,
    )
    assert late_check_in.status_code == 409  # check-in is the day's; after it, a correction
    assert (
        await client.get(f"/registrations/{missed['reference']}/certificate.pdf")
    ).status_code == 409

    clock.set(japan_moment("2027-10-20 10:00"))
    blank = await correct(missed["reference"], True, reason="   ")
    assert blank.status_code == 422
    assert [f["field"] for f in blank.json()["fields"]] == ["reason"]
    officer = await client.post(
        f"/seminars/{seminar.id}/attendance-corrections",
        json={"reference": missed["reference"], "attended": True, "reason": "署名簿で確認"},
        headers=OFFICER,
    )
    assert officer.status_code == 403

    fixed = ok(await correct(missed["reference"], True, "受付の混雑で記録漏れ。署名簿で出席を確認"))
    assert fixed["attended"] is True
    assert fixed["attended_total"] == 3
    assert fixed["message"] == "佐藤 一郎さんを出席に訂正しました。出席者は3人です。"
    again = await correct(missed["reference"], True)
    assert again.status_code == 409
    assert "すでに出席として記録されています" in again.json()["message"]

    # the certificate of the missed attendee is dated by the seminar, not by the correction
    pdf = await client.get(f"/registrations/{missed['reference']}/certificate.pdf")
    assert pdf.status_code == 200
    report = ok(await client.get(f"/seminars/{seminar.id}/attendance", headers=COORDINATOR))
    assert (report["registered"], report["attended"], report["no_shows"]) == (3, 3, 0)

    # a mistaken check-in is undone, unless that registrant answered the feedback form
    ok(
        await client.post(
            f"/registrations/{came['reference']}/feedback",
            json={"satisfaction": 5, "usefulness": 4},
        ),
        201,
    )
    answered = await correct(came["reference"], False)
    assert answered.status_code == 409
    assert "欠席に訂正できません" in answered.json()["message"]
    undone = ok(await correct(mistaken["reference"], False, "別の方の受付番号で受付していた"))
    assert (undone["attended"], undone["attended_total"]) == (False, 2)
    refused = await client.get(f"/registrations/{mistaken['reference']}/certificate.pdf")
    assert refused.status_code == 409

    history = ok(await client.get(f"/seminars/{seminar.id}/history", headers=COORDINATOR))
    corrections = [c for c in history["changes"] if c["action"] == "attendance.corrected"]
    assert [(c["actor"], c["summary"], c["reason"]) for c in corrections] == [
        (
            "coordinator:kikaku-sato",
            "欠席を出席に訂正しました",
            "受付の混雑で記録漏れ。署名簿で出席を確認",
        ),
        ("coordinator:kikaku-sato", "出席を欠席に訂正しました", "別の方の受付番号で受付していた"),
    ]

    records = await read_topic(service.kafka_bootstrap, SEMINARS.name, expect=6)
    types = [header(r, "ce_type") for r in records]
    assert types[-3:] == [
        "jp.tosei.seminar.seminar.held.v1",
        "jp.tosei.seminar.seminar.attendance_corrected.v1",
        "jp.tosei.seminar.seminar.attendance_corrected.v1",
    ]
    held, first, second = (json.loads(r.value) for r in records[-3:])
    assert (held["attended"], first["attended"], second["attended"]) == (2, 3, 2)
    # three attendees: every town and role is too small a group to publish (秘匿)
    assert (first["attended_by_municipality"], first["attended_by_role"]) == ({}, {})
    assert first["attended_by_mode"] == {"venue": 3}
    assert first["suppressed"] == [
        "attended_by_municipality.022012", "attended_by_municipality.023019",
        "attended_by_role.nurse", "attended_by_role.physician",
    ]  # fmt: skip
    assert first["held_on"] == "2027-10-17"
    text = b"".join(r.value for r in records).decode()
    for personal in ("佐藤", "山田", "鈴木", "署名簿", missed["reference"]):
        assert personal not in text  # names, reasons and references stay in the service
