"""Signing in and out, and what a page says when there is no session or no CSRF token."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tosei_common.platform.service import Runtime
from tosei_console.api.pages import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfRefused,
    Posted,
    SignInNeeded,
    render,
    runtime_of,
)
from tosei_console.domain.menu import home_for
from tosei_console.domain.oidc import OidcConfig
from tosei_console.handlers.accounts import (
    SESSION_LIFETIME,
    NewSession,
    SignInRefused,
    sign_in,
    sign_out,
)

SIGN_IN_ACTOR = "console:sign-in"


def safe_next(target: str | None) -> str | None:
    """Only a path of this console: never an address elsewhere (an open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def secure_cookies(request: Request) -> bool:
    settings = runtime_of(request).settings
    return request.url.scheme == "https" or settings.console_secure_cookies


def login_page(
    request: Request,
    *,
    error: str | None = None,
    login: str = "",
    next_path: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    page = render(
        request,
        "login.html",
        csrf_token=token,
        error=error,
        login=login,
        next_path=safe_next(next_path) or "",
        oidc=OidcConfig.of(runtime_of(request).settings),
        status_code=status_code,
    )
    page.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
        path="/login",
    )
    return page


def signed_in_answer(request: Request, session: NewSession, next_path: str) -> Response:
    """On to where the person was going, with the session's cookie."""
    target = safe_next(next_path) or home_for(session.account.role)
    answer = RedirectResponse(target, status_code=303)
    answer.set_cookie(
        SESSION_COOKIE,
        session.cookie,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )
    return answer


def router(runtime: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/login")
    async def login_form(request: Request, next: str | None = None) -> HTMLResponse:
        return login_page(request, next_path=next)

    @routes.post("/login", response_model=None)
    async def login(
        request: Request,
        login: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        csrf_token: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "",
    ) -> Response:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not secrets.compare_digest(expected, csrf_token):
            return login_page(
                request,
                error="画面の有効期限が切れました。もう一度ログインしてください",
                login=login,
                next_path=next,
                status_code=403,
            )
        async with runtime.unit_of_work(SIGN_IN_ACTOR) as uow:
            session = await sign_in(uow, login, password)
        if isinstance(session, SignInRefused):
            return login_page(
                request, error=session.message, login=login, next_path=next, status_code=401
            )
        answer = signed_in_answer(request, session, next)
        answer.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return answer

    @routes.post("/logout")
    async def logout(request: Request, who: Posted) -> RedirectResponse:
        async with runtime.unit_of_work(who.account.principal()) as uow:
            await sign_out(uow, who.account, request.cookies.get(SESSION_COOKIE, ""))
        answer = RedirectResponse("/login?signed_out=1", status_code=303)
        answer.delete_cookie(SESSION_COOKIE)
        return answer

    return routes


def install_answers(app: FastAPI) -> None:
    """Pages answer "sign in first" with the sign-in screen, and a form without its CSRF token
    with a page that says nothing was done."""

    @app.exception_handler(SignInNeeded)
    async def sign_in_first(request: Request, _: SignInNeeded) -> Response:
        target = "/login"
        if request.method == "GET" and request.url.path != "/":
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            target += f"?next={quote(path, safe='')}"
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": target})
        if request.method != "GET":
            return render(
                request,
                "refused.html",
                status_code=401,
                title="ログインしてください",
                text="ログインしていないため、何も保存していません。ログインしてからもう一度お試しください。",
                link=target,
            )
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _: CsrfRefused) -> Response:
        return render(
            request,
            "refused.html",
            status_code=403,
            title="この送信は受け付けられません",
            text="フォームの確認用の情報がないか、古くなっています。何も保存していません。"
            "画面を読み込み直してからもう一度お試しください。",
            link=request.headers.get("referer") or "/",
        )
