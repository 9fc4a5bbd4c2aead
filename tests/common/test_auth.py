"""Tokens carry a role and, for officers, a municipality normalised to its code."""

from __future__ import annotations

import pytest

from tosei_common.auth import Role, mint_token, verify_token
from tosei_common.errors import Unauthorized
from tosei_common.municipalities import UnknownMunicipality

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
