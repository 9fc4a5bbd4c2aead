"""Signing in with a municipality's own OpenID Connect provider: the rules, free of I/O.

The authorization code flow with PKCE. The provider only proves who the person is: the claim
``login_claim`` (the e-mail by default) must name an active console account, and the role and
town come from that account — an identity provider never grants a role here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tosei_common.platform.settings import Settings
from tosei_console.domain.accounts import normalise_login

CALLBACK_PATH = "/login/oidc/callback"


class OidcRefused(Exception):
    """Why a sign-in through the provider cannot go on, in the words the person reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str | None
    login_claim: str
    label: str

    @classmethod
    def of(cls, settings: Settings) -> OidcConfig | None:
        """The provider the council configured, or None: local accounts only."""
        if not settings.console_oidc_issuer or not settings.console_oidc_client_id:
            return None
        return cls(
            issuer=settings.console_oidc_issuer.rstrip("/"),
            client_id=settings.console_oidc_client_id,
            client_secret=settings.console_oidc_client_secret,
            login_claim=settings.console_oidc_login_claim,
            label=settings.console_oidc_label,
        )

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


@dataclass(frozen=True)
class Provider:
    """What the provider's discovery document says about where to go."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str

    @classmethod
    def from_discovery(cls, document: Mapping[str, Any], config: OidcConfig) -> Provider:
        """The endpoints, refusing a document that speaks for another issuer (a provider may
        only vouch for its own tokens)."""
        try:
            provider = cls(
                issuer=str(document["issuer"]).rstrip("/"),
                authorization_endpoint=str(document["authorization_endpoint"]),
                token_endpoint=str(document["token_endpoint"]),
                jwks_uri=str(document["jwks_uri"]),
            )
        except KeyError as missing:
            raise OidcRefused(
                f"認証サービスの設定情報に {missing.args[0]} がありません。管理者に連絡してください"
            ) from None
        if provider.issuer != config.issuer:
            raise OidcRefused(
                "認証サービスの設定情報が設定と一致しません（issuer）。管理者に連絡してください"
            )
        return provider


@dataclass(frozen=True)
class Attempt:
    """One sign-in under way: kept in a short-lived cookie until the provider sends the person
    back, so the answer can be matched to the browser that asked (state), the ID token to
    this attempt (nonce), and the code to its verifier (PKCE)."""

    state: str
    nonce: str
    verifier: str
    next_path: str

    @classmethod
    def new(cls, next_path: str) -> Attempt:
        return cls(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            verifier=secrets.token_urlsafe(48),
            next_path=next_path,
        )

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def cookie(self) -> str:
        raw = json.dumps([self.state, self.nonce, self.verifier, self.next_path])
        return base64.urlsafe_b64encode(raw.encode()).decode("ascii")

    @classmethod
    def from_cookie(cls, value: str | None) -> Attempt | None:
        if not value:
            return None
        try:
            state, nonce, verifier, next_path = json.loads(base64.urlsafe_b64decode(value))
        except (ValueError, TypeError):
            return None
        return cls(str(state), str(nonce), str(verifier), str(next_path))


def authorization_url(
    provider: Provider, config: OidcConfig, attempt: Attempt, redirect_uri: str
) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": config.client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid email profile",
            "state": attempt.state,
            "nonce": attempt.nonce,
            "code_challenge": attempt.challenge,
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return f"{provider.authorization_endpoint}{separator}{query}"


def returned_for(attempt: Attempt | None, state: str) -> Attempt:
    """The attempt this answer belongs to; refused when the browser did not start it."""
    if attempt is None or not state or not secrets.compare_digest(attempt.state, state):
        raise OidcRefused("ログインの手続きが途中で切れました。もう一度お試しください")
    return attempt


def login_of(claims: Mapping[str, Any], config: OidcConfig, attempt: Attempt) -> str:
    """The console login the verified ID token names. Signature, issuer, audience and expiry
    are checked where the token is decoded; here, that it answers this very attempt and
    names someone."""
    if not secrets.compare_digest(str(claims.get("nonce", "")), attempt.nonce):
        raise OidcRefused("ログインの手続きが一致しません。もう一度お試しください")
    if config.login_claim == "email" and claims.get("email_verified") is False:
        raise OidcRefused("認証サービスでメールアドレスが確認されていないため、ログインできません")
    value = claims.get(config.login_claim)
    if not isinstance(value, str) or not value.strip():
        raise OidcRefused(
            f"認証サービスから {config.login_claim} が届かなかったため、ログインできません"
        )
    return normalise_login(value)
