"""Registration for a seminar: anyone registers without an account and is given a reference;
coordinators and auditors list the registrants, coordinators check them in on the day."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.auth import current_principal, optional_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import municipality
from tosei_seminar.api.requests import AttendanceCorrectionIn, CheckInIn, RegistrationIn, Town
from tosei_seminar.api.responses.registrations import (
    AttendanceCorrectedOut,
    CheckedIn,
    OptionsOut,
    RegisteredOut,
    RegistrantsOut,
)
from tosei_seminar.api.responses.seminars import PlaceOut
from tosei_seminar.domain import access
from tosei_seminar.domain.labels import MODE_LABELS
from tosei_seminar.domain.registration import Applicant, RegistrationStatus
from tosei_seminar.handlers import check_ins, reads
from tosei_seminar.handlers import registrations as commands

Who = Annotated[Principal, Depends(current_principal)]
MaybeWho = Annotated[Principal | None, Depends(optional_principal)]

ACCEPTED = (
    "参加登録を受け付けました。受付番号を控えてください"
    "（確認・取消・アンケート・修了証に使います）。"
)


def waitlisted(position: int) -> str:
    return (
        f"満席のためキャンセル待ち{position}番目で登録しました。"
        "席が空くと自動で参加確定になります。受付番号を控えてください。"
    )


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/seminars/{seminar_id}", tags=["registrations"])

    @api.get("/options", summary="How someone of a town can attend, best first")
    async def options(
        seminar_id: UUID,
        town: Annotated[Town, Query(alias="municipality", examples=["平内町"])],
    ) -> OptionsOut:
        async with rt.reading() as conn:
            seminar, places = await reads.options(conn, seminar_id, municipality(town))
        return OptionsOut.of(seminar, town, places)

    @api.post("/registrations", status_code=201, summary="Register (no account needed)")
    async def register(seminar_id: UUID, body: RegistrationIn, who: MaybeWho) -> RegisteredOut:
        applicant = Applicant(
            name=body.name,
            name_kana=body.name_kana,
            organisation=body.organisation,
            role=body.role,
            municipality=body.municipality,
            email=body.email,
            phone=body.phone,
            mode=body.mode,
            site_id=body.site_id,
        )
        async with rt.unit_of_work(access.actor_of(who)) as uow:
            done = await commands.register(uow, who, seminar_id, applicant)
        r = done.registration
        return RegisteredOut(
            reference=r.reference,
            status=r.status.value,
            status_label=r.status.label,
            position=done.position,
            mode=r.mode.value,
            mode_label=MODE_LABELS[r.mode],
            place=PlaceOut.of(done.place),
            message=ACCEPTED if done.position is None else waitlisted(done.position),
        )

    @api.get("/registrations", summary="Registrants (coordinators and auditors)")
    async def list_registrations(
        seminar_id: UUID,
        who: Who,
        status: RegistrationStatus | None = None,
        mode: AttendanceMode | None = None,
        attended: bool | None = None,
    ) -> RegistrantsOut:
        async with rt.unit_of_work(who) as uow:
            found = await reads.registrants(
                uow, who, seminar_id, status=status, mode=mode, attended=attended
            )
        return RegistrantsOut.of(found)

    @api.post("/check-ins", summary="Check a registrant in on the day, by reference")
    async def check_in(seminar_id: UUID, body: CheckInIn, who: Who) -> CheckedIn:
        async with rt.unit_of_work(who) as uow:
            registration, new = await check_ins.check_in_registrant(
                uow, who, seminar_id, body.reference
            )
        return CheckedIn.of(registration, new=new)

    @api.post(
        "/attendance-corrections",
        summary="Correct who attended, after the seminar is held (with a reason)",
    )
    async def correct_attendance(
        seminar_id: UUID, body: AttendanceCorrectionIn, who: Who
    ) -> AttendanceCorrectedOut:
        async with rt.unit_of_work(who) as uow:
            registration, total = await check_ins.correct(
                uow,
                who,
                seminar_id,
                body.reference,
                attended=body.attended,
                reason=body.reason,
                small_cells=rt.settings.small_cell_threshold,
            )
        return AttendanceCorrectedOut.of(registration, attended_total=total)

    return api
