"""The same person typed differently is one client; duplicates that slip through can be merged."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx

from tests.intake.helpers import AUDITOR, COORDINATOR, DESK, consultation, payload, register
from tests.support.clock import TEST_NOW
from tests.support.waiting import read_topic
from tosei_common.catalogue.intake import CLIENTS
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.service import Runtime
from tosei_intake.db import clients as clients_db
from tosei_intake.domain.clients import ClientState
from tosei_intake.domain.clients import merge as decide_merge


async def client_of(http: httpx.AsyncClient, client_id: str) -> dict[str, Any]:
    response = await http.get(f"/clients/{client_id}", headers=AUDITOR)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def test_the_same_person_typed_differently_becomes_one_client(
    http: httpx.AsyncClient,
) -> None:
    first = await register(http)
    by_phone = await register(
        http,
        person={"name": "山田　太郎", "phone": "０１７－７２３－１１１１", "email": None},
        municipality="外ヶ浜町",
    )
    by_email = await register(
        http, person={"name": "山田太郎", "phone": None, "email": "TARO.YAMADA@example.jp"}
    )
    assert first["client_created"] is True
    assert (by_phone["client_created"], by_email["client_created"]) == (False, False)
    assert first["client_id"] == by_phone["client_id"] == by_email["client_id"]

    client = await client_of(http, first["client_id"])
    assert [c["id"] for c in client["consultations"]] == [
        first["id"],
        by_phone["id"],
        by_email["id"],
    ]
    assert client["names"] == ["山田 太郎"]
    assert client["phones"] == ["017-723-1111"]


async def test_a_returning_client_s_new_contact_finds_them_next_time(
    http: httpx.AsyncClient,
) -> None:
    first = await register(http, person={"email": None})
    with_both = await register(http, person={"email": "taro@tsugaru-ringo.example.jp"})
    by_new_email = await register(
        http, person={"phone": None, "email": "taro@tsugaru-ringo.example.jp"}
    )
    assert first["client_id"] == with_both["client_id"] == by_new_email["client_id"]
    assert (await client_of(http, first["client_id"]))["emails"] == [
        "taro@tsugaru-ringo.example.jp"
    ]


async def test_namesakes_and_family_members_stay_separate_clients(http: httpx.AsyncClient) -> None:
    yamada = await register(http)
    namesake = await register(
        http, person={"phone": "0172-33-4444", "email": "yamada@hirosaki.example.jp"}
    )
    wife = await register(http, person={"name": "山田 花子", "email": None})
    assert len({yamada["client_id"], namesake["client_id"], wife["client_id"]}) == 3


async def test_two_desks_registering_the_same_new_person_at_once_make_one_client(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    bodies = [consultation(person={"name": "髙橋 花子"}) for _ in range(6)]
    responses = await asyncio.gather(
        *(http.post("/consultations", json=body, headers=DESK) for body in bodies)
    )
    assert [r.status_code for r in responses] == [201] * 6
    assert len({r.json()["client_id"] for r in responses}) == 1
    async with intake.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM clients") == 1


async def test_clients_are_found_by_name_or_phone_however_typed(http: httpx.AsyncClient) -> None:
    takahashi = await register(
        http,
        person={"name": "髙橋 花子", "furigana": None, "phone": "080-1234-5678", "email": None},
        business={"name": "美容室はなこ"},
    )
    await register(http)

    async def search(q: str) -> list[str]:
        response = await http.get("/clients", params={"q": q}, headers=DESK)
        assert response.status_code == 200, response.text
        return [c["name"] for c in response.json()]

    assert await search("高橋") == ["髙橋 花子"]
    assert await search("たかはし") == []  # no furigana was given for her
    assert await search("やまだ") == ["山田 太郎"]  # his furigana
    assert await search("ヤマダ タロウ") == ["山田 太郎"]
    assert await search("taro.yamada@") == ["山田 太郎"]
    assert await search("津軽りんご") == ["山田 太郎"]  # his business
    assert await search("美容室") == ["髙橋 花子"]
    assert await search("０８０－１２３４") == ["髙橋 花子"]
    assert await search("723-1111") == ["山田 太郎"]
    assert await search("佐藤") == []
    found = (await http.get("/clients", params={"q": "花子"}, headers=DESK)).json()
    assert found[0]["id"] == takahashi["client_id"]
    assert found[0]["consultations"] == 1


async def test_a_coordinator_merges_a_duplicate_and_both_histories_stay(
    http: httpx.AsyncClient, broker: TansuBroker
) -> None:
    # He came back with a new mobile and no e-mail: the rule cannot tell it is him.
    old = await register(http, person={"email": None})
    new = await register(http, person={"name": "山田太郎", "phone": "090-5555-0001", "email": None})
    assert old["client_id"] != new["client_id"]
    candidates = await http.get(
        f"/clients/{old['client_id']}/possible-duplicates", headers=COORDINATOR
    )
    assert [c["id"] for c in candidates.json()] == [new["client_id"]]

    merged = await http.post(
        f"/clients/{old['client_id']}/merge",
        json={"duplicate_id": new["client_id"]},
        headers=COORDINATOR,
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["moved_consultations"] == [new["id"]]
    assert merged.json()["by"] == "coordinator:kudo"

    client = await client_of(http, old["client_id"])
    assert [c["id"] for c in client["consultations"]] == [old["id"], new["id"]]
    assert client["phones"] == ["017-723-1111", "090-5555-0001"]
    assert client["merged_client_ids"] == [new["client_id"]]
    moved = client["consultations"][1]
    assert (moved["client_id"], moved["registered_client_id"]) == (
        old["client_id"],
        new["client_id"],
    )
    # The duplicate's id leads to the client that absorbed it.
    assert (await client_of(http, new["client_id"]))["id"] == old["client_id"]
    # And the new mobile now finds him.
    again = await register(http, person={"phone": "09055550001", "email": None})
    assert again["client_id"] == old["client_id"]

    [record] = await read_topic(broker.bootstrap, CLIENTS.name, expect=1)
    assert payload(record) == {
        "client_id": old["client_id"],
        "merged_client_id": new["client_id"],
        "case_ids": [new["id"]],
        "merged_at": payload(record)["merged_at"],
    }


async def test_merges_that_make_no_sense_are_refused(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    a = (await register(http))["client_id"]
    b = (await register(http, person={"name": "山田 次郎", "email": None}))["client_id"]

    async def merge(into: str, duplicate: str, headers: dict[str, str]) -> httpx.Response:
        return await http.post(
            f"/clients/{into}/merge", json={"duplicate_id": duplicate}, headers=headers
        )

    assert (await merge(a, b, DESK)).status_code == 403
    into_itself = await merge(a, a, COORDINATOR)
    assert into_itself.status_code == 422
    assert into_itself.json()["fields"][0]["field"] == "duplicate_id"
    assert (await merge(a, "9a1d2e3f-4b5c-4d6e-8f70-1a2b3c4d5e6f", COORDINATOR)).status_code == 404
    assert (await merge(a, b, COORDINATOR)).status_code == 200
    twice = await merge(a, b, COORDINATOR)
    assert twice.status_code == 409
    assert twice.json()["error"] == "conflict"
    assert "すでに" in twice.json()["message"]
    assert "統合されています" in twice.json()["message"]
    async with intake.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM client_merges") == 1


async def test_a_registration_during_a_merge_waits_and_joins_the_survivor(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    old = await register(http, person={"email": None})
    new = await register(http, person={"name": "山田太郎", "phone": "090-5555-0001", "email": None})
    survivor, duplicate = uuid.UUID(old["client_id"]), uuid.UUID(new["client_id"])

    async with intake.pool.acquire() as conn, conn.transaction():
        # a merge in progress: it holds what a merge holds, then moves the duplicate's keys
        await clients_db.lock_names_of(conn, [survivor, duplicate])
        arriving = asyncio.create_task(
            register(http, person={"phone": "090-5555-0001", "email": None})
        )
        await asyncio.sleep(0.5)
        assert not arriving.done()  # the same name waits for the merge
        moving = await clients_db.consultation_ids(conn, duplicate)
        merged = decide_merge(
            ClientState(survivor, None), ClientState(duplicate, None), moving, at=TEST_NOW
        )
        await clients_db.save_merge(conn, merged, "coordinator:kudo")
    registered = await arriving

    assert registered["client_id"] == old["client_id"]
    assert registered["client_created"] is False


async def test_the_variants_de_duplication_used_to_miss_make_one_client_found_either_way(
    http: httpx.AsyncClient,
) -> None:
    ichigaya = await register(
        http,
        person={"name": "一ヶ谷 翔", "furigana": "いちがや しょう", "phone": "017-788-0001"},
    )
    again = await register(
        http, person={"name": "一ケ谷　翔", "furigana": None, "phone": "0177880001", "email": None}
    )
    yoshida = await register(
        http, person={"name": "𠮷田 一郎", "furigana": None, "phone": "017-755-0101", "email": None}
    )
    plain = await register(
        http, person={"name": "吉田一郎", "furigana": None, "phone": "017-755-0101", "email": None}
    )
    assert again["client_id"] == ichigaya["client_id"]
    assert plain["client_id"] == yoshida["client_id"]
    # every spelling they were registered with is kept (spacing is not spelling)
    assert (await client_of(http, ichigaya["client_id"]))["names"] == ["一ヶ谷 翔", "一ケ谷　翔"]
    assert (await client_of(http, yoshida["client_id"]))["names"] == ["𠮷田 一郎", "吉田一郎"]
    for q in ("一ケ谷", "一ヶ谷", "一ヵ谷 翔", "いちがや"):
        found = (await http.get("/clients", params={"q": q}, headers=DESK)).json()
        assert [c["id"] for c in found] == [ichigaya["client_id"]], q


async def test_keys_stored_under_older_rules_are_reduced_again_at_start(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    """A client registered before the rules knew 𠮷 (its key kept the 𠮷) and before furigana
    were keys: the next start fixes both, and a second start has nothing to do."""
    from tosei_intake.handlers.keys import refresh_keys

    old = await register(
        http, person={"name": "𠮷田 花", "furigana": "よしだ はな", "phone": "017-700-0001"}
    )
    client_id = uuid.UUID(old["client_id"])
    async with intake.pool.acquire() as conn:
        await conn.execute(
            "UPDATE client_keys SET key = '𠮷田花' WHERE client_id = $1 AND kind = 'name'",
            client_id,
        )
        await conn.execute(
            "DELETE FROM client_keys WHERE client_id = $1 AND kind IN ('furigana', 'business')",
            client_id,
        )
    assert (await http.get("/clients", params={"q": "吉田"}, headers=DESK)).json() == []
    async with intake.pool.acquire() as conn:
        said = await refresh_keys(conn, intake.clock)
        assert said == ("相談者の照合キーを3件更新しました（表記ゆれの規則・ふりがな・事業者名）",)
        assert await refresh_keys(conn, intake.clock) == ()
    for q in ("吉田", "よしだ", "津軽りんご工房"):
        found = (await http.get("/clients", params={"q": q}, headers=DESK)).json()
        assert [c["id"] for c in found] == [old["client_id"]], q
    same = await register(
        http, person={"name": "吉田 花", "furigana": None, "phone": "0177000001", "email": None}
    )
    assert same["client_id"] == old["client_id"]


async def test_a_client_s_details_are_corrected_with_a_reason_and_the_wrong_phone_forgotten(
    http: httpx.AsyncClient, intake: Runtime
) -> None:
    typo = await register(
        http,
        person={"name": "高橋 一郎", "furigana": None, "phone": "017-723-1112", "email": None},
    )
    path = f"/clients/{typo['client_id']}"
    fix = {
        "name": "髙橋 一郎",
        "furigana": "たかはし いちろう",
        "remove_phones": ["０１７－７２３－１１１２"],
        "add_phones": ["017-723-1111"],
    }
    unsaid = await http.patch(path, json=fix, headers=DESK)
    assert unsaid.status_code == 422
    assert unsaid.json()["fields"][0]["field"] == "reason"
    stranger = await http.patch(
        path, json={"remove_phones": ["090-0000-0000"], "reason": "誤り"}, headers=DESK
    )
    assert stranger.status_code == 422
    assert stranger.json()["fields"][0]["field"] == "remove_phones"
    why = "電話番号と氏名の漢字の入力誤り（本人に確認）"
    done = await http.patch(path, json={**fix, "reason": why}, headers=DESK)
    assert done.status_code == 204, done.text

    client = await client_of(http, typo["client_id"])
    assert (client["name"], client["furigana"]) == ("髙橋 一郎", "たかはし いちろう")
    assert client["names"] == ["高橋 一郎", "髙橋 一郎"]  # the first spelling is still found
    assert client["phones"] == ["017-723-1111"]
    again = await register(
        http, person={"name": "髙橋一郎", "furigana": None, "phone": "0177231111", "email": None}
    )
    assert again["client_id"] == typo["client_id"]
    someone_else = await register(
        http, person={"name": "高橋 一郎", "furigana": None, "phone": "017-723-1112", "email": None}
    )
    assert someone_else["client_id"] != typo["client_id"]  # the wrong phone recognises nobody
    async with intake.pool.acquire() as conn:
        audited = await conn.fetchrow(
            "SELECT actor, reason, changes FROM audit_log WHERE entity = 'client'"
            " AND entity_id = $1 AND action = 'corrected'",
            typo["client_id"],
        )
    assert audited is not None
    assert (audited["actor"], audited["reason"]) == ("desk:sato", why)
    changes = json.loads(audited["changes"])
    assert changes["name"] == {"old": "高橋 一郎", "new": "髙橋 一郎"}
    assert changes["phones"] == {"old": ["017-723-1112"], "new": ["017-723-1111"]}
