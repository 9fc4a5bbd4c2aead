"""Tokens, realistic desk data and small readers shared by the intake tests."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
from aiokafka import ConsumerRecord

from tests.support.auth import bearer
from tosei_common.platform.service import Runtime

DESK = bearer("desk", "sato")
COORDINATOR = bearer("coordinator", "kudo")
AUDITOR = bearer("auditor", "audit")

YAMADA: dict[str, Any] = {
    "person": {
        "name": "山田 太郎",
        "furigana": "やまだ たろう",
        "phone": "017-723-1111",
        "email": "taro.yamada@example.jp",
    },
    "business": {"name": "津軽りんご工房", "stage": "planning"},
    "municipality": "外ケ浜町",
    "categories": ["founding_plan", "financing"],
    "channel": "walk_in",
    "description": "りんごの加工品で創業したい。創業計画と日本政策金融公庫の融資を知りたい。",
    "consent_to_share": True,
}


def consultation(**changes: Any) -> dict[str, Any]:
    """YAMADA with some parts replaced: consultation(person={"phone": "..."}) merges dicts."""
    body = copy.deepcopy(YAMADA)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    return body


def payload(record: ConsumerRecord[bytes, bytes]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(record.value or b"{}")
    return data


# Names, contacts and words of the descriptions the tests use. (Digits alone would also match
# inside the UUIDs and pseudonyms events do carry, so phone numbers are looked for whole.)
PERSONAL_WORDS = (
    "山田",
    "太郎",
    "やまだ",
    "taro",
    "高橋",
    "髙橋",
    "花子",
    "hanako",
    "佐藤",
    "工藤",
    "0177231111",
    "017-723-1111",
    "08012345678",
    "080-1234-5678",
    "example.jp",
    "津軽",
    "りんご",
    "ほたて",
    "公庫",
    "創業したい",
)


def personal_data_in(text: str) -> list[str]:
    """Pieces of the sample people's personal data found in ``text``."""
    return [w for w in PERSONAL_WORDS if w in text]


async def register(http: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    """Register consultation(**changes) at the desk; the response body."""
    response = await http.post("/consultations", json=consultation(**changes), headers=DESK)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def on_file(intake: Runtime) -> tuple[int, int, int]:
    """Consultations, clients and outbox rows in the service's schema."""
    async with intake.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM consultations) AS c, (SELECT count(*) FROM clients) AS k,"
            " (SELECT count(*) FROM outbox) AS o"
        )
    assert row is not None
    return row["c"], row["k"], row["o"]
