"""The services' HTTP APIs, called as the signed-in person, or as the public.

Each call of a signed-in person carries a short-lived token minted here for them (role, name,
municipality) with the platform's auth secret; tokens stay on the server, never in the browser.
The public pages (the seminar's registration) call as nobody: no Authorization header at all,
so a service answers them exactly as it answers anyone on the internet (``Upstream.public()``).
The services answer in Japanese (``Accept-Language: ja``) and the pages show their messages as
they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from tosei_common.platform.auth import mint_token
from tosei_common.platform.clock import SYSTEM_CLOCK, Clock
from tosei_common.platform.principal import Principal
from tosei_common.platform.settings import Settings

TOKEN_LIFETIME = timedelta(minutes=5)

UNREACHABLE = "{service}に接続できませんでした。しばらくしてからもう一度お試しください"


@dataclass(frozen=True)
class Answer:
    """A service's answer: its status and JSON body (a problem body when it refused)."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        """The service's own Japanese sentence for a refusal."""
        if isinstance(self.body, dict) and isinstance(self.body.get("message"), str):
            return str(self.body["message"])
        return f"処理できませんでした（{self.status}）"

    @property
    def field_messages(self) -> dict[str, str]:
        """``{"person.phone": "…"}``: what the service said of each field it names."""
        if not isinstance(self.body, dict):
            return {}
        found: dict[str, str] = {}
        for item in self.body.get("fields") or []:
            found.setdefault(str(item.get("field")), str(item.get("message")))
        if isinstance(self.body.get("field"), str):
            found.setdefault(self.body["field"], self.message)
        return found


SERVICE_NAMES = {
    "intake": "相談受付サービス",
    "caseflow": "案件管理サービス",
    "seminar": "研修会サービス",
    "resilience": "国土強靱化地域計画サービス",
    "requests": "重点要望サービス",
}


class Upstream:
    """One HTTP client per service for the whole console."""

    def __init__(
        self, settings: Settings, clock: Clock, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._client = httpx.AsyncClient(timeout=15.0, transport=transport)

    async def close(self) -> None:
        await self._client.aclose()

    def as_(self, who: Principal) -> Caller:
        return Caller(self, who)

    def public(self) -> PublicCaller:
        """Calls without credentials: what a service shows and allows anyone."""
        return PublicCaller(self)

    def _token(self, who: Principal) -> str:
        return mint_token(
            self.settings.auth_secret,
            subject=who.subject,
            role=who.role,
            municipality=who.municipality,
            name=who.name,
            ttl=TOKEN_LIFETIME,
            # The services check a token's expiry against the wall clock (as any JWT library
            # does), not against a business clock a test may have set back.
            now=SYSTEM_CLOCK.utc_now(),
        )

    async def call(
        self,
        who: Principal | None,
        service: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Any = None,
        data: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Answer:
        headers = {"Accept-Language": "ja"}
        if who is not None:
            headers["Authorization"] = f"Bearer {self._token(who)}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        try:
            response = await self._client.request(
                method,
                f"{self.settings.url_of(service)}{path}",
                params=clean,
                json=json,
                files=files,
                data=data,
                headers=headers,
            )
        except httpx.HTTPError:
            name = SERVICE_NAMES.get(service, service)
            return Answer(
                503, {"error": "unreachable", "message": UNREACHABLE.format(service=name)}
            )
        body: Any = response.content
        if response.headers.get("content-type", "").startswith("application/json") and body:
            try:
                body = response.json()
            except ValueError:
                body = {
                    "error": "unreadable",
                    "message": f"処理できませんでした（{response.status_code}）",
                }
        return Answer(response.status_code, body, dict(response.headers))


class Calls:
    """The verbs of a call to a service, as someone (``caller``) or as nobody (None)."""

    upstream: Upstream

    @property
    def caller(self) -> Principal | None:
        raise NotImplementedError

    async def get(self, service: str, path: str, **params: Any) -> Answer:
        return await self.upstream.call(self.caller, service, "GET", path, params=params)

    async def post(
        self, service: str, path: str, body: Any, *, idempotency_key: str | None = None
    ) -> Answer:
        return await self.upstream.call(
            self.caller, service, "POST", path, json=body, idempotency_key=idempotency_key
        )

    async def patch(self, service: str, path: str, body: Any) -> Answer:
        return await self.upstream.call(self.caller, service, "PATCH", path, json=body)

    async def put(self, service: str, path: str, body: Any) -> Answer:
        return await self.upstream.call(self.caller, service, "PUT", path, json=body)

    async def delete(self, service: str, path: str) -> Answer:
        return await self.upstream.call(self.caller, service, "DELETE", path)

    async def upload(
        self,
        service: str,
        path: str,
        files: Any,
        data: Mapping[str, Any],
        *,
        idempotency_key: str | None = None,
    ) -> Answer:
        return await self.upstream.call(
            self.caller,
            service,
            "POST",
            path,
            files=files,
            data=data,
            idempotency_key=idempotency_key,
        )


@dataclass(frozen=True)
class Caller(Calls):
    """Calls as the signed-in person (their token)."""

    upstream: Upstream
    who: Principal

    @property
    def caller(self) -> Principal | None:
        return self.who


@dataclass(frozen=True)
class PublicCaller(Calls):
    """Calls as the public: no Authorization header."""

    upstream: Upstream

    @property
    def caller(self) -> Principal | None:
        return None
