"""監査記録: the auditors read a service's audit trail (``GET /audit-log`` of each service,
the console's own included) and download it as the service's CSV, with the filters in the URL
so that a search can be shared."""

from __future__ import annotations

from typing import Annotated, Any
from weakref import WeakKeyDictionary

import httpx
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import Response

from tosei_common.platform.service import Runtime
from tosei_console.api.pages import Refused, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.domain import audit
from tosei_console.domain.timeline import actor_label
from tosei_console.handlers import accounts
from tosei_console.upstream import Caller, Upstream

#: The CSV answer's headers the console passes on as the service sent them.
PASSED_ON = ("content-type", "content-disposition")

_OWN: WeakKeyDictionary[FastAPI, Upstream] = WeakKeyDictionary()


def _services(request: Request, who: Visitor, service: str) -> Caller:
    """Who answers for ``service``: the console's own trail is read from its own
    ``/audit-log``, in process (the same route, rules and record of the read as over HTTP)."""
    if service != "console":
        return who.services
    app: FastAPI = request.app
    if app not in _OWN:
        _OWN[app] = Upstream(
            who.runtime.settings, who.runtime.clock, transport=httpx.ASGITransport(app=app)
        )
    return _OWN[app].as_(who.account.principal())


def _typed(service: str, subject: str, actor: str, from_: str, to: str) -> dict[str, str]:
    return {
        "service": service if service in audit.SERVICES else "intake",
        "subject": subject.strip(),
        "actor": actor.strip(),
        "from": from_.strip(),
        "to": to.strip(),
    }


def _filters(typed: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in typed.items() if k != "service" and v}


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/audit", response_model=None)
    async def audit_page(
        request: Request,
        who: Signed,
        service: Annotated[str, Query(max_length=20)] = "intake",
        subject: Annotated[str, Query(max_length=100)] = "",
        actor: Annotated[str, Query(max_length=200)] = "",
        from_: Annotated[str, Query(alias="from", max_length=30)] = "",
        to: Annotated[str, Query(max_length=30)] = "",
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        typed = _typed(service, subject, actor, from_, to)
        service = typed["service"]
        answer = await _services(request, who, service).get(
            service,
            "/audit-log",
            **_filters(typed),
            limit=audit.PAGE_SIZE,
            offset=offset,
        )
        if answer.status == 422:
            refused: Refused | None = Refused.of("audit", typed, answer)
        elif not answer.ok:
            return refused_page(request, who, answer)
        else:
            refused = None
        async with who.runtime.reading() as conn:
            names = await accounts.names_by_actor(conn)
            account_names = await accounts.names_by_id(conn) if service == "console" else {}
        entries: list[dict[str, Any]] = [] if refused else answer.body["entries"]
        if any(e["actor"].startswith("expert:") for e in entries):
            listed = await who.services.get("caseflow", "/experts")
            if listed.ok:
                names |= {f"expert:{e['expert_id']}": e["name"] for e in listed.body["experts"]}
        total = 0 if refused else int(answer.body["total"])
        return render(
            request,
            "audit/log.html",
            who,
            title="監査記録",
            services=audit.SERVICES,
            values=typed,
            errors=refused.errors if refused else {},
            message=refused.message if refused else None,
            actors=sorted(names.items(), key=lambda item: item[1]),
            entries=entries,
            total=total,
            pages=audit.pages(total, offset),
            query={k: v for k, v in typed.items() if v},
            by=lambda a: actor_label(a, audit.ACTORS | names),
            account_names=account_names,
            action_label=audit.action_label,
            entity_label=audit.entity_label,
            changes_text=audit.changes_text,
            status_code=422 if refused else 200,
        )

    @routes.get("/audit.csv", response_model=None)
    async def audit_csv(
        request: Request,
        who: Signed,
        service: Annotated[str, Query(max_length=20)] = "intake",
        subject: Annotated[str, Query(max_length=100)] = "",
        actor: Annotated[str, Query(max_length=200)] = "",
        from_: Annotated[str, Query(alias="from", max_length=30)] = "",
        to: Annotated[str, Query(max_length=30)] = "",
    ) -> Response:
        typed = _typed(service, subject, actor, from_, to)
        answer = await _services(request, who, typed["service"]).get(
            typed["service"], "/audit-log.csv", **_filters(typed)
        )
        if not answer.ok:
            return refused_page(request, who, answer)
        headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_ON}
        return Response(answer.body, headers=headers)

    return routes
