"""Bearer tokens with a role and, for municipal officers, their municipality.

Tokens are HS256 JWTs signed with ``TOSEI_AUTH_SECRET``. ``tosei token`` mints one for local use;
in production the council's identity provider would issue them with the same claims.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tosei_common.platform.clock import SYSTEM_CLOCK
from tosei_common.platform.errors import Unauthorized
from tosei_common.platform.principal import Principal, Role
from tosei_common.platform.settings import Settings
from tosei_common.region.municipalities import UnknownMunicipality, resolve_municipality

__all__ = [
    "Principal",
    "Role",
    "current_principal",
    "mint_token",
    "optional_principal",
    "verify_token",
]

ISSUER = "tosei"
ALGORITHM = "HS256"
#: The longest lifetime (exp − iat) a token may have unless the settings say otherwise.
MAX_TOKEN_TTL = timedelta(hours=24)


def mint_token(
    secret: str,
    *,
    subject: str,
    role: Role | str,
    municipality: str | None = None,
    name: str | None = None,
    ttl: timedelta = timedelta(hours=12),
    now: datetime | None = None,
) -> str:
    """Sign a token. A municipal officer's municipality is required and normalised to its code."""
    role = Role(role)
    if not subject.strip():
        raise ValueError("a token needs a subject (who it is for)")
    code: str | None = None
    if municipality is not None:
        code = resolve_municipality(municipality).code
    if role is Role.MUNICIPALITY and code is None:
        raise ValueError("a municipality token needs --municipality")
    now = now or SYSTEM_CLOCK.utc_now()
    claims: dict[str, object] = {
        "iss": ISSUER,
        "sub": subject,
        "role": role.value,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    if code is not None:
        claims["municipality"] = code
    if name is not None:
        claims["name"] = name
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(secret: str, token: str, *, max_ttl: timedelta = MAX_TOKEN_TTL) -> Principal:
    """The caller a token names; Unauthorized when it is forged, expired or malformed.

    A token must say who it is for (a non-blank ``sub``, or the audit trail would record a
    change by nobody) and may live at most ``max_ttl`` from its ``iat``: a token that claims
    to be valid for years is refused even while it has not expired.
    """
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized(
            "ログインの有効期限が切れました。もう一度ログインしてください",
            en="the token has expired",
        ) from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized(
            "認証情報（トークン）が正しくありません", en=f"the token is not valid: {exc}"
        ) from exc
    if not str(claims["sub"]).strip():
        raise Unauthorized(
            "認証情報（トークン）に利用者が書かれていません",
            en="the token names nobody: its sub is empty",
        )
    lifetime = timedelta(seconds=int(claims["exp"]) - int(claims["iat"]))
    if lifetime > max_ttl:
        hours = max_ttl.total_seconds() / 3600
        raise Unauthorized(
            f"認証情報（トークン）の有効期間が長すぎます（{hours:g}時間まで）",
            en=f"the token lives longer than the {hours:g} hours allowed",
        )
    try:
        role = Role(str(claims.get("role")))
    except ValueError as exc:
        raise Unauthorized(
            "認証情報（トークン）の役割が正しくありません",
            en=f"the token carries an unknown role: {claims.get('role')!r}",
        ) from exc
    municipality = claims.get("municipality")
    if municipality is not None:
        try:
            municipality = resolve_municipality(str(municipality)).code
        except UnknownMunicipality as exc:
            raise Unauthorized(
                "認証情報（トークン）の市町村が圏域のものではありません",
                en=f"the token names an unknown municipality: {exc}",
            ) from exc
    if role is Role.MUNICIPALITY and municipality is None:
        raise Unauthorized(
            "市町村職員の認証情報（トークン）には市町村が必要です",
            en="a municipality token must name its municipality",
        )
    return Principal(
        subject=str(claims["sub"]), role=role, municipality=municipality, name=claims.get("name")
    )


_bearer = HTTPBearer(auto_error=False, description="A token from `tosei token`.")


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """FastAPI dependency: the verified caller, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized(
            "ログインしてください（認証情報がありません）",
            en="send a bearer token: Authorization: Bearer <token>",
        )
    settings: Settings = request.app.state.settings
    return verify_token(
        settings.auth_secret,
        credentials.credentials,
        max_ttl=timedelta(hours=settings.token_max_ttl_hours),
    )


def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """FastAPI dependency for public routes: the verified caller, or None without a token (a
    token that is sent must be valid)."""
    if credentials is None:
        return None
    return current_principal(request, credentials)
