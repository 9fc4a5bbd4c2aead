"""The SQL of retention at the desk: when cases closed, legal holds, and erasing a client.

Erasing keeps every row the statistics count (clients, consultations with their town,
categories, stage, channel, dates, origin and consent) and overwrites only the personal columns
the register declares (db/personal_data.py): the name and description with ERASED, the rest
NULL; the client's matching keys go.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.retention import ERASED, japan_day
from tosei_intake.domain.retention import CaseAtDesk, ClientOnFile, StandingHold

# what caseflow said -----------------------------------------------------------------------------


async def case_closed(conn: Connection, case_id: UUID, at: datetime) -> None:
    await conn.execute(
        """
        INSERT INTO case_closures (case_id, closed_at, changed_at) VALUES ($1, $2, $2)
        ON CONFLICT (case_id) DO UPDATE SET closed_at = $2, changed_at = $2
         WHERE case_closures.changed_at <= $2
        """,
        case_id,
        at,
    )


async def case_reopened(conn: Connection, case_id: UUID, at: datetime) -> None:
    await conn.execute(
        """
        INSERT INTO case_closures (case_id, closed_at, changed_at) VALUES ($1, NULL, $2)
        ON CONFLICT (case_id) DO UPDATE SET closed_at = NULL, changed_at = $2
         WHERE case_closures.changed_at <= $2
        """,
        case_id,
        at,
    )


# who is on file ---------------------------------------------------------------------------------


async def clients_on_file(conn: Connection) -> list[ClientOnFile]:
    """Every client not merged into another and not yet erased, with their cases and holds."""
    rows = await conn.fetch(
        """
        SELECT c.id AS client_id, k.id AS case_id, k.consulted_at, k.legacy_status,
               cc.case_id IS NOT NULL AS heard_of, cc.closed_at,
               EXISTS (SELECT 1 FROM legal_holds h
                        WHERE h.client_id = c.id AND h.lifted_at IS NULL) AS held
          FROM clients c
          JOIN consultations k ON k.client_id = c.id
          LEFT JOIN case_closures cc ON cc.case_id = k.id
         WHERE c.merged_into IS NULL
           AND NOT EXISTS (SELECT 1 FROM client_erasures e WHERE e.client_id = c.id)
         ORDER BY c.id, k.consulted_at
        """
    )
    cases: dict[UUID, list[CaseAtDesk]] = {}
    held: dict[UUID, bool] = {}
    for r in rows:
        held[r["client_id"]] = r["held"]
        cases.setdefault(r["client_id"], []).append(
            CaseAtDesk(
                case_id=r["case_id"],
                consulted_on=japan_day(r["consulted_at"]),
                closed_on=japan_day(r["closed_at"]) if r["closed_at"] is not None else None,
                heard_of=r["heard_of"],
                legacy_status=r["legacy_status"],
            )
        )
    return [ClientOnFile(cid, tuple(found), held[cid]) for cid, found in cases.items()]


async def lock_client(conn: Connection, client_id: UUID) -> tuple[bool, bool, bool] | None:
    """Lock the client's row: (merged into another?, erased?, held?), None when unknown."""
    row = await conn.fetchrow(
        """
        SELECT merged_into IS NOT NULL AS merged,
               EXISTS (SELECT 1 FROM client_erasures e WHERE e.client_id = c.id) AS erased,
               EXISTS (SELECT 1 FROM legal_holds h
                        WHERE h.client_id = c.id AND h.lifted_at IS NULL) AS held
          FROM clients c WHERE id = $1 FOR UPDATE
        """,
        client_id,
    )
    return None if row is None else (row["merged"], row["erased"], row["held"])


# legal holds ------------------------------------------------------------------------------------


async def place_hold(
    conn: Connection, hold_id: UUID, client_id: UUID, reason: str, actor: str, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO legal_holds (id, client_id, reason, placed_at, placed_by)"
        " VALUES ($1, $2, $3, $4, $5)",
        hold_id,
        client_id,
        reason,
        at,
        actor,
    )


async def lift_hold(
    conn: Connection, client_id: UUID, reason: str, actor: str, at: datetime
) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        """
        UPDATE legal_holds SET lifted_at = $2, lifted_by = $3, lift_reason = $4
         WHERE client_id = $1 AND lifted_at IS NULL RETURNING id
        """,
        client_id,
        at,
        actor,
        reason,
    )
    return found


async def standing_hold(conn: Connection, client_id: UUID) -> StandingHold | None:
    row = await conn.fetchrow(
        "SELECT placed_at, placed_by, reason FROM legal_holds"
        " WHERE client_id = $1 AND lifted_at IS NULL",
        client_id,
    )
    if row is None:
        return None
    return StandingHold(row["placed_at"], row["placed_by"], row["reason"])


async def erased_at(conn: Connection, client_id: UUID) -> datetime | None:
    """When the client's personal data was erased; None: it was not."""
    found: datetime | None = await conn.fetchval(
        "SELECT erased_at FROM client_erasures WHERE client_id = $1", client_id
    )
    return found


# erasing ----------------------------------------------------------------------------------------


async def merged_duplicates(conn: Connection, client_id: UUID) -> list[UUID]:
    """Every record merged into the client, directly or through another duplicate."""
    rows = await conn.fetch(
        """
        WITH RECURSIVE merged(id) AS (
            SELECT id FROM clients WHERE merged_into = $1
            UNION SELECT c.id FROM clients c JOIN merged m ON c.merged_into = m.id
        )
        SELECT id FROM merged ORDER BY id
        """,
        client_id,
    )
    return [r["id"] for r in rows]


async def personal_values(conn: Connection, client_ids: Sequence[UUID]) -> list[str | None]:
    """Everything personal on file about these records: to find it in free text elsewhere."""
    rows = await conn.fetch(
        """
        SELECT name AS v FROM clients WHERE id = ANY($1::uuid[])
        UNION ALL SELECT furigana FROM clients WHERE id = ANY($1::uuid[])
        UNION ALL SELECT shown FROM client_keys WHERE client_id = ANY($1::uuid[])
        UNION ALL SELECT key FROM client_keys WHERE client_id = ANY($1::uuid[])
        UNION ALL SELECT unnest(ARRAY[person_name, furigana, phone, email, business_name])
                    FROM consultations
                   WHERE client_id = ANY($1::uuid[]) OR registered_client_id = ANY($1::uuid[])
        """,
        list(client_ids),
    )
    return [r["v"] for r in rows]


async def consultations_of(conn: Connection, client_ids: Sequence[UUID]) -> list[UUID]:
    rows = await conn.fetch(
        "SELECT id FROM consultations"
        " WHERE client_id = ANY($1::uuid[]) OR registered_client_id = ANY($1::uuid[])"
        " ORDER BY consulted_at, id",
        list(client_ids),
    )
    return [r["id"] for r in rows]


async def erase_client_rows(
    conn: Connection, client_ids: Sequence[UUID], consultation_ids: Sequence[UUID]
) -> None:
    """Overwrite the personal columns of the clients and their consultations, consent notes
    and merges; drop their matching keys."""
    ids, cases = list(client_ids), list(consultation_ids)
    await conn.execute(
        "UPDATE clients SET name = $2, furigana = NULL WHERE id = ANY($1::uuid[])", ids, ERASED
    )
    await conn.execute("DELETE FROM client_keys WHERE client_id = ANY($1::uuid[])", ids)
    await conn.execute(
        """
        UPDATE consultations
           SET person_name = $2, furigana = NULL, phone = NULL, email = NULL,
               business_name = NULL, description = $2
         WHERE id = ANY($1::uuid[])
        """,
        cases,
        ERASED,
    )
    await conn.execute(
        "UPDATE consent_changes SET note = $2"
        " WHERE consultation_id = ANY($1::uuid[]) AND note IS NOT NULL",
        cases,
        ERASED,
    )
    await conn.execute(
        """
        UPDATE client_merges
           SET keys_added = '[]'::jsonb,
               undo_reason = CASE WHEN undo_reason IS NULL THEN NULL ELSE $2 END
         WHERE client_id = ANY($1::uuid[]) OR merged_client_id = ANY($1::uuid[])
        """,
        ids,
        ERASED,
    )
    await conn.execute(
        "UPDATE legal_holds SET reason = $2,"
        " lift_reason = CASE WHEN lift_reason IS NULL THEN NULL ELSE $2 END"
        " WHERE client_id = ANY($1::uuid[])",
        ids,
        ERASED,
    )


async def record_erasure(
    conn: Connection,
    client_id: UUID,
    consultation_ids: Sequence[UUID],
    *,
    basis: str,
    reason: str,
    actor: str,
    at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO client_erasures"
        " (client_id, erased_at, erased_by, basis, reason, consultation_ids)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        client_id,
        at,
        actor,
        basis,
        reason,
        list(consultation_ids),
    )


async def erased_among(conn: Connection, client_ids: Sequence[UUID]) -> list[UUID]:
    rows = await conn.fetch(
        "SELECT client_id FROM client_erasures WHERE client_id = ANY($1::uuid[])",
        list(client_ids),
    )
    return [r["client_id"] for r in rows]
