"""A page for a service's refusal that is not about one field: 403, 404, 409, 503."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

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
