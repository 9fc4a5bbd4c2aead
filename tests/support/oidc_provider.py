"""A municipality's identity provider, as far as the console's OpenID Connect sign-in sees it.

No real provider runs here, so this one stands in: discovery, an authorization endpoint that
signs in ``person`` at once and sends the browser back with a code, a token endpoint that checks
the client's secret, the redirect URI and the PKCE verifier, and the keys its RS256 ID tokens are
signed with. ``tamper`` lets a test make it misbehave the ways a real one (or an attacker) might.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

CLIENT_ID = "tosei-console"
CLIENT_SECRET = "provider-secret-of-the-console"
KEY_ID = "key-2026"


@dataclass
class FakeProvider:
    person: dict[str, Any] = field(
        default_factory=lambda: {
            "sub": "aomori-0042",
            "email": "tanaka.misaki@city.aomori.example.jp",
            "email_verified": True,
            "name": "田中 美咲",
        }
    )
    #: e.g. {"aud": "someone-else"} or {"nonce": "old"}: claims that override the right ones.
    tamper: dict[str, Any] = field(default_factory=dict)
    #: Sign with a key that is not in the published set.
    foreign_key: bool = False
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: int = 0

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        async def discovery(request: Request) -> dict[str, str]:
            issuer = str(request.base_url).rstrip("/")
            return {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks",
            }

        @app.get("/jwks")
        async def jwks() -> dict[str, Any]:
            public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

        @app.get("/authorize")
        async def authorize(request: Request) -> Response:
            asked = request.query_params
            if asked.get("client_id") != CLIENT_ID or asked.get("response_type") != "code":
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            if asked.get("code_challenge_method") != "S256":
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "nonce": asked["nonce"],
                "challenge": asked["code_challenge"],
                "redirect_uri": asked["redirect_uri"],
                "issuer": str(request.base_url).rstrip("/"),
            }
            return RedirectResponse(
                f"{asked['redirect_uri']}?code={code}&state={asked['state']}", status_code=302
            )

        @app.post("/token")
        async def token(
            request: Request,
            grant_type: Annotated[str, Form()],
            code: Annotated[str, Form()],
            redirect_uri: Annotated[str, Form()],
            code_verifier: Annotated[str, Form()],
        ) -> Response:
            self.token_requests += 1
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("authorization") != f"Basic {expected}":
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            given = self.codes.pop(code, None)
            digest = hashlib.sha256(code_verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if (
                grant_type != "authorization_code"
                or given is None
                or given["redirect_uri"] != redirect_uri
                or given["challenge"] != challenge
            ):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            now = int(time.time())
            claims = {
                **self.person,
                "iss": given["issuer"],
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": given["nonce"],
                **self.tamper,
            }
            key = self.other_key if self.foreign_key else self.key
            id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})
            return JSONResponse(
                {"access_token": "unused", "token_type": "Bearer", "id_token": id_token}
            )

        return app
