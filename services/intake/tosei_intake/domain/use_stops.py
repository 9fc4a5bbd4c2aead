"""Stopping the use of a client's records at their request (利用停止), and resuming it.

What a stop means, concretely (docs/disclosure.md):

- no new consultation is filed under the client: a registration that recognises them is
  refused, so the desk calls a coordinator instead of adding to records the person asked us
  to stop using;
- caseflow hears ``client.use_stopped`` and refuses to refer their cases to external experts;
- desk staff no longer find them by search (coordinators and auditors still do, marked
  利用停止中), and every page that shows the client shows the stop.

Nothing is deleted: erasure is another request. A stop is lifted (resumed) with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.intake import ClientUseResumed, ClientUseStopped
from tosei_common.platform.errors import Conflict, Message
from tosei_intake.domain.reasons import required_reason


@dataclass(frozen=True)
class UseStop:
    """One stop of a client's records' use, lifted or standing."""

    client_id: UUID
    stopped_at: datetime
    stopped_by: str
    reason: str
    resumed_at: datetime | None = None
    resumed_by: str | None = None
    resume_reason: str | None = None

    @property
    def standing(self) -> bool:
        return self.resumed_at is None


def stop(
    client_id: UUID,
    standing: UseStop | None,
    case_ids: Sequence[UUID],
    *,
    reason: str | None,
    actor: str,
    at: datetime,
) -> tuple[UseStop, ClientUseStopped]:
    """A new stop, or a 409 when one stands already."""
    said = required_reason(reason, "利用停止")
    if standing is not None:
        raise Conflict(
            "この相談者の記録は既に利用停止中です",
            en="the use of this client's records is stopped already",
            reason="use_stopped",
        )
    event = ClientUseStopped(client_id=client_id, case_ids=list(case_ids), stopped_at=at)
    return UseStop(client_id, at, actor, said), event


def resume(
    client_id: UUID,
    standing: UseStop | None,
    case_ids: Sequence[UUID],
    *,
    reason: str | None,
    actor: str,
    at: datetime,
) -> tuple[UseStop, ClientUseResumed]:
    """The standing stop lifted, or a 409 when none stands."""
    said = required_reason(reason, "利用停止の解除")
    if standing is None:
        raise Conflict(
            "この相談者の記録は利用停止されていません",
            en="the use of this client's records is not stopped",
            reason="use_not_stopped",
        )
    event = ClientUseResumed(client_id=client_id, case_ids=list(case_ids), resumed_at=at)
    lifted = UseStop(
        client_id,
        standing.stopped_at,
        standing.stopped_by,
        standing.reason,
        resumed_at=at,
        resumed_by=actor,
        resume_reason=said,
    )
    return lifted, event


def refused_registration(client_id: UUID) -> Conflict:
    """A consultation of a person whose records' use is stopped is not filed under them."""
    text = (
        "この相談者（電話番号・メールアドレスが一致する方）は、本人の請求により記録の利用が"
        "停止されています。相談を登録する前に協議会の事務局（コーディネーター）に連絡して"
        "ください"
    )
    return Conflict(
        text,
        en=f"the use of client {client_id}'s records is stopped at their request; ask a "
        "coordinator before registering",
        fields={"person": Message(text, "the use of this person's records is stopped")},
        reason="use_stopped",
    )
