"""A page for a service's refusal that is not about one field (403, 404, 409, 503), and for
an address or a post the console's own routes refuse."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tosei_common.platform.http import http_error_answer, invalid_request_answer
from tosei_common.platform.validation import explain
from tosei_console.api.pages import render
from tosei_console.upstream import Answer

TITLES = {
    401: "ログインし直してください",
    403: "この操作はできません",
    404: "見つかりません",
    409: "ほかの人が先に変更しました",
    503: "ただいま処理できません",
}


def refused_page(request: Request, who: Any, answer: Answer) -> HTMLResponse:
    status = answer.status if answer.status in TITLES else 502
    reload = request.url.path if answer.status == 409 else None
    message = answer.message
    if answer.status == 409:
        message += "。画面を読み込み直して最新の内容を確認してから、もう一度操作してください"
    return render(
        request,
        "problem.html",
        who,
        title=TITLES.get(answer.status, "処理できませんでした"),
        message=message,
        reload=request.headers.get("referer") or reload,
        status_code=status,
    )


def wants_page(request: Request) -> bool:
    """A browser's navigation or form post (it accepts HTML), not an API client of the console's
    JSON routes (``/audit-log``, ``/health``)."""
    return "text/html" in request.headers.get("accept", "")


def install_page_answers(app: FastAPI) -> None:
    """A mistyped address or a form the routes refuse shows a Japanese page in the layout, not
    the API's JSON; API clients still get the JSON."""

    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if not wants_page(request):
            return await invalid_request_answer(request, exc)
        if all(tuple(e.get("loc", ()))[:1] == ("path",) for e in exc.errors()):
            return _page(request, 404, NO_SUCH_PAGE)
        problems = [explain(e).ja for e in exc.errors()]
        return _page(
            request,
            422,
            "送信された内容を受け付けられませんでした（"
            + "、".join(problems)
            + "）。画面を読み込み直してからもう一度お試しください",
        )

    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not wants_page(request) or exc.status_code not in (404, 405):
            return await http_error_answer(request, exc)
        return _page(request, 404, NO_SUCH_PAGE)

    app.add_exception_handler(RequestValidationError, invalid)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]


NO_SUCH_PAGE = "このアドレスのページはありません。アドレスを確かめるか、メニューから開いてください"


def _page(request: Request, status: int, message: str) -> HTMLResponse:
    # the signed-in person is not looked up here: the page shows no menu, only the way back
    return render(
        request,
        "problem.html",
        title="見つかりません" if status == 404 else "処理できませんでした",
        message=message,
        status_code=status,
    )
