"""How the codes people read are shown: roles (職種) and modes of attendance (参加方法), the
same words as the console's (one table, in the catalogue's labels)."""

from __future__ import annotations

from tosei_common.catalogue.labels import ATTENDANCE_MODE, ATTENDEE_ROLE

ROLE_LABELS = ATTENDEE_ROLE
MODE_LABELS = ATTENDANCE_MODE
