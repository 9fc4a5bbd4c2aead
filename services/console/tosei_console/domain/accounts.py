"""Who may sign in to the console, and the rules of signing in: pure, no I/O."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tosei_common.platform.principal import ROLE_NAMES, Principal, Role

#: After this many wrong passwords in a row, the account waits LOCKOUT before the next try.
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12


class AccountProblem(ValueError):
    """A value that cannot make an account, with the field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Account:
    account_id: UUID
    login: str
    display_name: str
    role: Role
    municipality: str | None
    expert_id: UUID | None
    active: bool
    failed_attempts: int
    locked_until: datetime | None

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    def principal(self) -> Principal:
        """Who the services see when this person acts: an expert by their caseflow id."""
        subject = str(self.expert_id) if self.expert_id is not None else self.login
        return Principal(
            subject=subject,
            role=self.role,
            municipality=self.municipality,
            name=self.display_name,
        )


@dataclass(frozen=True)
class AttemptResult:
    """What one sign-in attempt leaves on the account."""

    signed_in: bool
    failed_attempts: int
    locked_until: datetime | None


def locked(account: Account, now: datetime) -> bool:
    return account.locked_until is not None and now < account.locked_until


def attempt(account: Account, *, password_ok: bool, now: datetime) -> AttemptResult:
    """The account after one try: a right password resets the count; the fifth wrong one in a
    row locks it for LOCKOUT. While locked, even the right password is refused, so guessing
    cannot go on at full speed."""
    if locked(account, now):
        return AttemptResult(False, account.failed_attempts, account.locked_until)
    if password_ok and account.active:
        return AttemptResult(True, 0, None)
    failures = account.failed_attempts + 1
    if failures >= MAX_FAILED_ATTEMPTS:
        return AttemptResult(False, 0, now + LOCKOUT)
    return AttemptResult(False, failures, None)


def normalise_login(login: str) -> str:
    """Logins are matched as typed on any keyboard: full-width letters and case do not count."""
    return unicodedata.normalize("NFKC", login).strip().lower()


def check_new_account(login: str, display_name: str, role: Role, expert_id: UUID | None) -> None:
    if not normalise_login(login):
        raise AccountProblem("login", "ログインIDを入力してください")
    if not display_name.strip():
        raise AccountProblem("name", "氏名を入力してください")
    if role is Role.EXPERT and expert_id is None:
        raise AccountProblem(
            "expert_id", "支援人材のアカウントには caseflow の支援人材IDが必要です"
        )


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountProblem("password", f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください")
