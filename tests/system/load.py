"""The desk under load: consultations at a steady rate, each retried with its Idempotency-Key.

A real desk (or the console behind it) that gets a 503, a 409 that says "retry", a cut
connection or no answer at all sends the same request again with the same key until it gets a
definite answer. The load does exactly that, so every request ends accepted (2xx) unless the
platform refuses it for what it is (4xx), and nothing may be registered twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from tosei_common.platform.auth import mint_token

FAMILY_NAMES = (
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"),
    ("工藤", "くどう"), ("木村", "きむら"), ("佐々木", "ささき"), ("成田", "なりた"),
    ("三上", "みかみ"), ("葛西", "かさい"), ("山田", "やまだ"), ("中村", "なかむら"),
    ("小山内", "おさない"), ("奈良", "なら"), ("対馬", "つしま"), ("斎藤", "さいとう"),
    ("今", "こん"), ("神", "じん"), ("福士", "ふくし"), ("長尾", "ながお"),
)  # fmt: skip
GIVEN_NAMES = (
    ("太郎", "たろう"), ("花子", "はなこ"), ("次郎", "じろう"), ("誠", "まこと"),
    ("良子", "よしこ"), ("健", "けん"), ("由美", "ゆみ"), ("翔太", "しょうた"),
    ("美咲", "みさき"), ("大輔", "だいすけ"), ("恵", "めぐみ"), ("修", "おさむ"),
    ("陽菜", "ひな"), ("蓮", "れん"), ("結衣", "ゆい"), ("悠真", "ゆうま"),
)  # fmt: skip
TOWNS = ("青森市", "平内町", "今別町", "外ヶ浜町", "蓬田村")
BUSINESSES = (
    ("津軽りんご工房", "planning", ["founding_plan", "financing"]),
    ("ほたて加工の平内水産", "established", ["sales_channels"]),
    ("今別ゲストハウス", "early", ["founding_plan"]),
    ("蓬田米穀店", "established", ["succession"]),
    ("外ヶ浜デジタル", "early", ["it"]),
)


@dataclass
class Outcome:
    """What the desk saw: who was registered, how often it had to try, what was refused."""

    accepted: dict[str, str] = field(default_factory=dict)  # marker → consultation id
    attempts: int = 0
    retried: int = 0
    refused: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    replayed: int = 0
    accept_latencies: list[float] = field(default_factory=list)

    def merge(self, other: Outcome) -> None:
        self.accepted.update(other.accepted)
        self.attempts += other.attempts
        self.retried += other.retried
        self.refused += other.refused
        self.unanswered += other.unanswered
        self.replayed += other.replayed
        self.accept_latencies += other.accept_latencies


def desk_token() -> dict[str, str]:
    from tests.system.platform import AUTH_SECRET

    token = mint_token(AUTH_SECRET, subject="madoguchi-load", role="desk", name="負荷試験")
    return {"Authorization": f"Bearer {token}"}


def consultation(marker: str, n: int) -> dict[str, Any]:
    rng = random.Random(marker)
    (family, family_kana), (given, given_kana) = rng.choice(FAMILY_NAMES), rng.choice(GIVEN_NAMES)
    name, furigana = f"{family} {given}", f"{family_kana} {given_kana}"
    business, stage, categories = rng.choice(BUSINESSES)
    return {
        "person": {
            "name": name,
            "furigana": furigana,
            "phone": f"090-{n // 10000 % 10000:04d}-{n % 10000:04d}",
        },
        "business": {"name": business, "stage": stage},
        "municipality": rng.choice(TOWNS),
        "categories": categories,
        "channel": rng.choice(["walk_in", "phone", "online", "referral"]),
        "description": f"{marker} 事業の相談（負荷試験）",
        "consent_to_share": rng.random() < 0.8,
    }


class Desk:
    """Sends consultations to intake at ``rate`` per second while ``running``."""

    def __init__(self, intake_url: str, run: str, *, first_number: int = 0) -> None:
        self.intake_url = intake_url
        self.run = run
        self.headers = desk_token()
        self._next = first_number
        self.outcome = Outcome()

    def numbers(self, count: int) -> int:
        start = self._next
        self._next += count
        return start

    async def load(
        self, rate: float, stop: asyncio.Event, *, give_up_after: float = 180.0
    ) -> Outcome:
        """Send consultations evenly at ``rate`` until ``stop``; wait for each one's answer."""
        outcome = Outcome()
        limits = httpx.Limits(max_connections=40, max_keepalive_connections=40)
        async with httpx.AsyncClient(base_url=self.intake_url, timeout=10, limits=limits) as client:
            started = time.monotonic()
            tasks = []
            sent = 0
            while not stop.is_set():
                due = started + sent / rate
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), max(0.0, due - time.monotonic()))
                    break
                number = self.numbers(1)
                tasks.append(
                    asyncio.create_task(self._register(client, number, outcome, give_up_after))
                )
                sent += 1
            await asyncio.gather(*tasks)
        self.outcome.merge(outcome)
        return outcome

    async def _register(
        self, client: httpx.AsyncClient, n: int, outcome: Outcome, give_up_after: float
    ) -> None:
        marker = f"[{self.run}#{n}]"
        body = consultation(marker, n)
        headers = {**self.headers, "Idempotency-Key": str(uuid.uuid4())}
        began = time.monotonic()
        pause = 0.2
        while True:
            outcome.attempts += 1
            response: httpx.Response | None = None
            with contextlib.suppress(httpx.HTTPError):
                response = await client.post("/consultations", json=body, headers=headers)
            if response is not None and response.status_code < 300:
                outcome.accepted[marker] = response.json()["id"]
                outcome.accept_latencies.append(time.monotonic() - began)
                if response.headers.get("idempotent-replayed") == "true":
                    outcome.replayed += 1
                return
            if response is not None and _final(response):
                outcome.refused.append(f"{marker} {response.status_code} {response.text[:200]}")
                return
            if time.monotonic() - began > give_up_after:
                outcome.unanswered.append(marker)
                return
            outcome.retried += 1
            await asyncio.sleep(pause)
            pause = min(2.0, pause * 2)


def _final(response: httpx.Response) -> bool:
    """A 4xx that is the request's fault; a 5xx or a 4xx that says "retry" is not."""
    if response.status_code >= 500 or "retry-after" in response.headers:
        return False
    return response.status_code != 409 or "idempotency_key_in_use" not in response.text
