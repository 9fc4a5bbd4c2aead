"""Tokens carry a role and, for officers, a municipality normalised to its code."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from tosei_common.devtools.cli import main
from tosei_common.platform.auth import MAX_TOKEN_TTL, Role, mint_token, verify_token
from tosei_common.platform.clock import SYSTEM_CLOCK
from tosei_common.platform.errors import Forbidden, Unauthorized
from tosei_common.platform.principal import Principal, expert_id_of
from tosei_common.region.municipalities import UnknownMunicipality

SECRET = "a-test-secret-of-at-least-thirty-two-bytes"


def test_a_token_round_trips_its_claims() -> None:
    token = mint_token(
        SECRET, subject="officer-7", role="municipality", municipality="外ケ浜町", name="木村"
    )
    principal = verify_token(SECRET, token)
    assert principal.role is Role.MUNICIPALITY
    assert principal.municipality == "023078"
    assert principal.name == "木村"
    assert principal.actor == "municipality:officer-7"


def test_an_expert_is_known_by_the_expert_id_their_token_carries() -> None:
    expert = "6f1c2a9e-6f0d-4c1e-9f51-2b7d0c9a1e33"
    assert str(expert_id_of(Principal(subject=expert, role=Role.EXPERT))) == expert
    assert expert_id_of(Principal(subject="desk-kimura", role=Role.DESK)) is None
    with pytest.raises(Forbidden) as refused:
        expert_id_of(Principal(subject="sato", role=Role.EXPERT))
    assert "「sato」は専門家IDではありません" in refused.value.message.ja


def test_an_officer_token_needs_its_municipality() -> None:
    with pytest.raises(ValueError, match="municipality"):
        mint_token(SECRET, subject="o", role="municipality")


def test_a_municipality_outside_the_region_is_refused() -> None:
    with pytest.raises(UnknownMunicipality):
        mint_token(SECRET, subject="o", role="municipality", municipality="弘前市")


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="janitor"):
        mint_token(SECRET, subject="o", role="janitor")


def test_a_token_signed_with_another_secret_is_unauthorized() -> None:
    with pytest.raises(Unauthorized):
        verify_token(
            SECRET, mint_token("another-secret-that-is-long-enough-too", subject="x", role="desk")
        )


def _signed(**claims: object) -> str:
    now = int(SYSTEM_CLOCK.utc_now().timestamp())
    base: dict[str, object] = {"iss": "tosei", "role": "desk", "iat": now, "exp": now + 3600}
    return jwt.encode({**base, **claims}, SECRET, algorithm="HS256")


@pytest.mark.parametrize("subject", ["", "   "])
def test_a_token_that_names_nobody_is_refused(subject: str) -> None:
    with pytest.raises(Unauthorized, match="names nobody"):
        verify_token(SECRET, _signed(sub=subject))
    with pytest.raises(ValueError, match="subject"):
        mint_token(SECRET, subject=subject, role="desk")


def test_a_token_that_lives_longer_than_allowed_is_refused_before_it_expires() -> None:
    ten_years = mint_token(SECRET, subject="x", role="desk", ttl=timedelta(days=3650))
    with pytest.raises(Unauthorized, match="24 hours"):
        verify_token(SECRET, ten_years)
    day = mint_token(SECRET, subject="x", role="desk", ttl=MAX_TOKEN_TTL)
    assert verify_token(SECRET, day).subject == "x"
    with pytest.raises(Unauthorized, match="2 hours"):
        verify_token(SECRET, day, max_ttl=timedelta(hours=2))


def test_a_token_without_its_issue_time_is_refused() -> None:
    token = jwt.encode(
        {"iss": "tosei", "sub": "x", "role": "desk", "exp": 4_102_444_800}, SECRET, "HS256"
    )
    with pytest.raises(Unauthorized, match="iat"):
        verify_token(SECRET, token)


def test_tosei_token_refuses_a_lifetime_over_the_maximum(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["token", "--role", "desk", "--ttl-hours", "100"]) == 2
    assert "at most 24 hours" in capsys.readouterr().err
