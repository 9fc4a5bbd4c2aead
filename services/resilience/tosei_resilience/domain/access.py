"""Who may change what: every town reads every item; an officer changes only their town's items.

Coordinators (the council's and the towns' planning staff) change any item, including items of
the whole region (圏域全体), and maintain funding programmes and the plan's reference lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from tosei_common.platform.errors import Forbidden
from tosei_common.region.municipalities import municipality
from tosei_resilience.domain.labels import owner_name


@dataclass(frozen=True)
class Editor:
    """The person making a change, as the domain needs to know them."""

    actor: str  # role:subject, stored with every change
    coordinator: bool
    municipality: str | None  # an officer's town


def ensure_may_edit(editor: Editor, owner: str | None, what: str = "this plan item") -> None:
    """An officer may change an item only when it belongs to their own municipality."""
    if editor.coordinator:
        return
    if editor.municipality is None:
        raise Forbidden("only coordinators and municipal officers change plan items")
    town = municipality(editor.municipality).name
    if owner is None:
        raise Forbidden(
            f"{what} belongs to the whole region ({owner_name(None)}); "
            "only a coordinator changes it"
        )
    if owner != editor.municipality:
        raise Forbidden(
            f"an officer of {town} changes only {town}'s plan items; "
            f"{what} belongs to {owner_name(owner)}"
        )


def ensure_may_move(editor: Editor, old_owner: str | None, new_owner: str | None) -> None:
    """Handing an item to another town (or to the whole region) is a coordinator's decision."""
    if old_owner != new_owner and not editor.coordinator:
        raise Forbidden(
            f"moving a plan item from {owner_name(old_owner)} to {owner_name(new_owner)} "
            "is done by a coordinator"
        )
