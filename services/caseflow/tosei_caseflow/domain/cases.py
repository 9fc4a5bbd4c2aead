"""A case as the rules see it, and the decisions that change it.

Each decision checks the rules and returns the ``Change``: the events that announce it (with
what the person said), which the handler records. Nothing here reads a clock: the moment comes
from the unit of work and is moved just past the case's previous event (``moment``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Literal
from uuid import UUID

from tosei_caseflow.domain.changes import Change, Note
from tosei_caseflow.domain.experts import Expert, ensure_active
from tosei_caseflow.domain.lifecycle import WORKING, check_transition, check_working, state_name
from tosei_common.catalogue.caseflow import (
    AssignmentRule,
    CaseAssigned,
    CaseClosed,
    CaseOutcomeRecorded,
    CaseOutcomeVoided,
    CaseSessionRecorded,
    CaseSessionVoided,
    CaseState,
    CaseStateChanged,
    CaseTransferred,
    OutcomeType,
    SessionMode,
    Track,
    TransferReason,
)
from tosei_common.catalogue.intake import BusinessStage, Category, Origin
from tosei_common.catalogue.labels import OUTCOME_TYPE
from tosei_common.platform.errors import Conflict, Message, NotFound, Unprocessable
from tosei_common.region.fiscal import japanese_date, tokyo_date


@dataclass(frozen=True)
class Case:
    case_id: UUID
    client_id: UUID
    municipality: str
    stage: BusinessStage
    categories: tuple[Category, ...]
    origin: Origin
    consent_to_share: bool
    opened_at: datetime
    track: Track
    state: CaseState
    expert_id: UUID | None
    updated_at: datetime  # when its last event happened
    experts: frozenset[UUID] = frozenset()  # every expert who has had it, the current one too
    #: The client asked that their records' use be stopped (intake's client.use_stopped).
    use_stopped: bool = False


@dataclass(frozen=True)
class Tenure:
    """An expert's time with a case: ``until`` is None while they have it."""

    expert_id: UUID
    since: datetime
    until: datetime | None


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    mode: SessionMode
    duration_minutes: int
    minutes: str | None
    confidential_notes: str | None
    next_action_on: date | None


@dataclass(frozen=True)
class RecordedOutcome:
    """An outcome the case already has."""

    outcome_id: UUID
    type: OutcomeType
    achieved_on: date


@dataclass(frozen=True)
class OutcomeInput:
    type: OutcomeType
    achieved_on: date
    jobs: int | None
    note: str | None


def moment(case: Case, at: datetime) -> datetime:
    """When a change to ``case`` happens: the command's moment, but always after the case's
    previous event (so readers that keep "the newest word" per case, such as intake, never see
    an older one win, even across replicas whose clocks differ)."""
    return max(at, case.updated_at + timedelta(microseconds=1))


_FIELD_NAMES = {"held_on": "面談日", "achieved_on": "成果の日付"}


def consulted_on(case: Case) -> date:
    """The day (in Japan) the client came to the desk: nothing about the case happened before."""
    return tokyo_date(case.opened_at)


def _within_the_case(case: Case, day: date, today: date, field: str) -> None:
    """A fact of the case is dated between the client's consultation and today."""
    _not_after_today(day, today, field)
    opened = consulted_on(case)
    if day < opened:
        raise Unprocessable(
            f"{_FIELD_NAMES[field]}（{japanese_date(day)}）が相談の受付日"
            f"（{japanese_date(opened)}）より前です。受付日以降の日付にしてください",
            en=f"{field} {day} is before the case was opened on {opened}",
            fields={
                field: Message(
                    f"受付日（{japanese_date(opened)}）以降の日付にしてください",
                    f"before the consultation ({opened})",
                )
            },
        )


def _not_after_today(day: date, today: date, field: str) -> None:
    if day > today:
        raise Unprocessable(
            f"{_FIELD_NAMES[field]}（{day}）が未来の日付です。今日（{today}）以前にしてください",
            en=f"{field} {day} is in the future",
            fields={field: Message("今日以前の日付にしてください", "in the future")},
        )


def assign(
    case: Case, expert: Expert | None, expert_id: UUID, *, reason: str | None, at: datetime
) -> Change:
    """The desk or a coordinator gives the case to an expert by hand."""
    if case.state not in WORKING | {CaseState.OPEN}:
        raise Conflict(
            f"{state_name(case.state)}の案件には担当を割り当てられません。先に再開してください",
            en=f"a {case.state.value} case cannot be assigned; reopen it first",
        )
    expert = ensure_active(expert, expert_id, "expert_id")
    if case.expert_id == expert.expert_id:
        raise Conflict(
            f"この案件はすでに{expert.name}さんの担当です",
            en=f"the case is already with {expert.name}",
            fields={"expert_id": Message("すでに担当している専門家です", "already its expert")},
        )
    assigned = CaseAssigned(
        case_id=case.case_id,
        expert_id=expert.expert_id,
        track=expert.track,
        rule=AssignmentRule.MANUAL,
        assigned_at=moment(case, at),
    )
    return Change.of(assigned, Note(reason=reason))


#: Closing a case says the client's rating (1–5) or, explicitly, that they gave none.
NOT_ANSWERED: Final = "not_answered"
Satisfaction = int | Literal["not_answered"]


def change_state(
    case: Case,
    target: CaseState,
    *,
    reason: str | None,
    satisfaction: Satisfaction | None,
    at: datetime,
) -> Change:
    """Move the case through its lifecycle. Closing says how satisfied the client was, or
    that they did not answer (回答なし): a forgotten rating and a refused one are not the same
    figure for the council."""
    if target is CaseState.ASSIGNED or target is CaseState.OPEN:
        raise Unprocessable(
            "担当の割り当ては専用の操作（POST /cases/{id}/assign）で行います",
            en="assignment has its own command (POST /cases/{id}/assign)",
            fields={"to": Message("割り当てには assign を使ってください", "use assign")},
        )
    if satisfaction is not None and target is not CaseState.CLOSED:
        raise Unprocessable(
            "満足度は案件を終了するときに記録します",
            en="satisfaction is given when a case closes",
            fields={
                "satisfaction": Message("終了（closed）のときだけ指定できます", "only when closing")
            },
        )
    check_transition(case.state, target)
    if target is CaseState.CLOSED and satisfaction is None:
        raise Unprocessable(
            "案件を終了するときは、相談者の満足度を選んでください（回答がなければ「回答なし」）",
            en="closing a case needs the client's satisfaction (1-5) or not_answered",
            fields={
                "satisfaction": Message(
                    "満足度（1〜5）か「回答なし」を選んでください", "1-5 or not_answered"
                )
            },
        )
    when = moment(case, at)
    event: CaseClosed | CaseStateChanged
    if target is CaseState.CLOSED:
        event = CaseClosed(
            case_id=case.case_id,
            expert_id=case.expert_id,
            track=case.track,
            satisfaction=None if satisfaction == NOT_ANSWERED else satisfaction,
            closed_at=when,
        )
    else:
        event = CaseStateChanged(
            case_id=case.case_id, from_state=case.state, to_state=target, changed_at=when
        )
    return Change.of(event, Note(reason=reason))


def record_session(
    case: Case, session: SessionInput, *, session_id: UUID, at: datetime, today: date
) -> Change:
    """A meeting with the client. A case that was only assigned (or reopened) is now in
    progress: the change starts with that."""
    _within_the_case(case, session.held_on, today, "held_on")
    if session.next_action_on is not None and session.next_action_on < session.held_on:
        raise Unprocessable(
            "次回対応日が面談日より前になっています",
            en="the next action cannot come before the session",
            fields={"next_action_on": Message("面談日以降の日付にしてください", "before held_on")},
        )
    check_working(case.state, Message("面談の記録", "record a session"))
    if case.expert_id is None:
        raise Conflict(
            "この案件にはまだ担当の専門家がいません。先に割り当ててください",
            en="the case has no expert yet; assign it first",
        )
    when = moment(case, at)
    held = CaseSessionRecorded(
        case_id=case.case_id,
        session_id=session_id,
        expert_id=case.expert_id,
        held_on=session.held_on,
        mode=session.mode,
        duration_minutes=session.duration_minutes,
        next_action_on=session.next_action_on,
        recorded_at=when,
    )
    said = Note(minutes=session.minutes, confidential=session.confidential_notes)
    if case.state is CaseState.IN_PROGRESS:
        return Change.of(held, said)
    started = CaseStateChanged(
        case_id=case.case_id,
        from_state=case.state,
        to_state=CaseState.IN_PROGRESS,
        changed_at=when,
    )
    return Change.of(started, Note(reason="相談を実施")).then(held, said)


def transfer(
    case: Case,
    receiver: Expert | None,
    to_expert_id: UUID,
    *,
    reason: TransferReason,
    handover_note: str,
    at: datetime,
) -> Change:
    """Hand the case to another expert (perhaps of the other track) with a hand-over note."""
    check_working(case.state, Message("引き継ぎ", "transfer the case"))
    if case.expert_id is None:
        raise Conflict(
            "この案件には引き継ぐ元の専門家がいません。引き継ぎではなく割り当てを行ってください",
            en="the case has no expert to transfer from; assign it instead",
        )
    receiver = ensure_active(receiver, to_expert_id, "to_expert_id")
    if receiver.expert_id == case.expert_id:
        raise Unprocessable(
            "この案件はすでにこの専門家の担当です",
            en="the case is already with this expert",
            fields={"to_expert_id": Message("現在の担当と同じ専門家です", "same expert")},
        )
    moved = CaseTransferred(
        case_id=case.case_id,
        from_expert_id=case.expert_id,
        to_expert_id=receiver.expert_id,
        from_track=case.track,
        to_track=receiver.track,
        reason=reason,
        transferred_at=moment(case, at),
    )
    return Change.of(moved, Note(note=handover_note))


def record_outcome(
    case: Case,
    outcome: OutcomeInput,
    *,
    outcome_id: UUID,
    recorded: Sequence[RecordedOutcome],
    at: datetime,
    today: date,
) -> Change:
    """What the support achieved (also after the case closed: founding takes time). A case
    achieves each kind of outcome once: a second 創業 would count a founder twice."""
    _within_the_case(case, outcome.achieved_on, today, "achieved_on")
    for earlier in recorded:
        if earlier.type is outcome.type:
            label = OUTCOME_TYPE[outcome.type]
            raise Conflict(
                f"この案件には成果「{label}」がすでに記録されています"
                f"（{japanese_date(earlier.achieved_on)}）。1つの案件に同じ成果は1回だけ"
                "記録できます",
                en=f"the case already has a {outcome.type.value} outcome "
                f"({earlier.outcome_id}, {earlier.achieved_on})",
            )
    if outcome.type is OutcomeType.JOBS_CREATED and not outcome.jobs:
        raise Unprocessable(
            "雇用創出の人数を入力してください",
            en="how many jobs were created?",
            fields={"jobs": Message("1以上の人数を入力してください", "required, at least 1")},
        )
    if outcome.type is not OutcomeType.JOBS_CREATED and outcome.jobs is not None:
        raise Unprocessable(
            "人数（jobs）は雇用創出（jobs_created）のときだけ指定します",
            en="jobs go with jobs_created",
            fields={
                "jobs": Message("jobs_created のときだけ指定できます", "only for jobs_created")
            },
        )
    if case.state is CaseState.OPEN:
        raise Conflict(
            "未割当の案件にはまだ成果を記録できません。先に担当を割り当ててください",
            en="an unassigned case has no outcome yet; assign it first",
        )
    achieved = CaseOutcomeRecorded(
        case_id=case.case_id,
        outcome_id=outcome_id,
        type=outcome.type,
        achieved_on=outcome.achieved_on,
        jobs=outcome.jobs,
        track=case.track,
        municipality=case.municipality,
        recorded_at=moment(case, at),
    )
    return Change.of(achieved, Note(note=outcome.note))


@dataclass(frozen=True)
class Recorded:
    """A session or an outcome already on the case, as voiding sees it."""

    entry_id: UUID
    voided: bool


_VOIDABLE = {"session": "相談の記録", "outcome": "成果"}


def _check_void(kind: str, entry_id: UUID, found: Recorded | None, reason: str | None) -> None:
    what = _VOIDABLE[kind]
    if found is None:
        raise NotFound(
            f"この案件に{what}（{entry_id}）はありません", en=f"the case has no {kind} {entry_id}"
        )
    if found.voided:
        raise Conflict(f"この{what}はすでに取り消されています", en=f"the {kind} is already voided")
    if not reason or not reason.strip():
        raise Unprocessable(
            f"{what}を取り消す理由を入力してください",
            en="say why it is voided",
            fields={"reason": Message("取り消す理由を入力してください", "required")},
        )


def void_session(
    case: Case, found: Recorded | None, session_id: UUID, *, reason: str | None, at: datetime
) -> Change:
    """A session recorded by mistake (the wrong case, the wrong day) is voided with a reason:
    it stays on the timeline as voided and leaves every count. Recorded again if it happened."""
    _check_void("session", session_id, found, reason)
    voided = CaseSessionVoided(
        case_id=case.case_id, session_id=session_id, voided_at=moment(case, at)
    )
    return Change.of(voided, Note(reason=reason))


def void_outcome(
    case: Case, found: Recorded | None, outcome_id: UUID, *, reason: str | None, at: datetime
) -> Change:
    """An outcome recorded by mistake is voided with a reason; the case can then record that
    kind of outcome again (the correction of a wrong date or type)."""
    _check_void("outcome", outcome_id, found, reason)
    voided = CaseOutcomeVoided(
        case_id=case.case_id, outcome_id=outcome_id, voided_at=moment(case, at)
    )
    return Change.of(voided, Note(reason=reason))
