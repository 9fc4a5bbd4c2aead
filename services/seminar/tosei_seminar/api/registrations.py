"""Registration: anyone registers without an account and keeps a reference to see, cancel,
give feedback and fetch their certificate. Coordinators list registrants and check them in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.auth import Principal
from tosei_common.platform.downloads import download
from tosei_common.platform.errors import Unprocessable
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import (
    UnknownMunicipality,
    municipality,
    resolve_municipality,
)
from tosei_seminar.api import shapes
from tosei_seminar.api.deps import manage, optional_principal, read_personal
from tosei_seminar.api.models import CheckInIn, FeedbackIn, RegistrationIn
from tosei_seminar.domain.registration import MODE_LABELS, RegistrationStatus, seat_or_wait
from tosei_seminar.domain.seminar import SeminarState
from tosei_seminar.handlers import documents, views
from tosei_seminar.handlers import registrations as commands

Reference = Path(min_length=1, max_length=40, description="The reference given at registration.")


def registration_routes(rt: Runtime) -> list[APIRouter]:
    seminar = APIRouter(prefix="/seminars/{seminar_id}", tags=["registrations"])
    own = APIRouter(prefix="/registrations/{reference}", tags=["registrations"])

    @seminar.get("/options", summary="How someone of a town can attend, best first")
    async def options(
        seminar_id: UUID,
        municipality_: str = Query(
            alias="municipality", min_length=1, max_length=20, examples=["平内町"]
        ),
    ) -> dict[str, Any]:
        try:
            town = resolve_municipality(municipality_)
        except UnknownMunicipality as exc:
            raise Unprocessable(str(exc), fields={"municipality": "a town of the region"}) from exc
        found, places = await views.options(rt, seminar_id, town)
        return {
            "seminar": shapes.seminar_summary(found),
            "municipality": shapes.town(town.code),
            "options": [
                shapes.place(p) | {"if_registered_now": seat_or_wait(p).value} for p in places
            ],
        }

    @seminar.post("/registrations", status_code=201, summary="Register (no account needed)")
    async def register(
        seminar_id: UUID,
        body: RegistrationIn,
        staff: Principal | None = Depends(optional_principal),
    ) -> dict[str, Any]:
        done = await commands.register(
            rt,
            seminar_id,
            commands.Applicant(
                name=body.name,
                name_kana=body.name_kana,
                organisation=body.organisation,
                role=body.role,
                town=municipality(body.municipality),
                email=body.email,
                phone=body.phone,
                mode=body.mode,
                site_id=body.site_id,
            ),
            staff.actor if staff else None,
        )
        r = done.registration
        return {
            "reference": r.reference,
            "status": r.status.value,
            "status_label": r.status.label,
            "position": done.position,
            "mode": r.mode.value,
            "mode_label": MODE_LABELS[r.mode],
            "place": shapes.place(done.place),
            "message": (
                "参加登録を受け付けました。受付番号を控えてください（確認・取消・アンケート・修了証に使います）。"
                if done.position is None
                else f"満席のためキャンセル待ち{done.position}番目で登録しました。"
                "席が空くと自動で参加確定になります。受付番号を控えてください。"
            ),
        }

    @seminar.get("/registrations", summary="Registrants (coordinators and auditors)")
    async def list_registrations(
        seminar_id: UUID,
        status: RegistrationStatus | None = None,
        mode: AttendanceMode | None = None,
        attended: bool | None = None,
        _: Principal = Depends(read_personal),
    ) -> dict[str, Any]:
        _found, places, rows = await views.registrations(
            rt, seminar_id, status=status, mode=mode, attended=attended
        )
        names = {p.id: p.name for p in places}
        listed: list[dict[str, Any]] = []
        waiting: dict[UUID, int] = {}  # rows come in arrival order: the wait list's order
        for r in rows:
            position = None
            if r.status is RegistrationStatus.WAITLISTED:
                position = waiting[r.place_id] = waiting.get(r.place_id, 0) + 1
            listed.append(
                shapes.registration_for_staff(r, names[r.place_id]) | {"position": position}
            )
        return {"places": [shapes.place(p) for p in places], "registrations": listed}

    @seminar.post("/check-ins", summary="Check a registrant in on the day, by reference")
    async def check_in(
        seminar_id: UUID, body: CheckInIn, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        r, new = await commands.check_in(rt, seminar_id, body.reference, who.actor)
        return {
            "reference": r.reference,
            "name": r.name,
            "organisation": r.organisation,
            "mode": r.mode.value,
            "mode_label": MODE_LABELS[r.mode],
            "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
            "already_checked_in": not new,
        }

    @own.get("", summary="A registrant's own registration")
    async def read_own(reference: str = Reference) -> dict[str, Any]:
        r, found, place, position, answered = await commands.registrant_view(rt, reference)
        accepted = r.status is RegistrationStatus.ACCEPTED
        watching = accepted and r.mode is AttendanceMode.ONLINE
        return {
            "reference": r.reference,
            "status": r.status.value,
            "status_label": r.status.label,
            "position": position,
            "name": r.name,
            "organisation": r.organisation,
            "role": r.role.value,
            "municipality": shapes.town(r.municipality),
            "mode": r.mode.value,
            "mode_label": MODE_LABELS[r.mode],
            "place": shapes.place(place),
            "seminar": shapes.seminar_summary(found),
            "stream_url": found.stream_url
            if watching and found.state is not SeminarState.CANCELLED
            else None,
            "checked_in": r.checked_in_at is not None,
            "feedback_given": answered,
            "certificate_available": r.checked_in_at is not None
            and found.state is SeminarState.HELD,
        }

    @own.post("/cancel", summary="Cancel one's registration; the wait list moves up")
    async def cancel(
        reference: str = Reference, staff: Principal | None = Depends(optional_principal)
    ) -> dict[str, Any]:
        r, promoted = await commands.cancel(rt, reference, staff.actor if staff else None)
        return {
            "reference": r.reference,
            "status": RegistrationStatus.CANCELLED.value,
            "status_label": RegistrationStatus.CANCELLED.label,
            "promoted": len(promoted),
        }

    @own.post("/feedback", status_code=201, summary="The feedback form (attendees only)")
    async def give_feedback(body: FeedbackIn, reference: str = Reference) -> dict[str, Any]:
        await commands.give_feedback(
            rt,
            reference,
            satisfaction=body.satisfaction,
            usefulness=body.usefulness,
            comment=body.comment,
        )
        return {"message": "アンケートへのご回答ありがとうございました。"}

    @own.get(
        "/certificate.pdf",
        summary="The certificate of attendance (修了証), PDF",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def certificate(reference: str = Reference) -> Response:
        pdf, r = await documents.certificate(rt, reference)
        return download(pdf, f"修了証_{r.reference}.pdf", "application/pdf")

    return [seminar, own]
