"""What the public pages (no account) share: their own layout, the form token without a
session, the rate limits per client address and their 429 page.

The token is a double-submit cookie: a random value in a cookie of the public pages' path
(SameSite=Strict) that each form repeats; another site can make a browser post, but cannot read
or set the cookie to repeat it.

The rate limits are counted in the console's database (``handlers.rate_limits``), so every
console replica counts the same hits and an address gets the limit once, however many replicas
serve it. When the database cannot count, the pages refuse (503, nothing done) rather than let
everything through: docs/console.md says why.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from tosei_common.platform.db import is_unavailable
from tosei_common.platform.rate_limit import SlidingWindow, client_hash, client_key
from tosei_common.platform.settings import Settings
from tosei_console.api.pages import TEMPLATES, runtime_of, upstream_of
from tosei_console.api.signin import secure_cookies
from tosei_console.domain.public_seminar import retry_words, window_words
from tosei_console.handlers.rate_limits import count_hit
from tosei_console.upstream import Answer, PublicCaller

PUBLIC_PATH = "/seminar"
PUBLIC_CSRF_COOKIE = "tosei_public_csrf"

#: A registration's pages carry its reference in the address: no other site learns it from a
#: Referer (the stream link leads elsewhere), no cache keeps the page, no search engine lists it.
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}
PUBLIC_HEADERS = {"Referrer-Policy": "same-origin"}


def services(request: Request) -> PublicCaller:
    """The services as the public sees them (no credentials)."""
    return upstream_of(runtime_of(request)).public()


def render_public(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    private: bool = False,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page in the public layout, with the form token (set as a cookie when new)."""
    token = request.cookies.get(PUBLIC_CSRF_COOKIE) or secrets.token_urlsafe(24)
    page = TEMPLATES.get_template(template).render(
        request=request, csrf_token=token, path=request.url.path, **context
    )
    answer = HTMLResponse(
        page,
        status_code=status_code,
        headers={**(PRIVATE_HEADERS if private else PUBLIC_HEADERS), **(headers or {})},
    )
    if request.cookies.get(PUBLIC_CSRF_COOKIE) != token:
        answer.set_cookie(
            PUBLIC_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=secure_cookies(request),
            path=PUBLIC_PATH,
        )
    return answer


class PublicCsrfRefused(Exception):
    """A public form without the token of its cookie: nothing is done."""


def check_form_token(request: Request, offered: str) -> None:
    expected = request.cookies.get(PUBLIC_CSRF_COOKIE, "")
    if not expected or not offered or not secrets.compare_digest(expected, offered):
        raise PublicCsrfRefused


# rate limits -----------------------------------------------------------------------------------


def rule_of(settings: Settings, kind: str) -> SlidingWindow:
    """The limit and window of a kind of use, as the settings say."""
    if kind == "registrations":
        return SlidingWindow(
            settings.console_registration_limit,
            timedelta(seconds=settings.console_registration_window_s),
        )
    return SlidingWindow(
        settings.console_lookup_limit, timedelta(seconds=settings.console_lookup_window_s)
    )


class LimitsUnavailable(Exception):
    """The database that counts the uses cannot be reached: nothing is done (fail closed)."""


class TooManyRequests(Exception):
    def __init__(self, what: str, retry_after: timedelta, seconds: int) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after
        self.seconds = seconds


#: What the 429 page says was limited, and how much is allowed.
_WHAT = {
    "registrations": "参加の申込",
    "lookups": "受付番号を使ったご利用（確認・取消・アンケート・修了証）",
}


def client_of(request: Request) -> str:
    settings = runtime_of(request).settings
    peer = request.client.host if request.client else None
    return client_key(peer, request.headers, settings.console_client_address_header)


#: Seconds a client is asked to wait when the uses cannot be counted (as the platform's 503s).
UNAVAILABLE_RETRY_S = 5
#: Who counts a hit in the units of work of the rate limits.
LIMITS_ACTOR = "system:console-rate-limits"


async def _limited(request: Request, kind: str) -> None:
    runtime = runtime_of(request)
    hashed = client_hash(client_of(request), runtime.settings.auth_secret)
    try:
        async with runtime.unit_of_work(LIMITS_ACTOR) as uow:
            verdict = await count_hit(uow, rule_of(runtime.settings, kind), kind, hashed)
    except Exception as exc:
        if is_unavailable(exc):
            raise LimitsUnavailable(kind) from exc
        raise
    if not verdict.allowed:
        raise TooManyRequests(kind, verdict.retry_after, verdict.retry_after_seconds)


async def registration_limit(request: Request) -> None:
    """A dependency: counts a registration post from the client's address."""
    await _limited(request, "registrations")


async def lookup_limit(request: Request) -> None:
    """A dependency: counts a use of a reference (view, cancel, feedback, certificate)."""
    await _limited(request, "lookups")


def problem_page(request: Request, answer: Answer, *, back: str) -> HTMLResponse:
    """A refusal of the seminar service that is not about a field."""
    titles = {
        404: "見つかりません",
        409: "この操作はできません",
        503: "ただいま処理できません",
    }
    status = answer.status if answer.status in titles else 502
    return render_public(
        request,
        "public/problem.html",
        status_code=status,
        private=True,
        title=titles.get(answer.status, "処理できませんでした"),
        message=answer.message,
        back=back,
    )


def install_answers(app: FastAPI) -> None:
    """The public pages' 429 and refused-token pages."""

    @app.exception_handler(TooManyRequests)
    async def too_many(request: Request, refused: TooManyRequests) -> Response:
        runtime = runtime_of(request)
        s = runtime.settings
        limit, window = (
            (s.console_registration_limit, s.console_registration_window_s)
            if refused.what == "registrations"
            else (s.console_lookup_limit, s.console_lookup_window_s)
        )
        return render_public(
            request,
            "public/too_many.html",
            status_code=429,
            private=True,
            headers={"Retry-After": str(refused.seconds)},
            title="しばらく時間をおいてください",
            what=_WHAT[refused.what],
            limit=limit,
            window=window_words(window),
            retry=retry_words(refused.retry_after, runtime.clock.utc_now()),
            registrations=refused.what == "registrations",
        )

    @app.exception_handler(LimitsUnavailable)
    async def cannot_count(request: Request, _: LimitsUnavailable) -> Response:
        return render_public(
            request,
            "public/problem.html",
            status_code=503,
            private=True,
            headers={"Retry-After": str(UNAVAILABLE_RETRY_S)},
            title="ただいま処理できません",
            message="ただいま混み合っているか、点検中のため受け付けられません。"
            "何も登録・変更していません。しばらくしてから、もう一度お試しください。",
            back=PUBLIC_PATH,
        )

    @app.exception_handler(PublicCsrfRefused)
    async def token_refused(request: Request, _: PublicCsrfRefused) -> Response:
        return render_public(
            request,
            "public/problem.html",
            status_code=403,
            title="この送信は受け付けられません",
            message="画面の有効期限が切れたか、確認用の情報がありません。何も登録・変更していません。"
            "画面を読み込み直してから、もう一度お試しください。",
            back=PUBLIC_PATH,
        )
