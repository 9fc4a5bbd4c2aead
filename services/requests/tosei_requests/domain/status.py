"""The states of a request item (its own module: labels, rules and access all name them)."""

from __future__ import annotations

from enum import StrEnum


class ItemStatus(StrEnum):
    DRAFT = "draft"  # 作成中: the town (or towns) drafting it
    SUBMITTED = "submitted"  # 提出済み: with the coordinators
    ADOPTED = "adopted"  # 採択: in the joint list
    RETURNED = "returned"  # 差戻し: sent back to the town, with a reason
    WITHDRAWN = "withdrawn"  # 取下げ: final
