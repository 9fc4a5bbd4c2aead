"""The SQL of clients: the per-name registration locks, the keys a client is known by, merges.

Every function takes the caller's connection; writes expect the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from tosei_common.platform.db import Connection
from tosei_intake.domain.client_corrections import ClientCorrected
from tosei_intake.domain.clients import (
    NAME_LIKE,
    Client,
    ClientState,
    ClientSummary,
    Key,
    KeyKind,
    KnownClient,
    Merge,
    SearchTerms,
    StandingMerge,
    rows_to_known,
)
from tosei_intake.domain.consultations import Registration

# locks -----------------------------------------------------------------------------------------


async def lock_name(conn: Connection, name_key: str) -> None:
    """Serialise registrations of one name, so two desks typing in the same new person at the
    same moment make one client, not two. Released at commit."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"tosei.intake.name:{name_key}"
    )


async def lock_names_of(conn: Connection, client_ids: Sequence[UUID]) -> None:
    """Take the registration locks of every name the clients go by (in one order), so a merge
    and a registration of one of those names never interleave: the registration would look for
    matches in a snapshot from before the merge and create a duplicate of the survivor."""
    rows = await conn.fetch(
        "SELECT DISTINCT key FROM client_keys WHERE client_id = ANY($1::uuid[]) AND kind = 'name'"
        " ORDER BY key",
        list(client_ids),
    )
    for row in rows:
        await lock_name(conn, row["key"])


# matching --------------------------------------------------------------------------------------


async def sharing_keys(
    conn: Connection, keys: Sequence[Key], *, lock: bool = True
) -> list[KnownClient]:
    """Live (unmerged) clients sharing any of ``keys``, with all their keys. ``lock`` locks
    them (in id order), so a merge running at the same time either finishes first or waits."""
    ids = await conn.fetch(
        """
        SELECT c.id FROM clients c
        WHERE c.merged_into IS NULL
          AND c.id IN (SELECT k.client_id FROM client_keys k
                       JOIN unnest($1::text[], $2::text[]) AS w(kind, key)
                         ON k.kind = w.kind AND k.key = w.key)
        ORDER BY c.id
        """
        + (" FOR UPDATE" if lock else ""),
        [k.kind.value for k in keys],
        [k.key for k in keys],
    )
    return await known(conn, [r["id"] for r in ids])


async def known(conn: Connection, ids: Sequence[UUID]) -> list[KnownClient]:
    rows = await conn.fetch(
        """
        SELECT c.id, c.created_at, k.kind, k.key, k.shown
        FROM clients c JOIN client_keys k ON k.client_id = c.id
        WHERE c.id = ANY($1::uuid[])
        """,
        list(ids),
    )
    return rows_to_known(
        [(r["id"], r["created_at"], r["kind"], r["key"], r["shown"]) for r in rows]
    )


async def sharing_keys_with(conn: Connection, client_id: UUID) -> list[KnownClient]:
    """Other live clients that share a name, phone or e-mail key with this one."""
    rows = await conn.fetch(
        """
        SELECT DISTINCT other.client_id
        FROM client_keys mine
        JOIN client_keys other ON other.kind = mine.kind AND other.key = mine.key
        JOIN clients c ON c.id = other.client_id
        WHERE mine.client_id = $1 AND other.client_id <> $1 AND c.merged_into IS NULL
        """,
        client_id,
    )
    return await known(conn, [r["client_id"] for r in rows])


# registration ----------------------------------------------------------------------------------


async def save_registration(
    conn: Connection, registration: Registration, actor: str, at: datetime
) -> None:
    """The client side of a registration: a new client, or a furigana filled in, and the keys
    the client was not known by yet."""
    person = registration.consultation.person
    if registration.client_created:
        await conn.execute(
            "INSERT INTO clients (id, name, furigana, created_by, created_at)"
            " VALUES ($1, $2, $3, $4, $5)",
            registration.client_id,
            person.name,
            person.furigana,
            actor,
            at,
        )
    elif registration.furigana_to_fill:
        await conn.execute(
            "UPDATE clients SET furigana = $2 WHERE id = $1 AND furigana IS NULL",
            registration.client_id,
            registration.furigana_to_fill,
        )
    keys = registration.new_keys
    await conn.execute(
        """
        INSERT INTO client_keys (client_id, kind, key, shown, added_by, added_at)
        SELECT $1, w.kind, w.key, w.shown, $5, $6
        FROM unnest($2::text[], $3::text[], $4::text[]) AS w(kind, key, shown)
        ON CONFLICT DO NOTHING
        """,
        registration.client_id,
        [k.kind.value for k in keys],
        [k.key for k in keys],
        [k.shown for k in keys],
        actor,
        at,
    )


# reading ---------------------------------------------------------------------------------------


def _client(row: asyncpg.Record) -> Client:
    return Client(
        id=row["id"],
        name=row["name"],
        furigana=row["furigana"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        merged_into=row["merged_into"],
    )


async def one(conn: Connection, client_id: UUID) -> Client | None:
    row = await conn.fetchrow(
        "SELECT id, name, furigana, created_at, created_by, merged_into FROM clients WHERE id = $1",
        client_id,
    )
    return _client(row) if row else None


async def keys_of(conn: Connection, client_id: UUID) -> list[Key]:
    """Every name, phone and e-mail the client was registered with, in the order learnt."""
    rows = await conn.fetch(
        "SELECT kind, key, shown FROM client_keys WHERE client_id = $1 ORDER BY added_at, key",
        client_id,
    )
    return [Key(KeyKind(r["kind"]), r["key"], r["shown"]) for r in rows]


async def merged_into(conn: Connection, client_id: UUID) -> list[UUID]:
    """The duplicates merged into this client."""
    rows = await conn.fetch(
        "SELECT merged_client_id FROM client_merges WHERE client_id = $1 AND undone_at IS NULL"
        " ORDER BY merged_at",
        client_id,
    )
    return [r["merged_client_id"] for r in rows]


_SUMMARY = """
    SELECT c.id, c.name, c.furigana,
           count(s.id) AS consultations, max(s.consulted_at) AS last_consulted_at,
           EXISTS (SELECT 1 FROM client_use_stops u
                   WHERE u.client_id = c.id AND u.resumed_at IS NULL) AS use_stopped
    FROM clients c LEFT JOIN consultations s ON s.client_id = c.id
"""


def _summary(row: asyncpg.Record) -> ClientSummary:
    return ClientSummary(
        id=row["id"],
        name=row["name"],
        furigana=row["furigana"],
        consultations=row["consultations"],
        last_consulted_at=row["last_consulted_at"],
        use_stopped=row["use_stopped"],
    )


async def search(
    conn: Connection, terms: SearchTerms, *, limit: int, include_stopped: bool = True
) -> list[ClientSummary]:
    """Live clients with a name, furigana or business key containing ``name_part``, a phone key
    containing ``phone_part`` or an e-mail containing ``email_part``; most recently consulted
    first. ``include_stopped=False`` leaves out clients whose records' use is stopped."""
    rows = await conn.fetch(
        _SUMMARY
        + """
        WHERE c.merged_into IS NULL
          AND ($6 OR NOT EXISTS (SELECT 1 FROM client_use_stops u
                                 WHERE u.client_id = c.id AND u.resumed_at IS NULL))
          AND c.id IN (
              SELECT client_id FROM client_keys
              WHERE ($1::text IS NOT NULL AND kind = ANY($5::text[]) AND strpos(key, $1) > 0)
                 OR ($2::text IS NOT NULL AND kind = 'phone' AND strpos(key, $2) > 0)
                 OR ($3::text IS NOT NULL AND kind = 'email' AND strpos(key, $3) > 0))
        GROUP BY c.id
        ORDER BY max(s.consulted_at) DESC NULLS LAST, c.created_at DESC
        LIMIT $4
        """,
        terms.name_part,
        terms.phone_part,
        terms.email_part,
        limit,
        sorted(NAME_LIKE),
        include_stopped,
    )
    return [_summary(r) for r in rows]


async def summaries(conn: Connection, ids: Sequence[UUID]) -> list[ClientSummary]:
    rows = await conn.fetch(
        _SUMMARY + " WHERE c.id = ANY($1::uuid[]) GROUP BY c.id ORDER BY c.created_at",
        list(ids),
    )
    return [_summary(r) for r in rows]


async def count_live(conn: Connection) -> int:
    """Clients on file, merged duplicates not counted (for the metrics)."""
    count: int = await conn.fetchval("SELECT count(*) FROM clients WHERE merged_into IS NULL")
    return count


# keeping the keys up to date ----------------------------------------------------------------------


async def name_like_keys(conn: Connection) -> list[tuple[UUID, Key]]:
    """Every name, furigana and business key, with how it was written."""
    rows = await conn.fetch(
        "SELECT client_id, kind, key, shown FROM client_keys WHERE kind = ANY($1::text[])",
        sorted(NAME_LIKE),
    )
    return [(r["client_id"], Key(KeyKind(r["kind"]), r["key"], r["shown"])) for r in rows]


async def what_consultations_said(conn: Connection) -> list[tuple[UUID, str | None, str | None]]:
    """(client, furigana, business name) of every consultation."""
    rows = await conn.fetch("SELECT client_id, furigana, business_name FROM consultations")
    return [(r["client_id"], r["furigana"], r["business_name"]) for r in rows]


async def rekey(
    conn: Connection, client_id: UUID, old: Key | None, new: Key, actor: str, at: datetime
) -> None:
    """Put ``new`` in place of ``old`` (or add it); a key the client already has stays once."""
    if old is not None:
        await conn.execute(
            "DELETE FROM client_keys WHERE client_id = $1 AND kind = $2 AND key = $3",
            client_id,
            old.kind.value,
            old.key,
        )
    await conn.execute(
        """
        INSERT INTO client_keys (client_id, kind, key, shown, added_by, added_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT DO NOTHING
        """,
        client_id,
        new.kind.value,
        new.key,
        new.shown,
        actor,
        at,
    )


async def save_correction(
    conn: Connection, client_id: UUID, done: ClientCorrected, actor: str, at: datetime
) -> None:
    await conn.execute(
        "UPDATE clients SET name = $2, furigana = $3 WHERE id = $1",
        client_id,
        done.name,
        done.furigana,
    )
    for key in done.removed:
        await conn.execute(
            "DELETE FROM client_keys WHERE client_id = $1 AND kind = $2 AND key = $3",
            client_id,
            key.kind.value,
            key.key,
        )
    for key in done.added:
        await rekey(conn, client_id, None, key, actor, at)


# merging ---------------------------------------------------------------------------------------


async def lock_state(conn: Connection, client_id: UUID) -> ClientState | None:
    row = await conn.fetchrow(
        "SELECT id, merged_into FROM clients WHERE id = $1 FOR UPDATE", client_id
    )
    return ClientState(row["id"], row["merged_into"]) if row else None


async def consultation_ids(conn: Connection, client_id: UUID) -> list[UUID]:
    """The consultations filed under a client (what a merge of it moves)."""
    rows = await conn.fetch("SELECT id FROM consultations WHERE client_id = $1", client_id)
    return [r["id"] for r in rows]


async def save_merge(conn: Connection, merge: Merge, actor: str) -> None:
    """Move the duplicate's consultations and keys to the survivor; the duplicate points at it
    and gives it its furigana if it had none; ``client_merges`` keeps what moved and what the
    survivor was given, so the merge can be undone exactly."""
    survivor, duplicate, at = merge.client_id, merge.merged_client_id, merge.at
    await conn.execute(
        "UPDATE consultations SET client_id = $1 WHERE client_id = $2", survivor, duplicate
    )
    added = await conn.fetch(
        """
        INSERT INTO client_keys (client_id, kind, key, shown, added_at, added_by)
        SELECT $1, kind, key, shown, $3, $4 FROM client_keys WHERE client_id = $2
        ON CONFLICT DO NOTHING
        RETURNING kind, key, shown
        """,
        survivor,
        duplicate,
        at,
        actor,
    )
    await conn.execute(
        "UPDATE clients SET merged_into = $1, merged_at = $3, merged_by = $4 WHERE id = $2",
        survivor,
        duplicate,
        at,
        actor,
    )
    given = await conn.fetchval(
        "UPDATE clients SET furigana = d.furigana FROM clients d"
        " WHERE clients.id = $1 AND d.id = $2 AND clients.furigana IS NULL"
        " AND d.furigana IS NOT NULL RETURNING true",
        survivor,
        duplicate,
    )
    await conn.execute(
        """
        INSERT INTO client_merges (merged_client_id, client_id, consultation_ids, merged_at,
                                   merged_by, keys_added, furigana_given)
        VALUES ($2, $1, $3, $4, $5, $6::jsonb, $7)
        """,
        survivor,
        duplicate,
        list(merge.moved_consultations),
        at,
        actor,
        json.dumps([dict(r) for r in added], ensure_ascii=False),
        bool(given),
    )


async def standing_merge(conn: Connection, duplicate: UUID) -> StandingMerge | None:
    """The merge of ``duplicate`` that has not been undone, locked."""
    row = await conn.fetchrow(
        "SELECT client_id, consultation_ids, merged_at, keys_added, furigana_given"
        " FROM client_merges WHERE merged_client_id = $1 AND undone_at IS NULL FOR UPDATE",
        duplicate,
    )
    if row is None:
        return None
    return StandingMerge(
        client_id=row["client_id"],
        merged_client_id=duplicate,
        consultation_ids=tuple(row["consultation_ids"]),
        merged_at=row["merged_at"],
        keys_added=tuple(
            Key(KeyKind(k["kind"]), k["key"], k["shown"]) for k in json.loads(row["keys_added"])
        ),
        furigana_given=row["furigana_given"],
    )


async def save_unmerge(
    conn: Connection, undo: StandingMerge, actor: str, at: datetime, reason: str
) -> None:
    """Give the duplicate back exactly what moved, take back from the survivor what the merge
    gave it, and mark the merge undone."""
    survivor, duplicate = undo.client_id, undo.merged_client_id
    await conn.execute(
        "UPDATE consultations SET client_id = $1 WHERE id = ANY($2::uuid[]) AND client_id = $3",
        duplicate,
        list(undo.consultation_ids),
        survivor,
    )
    for key in undo.keys_added:
        await conn.execute(
            "DELETE FROM client_keys WHERE client_id = $1 AND kind = $2 AND key = $3"
            " AND shown = $4",
            survivor,
            key.kind.value,
            key.key,
            key.shown,
        )
    if undo.furigana_given:
        await conn.execute(
            "UPDATE clients SET furigana = NULL FROM clients d WHERE clients.id = $1"
            " AND d.id = $2 AND clients.furigana = d.furigana",
            survivor,
            duplicate,
        )
    await conn.execute(
        "UPDATE clients SET merged_into = NULL, merged_at = NULL, merged_by = NULL WHERE id = $1",
        duplicate,
    )
    await conn.execute(
        "UPDATE client_merges SET undone_at = $3, undone_by = $4, undo_reason = $5"
        " WHERE merged_client_id = $1 AND merged_at = $2",
        duplicate,
        undo.merged_at,
        at,
        actor,
        reason,
    )
