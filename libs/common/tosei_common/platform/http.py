"""The HTTP face every service shares: health, readiness, metrics, AsyncAPI, JSON errors."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

from tosei_common.platform.asyncapi import asyncapi_document
from tosei_common.platform.audit_api import audit_log_router
from tosei_common.platform.auth import verify_token
from tosei_common.platform.db import CommitOutcomeUnknown, is_unavailable
from tosei_common.platform.errors import Language, Message, ServiceError, preferred_language
from tosei_common.platform.idempotency import IdempotencyMiddleware
from tosei_common.platform.metrics import PipelineMetrics
from tosei_common.platform.problems import (
    database_unavailable,
    internal_error,
    language_of_scope,
    outcome_unknown,
)
from tosei_common.platform.service import Runtime
from tosei_common.platform.validation import explain, field_path, summary

log = logging.getLogger(__name__)


def build_app(runtime: Runtime, *, lifespan: Callable[[FastAPI], Any] | None = None) -> FastAPI:
    """The service's FastAPI app around a runtime (started by ``lifespan`` or by the caller)."""
    spec = runtime.spec
    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version="1.0.0",
        lifespan=lifespan,
        responses={
            401: {"description": "No valid bearer token."},
            403: {"description": "The token's role may not do this."},
            422: {"description": "The request is invalid; `fields` says which field and why."},
            503: {"description": "The database is unavailable; nothing was written."},
        },
    )
    app.state.runtime = runtime
    app.state.settings = runtime.settings
    _install_error_handlers(app)
    # Outermost last: the idempotency record sees the JSON answer the catch-all gives an error.
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(
        IdempotencyMiddleware,
        pool=lambda: runtime.pool,
        verify=lambda token: verify_token(
            runtime.settings.auth_secret,
            token,
            max_ttl=timedelta(hours=runtime.settings.token_max_ttl_hours),
        ),
        on_replay=runtime.metrics.idempotent_replays.inc,
    )
    # Outermost of ours: it sees the status of every answer, the catch-all's 500s and 503s too.
    app.add_middleware(RequestMetrics, metrics=runtime.metrics)

    @app.get("/healthz", tags=["operations"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": spec.name}

    @app.get(
        "/readyz",
        tags=["operations"],
        summary="The service can serve commands (its database answers)",
        description="200 when the database answers, whatever the broker does: while Kafka is "
        "away commands still work and the outbox keeps their events. `broker` is reported for "
        'information (and as the metric `tosei_ready{dependency="broker"}`).',
    )
    async def readyz() -> JSONResponse:
        status = await runtime.ready()
        ok = status["database"]
        return JSONResponse(
            {"status": "ready" if ok else "not ready", **status}, status_code=200 if ok else 503
        )

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics")
    async def metrics() -> Response:
        try:
            await runtime.refresh_metrics()
        except Exception as exc:  # still serve what the process knows without the database
            log.warning("%s: metrics refresh failed: %s", spec.name, exc)
        return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/asyncapi.json", tags=["operations"], summary="AsyncAPI 3 document of the topics")
    async def asyncapi() -> dict[str, Any]:
        return asyncapi_document(spec, runtime.broker)

    app.include_router(audit_log_router(runtime, spec.audit_readers))
    if spec.extend_app is not None:
        spec.extend_app(app)
    if spec.routers is not None:
        for router in spec.routers(runtime):
            app.include_router(router)
    return app


def create_app(runtime: Runtime) -> FastAPI:
    """The app with a lifespan that starts and stops the runtime (what ``tosei serve`` runs)."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    return build_app(runtime, lifespan=lifespan)


def language_of(request: Request) -> Language:
    """The language the caller reads: Japanese unless it asks for English."""
    return preferred_language(request.headers.get("accept-language"))


async def invalid_request_answer(request: Request, exc: RequestValidationError) -> JSONResponse:
    """A request the API's declared inputs refuse: 422, a sentence and one message per field."""
    language = language_of(request)
    problems = [(field_path(e.get("loc", ())), explain(e)) for e in exc.errors()]
    return JSONResponse(
        {
            "error": "validation_failed",
            "message": summary(problems, language),
            "fields": [{"field": f, "message": m.in_(language)} for f, m in problems],
        },
        status_code=422,
    )


async def http_error_answer(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Starlette's own refusals (no such URL, method not allowed), said as the API says things."""
    code, message = _HTTP_ERRORS.get(
        exc.status_code, ("http_error", Message(str(exc.detail), str(exc.detail)))
    )
    return JSONResponse(
        {"error": code, "message": message.in_(language_of(request))},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(exc.body(language_of(request)), status_code=exc.status, headers=headers)

    app.add_exception_handler(RequestValidationError, invalid_request_answer)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error_answer)  # type: ignore[arg-type]

    @app.exception_handler(asyncpg.DataError)
    async def data_error(request: Request, exc: asyncpg.DataError) -> JSONResponse:
        # The database refused a value the request carried (out of range, too long, …). The
        # request models should have bounded it; this keeps it a 4xx that changed nothing.
        log.warning("database refused a value on %s %s: %s", request.method, request.url.path, exc)
        message = Message(
            "保存できない値が含まれています。何も保存されていません",
            f"a value cannot be stored: {exc}",
        )
        return JSONResponse(
            {"error": "validation_failed", "message": message.in_(language_of(request))},
            status_code=422,
        )

    @app.exception_handler(asyncpg.DeadlockDetectedError)
    @app.exception_handler(asyncpg.SerializationError)
    async def collided(request: Request, exc: asyncpg.PostgresError) -> JSONResponse:
        # Two requests changed the same rows at the same moment and PostgreSQL undid this one.
        log.warning("concurrent change on %s %s: %s", request.method, request.url.path, exc)
        message = Message(
            "同じデータが同時に変更されたため、この要求は保存されませんでした。もう一度お試しください",
            "another change to the same data happened at the same moment; "
            "nothing of this request was written, try it again",
        )
        return JSONResponse(
            {"error": "concurrent_change", "message": message.in_(language_of(request))},
            status_code=409,
            headers={"Retry-After": "1"},
        )


_HTTP_ERRORS: dict[int, tuple[str, Message]] = {
    404: ("not_found", Message("そのURLはありません", "there is nothing at this URL")),
    405: (
        "method_not_allowed",
        Message(
            "このURLはその操作（メソッド）を受け付けません", "this URL does not take that method"
        ),
    ),
}


class RequestMetrics:
    """Counts every answer by route template, method and status class, and times it.

    The route is the template the request matched (``/cases/{case_id}``), never the path, so a
    scan of random URLs adds one series (``unmatched``), not one per URL.
    """

    def __init__(self, app: ASGIApp, metrics: PipelineMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500  # what the client gets when the app raises before answering

        async def recording_send(message: ASGIMessage) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.http_requests.labels(
                route=route, method=method, status=f"{status // 100}xx"
            ).inc()
            self.metrics.http_duration.labels(route=route, method=method).observe(
                time.perf_counter() - began
            )


class UnexpectedErrors:
    """Turns an error no handler took into a JSON answer, and keeps the connection usable.

    Starlette's own last-resort handler re-raises after answering, and uvicorn then drops the
    keep-alive connection without a ``Connection: close``, so a client's next request on it
    fails. Here the error is logged and answered, and nothing is re-raised: 503 with
    ``Retry-After`` when the database is away (saying whether anything may have been written),
    500 otherwise.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: ASGIMessage) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:  # half a response is out: only closing the connection can end it
                raise
            await unexpected_error_response(scope, exc)(scope, receive, send)


def unexpected_error_response(scope: Scope, exc: Exception) -> Response:
    language = language_of_scope(scope)
    if isinstance(exc, CommitOutcomeUnknown):
        log.warning("commit outcome unknown on %s %s: %s", scope["method"], scope["path"], exc)
        return outcome_unknown(language)
    if is_unavailable(exc):
        log.warning("database unavailable on %s %s: %r", scope["method"], scope["path"], exc)
        return database_unavailable(language)
    log.error("unhandled error on %s %s", scope["method"], scope["path"], exc_info=exc)
    return internal_error(language)
