"""Mail to registrants on the real database, broker and an SMTP server (the development mailbox
on a free port, writing .eml files): what is sent when, that a rolled-back change sends nothing,
and that an SMTP outage delays mail without losing or doubling any."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from tests.seminar.conftest import (
    COORDINATOR,
    ON_THE_DAY,
    Seminar,
    ok,
    open_seminar,
    person,
    register,
)
from tests.support.mailbox import TestMailbox, html_of, inline_images, text_of
from tests.support.metrics import metric
from tests.support.runtime import Start, fast_settings
from tests.support.waiting import eventually
from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.devtools.devstack import free_port
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_seminar.app import SERVICE
from tosei_seminar.domain.registration import Applicant
from tosei_seminar.handlers import registrations as commands

CONSOLE = "https://console.tosei.example.jp"


@pytest.fixture
async def service(schema: str, start: Start, mailbox: TestMailbox) -> AsyncIterator[Runtime]:
    settings = fast_settings(**mailbox.settings(), console_public_url=CONSOLE)
    async with start(SERVICE, settings, schema=schema) as rt:
        yield rt


@pytest.fixture
async def client(service: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://seminar") as c:
        yield c


async def mails_in_outbox(service: Runtime) -> list[Any]:
    async with service.pool.acquire() as conn:
        return list(
            await conn.fetch(
                "SELECT kind, recipient, attempts, last_error, sent_at, given_up_at"
                " FROM mail_outbox ORDER BY seq"
            )
        )


async def all_sent(service: Runtime, count: int) -> bool:
    rows = await mails_in_outbox(service)
    return len(rows) == count and all(r["sent_at"] is not None for r in rows)


async def test_registering_with_an_email_sends_one_mail_with_the_reference_and_the_link(
    client: httpx.AsyncClient, service: Runtime, mailbox: TestMailbox
) -> None:
    seminar = await open_seminar(client)
    phone_only = await register(client, seminar, person(1, email=None))
    mine = await register(client, seminar, person(2, email="hanako@hospital.example.jp"))

    (mail,) = await mailbox.wait_for(1)
    assert mail["To"] == "hanako@hospital.example.jp"
    assert "参加申込を受け付けました（参加確定）" in mail["Subject"]
    assert mail["From"].addresses[0].addr_spec == "no-reply@tosei.example.jp"
    text = text_of(mail)
    assert "青森 太郎2 様" in text
    assert f"受付番号: {mine['reference']}" in text
    assert f"{CONSOLE}/seminar/my/{mine['reference']}" in text
    assert "令和9年10月17日（日）13:30〜16:30" in text
    html = html_of(mail)
    assert html is not None
    (qr,) = inline_images(mail)
    assert qr.get_content().startswith(b"\x89PNG")
    assert f'src="cid:{qr["Content-ID"].strip("<>")}"' in html
    # the phone-only registrant, who registered first, got nothing (their desk calls them)
    await eventually(lambda: all_sent(service, 1))
    assert len(mailbox.messages()) == 1
    assert phone_only["reference"] not in "".join(text_of(m) for m in mailbox.messages())
    # the .eml on disk is the message as sent: a mail client opens it
    assert [p.suffix for p in mailbox.server.files()] == [".eml"]


async def test_the_registration_mail_names_the_keynote_speaker_and_the_title_of_the_talk(
    client: httpx.AsyncClient, mailbox: TestMailbox
) -> None:
    seminar = await open_seminar(client)
    keynote = {
        "name": "佐藤 良子",
        "affiliation": "医療法人 在宅ケアクリニック",
        "profession": "在宅医",
        "keynote": True,
        "fee": 100000,
        "talk_title": "住み慣れた家で最期まで",
    }
    ok(
        await client.post(f"/seminars/{seminar.id}/speakers", json=keynote, headers=COORDINATOR),
        201,
    )
    await register(client, seminar, person(1))

    (mail,) = await mailbox.wait_for(1)
    line = "基調講演: 佐藤 良子（医療法人 在宅ケアクリニック・在宅医）「住み慣れた家で最期まで」"
    assert line in text_of(mail)
    assert "住み慣れた家で最期まで" in (html_of(mail) or "")


async def test_a_cancellation_that_promotes_the_first_waiting_mails_them(
    client: httpx.AsyncClient, mailbox: TestMailbox
) -> None:
    seminar = await open_seminar(client, venue_seats=1)
    seated = await register(client, seminar, person(1, email="first@example.jp"))
    waiting = await register(client, seminar, person(2, email="second@example.jp"))
    assert waiting["position"] == 1
    (queued,) = await mailbox.wait_for(1, to="second@example.jp")
    assert "キャンセル待ち 1番目" in text_of(queued)

    ok(await client.post(f"/registrations/{seated['reference']}/cancel"))

    _, promoted = await mailbox.wait_for(2, to="second@example.jp")
    assert "キャンセル待ちから参加確定になりました" in promoted["Subject"]
    assert "申込の状態: 参加確定" in text_of(promoted)
    assert len(inline_images(promoted)) == 1  # now they have a seat to show at the door
    _, confirmed = await mailbox.wait_for(2, to="first@example.jp")
    assert "参加申込を取り消しました" in confirmed["Subject"]


async def rescheduled_and_cancelled_crowd(
    client: httpx.AsyncClient, mailbox: TestMailbox
) -> tuple[Seminar, list[dict[str, Any]]]:
    """A seated, a waiting, a cancelled and a phone-only registrant; their first mails in."""
    seminar = await open_seminar(client, venue_seats=1)
    crowd = [
        await register(client, seminar, person(1, email="seated@example.jp")),
        await register(client, seminar, person(2, email="waiting@example.jp")),
        await register(client, seminar, person(3, email="gone@example.jp")),
        await register(client, seminar, person(4, email=None)),
    ]
    ok(await client.post(f"/registrations/{crowd[2]['reference']}/cancel"))
    await mailbox.wait_for(4)  # three registrations and one cancellation
    return seminar, crowd


async def test_a_reschedule_mails_everyone_still_on_the_list_with_the_new_date(
    client: httpx.AsyncClient, service: Runtime, mailbox: TestMailbox
) -> None:
    seminar, _ = await rescheduled_and_cancelled_crowd(client, mailbox)
    moved = {"date": "2027-11-07", "start_time": "10:00", "end_time": "12:00"}
    ok(await client.patch(f"/seminars/{seminar.id}", json=moved, headers=COORDINATOR))

    await eventually(lambda: all_sent(service, 6))
    told = [m for m in mailbox.messages() if "開催日時が変更" in m["Subject"]]
    assert sorted(m["To"] for m in told) == ["seated@example.jp", "waiting@example.jp"]
    for mail in told:
        assert "日時: 令和9年11月7日（日）10:00〜12:00" in text_of(mail)
        assert "変更前の日時: 令和9年10月17日（日）13:30〜16:30" in text_of(mail)
    # a change of title alone tells nobody
    ok(
        await client.patch(
            f"/seminars/{seminar.id}", json={"title": "新しい題"}, headers=COORDINATOR
        )
    )
    assert len(await mails_in_outbox(service)) == 6


async def test_cancelling_the_seminar_mails_everyone_on_the_list_with_the_reason(
    client: httpx.AsyncClient, service: Runtime, mailbox: TestMailbox
) -> None:
    seminar, _ = await rescheduled_and_cancelled_crowd(client, mailbox)
    why = "台風の接近により、安全のため中止します"
    ok(
        await client.post(
            f"/seminars/{seminar.id}/state",
            json={"state": "cancelled", "reason": why},
            headers=COORDINATOR,
        )
    )
    await eventually(lambda: all_sent(service, 6))
    told = [m for m in mailbox.messages() if "中止" in m["Subject"]]
    assert sorted(m["To"] for m in told) == ["seated@example.jp", "waiting@example.jp"]
    assert all(f"中止の理由: {why}" in text_of(m) for m in told)


async def test_when_the_seminar_is_marked_held_those_who_came_are_asked_for_feedback(
    client: httpx.AsyncClient, service: Runtime, mailbox: TestMailbox, clock: SettableClock
) -> None:
    seminar = await open_seminar(client)
    came = await register(client, seminar, person(1, email="came@example.jp"))
    await register(client, seminar, person(2, email="stayed-home@example.jp"))
    await mailbox.wait_for(2)
    clock.set(ON_THE_DAY)
    ok(
        await client.post(
            f"/seminars/{seminar.id}/check-ins",
            json={"reference": came["reference"]},
            headers=COORDINATOR,
        )
    )
    for state in ("registration_closed", "held"):
        ok(
            await client.post(
                f"/seminars/{seminar.id}/state", json={"state": state}, headers=COORDINATOR
            )
        )

    _, thanks = await mailbox.wait_for(2, to="came@example.jp")
    assert "アンケートのお願い" in thanks["Subject"]
    assert f"{CONSOLE}/seminar/my/{came['reference']}" in text_of(thanks)
    await eventually(lambda: all_sent(service, 3))
    assert len(mailbox.to("stayed-home@example.jp")) == 1  # only their registration's


async def test_an_smtp_outage_delays_mail_and_loses_or_doubles_none(
    client: httpx.AsyncClient, service: Runtime, mailbox: TestMailbox
) -> None:
    seminar = await open_seminar(client)
    mailbox.stop()
    crowd = [await register(client, seminar, person(n, email=f"p{n}@example.jp")) for n in range(3)]

    async def tried_and_failed() -> bool:
        rows = await mails_in_outbox(service)
        return any(r["attempts"] >= 2 and r["last_error"] for r in rows)

    await eventually(tried_and_failed)
    rows = await mails_in_outbox(service)
    assert all(r["sent_at"] is None and r["given_up_at"] is None for r in rows)
    assert "SMTPConnect" in next(r["last_error"] for r in rows if r["last_error"])
    metrics = (await client.get("/metrics")).text
    assert metric(metrics, "tosei_mail_pending") == 3
    assert (metric(metrics, "tosei_mail_send_failures_total") or 0) >= 2

    mailbox.restart()
    await eventually(lambda: all_sent(service, 3))
    received = mailbox.messages()
    assert sorted(m["To"] for m in received) == [f"p{n}@example.jp" for n in range(3)]
    assert len({m["Message-ID"] for m in received}) == 3
    for mail, registered in zip(sorted(received, key=lambda m: m["To"]), crowd, strict=True):
        assert registered["reference"] in text_of(mail)
    rows = await mails_in_outbox(service)
    assert all(r["last_error"] is None for r in rows)
    metrics = (await client.get("/metrics")).text
    assert metric(metrics, "tosei_mail_pending") == 0
    assert metric(metrics, "tosei_mail_sent_total", kind="registration.registered") == 3


async def test_a_registration_rolled_back_sends_no_mail(
    client: httpx.AsyncClient, service: Runtime, mailbox: TestMailbox
) -> None:
    seminar = await open_seminar(client)
    applicant = Applicant(
        name="取消 太郎",
        name_kana=None,
        organisation=None,
        role=AttendeeRole.NURSE,
        municipality="022012",
        email="rolled-back@example.jp",
        phone=None,
        mode=AttendanceMode.VENUE,
        site_id=None,
    )

    class Interrupted(Exception):
        pass

    async def register_then_fail() -> None:
        async with service.unit_of_work("registrant") as uow:
            await commands.register(uow, None, uuid.UUID(seminar.id), applicant)
            assert uow.mails_added == 1  # written, in the transaction
            raise Interrupted

    with pytest.raises(Interrupted):
        await register_then_fail()
    await register(client, seminar, person(1, email="kept@example.jp"))
    (mail,) = await mailbox.wait_for(1)
    assert mail["To"] == "kept@example.jp"
    await eventually(lambda: all_sent(service, 1))
    assert [r["recipient"] for r in await mails_in_outbox(service)] == ["kept@example.jp"]


# a mail the server refuses for good ----------------------------------------------------------


class RefusingOne:
    """An SMTP server that refuses one address for good (550) and keeps the rest."""

    def __init__(self, directory: Path, refused: str) -> None:
        self.directory = directory
        self.refused = refused

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address == self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        (self.directory / f"{uuid.uuid4()}.eml").write_bytes(envelope.original_content)
        return "250 OK"


@pytest.fixture
def refusing(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port = free_port()
    controller = Controller(
        RefusingOne(tmp_path, "nobody@example.jp"), hostname="127.0.0.1", port=port
    )
    controller.start()
    try:
        yield port, tmp_path
    finally:
        controller.stop()


async def test_a_refused_address_is_given_up_at_once_counted_and_the_others_go(
    schema: str, start: Start, refusing: tuple[int, Path]
) -> None:
    port, kept = refusing
    settings = fast_settings(smtp_host="127.0.0.1", smtp_port=port, mail_max_attempts=50)
    async with start(SERVICE, settings, schema=schema) as rt:
        transport = httpx.ASGITransport(app=build_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://seminar") as http:
            seminar = await open_seminar(http)
            await register(http, seminar, person(1, email="nobody@example.jp"))
            await register(http, seminar, person(2, email="somebody@example.jp"))

            async def settled() -> bool:
                rows = await mails_in_outbox(rt)
                return len(rows) == 2 and all(r["sent_at"] or r["given_up_at"] for r in rows)

            await eventually(settled)
            refused, sent = await mails_in_outbox(rt)
            assert refused["attempts"] == 1
            assert refused["given_up_at"] is not None
            assert "550" in refused["last_error"]
            assert sent["sent_at"] is not None
            assert len(list(kept.glob("*.eml"))) == 1
            metrics = (await http.get("/metrics")).text
    assert metric(metrics, "tosei_mail_undeliverable") == 1
    assert metric(metrics, "tosei_mail_pending") == 0


# a registrant's address corrected --------------------------------------------------------------


def correct_email(reference: str, email: str) -> tuple[str, dict[str, str]]:
    return f"/registrations/{reference}/contacts", {
        "reason": "本人から電話（メールアドレスの誤り）",
        "email": email,
    }


async def test_a_corrected_address_takes_the_mails_not_yet_sent_and_sends_none_twice(
    client: httpx.AsyncClient, service: Runtime, mailbox: TestMailbox
) -> None:
    seminar = await open_seminar(client)
    early = await register(client, seminar, person(1, email="taro@old.example.jp"))
    await mailbox.wait_for(1, to="taro@old.example.jp")
    await eventually(lambda: all_sent(service, 1))

    mailbox.stop()  # the next mail waits in the outbox
    late = await register(client, seminar, person(2, email="hanako@typo.example.jp"))
    for reference, email in (
        (early["reference"], "taro@new.example.jp"),
        (late["reference"], "hanako@hospital.example.jp"),
    ):
        path, body = correct_email(reference, email)
        ok(await client.patch(path, json=body, headers=COORDINATOR))
    mailbox.restart()

    (waited,) = await mailbox.wait_for(1, to="hanako@hospital.example.jp")
    assert late["reference"] in text_of(waited)
    await eventually(lambda: all_sent(service, 2))
    assert mailbox.to("hanako@typo.example.jp") == []
    # the mail sent before the correction stays sent, to where it went, and is not sent again
    assert len(mailbox.to("taro@old.example.jp")) == 1
    assert mailbox.to("taro@new.example.jp") == []
    assert [r["recipient"] for r in await mails_in_outbox(service)] == [
        "taro@old.example.jp",
        "hanako@hospital.example.jp",
    ]
    # what is written after the correction goes to the corrected address
    ok(await client.post(f"/registrations/{early['reference']}/cancel"))
    (cancelled,) = await mailbox.wait_for(1, to="taro@new.example.jp")
    assert "取り消しました" in cancelled["Subject"]
    assert len(mailbox.messages()) == 3
    # the disclosure to him lists both, each to where it went
    await eventually(lambda: all_sent(service, 3))
    found = ok(
        await client.get(
            "/disclosure/registrants", params={"email": "taro@new.example.jp"}, headers=COORDINATOR
        )
    )
    (shown,) = found["registrations"]
    assert [(m["kind_label"], m["to"], m["state_label"]) for m in shown["mails"]] == [
        ("申込の受付", "taro@old.example.jp", "送信済み"),
        ("申込の取消し", "taro@new.example.jp", "送信済み"),
    ]
    assert all(m["sent_at"] for m in shown["mails"])


async def test_a_withdrawn_address_sends_nothing_more_and_keeps_no_copy_of_the_unsent(
    client: httpx.AsyncClient, service: Runtime, mailbox: TestMailbox
) -> None:
    seminar = await open_seminar(client)
    mailbox.stop()
    mine = await register(client, seminar, person(1, email="taro@example.jp"))
    path, body = correct_email(mine["reference"], "")  # only the phone from now on
    fixed = ok(await client.patch(path, json=body, headers=COORDINATOR))
    assert fixed["email"] is None
    neither = await client.patch(path, json={"reason": "誤り", "phone": ""}, headers=COORDINATOR)
    assert neither.status_code == 422  # an e-mail or a phone stays
    mailbox.restart()
    await register(client, seminar, person(2, email="hanako@example.jp"))
    await mailbox.wait_for(1, to="hanako@example.jp")
    assert mailbox.to("taro@example.jp") == []
    async with service.pool.acquire() as conn:
        withdrawn = await conn.fetchrow(
            "SELECT recipient, body_text, sent_at, erased_at FROM mail_outbox ORDER BY seq LIMIT 1"
        )
    assert withdrawn is not None
    assert (withdrawn["recipient"], withdrawn["body_text"], withdrawn["sent_at"]) == (
        None,
        None,
        None,
    )
    assert withdrawn["erased_at"] is not None
    found = ok(
        await client.get(
            "/disclosure/registrants",
            params={"phone": "017-734-2171", "name": "青森 太郎1"},
            headers=COORDINATOR,
        )
    )
    (shown,) = found["registrations"]
    (mail,) = shown["mails"]
    assert (mail["kind_label"], mail["to"], mail["body"], mail["sent_at"]) == (
        "申込の受付",
        None,
        None,
        None,
    )
    assert mail["state_label"].startswith("送信していません")
    metrics = (await client.get("/metrics")).text
    assert metric(metrics, "tosei_mail_pending") == 0


async def test_a_mail_refused_for_a_mistyped_address_goes_once_the_address_is_corrected(
    schema: str, start: Start, refusing: tuple[int, Path]
) -> None:
    port, kept = refusing
    settings = fast_settings(smtp_host="127.0.0.1", smtp_port=port)
    async with start(SERVICE, settings, schema=schema) as rt:
        transport = httpx.ASGITransport(app=build_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://seminar") as http:
            seminar = await open_seminar(http)
            mine = await register(http, seminar, person(1, email="nobody@example.jp"))

            async def given_up() -> bool:
                rows = await mails_in_outbox(rt)
                return len(rows) == 1 and rows[0]["given_up_at"] is not None

            await eventually(given_up)
            path, body = correct_email(mine["reference"], "somebody@example.jp")
            ok(await http.patch(path, json=body, headers=COORDINATOR))
            await eventually(lambda: all_sent(rt, 1))
            (row,) = await mails_in_outbox(rt)
            assert (row["recipient"], row["given_up_at"], row["attempts"]) == (
                "somebody@example.jp",
                None,
                1,
            )
            metrics = (await http.get("/metrics")).text
    (eml,) = kept.glob("*.eml")
    assert b"To: somebody@example.jp" in eml.read_bytes()
    assert metric(metrics, "tosei_mail_undeliverable") == 0
