"""Accounts and sessions: add a person, sign in, sign out, the first coordinator."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tosei_common.platform.clock import Clock
from tosei_common.platform.db import Connection
from tosei_common.platform.principal import Role
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.municipalities import resolve_municipality
from tosei_console.db import accounts as db
from tosei_console.domain.accounts import (
    Account,
    AccountProblem,
    attempt,
    check_new_account,
    check_password,
    locked,
    normalise_login,
)

HASHER = PasswordHasher()
#: Hashed when a login does not exist, so a wrong login costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash("no such account")
SESSION_LIFETIME = timedelta(hours=10)
FIRST_LOGIN = "admin"


@dataclass(frozen=True)
class NewSession:
    cookie: str
    csrf_token: str
    account: Account


@dataclass(frozen=True)
class SignInRefused:
    """Why a sign-in was refused (returned, not raised: the count of failures must commit)."""

    message: str


WRONG_CREDENTIALS = "ログインIDまたはパスワードが違います"
LOCKED = (
    "ログインに続けて失敗したため、このアカウントは15分間ロックされています。"
    "時間をおいてお試しください"
)


def session_hash(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


#: What the audit trail records of a sign-in that failed.
SIGN_IN_FAILED = "sign_in_failed"


def login_pseudonym(normalised_login: str) -> str:
    """How the audit trail names a login that has no account: its hash, so that repeated
    tries of one login show as one, and a password typed into the login field is not kept."""
    return "login:" + hashlib.sha256(normalised_login.encode()).hexdigest()[:16]


async def _audit_sign_in(
    uow: UnitOfWork, account: Account, action: str, cause: str | None = None, **changes: Any
) -> None:
    """A sign-in event of the account, about the account (its id is the subject)."""
    await uow.audit(
        "account",
        account.account_id,
        action,
        changes={**({"cause": cause} if cause else {}), **changes},
        subject=account.account_id,
    )


async def add_account(
    uow: UnitOfWork,
    *,
    login: str,
    display_name: str,
    role: Role | str,
    password: str,
    municipality: str | None = None,
    expert_id: UUID | None = None,
) -> Account:
    role = Role(role)
    check_new_account(login, display_name, role, expert_id)
    check_password(password)
    code = resolve_municipality(municipality).code if municipality else None
    if role is Role.MUNICIPALITY and code is None:
        raise AccountProblem("municipality", "市町村の職員のアカウントには市町村が必要です")
    account = Account(
        account_id=uuid.uuid4(),
        login=normalise_login(login),
        display_name=display_name.strip(),
        role=role,
        municipality=code,
        expert_id=expert_id,
        active=True,
        failed_attempts=0,
        locked_until=None,
    )
    if not await db.insert_account(
        uow.conn, account, password_hash=HASHER.hash(password), at=uow.at, by=uow.actor
    ):
        raise AccountProblem("login", f"ログインID「{account.login}」はすでに使われています")
    await uow.audit(
        "account",
        account.account_id,
        "added",
        changes={"login": account.login, "role": role.value, "municipality": code},
        subject=account.account_id,
    )
    return account


async def sign_in(uow: UnitOfWork, login: str, password: str) -> NewSession | SignInRefused:
    """A new session for the right password; SignInRefused (saying nothing of which was
    wrong) otherwise. The attempt is counted in the command's transaction."""
    typed = normalise_login(login)
    found = await db.account_for_sign_in(uow.conn, typed)
    if found is None:
        _verify(_DUMMY_HASH, password)
        # a login nobody has may be someone's password typed in the wrong field: only its hash
        await uow.audit(
            "account",
            login_pseudonym(typed),
            SIGN_IN_FAILED,
            changes={"cause": "unknown_login"},
        )
        return SignInRefused(WRONG_CREDENTIALS)
    account, password_hash = found
    if locked(account, uow.at):
        await _audit_sign_in(uow, account, SIGN_IN_FAILED, "locked")
        return SignInRefused(LOCKED)
    result = attempt(account, password_ok=_verify(password_hash, password), now=uow.at)
    await db.record_attempt(
        uow.conn, account.account_id, result.failed_attempts, result.locked_until
    )
    if not result.signed_in:
        await _audit_sign_in(
            uow,
            account,
            SIGN_IN_FAILED,
            "wrong_password",
            failed_attempts={"old": account.failed_attempts, "new": result.failed_attempts},
        )
        if result.locked_until is not None:
            await _audit_sign_in(
                uow,
                account,
                "locked_out",
                "too_many_failures",
                locked_until={"old": None, "new": result.locked_until.isoformat()},
            )
            return SignInRefused(LOCKED)
        return SignInRefused(WRONG_CREDENTIALS)
    if HASHER.check_needs_rehash(password_hash):
        await db.replace_password_hash(uow.conn, account.account_id, HASHER.hash(password))
    return await _new_session(uow, account, "signed_in")


NOT_REGISTERED = (
    "このアカウントはコンソールに登録されていないか、使えなくなっています。"
    "コーディネーターに連絡してください"
)


async def sign_in_verified(uow: UnitOfWork, login: str) -> NewSession | SignInRefused:
    """A new session for someone the municipality's identity provider vouched for: the
    console account of that login decides role and town; none, or an inactive or locked one,
    is refused."""
    found = await db.account_for_sign_in(uow.conn, normalise_login(login))
    if found is None:
        await uow.audit(
            "account",
            login_pseudonym(normalise_login(login)),
            SIGN_IN_FAILED,
            changes={"cause": "provider_login_not_registered"},
        )
        return SignInRefused(NOT_REGISTERED)
    account, _ = found
    if not account.active:
        await _audit_sign_in(uow, account, SIGN_IN_FAILED, "inactive")
        return SignInRefused(NOT_REGISTERED)
    if locked(account, uow.at):
        await _audit_sign_in(uow, account, SIGN_IN_FAILED, "locked")
        return SignInRefused(LOCKED)
    await db.record_attempt(uow.conn, account.account_id, 0, None)
    return await _new_session(uow, account, "signed_in_with_provider")


async def _new_session(uow: UnitOfWork, account: Account, how: str) -> NewSession:
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    await db.delete_expired_sessions(uow.conn, uow.at)
    await db.insert_session(
        uow.conn,
        session_hash=session_hash(cookie),
        account_id=account.account_id,
        csrf_token=csrf,
        at=uow.at,
        expires_at=uow.at + SESSION_LIFETIME,
    )
    await _audit_sign_in(uow, account, how)
    return NewSession(cookie=cookie, csrf_token=csrf, account=account)


async def signed_in(conn: Connection, cookie: str, now: datetime) -> tuple[Account, str] | None:
    return await db.session_account(conn, session_hash(cookie), now)


async def names_by_actor(conn: Connection) -> dict[str, str]:
    """``{"desk:tanaka": "田中 花子"}``: how the services' change records name each account."""
    return {a.principal().actor: a.display_name for a in await db.all_accounts(conn)}


async def names_by_id(conn: Connection) -> dict[str, str]:
    """``{account id: "田中 花子"}``: how the console's own trail names the accounts it is about."""
    return {str(a.account_id): a.display_name for a in await db.all_accounts(conn)}


async def sign_out(uow: UnitOfWork, account: Account, cookie: str) -> None:
    await db.delete_session(uow.conn, session_hash(cookie))
    await _audit_sign_in(uow, account, "signed_out")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def first_coordinator(conn: Connection, clock: Clock) -> Sequence[str]:
    """At the very first start, one coordinator to sign in with; its password is said once."""
    if await db.count_accounts(conn) > 0:
        return ()
    password = secrets.token_urlsafe(12)
    account = Account(
        account_id=uuid.uuid4(),
        login=FIRST_LOGIN,
        display_name="管理者（最初のコーディネーター）",
        role=Role.COORDINATOR,
        municipality=None,
        expert_id=None,
        active=True,
        failed_attempts=0,
        locked_until=None,
    )
    await db.insert_account(
        conn, account, password_hash=HASHER.hash(password), at=clock.now(), by="system:console"
    )
    return (
        f"最初のコーディネーターを作成しました: ログインID {FIRST_LOGIN} / パスワード {password}"
        "（この表示は一度だけです。`tosei user add` で各職員のアカウントを作成してください）",
    )
