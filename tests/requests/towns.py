"""Helpers of the requests tests: callers' tokens, realistic request items, and the HTTP calls
the tests make (each asserting it succeeded)."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import httpx

from tests.support.auth import bearer
from tosei_common.catalogue.resilience import PlanItemAdded, PlanItemStatus
from tosei_common.platform.clock import SettableClock, japan_moment

AOMORI = "022012"
HIRANAI = "023019"
IMABETSU = "023035"
YOMOGITA = "023043"
SOTOGAHAMA = "023078"
FIVE = [AOMORI, HIRANAI, IMABETSU, SOTOGAHAMA, YOMOGITA]

COORDINATOR = bearer("coordinator", "kikaku-kudo")
AUDITOR = bearer("auditor", "kansa-1")
DESK = bearer("desk", "madoguchi-1")
EN = {"Accept-Language": "en"}


def officer(town: str, subject: str | None = None) -> dict[str, str]:
    return bearer("municipality", subject or f"officer-{town}", municipality=town)


PORT: dict[str, Any] = {
    "title": "青森港の機能強化（新中央ふ頭の整備促進）",
    "background": "クルーズ船の大型化に対応した岸壁の延伸が必要となっている。\n"
    "現状の岸壁では15万トン級の寄港に制約がある。",
    "body": "新中央ふ頭の岸壁延伸と旅客ターミナルの整備を早期に進めていただきたい。",
    "departments": ["kendo"],
    "municipalities": ["青森市"],
    "town_priority": 1,
    "requested_amount_yen": 1_200_000_000,
}
STATION: dict[str, Any] = {
    "title": "青森駅周辺の交通結節機能の強化",
    "background": "駅東西自由通路の供用に合わせ、二次交通の乗継ぎ改善が課題となっている。",
    "body": "県道の交差点改良とバス乗降場の整備について支援をお願いしたい。",
    "departments": ["kendo", "kikaku"],
    "municipalities": ["青森"],
    "town_priority": 2,
}
SIDEWALK: dict[str, Any] = {
    "title": "国道4号（平内町小湊地区）の歩道整備",
    "background": "通学路となっている区間に歩道がなく、冬期は除雪の堆雪で車道を歩く状況にある。",
    "body": "小湊地区の歩道整備と冬期の歩行空間の確保を要望する。",
    "departments": ["kendo"],
    "municipalities": ["平内町"],
    "town_priority": 1,
    "requested_amount_yen": 350_000_000,
}
FERRY: dict[str, Any] = {
    "title": "三厩港の防波堤改良",
    "background": "冬期風浪により定期船の欠航が多い。",
    "body": "防波堤の嵩上げを要望する。",
    "departments": ["norin"],
    "municipalities": ["外ケ浜町"],
    "town_priority": 1,
}
DOCTORS: dict[str, Any] = {
    "title": "東青地域の医師確保対策の充実",
    "background": "圏域の町村部では常勤医の不在が続き、救急搬送の時間が長くなっている。",
    "body": "自治医科大学卒業医師の配置の拡充と、地域枠医師の圏域内勤務の促進を要望する。",
    "departments": ["kenko"],
    "municipalities": ["青森市", "平内町", "今別町", "外ヶ浜町", "蓬田村"],
}


def item(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(base)
    body.update(changes)
    return body


BRIEFING_2020: dict[str, Any] = {
    "held_on": "令和2年10月16日",
    "starts_at": "11:00",
    "ends_at": "11:50",
    "place": "青森県庁 西棟8階 大会議室",
    "attendees": [
        {"municipality": "青森市", "office": "head", "name": "小野寺 晃彦"},
        {"municipality": "平内町", "office": "head"},
        {"municipality": "今別町", "office": "head"},
        {"municipality": "外ヶ浜町", "office": "head"},
        {"municipality": "蓬田村", "office": "head"},
    ],
    "prefectural_attendees": [
        {"title": "副知事"},
        {"title": "企画政策部長", "department": "kikaku"},
        {"title": "県土整備部長", "department": "kendo"},
    ],
}


def plan_item_added(number: int, town: str | None = HIRANAI) -> PlanItemAdded:
    """A plan item as the resilience service announces it."""
    return PlanItemAdded(
        item_id=uuid.uuid4(),
        number=number,
        municipality=town,
        risk_scenario="1-6",
        policy_area="transport",
        status=PlanItemStatus.PLANNED,
        fiscal_year_from=2020,
        fiscal_year_to=2024,
        funding_programme_ids=[],
        version=1,
        added_at=japan_moment("2020-05-01 10:00"),
    )


class Programme:
    """The calls of the yearly cycle, each asserting it succeeded."""

    def __init__(self, http: httpx.AsyncClient, clock: SettableClock) -> None:
        self.http = http
        self.clock = clock

    def at(self, moment: str) -> None:
        """What time it is now in Japan (the service dates everything by it)."""
        self.clock.set(moment)

    async def call(
        self, method: str, path: str, headers: dict[str, str], body: Any = None, expect: int = 200
    ) -> Any:
        response = await self.http.request(method, path, json=body, headers=headers)
        assert response.status_code == expect, response.text
        return response.json()

    async def open_year(self, fiscal_year: Any) -> Any:
        return await self.call("POST", "/years", COORDINATOR, {"fiscal_year": fiscal_year}, 201)

    async def draft(self, body: dict[str, Any], headers: dict[str, str], fy: Any = 2020) -> Any:
        return await self.call("POST", "/request-items", headers, {**body, "fiscal_year": fy}, 201)

    async def move(
        self, found: Any, to: str, headers: dict[str, str], reason: str | None = None
    ) -> Any:
        body = {"to": to, "reason": reason}
        return await self.call("POST", f"/request-items/{found['id']}/transitions", headers, body)

    async def adopted(self, body: dict[str, Any], headers: dict[str, str]) -> Any:
        drafted = await self.draft(body, headers)
        await self.move(drafted, "submitted", headers)
        return await self.move(drafted, "adopted", COORDINATOR)

    async def get(self, path: str, headers: dict[str, str] = AUDITOR) -> Any:
        return await self.call("GET", path, headers)
