"""The rules of signing in with a municipality's identity provider (no I/O)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.runtime import fast_settings
from tosei_console.domain.oidc import (
    Attempt,
    OidcConfig,
    OidcRefused,
    Provider,
    authorization_url,
    login_of,
    returned_for,
)

ISSUER = "https://id.city.aomori.example.jp/realms/staff"
CONFIG = OidcConfig(ISSUER, "tosei-console", "s3cret", "email", "青森市職員アカウント")
DISCOVERY = {
    "issuer": ISSUER,
    "authorization_endpoint": f"{ISSUER}/protocol/openid-connect/auth",
    "token_endpoint": f"{ISSUER}/protocol/openid-connect/token",
    "jwks_uri": f"{ISSUER}/protocol/openid-connect/certs",
}
ATTEMPT = Attempt(state="st", nonce="nn", verifier="v" * 43, next_path="/cases")


def test_without_an_issuer_and_a_client_the_console_has_only_its_own_accounts() -> None:
    assert OidcConfig.of(fast_settings()) is None
    assert OidcConfig.of(fast_settings(console_oidc_issuer=ISSUER)) is None
    configured = OidcConfig.of(
        fast_settings(console_oidc_issuer=ISSUER + "/", console_oidc_client_id="tosei-console")
    )
    assert configured is not None
    assert (configured.issuer, configured.login_claim) == (ISSUER, "email")
    assert configured.discovery_url == f"{ISSUER}/.well-known/openid-configuration"


def test_a_discovery_document_may_speak_only_for_its_own_issuer() -> None:
    assert Provider.from_discovery(DISCOVERY, CONFIG).token_endpoint.endswith("/token")
    with pytest.raises(OidcRefused, match="issuer"):
        Provider.from_discovery({**DISCOVERY, "issuer": "https://evil.example"}, CONFIG)
    without_keys = {k: v for k, v in DISCOVERY.items() if k != "jwks_uri"}
    with pytest.raises(OidcRefused, match="jwks_uri"):
        Provider.from_discovery(without_keys, CONFIG)


def test_the_pkce_challenge_is_the_rfc_7636_one() -> None:
    attempt = Attempt("s", "n", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "")
    assert attempt.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_the_authorization_request_carries_state_nonce_and_challenge() -> None:
    url = authorization_url(
        Provider.from_discovery(DISCOVERY, CONFIG), CONFIG, ATTEMPT, "https://c.example/cb"
    )
    parts = urlsplit(url)
    asked = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert url.startswith(DISCOVERY["authorization_endpoint"] + "?")
    assert asked == {
        "response_type": "code",
        "client_id": "tosei-console",
        "redirect_uri": "https://c.example/cb",
        "scope": "openid email profile",
        "state": "st",
        "nonce": "nn",
        "code_challenge": ATTEMPT.challenge,
        "code_challenge_method": "S256",
    }


def test_an_attempt_survives_its_cookie_and_garbage_is_no_attempt() -> None:
    assert Attempt.from_cookie(ATTEMPT.cookie()) == ATTEMPT
    assert Attempt.from_cookie("not-base64-json") is None
    assert Attempt.from_cookie(None) is None


def test_an_answer_the_browser_did_not_ask_for_is_refused() -> None:
    assert returned_for(ATTEMPT, "st") is ATTEMPT
    for attempt, state in ((None, "st"), (ATTEMPT, "other"), (ATTEMPT, "")):
        with pytest.raises(OidcRefused, match="途中で切れました"):
            returned_for(attempt, state)


def test_the_token_must_answer_this_attempt_and_name_a_verified_login() -> None:
    claims = {"nonce": "nn", "email": "Ｔａｎａｋａ@City.Aomori.example.jp", "email_verified": True}
    assert login_of(claims, CONFIG, ATTEMPT) == "tanaka@city.aomori.example.jp"
    with pytest.raises(OidcRefused, match="一致しません"):
        login_of({**claims, "nonce": "replayed"}, CONFIG, ATTEMPT)
    with pytest.raises(OidcRefused, match="確認されていない"):
        login_of({**claims, "email_verified": False}, CONFIG, ATTEMPT)
    with pytest.raises(OidcRefused, match="email が届かなかった"):
        login_of({"nonce": "nn"}, CONFIG, ATTEMPT)
