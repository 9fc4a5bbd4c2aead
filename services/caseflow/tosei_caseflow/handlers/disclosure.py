"""A person's request to see what caseflow holds about them (本人開示; coordinators)."""

from __future__ import annotations

from uuid import UUID

from tosei_caseflow.db import cases as cases_db
from tosei_caseflow.db import experts as experts_db
from tosei_caseflow.db import merges
from tosei_caseflow.db import outcomes as outcomes_db
from tosei_caseflow.db import referrals as referrals_db
from tosei_caseflow.db import sessions as sessions_db
from tosei_caseflow.db import timeline as timeline_db
from tosei_caseflow.domain import access
from tosei_caseflow.domain.disclosure import CaseflowDisclosure, CaseLoaded, disclosure
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork


async def disclose(
    uow: UnitOfWork, who: Principal, client_id: UUID, *, confidential: bool
) -> CaseflowDisclosure:
    """Every case of the client (a merged duplicate's id: the client it was merged into), with
    its whole history; that it was disclosed, by whom, is audited."""
    access.ensure_may_answer_requests(who)
    conn = uow.conn
    client = await merges.surviving_client(conn, client_id)
    loaded = []
    for case_id in await cases_db.of_client(conn, client):
        case = await cases_db.row(conn, case_id)
        assert case is not None  # listed just now, in this transaction
        loaded.append(
            CaseLoaded(
                case=case,
                tenures=await cases_db.tenures(conn, case_id),
                timeline=await timeline_db.of_case(conn, case_id),
                sessions=await sessions_db.of_case(conn, case_id),
                referrals=await referrals_db.of_case(conn, case_id),
                outcomes=await outcomes_db.of_case(conn, case_id),
            )
        )
    found = disclosure(
        client, loaded, confidential=confidential, expert_names=await experts_db.names(conn)
    )
    await uow.audit(
        "client",
        client,
        "disclosed",
        changes={"cases": [c.case.case_id for c in loaded], "confidential_notes": confidential},
        subject=client,
    )
    return found
