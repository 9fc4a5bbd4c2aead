"""A registrant's own registration, reached by the reference they were given: see it, cancel
it, answer the feedback form, download the certificate of attendance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from tosei_common.platform.auth import optional_principal
from tosei_common.platform.downloads import download
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_seminar.api.requests import FeedbackIn
from tosei_seminar.api.responses.common import Done
from tosei_seminar.api.responses.registrations import CancelledOut, OwnRegistrationOut
from tosei_seminar.domain import access
from tosei_seminar.handlers import documents, reads
from tosei_seminar.handlers import registrations as commands

MaybeWho = Annotated[Principal | None, Depends(optional_principal)]
Reference = Annotated[
    str, Path(min_length=1, max_length=40, description="The reference given at registration.")
]
PDF: dict[int | str, dict[str, object]] = {200: {"content": {"application/pdf": {}}}}


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/registrations/{reference}", tags=["registrations"])

    @api.get("", summary="A registrant's own registration")
    async def read_own(reference: Reference, who: MaybeWho) -> OwnRegistrationOut:
        async with rt.unit_of_work(access.actor_of(who)) as uow:
            return OwnRegistrationOut.of(await reads.own_registration(uow, who, reference))

    @api.post("/cancel", summary="Cancel one's registration; the wait list moves up")
    async def cancel(reference: Reference, who: MaybeWho) -> CancelledOut:
        async with rt.unit_of_work(access.actor_of(who)) as uow:
            done = await commands.cancel_registration(uow, who, reference)
        return CancelledOut.of(done.registration, len(done.seating.promoted))

    @api.post("/feedback", status_code=201, summary="The feedback form (attendees only)")
    async def give_feedback(reference: Reference, body: FeedbackIn, who: MaybeWho) -> Done:
        async with rt.unit_of_work(access.actor_of(who)) as uow:
            await commands.give_feedback(
                uow,
                who,
                reference,
                satisfaction=body.satisfaction,
                usefulness=body.usefulness,
                comment=body.comment,
            )
        return Done(message="アンケートへのご回答ありがとうございました。")

    @api.get(
        "/certificate.pdf",
        summary="The certificate of attendance (修了証), PDF",
        response_class=Response,
        responses=PDF,
    )
    async def certificate(reference: Reference) -> Response:
        async with rt.reading() as conn:
            pdf, r = await documents.certificate(conn, reference, rt.clock.today())
        return download(pdf, f"修了証_{r.reference}.pdf", "application/pdf")

    return api
