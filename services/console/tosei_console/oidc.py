"""The provider's side of an OpenID Connect sign-in: discovery, the code for tokens, the ID
token's signature. The rules of the flow are in ``domain/oidc.py``."""

from __future__ import annotations

from typing import Any

import httpx
import jwt

from tosei_console.domain.oidc import OidcConfig, OidcRefused, Provider

UNREACHABLE = "認証サービスに接続できませんでした。しばらくしてからもう一度お試しください"
#: Clocks of the provider and the console may differ by this much.
LEEWAY_SECONDS = 60
ALGORITHMS = ["RS256", "ES256", "PS256"]


class OidcClient:
    """One per running console; the discovery document and the keys are fetched once and the
    keys again when a token is signed with one not seen yet (the provider rotated them)."""

    def __init__(
        self, config: OidcConfig, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self._http = httpx.AsyncClient(timeout=10.0, transport=transport)
        self._provider: Provider | None = None
        self._keys: jwt.PyJWKSet | None = None

    async def close(self) -> None:
        await self._http.aclose()

    async def provider(self) -> Provider:
        if self._provider is None:
            document = await self._get_json(self.config.discovery_url)
            self._provider = Provider.from_discovery(document, self.config)
        return self._provider

    async def id_token_claims(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        """The verified claims of the ID token the provider gives for ``code``."""
        provider = await self.provider()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": self.config.client_id,
        }
        secret = self.config.client_secret
        auth = (
            httpx.BasicAuth(self.config.client_id, secret) if secret else httpx.USE_CLIENT_DEFAULT
        )
        try:
            answer = await self._http.post(provider.token_endpoint, data=form, auth=auth)
        except httpx.HTTPError:
            raise OidcRefused(UNREACHABLE) from None
        if answer.status_code != 200:
            raise OidcRefused(
                "認証サービスがログインを確認できませんでした。もう一度お試しください"
            )
        id_token = answer.json().get("id_token")
        if not isinstance(id_token, str):
            raise OidcRefused("認証サービスから本人確認の情報が届きませんでした")
        return await self._verified(id_token, provider)

    async def _verified(self, id_token: str, provider: Provider) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(id_token).get("kid")
            key = await self._key(provider, kid)
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=ALGORITHMS,
                audience=self.config.client_id,
                issuer=provider.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
        except jwt.PyJWTError:
            raise OidcRefused(
                "認証サービスからの本人確認の情報を確かめられませんでした。もう一度お試しください"
            ) from None
        return claims

    async def _key(self, provider: Provider, kid: str | None) -> Any:
        for attempt in range(2):
            if self._keys is None or attempt == 1:
                self._keys = jwt.PyJWKSet.from_dict(await self._get_json(provider.jwks_uri))
            for key in self._keys.keys:
                if kid is None or key.key_id == kid:
                    return key.key
        raise jwt.InvalidKeyError(f"no key {kid}")

    async def _get_json(self, url: str) -> Any:
        try:
            answer = await self._http.get(url)
            answer.raise_for_status()
            return answer.json()
        except (httpx.HTTPError, ValueError):
            raise OidcRefused(UNREACHABLE) from None
