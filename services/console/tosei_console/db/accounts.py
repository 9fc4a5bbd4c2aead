"""The console's SQL: accounts and sessions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from tosei_common.platform.db import Connection
from tosei_common.platform.principal import Role
from tosei_console.domain.accounts import Account

_ACCOUNT = (
    "account_id, login, display_name, role, municipality, expert_id, active,"
    " failed_attempts, locked_until"
)


def _account(row: asyncpg.Record) -> Account:
    return Account(
        account_id=row["account_id"],
        login=row["login"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        municipality=row["municipality"],
        expert_id=row["expert_id"],
        active=row["active"],
        failed_attempts=row["failed_attempts"],
        locked_until=row["locked_until"],
    )


async def count_accounts(conn: Connection) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM accounts")
    return count


async def insert_account(
    conn: Connection,
    account: Account,
    *,
    password_hash: str,
    at: datetime,
    by: str,
) -> bool:
    """False when the login is taken."""
    inserted = await conn.fetchval(
        "INSERT INTO accounts (account_id, login, display_name, role, municipality, expert_id,"
        " password_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (login) DO NOTHING RETURNING true",
        account.account_id,
        account.login,
        account.display_name,
        account.role.value,
        account.municipality,
        account.expert_id,
        password_hash,
        at,
        by,
    )
    return bool(inserted)


async def account_for_sign_in(conn: Connection, login: str) -> tuple[Account, str] | None:
    """The account and its password hash, locked for this attempt's transaction."""
    row = await conn.fetchrow(
        f"SELECT {_ACCOUNT}, password_hash FROM accounts WHERE login = $1 FOR UPDATE", login
    )
    return None if row is None else (_account(row), row["password_hash"])


async def record_attempt(
    conn: Connection, account_id: UUID, failed_attempts: int, locked_until: datetime | None
) -> None:
    await conn.execute(
        "UPDATE accounts SET failed_attempts = $2, locked_until = $3 WHERE account_id = $1",
        account_id,
        failed_attempts,
        locked_until,
    )


async def replace_password_hash(conn: Connection, account_id: UUID, password_hash: str) -> None:
    await conn.execute(
        "UPDATE accounts SET password_hash = $2 WHERE account_id = $1", account_id, password_hash
    )


async def insert_session(
    conn: Connection,
    *,
    session_hash: str,
    account_id: UUID,
    csrf_token: str,
    at: datetime,
    expires_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO sessions (session_hash, account_id, csrf_token, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)",
        session_hash,
        account_id,
        csrf_token,
        at,
        expires_at,
    )


async def session_account(
    conn: Connection, session_hash: str, now: datetime
) -> tuple[Account, str] | None:
    """The signed-in account and the session's CSRF token, while the session lasts."""
    row = await conn.fetchrow(
        f"SELECT {', '.join('a.' + c.strip() for c in _ACCOUNT.split(','))}, s.csrf_token"
        " FROM sessions s JOIN accounts a USING (account_id)"
        " WHERE s.session_hash = $1 AND s.expires_at > $2 AND a.active",
        session_hash,
        now,
    )
    return None if row is None else (_account(row), row["csrf_token"])


async def delete_session(conn: Connection, session_hash: str) -> None:
    await conn.execute("DELETE FROM sessions WHERE session_hash = $1", session_hash)


async def delete_expired_sessions(conn: Connection, now: datetime) -> None:
    await conn.execute("DELETE FROM sessions WHERE expires_at <= $1", now)


async def all_accounts(conn: Connection) -> list[Account]:
    rows = await conn.fetch(f"SELECT {_ACCOUNT} FROM accounts ORDER BY login")
    return [_account(row) for row in rows]
