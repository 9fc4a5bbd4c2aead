"""Bearer tokens for tests, signed with the test settings' secret."""

from __future__ import annotations

from typing import Any

from tests.support.runtime import fast_settings
from tosei_common.platform.auth import mint_token

SECRET = fast_settings().auth_secret


def bearer(role: str, subject: str | None = None, **claims: Any) -> dict[str, str]:
    """An Authorization header for ``role`` (subject defaults to "<role>-1")."""
    token = mint_token(SECRET, subject=subject or f"{role}-1", role=role, **claims)
    return {"Authorization": f"Bearer {token}"}
