"""The console's password hashes as production makes them (the other console tests hash with
argon2-cffi's cheapest profile, see conftest.py)."""

from __future__ import annotations

from argon2 import Type, extract_parameters, profiles

from tests.console.conftest import PRODUCTION_HASHER
from tosei_console.handlers import accounts


def test_production_hashes_passwords_with_argon2id_at_rfc_9106_strength() -> None:
    expected = profiles.RFC_9106_LOW_MEMORY
    stored = PRODUCTION_HASHER.hash("correct-horse-battery-staple")
    parameters = extract_parameters(stored)
    assert parameters.type is Type.ID
    assert parameters.time_cost == expected.time_cost == 3
    assert parameters.memory_cost == expected.memory_cost == 65536
    assert parameters.parallelism == expected.parallelism
    assert PRODUCTION_HASHER.verify(stored, "correct-horse-battery-staple")
    # what the tests sign in with is a weaker hash the production hasher would replace
    assert PRODUCTION_HASHER.check_needs_rehash(accounts.HASHER.hash("x"))
