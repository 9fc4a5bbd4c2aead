"""A registrant's requests about their own records: everything the seminar holds about them,
found by their e-mail or phone (本人開示), and correcting their name and contacts (audited,
shown in the disclosure with old → new)."""

from __future__ import annotations

import httpx

from tests.seminar.conftest import AUDITOR, COORDINATOR, ok, open_seminar, person, register
from tests.seminar.test_registrations import check_in_everyone_and_hold
from tosei_common.platform.clock import SettableClock


async def test_a_registrant_s_disclosure_holds_attendance_feedback_and_corrections(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    seminar = await open_seminar(client)
    mine = await register(
        client, seminar, person(1, name="山田 花子", email="hanako@example.jp", phone=None)
    )
    await register(client, seminar, person(2, name="佐藤 一郎"))  # someone else
    await check_in_everyone_and_hold(client, seminar, [mine["reference"]], clock)
    ok(
        await client.post(
            f"/registrations/{mine['reference']}/feedback",
            json={"satisfaction": 5, "usefulness": 4, "comment": "事例が参考になった"},
        ),
        201,
    )

    # a correction says why; only coordinators make one
    path = f"/registrations/{mine['reference']}/contacts"
    unsaid = await client.patch(path, json={"email": "h.yamada@example.jp"}, headers=COORDINATOR)
    assert unsaid.status_code == 422
    assert any(f["field"] == "reason" for f in unsaid.json()["fields"])
    auditor = await client.patch(
        path, json={"reason": "誤り", "email": "h.yamada@example.jp"}, headers=AUDITOR
    )
    assert auditor.status_code == 403
    fixed = ok(
        await client.patch(
            path,
            json={"reason": "本人の申出（メールアドレスの誤り）", "email": "h.yamada@example.jp"},
            headers=COORDINATOR,
        )
    )
    assert fixed["email"] == "h.yamada@example.jp"

    # found by the corrected address, not by a name alone
    no_contact = await client.get(
        "/disclosure/registrants", params={"name": "山田 花子"}, headers=COORDINATOR
    )
    assert no_contact.status_code == 422
    assert no_contact.json()["fields"][0]["field"] == "email"
    assert "氏名だけでは探せません" in no_contact.json()["message"]
    assert (
        await client.get(
            "/disclosure/registrants", params={"email": "hanako@example.jp"}, headers=COORDINATOR
        )
    ).json() == {"registrations": []}
    bundle = ok(
        await client.get(
            "/disclosure/registrants",
            params={"email": "H.Yamada@example.jp", "name": "山田花子"},
            headers=COORDINATOR,
        )
    )
    (shown,) = bundle["registrations"]
    assert (shown["name"], shown["email"], shown["role_label"]) == (
        "山田 花子",
        "h.yamada@example.jp",
        "看護師",
    )
    assert shown["seminar_title"] == "地域で支える在宅医療 — 退院から看取りまで"
    assert (shown["status_label"], shown["seminar_state_label"]) == ("参加確定", "開催済み")
    assert shown["checked_in_at"] is not None
    assert shown["certificate_issuable"] is True
    assert shown["feedback"]["comment"] == "事例が参考になった"
    actions = [h["action_label"] for h in shown["history"]]
    assert actions == [
        "申込（参加確定）",
        "受付（来場）",
        "アンケートへの回答",
        "氏名・連絡先の訂正",
    ]
    correction = shown["history"][-1]
    assert correction["reason"] == "本人の申出（メールアドレスの誤り）"
    assert correction["changes"] == [
        {
            "field": "email",
            "label": "メールアドレス",
            "old": "hanako@example.jp",
            "new": "h.yamada@example.jp",
        }
    ]
    # the mails written to her: what, when, the text; no mail server here, so still waiting,
    # and going to the corrected address
    mails = shown["mails"]
    assert [m["kind_label"] for m in mails] == ["申込の受付", "開催後のお礼とアンケートのお願い"]
    assert [m["to"] for m in mails] == ["h.yamada@example.jp"] * 2
    assert [m["state_label"] for m in mails] == ["送信待ち"] * 2
    assert mails[0]["subject"] == "【在宅医療合同研修会】参加申込を受け付けました（参加確定）"
    assert f"受付番号: {mine['reference']}" in mails[0]["body"]
    assert mails[0]["written_at"] <= mails[1]["written_at"]
    # the other registrant (same phone as nobody here) is not in it
    assert "佐藤" not in str(bundle)
