"""Rendering pages: the Jinja2 environment, Japanese dates, the signed-in visitor."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from weakref import WeakKeyDictionary

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tosei_common.catalogue import labels
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import TOKYO, fiscal_year_label, japanese_date
from tosei_console.domain.accounts import Account
from tosei_console.domain.charts import shown, total
from tosei_console.domain.figures import mean_of, percent_of
from tosei_console.domain.menu import menu_for
from tosei_console.domain.plan_forms import number_text
from tosei_console.handlers import accounts
from tosei_console.upstream import Answer, Caller, Upstream

SESSION_COOKIE = "tosei_session"
LOGIN_CSRF_COOKIE = "tosei_login_csrf"
HERE = Path(__file__).resolve().parent.parent


def _wareki(value: str | date | datetime | None) -> str:
    """令和8年12月2日 for a date, 令和8年12月2日 14:05 for a moment (in Japan time)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        local = value.astimezone(TOKYO)
        return f"{japanese_date(local.date())} {local:%H:%M}"
    return japanese_date(value)


def _label(code: str | None, table: str) -> str:
    words: dict[Any, str] = getattr(labels, table)
    return words.get(code, code or "") if code is not None else ""


TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters["wareki"] = _wareki
TEMPLATES.filters["fiscal_year"] = fiscal_year_label
TEMPLATES.filters["label"] = _label
TEMPLATES.filters["urlquote"] = lambda text: quote(str(text), safe="")
TEMPLATES.filters["zip"] = lambda first, second: list(zip(first, second, strict=False))
TEMPLATES.filters["expert_option"] = lambda e: (
    f"{e['name']}（{labels.TRACK.get(e['track'], e['track'])}・"
    f"担当中{e['open_load']}件／週{e['weekly_capacity']}件）"
)
TEMPLATES.filters["external_option"] = lambda e: (
    f"{e['name']}（{e['organisation']}・{e['speciality']}）"
)
TEMPLATES.filters["number"] = number_text
TEMPLATES.filters["total"] = total
TEMPLATES.filters["percent_of"] = percent_of
TEMPLATES.filters["mean_of"] = mean_of
TEMPLATES.filters["shown"] = shown
TEMPLATES.globals["labels"] = labels


@dataclass(frozen=True)
class Refused:
    """A form the service refused: which form, what was typed (shown again), and the service's
    Japanese message and per-field messages."""

    form: str
    values: dict[str, Any]
    errors: dict[str, str]
    message: str
    status_code: int

    @classmethod
    def of(cls, form: str, typed: Mapping[str, Any], answer: Answer) -> Refused:
        return cls(form, dict(typed), answer.field_messages, answer.message, answer.status)

    def context(self) -> dict[str, Any]:
        return {
            "failed": self.form,
            "values": self.values,
            "errors": self.errors,
            "message": self.message,
        }


NOT_REFUSED: dict[str, Any] = {"failed": None, "values": {}, "errors": {}, "message": None}


class SignInNeeded(Exception):
    """No session: the page sends the visitor to the sign-in screen and back."""


class CsrfRefused(Exception):
    """A form without this session's token: refused, nothing done."""


@dataclass(frozen=True)
class Visitor:
    """The signed-in person on this request."""

    account: Account
    csrf_token: str
    runtime: Runtime

    @property
    def services(self) -> Caller:
        return upstream_of(self.runtime).as_(self.account.principal())


_UPSTREAMS: WeakKeyDictionary[Runtime, Upstream] = WeakKeyDictionary()


def upstream_of(runtime: Runtime) -> Upstream:
    """The console's HTTP clients to the services, one set per running console."""
    if runtime not in _UPSTREAMS:
        _UPSTREAMS[runtime] = Upstream(runtime.settings, runtime.clock)
    return _UPSTREAMS[runtime]


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def visitor(request: Request) -> Visitor:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise SignInNeeded
    runtime = runtime_of(request)
    async with runtime.reading() as conn:
        found = await accounts.signed_in(conn, cookie, runtime.clock.utc_now())
    if found is None:
        raise SignInNeeded
    account, csrf = found
    return Visitor(account, csrf, runtime)


async def checked_visitor(
    request: Request,
    who: Annotated[Visitor, Depends(visitor)],
    csrf_token: Annotated[str, Form()] = "",
) -> Visitor:
    """The visitor of a form post that carries this session's CSRF token (or header)."""
    offered = csrf_token or request.headers.get("x-csrf-token", "")
    if not offered or not secrets.compare_digest(offered, who.csrf_token):
        raise CsrfRefused
    return who


Signed = Annotated[Visitor, Depends(visitor)]
Posted = Annotated[Visitor, Depends(checked_visitor)]


def render(
    request: Request,
    template: str,
    who: Visitor | None = None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    page = TEMPLATES.get_template(template).render(
        request=request,
        who=who,
        account=who.account if who else None,
        csrf_token=who.csrf_token if who else context.pop("csrf_token", ""),
        menu=menu_for(who.account.role) if who else [],
        path=request.url.path,
        **context,
    )
    return HTMLResponse(page, status_code=status_code)
