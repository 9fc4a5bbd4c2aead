"""Retry-safe commands: the ``Idempotency-Key`` request header.

A desk that re-submits a form, or a client that retries after a 503 or a cut connection, sends
the same key again. The first request's response is stored with the key *in the command's own
transaction*; a repeat gets that response back (same status, same body, and the header
``Idempotent-Replayed: true``) with no second effect. The same key with a different request is
refused with 422. This follows the IETF draft "The Idempotency-Key HTTP Header Field".

How the command and its record share one transaction: the middleware opens the transaction,
claims the key in it, and lends its connection to the request (``ServicePool.lend``), so every
handler's ``acquire()`` joins it and its own ``transaction()`` becomes a savepoint. When the
response is ready the middleware writes it next to the key and commits, then sends it. A commit
whose outcome is unknown (the connection broke during COMMIT) answers 503 and asks for a retry
with the same key, which then finds either the stored response or no trace, never half.

Routes that commit row by row on purpose (the hand-over import) are marked with
``@commits_by_itself``: their key is claimed in a transaction of its own first and the response
stored after; if the process dies in between, a repeat answers 409 until the key expires.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

from tosei_common.platform.auth import Principal
from tosei_common.platform.db import CommitOutcomeUnknown, Connection, ServicePool, is_unavailable
from tosei_common.platform.errors import Message, ServiceError
from tosei_common.platform.problems import (
    database_unavailable,
    language_of_scope,
    outcome_unknown,
)

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Printable ASCII, as the draft's examples use (UUIDs, ULIDs, random strings).
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
#: The body is held in memory to fingerprint it; larger requests are refused a key.
MAX_BODY_BYTES = 32 * 1024 * 1024
#: A second request with a key still in use waits this long for the first to finish.
WAIT_FOR_SAME_KEY = "5s"
#: Response headers worth replaying (others, such as date or content-length, are made anew).
KEPT_HEADERS = frozenset({"content-type", "location", "content-disposition"})

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def commits_by_itself(endpoint: Endpoint) -> Endpoint:
    """Mark a route whose handler commits in several transactions on purpose."""
    endpoint.__tosei_commits_by_itself__ = True  # type: ignore[attr-defined]
    return endpoint


@dataclass(frozen=True)
class Captured:
    """A response as the app produced it, before it is sent."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def storable(self) -> bool:
        """A server error, or an answer that invites a retry, is not the command's outcome."""
        if self.status >= 500:
            return False
        return not any(name.lower() == b"retry-after" for name, _ in self.headers)

    def kept_headers(self) -> list[list[str]]:
        return [
            [name.decode("latin-1"), value.decode("latin-1")]
            for name, value in self.headers
            if name.decode("latin-1").lower() in KEPT_HEADERS
        ]


class IdempotencyError(ServiceError):
    pass


class InvalidKey(IdempotencyError):
    status = 400
    code = "idempotency_key_invalid"


class KeyReused(IdempotencyError):
    status = 422
    code = "idempotency_key_reused"


class KeyInUse(IdempotencyError):
    status = 409
    code = "idempotency_key_in_use"


class BodyTooLarge(IdempotencyError):
    status = 413
    code = "idempotency_body_too_large"


class IdempotencyMiddleware:
    """ASGI middleware giving every unsafe method of a service the ``Idempotency-Key`` header."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        pool: Callable[[], ServicePool],
        verify: Callable[[str], Principal],
        on_replay: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.pool = pool
        self.verify = verify
        self.on_replay = on_replay

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        key = request.headers.get(HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        try:
            if not KEY_PATTERN.match(key):
                raise InvalidKey(
                    "Idempotency-Key は 1〜255 文字の半角英数記号で指定してください",
                    en="Idempotency-Key must be 1 to 255 printable ASCII characters",
                    fields={HEADER: Message("1〜255 文字の半角英数記号", "1-255 printable ASCII")},
                )
            caller = self._caller(request)
            if caller is None:  # the app answers 401; there is nothing to remember
                await self.app(scope, receive, send)
                return
            body = await _read_body(receive)
            fingerprint = _fingerprint(scope, body)
            claim = Claim(caller, key, fingerprint)
            if self._commits_by_itself(scope):
                response = await self._two_steps(claim, scope, body)
            else:
                response = await self._one_transaction(claim, scope, body)
        except ServiceError as exc:
            response = JSONResponse(exc.body(language_of_scope(scope)), status_code=exc.status)
        except CommitOutcomeUnknown as exc:
            log.warning("commit outcome unknown for %s %s: %s", scope["method"], scope["path"], exc)
            response = outcome_unknown(language_of_scope(scope))
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            response = database_unavailable(language_of_scope(scope))
        await response(scope, receive, send)

    def _caller(self, request: Request) -> str | None:
        authorization = request.headers.get("authorization")
        if authorization is None:
            return "anonymous"
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return self.verify(token.strip()).actor
        except ServiceError:
            return None

    def _commits_by_itself(self, scope: Scope) -> bool:
        return _marked(getattr(scope.get("app"), "routes", ()), scope)

    async def _one_transaction(self, claim: Claim, scope: Scope, body: bytes) -> Response:
        pool = self.pool()
        async with pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            try:
                earlier = await claim.take(conn)
                if earlier is not None:
                    await transaction.rollback()
                    return self._answer_repeat(claim, earlier)
                with pool.lend(conn):
                    captured = await _capture(self.app, scope, body)
                if captured.storable:
                    await claim.store(conn, captured)
                    await _commit(transaction)
                else:
                    await transaction.rollback()
            except BaseException:
                with contextlib.suppress(Exception):  # keep the error that got us here
                    if not conn.is_closed() and conn.is_in_transaction():
                        await transaction.rollback()
                raise
        return _response(captured)

    async def _two_steps(self, claim: Claim, scope: Scope, body: bytes) -> Response:
        pool = self.pool()
        async with pool.acquire() as conn, conn.transaction():
            earlier = await claim.take(conn)
        if earlier is not None:
            return self._answer_repeat(claim, earlier)
        try:
            captured = await _capture(self.app, scope, body)
        except BaseException:
            async with pool.acquire() as conn:
                await claim.forget(conn)
            raise
        async with pool.acquire() as conn:
            if captured.storable:
                await claim.store(conn, captured)
            else:
                await claim.forget(conn)
        return _response(captured)

    def _answer_repeat(self, claim: Claim, earlier: asyncpg.Record) -> Response:
        if earlier["fingerprint"] != claim.fingerprint:
            raise KeyReused(
                "この Idempotency-Key は別の内容の要求に使われています。"
                "新しい要求には新しいキーを指定してください",
                en="this Idempotency-Key was used for a different request; use a new key",
                fields={HEADER: Message("別の要求に使用済み", "used for another request")},
            )
        if earlier["status"] is None:
            raise KeyInUse(
                "同じ Idempotency-Key の要求を処理中か、その結果を確認できません。"
                "しばらくしてから同じキーで再送してください",
                en="a request with this Idempotency-Key is in progress or its outcome is unknown;"
                " send it again later with the same key",
                fields={HEADER: Message("処理中", "in progress")},
            )
        if self.on_replay is not None:
            self.on_replay()
        headers = {name: value for name, value in json.loads(earlier["headers"] or "[]")}
        headers[REPLAYED] = "true"
        return Response(bytes(earlier["body"]), status_code=earlier["status"], headers=headers)


@dataclass(frozen=True)
class Claim:
    """One caller's key for one request."""

    caller: str
    key: str
    fingerprint: str

    async def take(self, conn: Connection) -> asyncpg.Record | None:
        """Claim the key; return the earlier request's record when the key was taken before.

        The claim waits while another transaction holds the same key, so a repeat sent while
        the first request still runs gets the first response as soon as it is committed.
        """
        async with conn.transaction():
            await conn.execute(f"SET LOCAL lock_timeout = '{WAIT_FOR_SAME_KEY}'")
            try:
                claimed = await conn.fetchval(
                    """
                    INSERT INTO idempotency_keys (caller, key, fingerprint)
                    VALUES ($1, $2, $3)
                    ON CONFLICT (caller, key) DO NOTHING
                    RETURNING true
                    """,
                    self.caller,
                    self.key,
                    self.fingerprint,
                )
            except asyncpg.LockNotAvailableError:
                raise KeyInUse(
                    "同じ Idempotency-Key の要求をまだ処理しています。"
                    "しばらくしてから同じキーで再送してください",
                    en="a request with this Idempotency-Key is still running; "
                    "send it again later with the same key",
                    fields={HEADER: Message("処理中", "in progress")},
                ) from None
            await conn.execute("SET LOCAL lock_timeout = 0")
        if claimed:
            return None
        return await conn.fetchrow(
            "SELECT fingerprint, status, headers::text AS headers, body FROM idempotency_keys"
            " WHERE caller = $1 AND key = $2",
            self.caller,
            self.key,
        )

    async def store(self, conn: Connection, response: Captured) -> None:
        await conn.execute(
            "UPDATE idempotency_keys SET status = $3, headers = $4::jsonb, body = $5"
            " WHERE caller = $1 AND key = $2",
            self.caller,
            self.key,
            response.status,
            json.dumps(response.kept_headers()),
            response.body,
        )

    async def forget(self, conn: Connection) -> None:
        await conn.execute(
            "DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND status IS NULL",
            self.caller,
            self.key,
        )


def _marked(routes: Any, scope: Scope) -> bool:
    """Whether the route ``scope`` goes to is marked ``@commits_by_itself``. A router included
    in the app (FastAPI wraps each one) or a mount is looked into for the route itself."""
    for route in routes:
        match, child = route.matches(scope)
        if match is not Match.FULL:
            continue
        endpoint = getattr(route, "endpoint", None)
        if endpoint is not None:
            return bool(getattr(endpoint, "__tosei_commits_by_itself__", False))
        included = getattr(getattr(route, "original_router", None), "routes", None)
        inner = included if included is not None else getattr(route, "routes", None)
        return inner is not None and _marked(inner, {**scope, **(child or {})})
    return False


async def prune_idempotency_keys(conn: Connection, older_than_hours: int) -> int:
    """Forget keys older than ``older_than_hours``; a retry after that is a new request."""
    status: str = await conn.execute(
        "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)",
        older_than_hours,
    )
    return int(status.split()[-1])


async def _commit(transaction: Any) -> None:
    try:
        await transaction.commit()
    except Exception as exc:
        if is_unavailable(exc):
            raise CommitOutcomeUnknown(f"the connection broke during COMMIT: {exc}") from exc
        raise


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1")):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(body)
    return digest.hexdigest()


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            limit = MAX_BODY_BYTES // (1024 * 1024)
            raise BodyTooLarge(
                f"Idempotency-Key を付けられる要求は {limit} MiB までです",
                en=f"a request with an Idempotency-Key may be at most {limit} MiB",
                fields={HEADER: Message("要求が大きすぎます", "request too large")},
            )
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _capture(app: ASGIApp, scope: Scope, body: bytes) -> Captured:
    """Run the app on the buffered request and keep its response instead of sending it."""
    sent = False

    async def receive() -> ASGIMessage:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    start: MutableMapping[str, Any] = {}
    chunks: list[bytes] = []

    async def send(message: ASGIMessage) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return Captured(
        status=int(start.get("status", 500)),
        headers=[(bytes(k), bytes(v)) for k, v in start.get("headers", [])],
        body=b"".join(chunks),
    )


def _response(captured: Captured) -> Response:
    response = Response(captured.body, status_code=captured.status)
    response.raw_headers = [
        (name, value) for name, value in captured.headers if name.lower() != b"content-length"
    ] + [(b"content-length", str(len(captured.body)).encode())]
    return response
