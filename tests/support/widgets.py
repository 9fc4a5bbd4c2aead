"""A small test service ("testkit") that exercises the platform's plumbing end to end."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, ClassVar

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from tosei_common.platform.auth import current_principal
from tosei_common.platform.consumer import BatchContext, BatchHandler, Delivery, HandlerContext
from tosei_common.platform.errors import NotFound
from tosei_common.platform.events import Event
from tosei_common.platform.principal import Principal, Role, ensure_role
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_common.platform.topics import Topic

WIDGETS = Topic("tosei.testkit.widgets", "Test widgets.", partitions=3)
ECHOES = Topic("tosei.testkit.echoes", "What the test handler emits in turn.", partitions=3)


class WidgetChanged(Event):
    ce_type: ClassVar[str] = "jp.tosei.testkit.widget.changed.v1"
    topic: ClassVar[Topic] = WIDGETS
    subject_field: ClassVar[str] = "widget_id"

    widget_id: str = Field(description="The widget.")
    seq: int = Field(ge=0, description="Position of this change among the widget's changes.")
    fail: bool = Field(default=False, description="Makes the test handler raise every time.")


class WidgetEchoed(Event):
    ce_type: ClassVar[str] = "jp.tosei.testkit.widget.echoed.v1"
    topic: ClassVar[Topic] = ECHOES
    subject_field: ClassVar[str] = "widget_id"

    widget_id: str
    seq: int


class HandlerFailure(RuntimeError):
    pass


async def record_widget_change(ctx: HandlerContext, event: WidgetChanged) -> None:
    if event.fail:
        raise HandlerFailure(f"widget {event.widget_id} asked to fail")
    await ctx.conn.execute(
        "INSERT INTO widget_changes (widget_id, seq, event_id) VALUES ($1, $2, $3)",
        event.widget_id,
        event.seq,
        ctx.envelope.id,
    )
    await ctx.outbox.add(ctx.conn, WidgetEchoed(widget_id=event.widget_id, seq=event.seq))


#: The sizes of the lists ``record_widget_changes`` was called with, newest last.
BATCH_CALLS: list[int] = []


async def record_widget_changes(ctx: BatchContext, deliveries: Sequence[Delivery]) -> None:
    """The same effect as ``record_widget_change``, for a whole run of events in two statements."""
    BATCH_CALLS.append(len(deliveries))
    for delivery in deliveries:
        if delivery.event.fail:
            raise HandlerFailure(f"widget {delivery.event.widget_id} asked to fail")
    await ctx.conn.execute(
        "INSERT INTO widget_changes (widget_id, seq, event_id)"
        " SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[])",
        [d.event.widget_id for d in deliveries],
        [d.event.seq for d in deliveries],
        [d.envelope.id for d in deliveries],
    )
    await ctx.emit(
        *(WidgetEchoed(widget_id=d.event.widget_id, seq=d.event.seq) for d in deliveries)
    )


class NewWidgetChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    widget_id: str = Field(min_length=1, max_length=40)
    seq: int = Field(ge=0, le=2**31 - 1)


def widget_routes(runtime: Runtime) -> list[APIRouter]:
    """A command and a query, as a real service has, to exercise the shared HTTP layer."""
    router = APIRouter(prefix="/widgets", tags=["widgets"])

    @router.post("", status_code=201)
    async def change_widget(
        body: NewWidgetChange, who: Annotated[Principal, Depends(current_principal)]
    ) -> dict[str, object]:
        ensure_role(who, Role.DESK)
        async with runtime.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO widget_changes (widget_id, seq, event_id) VALUES ($1, $2, $3)",
                body.widget_id,
                body.seq,
                uuid.uuid4(),
            )
            await runtime.outbox.add(conn, WidgetChanged(widget_id=body.widget_id, seq=body.seq))
        return {"widget_id": body.widget_id, "seq": body.seq, "by": who.actor}

    @router.post("/locks/{first}/{second}", status_code=204)
    async def take_two_locks(
        first: int, second: int, who: Annotated[Principal, Depends(current_principal)]
    ) -> None:
        ensure_role(who, Role.DESK)
        """Lock two things in the given order: two calls in opposite orders deadlock."""
        async with runtime.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", first)
            await conn.execute("SELECT pg_sleep(0.3)")
            await conn.execute("SELECT pg_advisory_xact_lock($1)", second)

    @router.post("/boom", status_code=204, include_in_schema=False)
    async def boom(who: Annotated[Principal, Depends(current_principal)]) -> None:
        """A bug: an error no handler expects."""
        ensure_role(who, Role.DESK)
        raise RuntimeError("a bug in a handler")

    @router.get("/{widget_id}")
    async def widget_history(
        widget_id: str, who: Annotated[Principal, Depends(current_principal)]
    ) -> dict[str, object]:
        ensure_role(who, Role.DESK, Role.AUDITOR)
        async with runtime.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT seq FROM widget_changes WHERE widget_id = $1 ORDER BY id", widget_id
            )
        if not rows:
            raise NotFound(f"no widget {widget_id}")
        return {"widget_id": widget_id, "seqs": [r["seq"] for r in rows]}

    return [router]


def widget_service(name: str, *, consume: bool = True, batch: bool = False) -> ServiceSpec:
    """A service that publishes widget events and (optionally) records them when consumed,
    one event per call or (``batch``) a run of events per call."""
    handler = BatchHandler(record_widget_changes) if batch else record_widget_change
    return ServiceSpec(
        name=name,
        title=f"testkit {name}",
        description="Test service for the platform plumbing.",
        migrations_package="tests.support.migrations",
        publishes=(WidgetChanged, WidgetEchoed),
        handlers={WidgetChanged: handler} if consume else {},
        routers=widget_routes,
    )
