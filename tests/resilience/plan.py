"""Helpers for the resilience tests: callers' tokens, Japan times, and realistic plan items."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import httpx

from tests.support.auth import bearer
from tosei_common.region.fiscal import TOKYO

HIRANAI = "023019"
AOMORI = "022012"
SOTOGAHAMA = "023078"
IMABETSU = "023035"


def jst(text: str) -> datetime:
    """``2024-05-01 10:00`` in Japan time."""
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


#: Ask for answers in English (they are Japanese otherwise).
EN = {"Accept-Language": "en"}

COORDINATOR = bearer("coordinator", "kikaku-sato")
AUDITOR = bearer("auditor", "kansa-1")
DESK = bearer("desk", "madoguchi-1")


def officer(town: str, subject: str | None = None) -> dict[str, str]:
    return bearer("municipality", subject or f"officer-{town}", municipality=town)


SNOW_PLOUGHS: dict[str, Any] = {
    "title": "冬期道路交通確保のための除雪機械の更新",
    "municipality": "平内町",
    "risk_scenario": "1-6",
    "policy_area": "transport",
    "lead_department": "建設課",
    "estimated_cost_yen": 45_000_000,
    "fiscal_year_from": "令和4年度",
    "fiscal_year_to": 2026,
    "kpis": [
        {
            "indicator": "除雪計画路線の除雪完了率",
            "unit": "%",
            "baseline": 82,
            "target": 100,
            "target_fiscal_year": "R8",
        }
    ],
    "reason": "令和4年度の計画見直しにより追加",
}

SEAWALL: dict[str, Any] = {
    "title": "今別漁港海岸保全施設（防潮堤）の整備",
    "municipality": "今別町",
    "risk_scenario": "1-3",
    "policy_area": "land_conservation",
    "lead_department": "産業建設課",
    "estimated_cost_yen": 320_000_000,
    "fiscal_year_from": 2023,
    "fiscal_year_to": 2027,
    "reason": "津波浸水想定の見直しを受けて追加",
}

SHELTER_RADIO: dict[str, Any] = {
    "title": "防災行政無線のデジタル化",
    "municipality": "青森市",
    "risk_scenario": "4-1",
    "policy_area": "communications",
    "lead_department": "総務部危機管理課",
    "estimated_cost_yen": 210_000_000,
    "fiscal_year_from": 2022,
    "fiscal_year_to": 2024,
    "reason": "情報伝達手段の多重化",
}


def item(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(base)
    body.update(changes)
    return body


class PlanClient:
    """The HTTP calls the tests make, each asserting it succeeded."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def add(self, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        response = await self.http.post("/plan-items", json=body, headers=headers)
        assert response.status_code == 201, response.text
        added: dict[str, Any] = response.json()
        return added

    async def revise(
        self, found: dict[str, Any], headers: dict[str, str], **changes: Any
    ) -> dict[str, Any]:
        body = {"version": found["version"], "reason": "見直し", **changes}
        response = await self.http.patch(f"/plan-items/{found['id']}", json=body, headers=headers)
        assert response.status_code == 200, response.text
        revised: dict[str, Any] = response.json()
        return revised

    async def retire(
        self, found: dict[str, Any], headers: dict[str, str], retirement: str = "completed"
    ) -> dict[str, Any]:
        body = {"version": found["version"], "retirement": retirement, "reason": "事業完了"}
        response = await self.http.post(
            f"/plan-items/{found['id']}/retire", json=body, headers=headers
        )
        assert response.status_code == 200, response.text
        retired: dict[str, Any] = response.json()
        return retired

    async def programme(
        self, name: str, condition: str = "prioritised", ministry: str = "国土交通省"
    ) -> dict[str, Any]:
        body = {"name": name, "ministry": ministry, "condition": condition, "reason": "登録"}
        response = await self.http.post("/funding-programmes", json=body, headers=COORDINATOR)
        assert response.status_code == 201, response.text
        added: dict[str, Any] = response.json()
        return added

    async def get(self, path: str, headers: dict[str, str] = AUDITOR, **params: Any) -> Any:
        response = await self.http.get(path, headers=headers, params=params)
        assert response.status_code == 200, response.text
        return response.json()
