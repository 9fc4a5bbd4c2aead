"""ログイン with a municipality's own identity provider (OpenID Connect), when configured."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.platform.service import Runtime
from tosei_console.api.signin import (
    SIGN_IN_ACTOR,
    login_page,
    safe_next,
    secure_cookies,
    signed_in_answer,
)
from tosei_console.domain.oidc import (
    CALLBACK_PATH,
    Attempt,
    OidcConfig,
    OidcRefused,
    authorization_url,
    login_of,
    returned_for,
)
from tosei_console.handlers.accounts import SignInRefused, sign_in_verified
from tosei_console.oidc import OidcClient

ATTEMPT_COOKIE = "tosei_oidc"
#: How long the person may take at the provider's sign-in screen.
ATTEMPT_SECONDS = 600
CANCELLED = "認証サービスでのログインが完了しませんでした。もう一度お試しください"


def router(runtime: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)
    config = OidcConfig.of(runtime.settings)
    if config is None:
        return routes
    client = OidcClient(config)

    def redirect_uri(request: Request) -> str:
        base = runtime.settings.console_public_url
        return f"{base.rstrip('/')}{CALLBACK_PATH}" if base else str(request.url_for("oidc_back"))

    def refused(request: Request, message: str, next_path: str = "") -> Response:
        page = login_page(request, error=message, next_path=next_path, status_code=401)
        page.delete_cookie(ATTEMPT_COOKIE, path="/login/oidc")
        return page

    @routes.get("/login/oidc", response_model=None)
    async def oidc_start(request: Request, next: str | None = None) -> Response:
        attempt = Attempt.new(safe_next(next) or "")
        try:
            provider = await client.provider()
        except OidcRefused as problem:
            return refused(request, problem.message, attempt.next_path)
        answer = RedirectResponse(
            authorization_url(provider, config, attempt, redirect_uri(request)), status_code=303
        )
        answer.set_cookie(
            ATTEMPT_COOKIE,
            attempt.cookie(),
            max_age=ATTEMPT_SECONDS,
            httponly=True,
            samesite="lax",  # the provider sends the person back with a top-level GET
            secure=secure_cookies(request),
            path="/login/oidc",
        )
        return answer

    @routes.get(CALLBACK_PATH, name="oidc_back", response_model=None)
    async def oidc_back(
        request: Request, code: str = "", state: str = "", error: str = ""
    ) -> Response:
        try:
            attempt = returned_for(Attempt.from_cookie(request.cookies.get(ATTEMPT_COOKIE)), state)
            if error or not code:
                raise OidcRefused(CANCELLED)
            claims = await client.id_token_claims(code, attempt.verifier, redirect_uri(request))
            login = login_of(claims, config, attempt)
        except OidcRefused as problem:
            return refused(request, problem.message)
        async with runtime.unit_of_work(SIGN_IN_ACTOR) as uow:
            session = await sign_in_verified(uow, login)
        if isinstance(session, SignInRefused):
            return refused(request, session.message, attempt.next_path)
        answer = signed_in_answer(request, session, attempt.next_path)
        answer.delete_cookie(ATTEMPT_COOKIE, path="/login/oidc")
        return answer

    return routes
