"""At each start: clients' keys brought in line with today's matching rules."""

from __future__ import annotations

from collections.abc import Sequence

from tosei_common.platform.clock import Clock
from tosei_common.platform.db import Connection
from tosei_intake.db import clients as clients_db
from tosei_intake.domain.keys import missing_keys, stale_keys

ACTOR = "system:intake-keys"


async def refresh_keys(conn: Connection, clock: Clock) -> Sequence[str]:
    """Reduce stored keys again and add the furigana and business keys consultations gave."""
    async with conn.transaction():
        stored = await clients_db.name_like_keys(conn)
        changes = stale_keys(stored)
        changes += missing_keys(await clients_db.what_consultations_said(conn), stored)
        at = clock.now()
        for change in changes:
            await clients_db.rekey(conn, change.client_id, change.old, change.new, ACTOR, at)
    if not changes:
        return ()
    return (
        f"相談者の照合キーを{len(changes)}件更新しました（表記ゆれの規則・ふりがな・事業者名）",
    )
