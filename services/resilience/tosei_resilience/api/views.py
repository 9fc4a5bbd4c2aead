"""How the service shows its records: JSON with codes beside the Japanese names people read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.region.fiscal import fiscal_year, fiscal_year_display, fiscal_year_label
from tosei_resilience.domain import labels
from tosei_resilience.domain.feed import FeedPage
from tosei_resilience.domain.funding import FundingProgramme, ProgrammeRevision
from tosei_resilience.domain.plan import Lists, PlanView
from tosei_resilience.domain.plan_item import PlanItem
from tosei_resilience.domain.reference import PolicyArea, Scenario
from tosei_resilience.domain.review import ReviewFlag
from tosei_resilience.domain.revisions import RevisionRecord
from tosei_resilience.domain.summary import AnnualSummary, Counts, ItemYear


def owner(code: str | None) -> dict[str, Any]:
    return {"municipality": code, "municipality_name": labels.owner_name(code)}


def scenario(s: Scenario | None, code: str, lists: Lists) -> dict[str, Any]:
    if s is None:
        return {"code": code, "name": None, "goal": None}
    goal = lists.goals.get(s.goal)
    return {"code": s.code, "name": s.name, "goal": s.goal, "goal_name": goal and goal.name}


def policy_area(a: PolicyArea | None, code: str) -> dict[str, Any]:
    if a is None:
        return {"code": code, "name": None}
    return {"code": a.code, "name": a.name, "cross_cutting": a.cross_cutting}


def item(i: PlanItem, view: PlanView) -> dict[str, Any]:
    lists = view.lists
    flags = view.open_flags.get(i.id, [])
    return {
        "id": str(i.id),
        "number": i.number,
        "title": i.title,
        **owner(i.municipality),
        "risk_scenario": scenario(lists.scenarios.get(i.risk_scenario), i.risk_scenario, lists),
        "policy_area": policy_area(lists.areas.get(i.policy_area), i.policy_area),
        "lead_department": i.lead_department,
        "estimated_cost_yen": i.estimated_cost_yen,
        "fiscal_year_from": i.fiscal_year_from,
        "fiscal_year_to": i.fiscal_year_to,
        "fiscal_years_label": labels.fiscal_years_text(i.fiscal_year_from, i.fiscal_year_to),
        "status": i.status.value,
        "status_label": labels.STATUS[i.status],
        "funding_programmes": [
            programme_ref(p, lists.programmes.get(p)) for p in i.funding_programmes
        ],
        "kpis": [k.model_dump() for k in i.kpis],
        "derivation": i.derivation and i.derivation.value,
        "derived_from": related(i.derived_from, view.numbers),
        "retirement": i.retirement and i.retirement.value,
        "retirement_label": i.retirement and labels.RETIREMENT[i.retirement],
        "superseded_by": related(i.superseded_by, view.numbers),
        "version": i.version,
        "needs_review": bool(flags),
        "review_flags": [flag(f) for f in flags],
    }


def item_ref(i: PlanItem) -> dict[str, Any]:
    """An item named in passing: id, number, title and owner."""
    return {"id": str(i.id), "number": i.number, "title": i.title, **owner(i.municipality)}


def related(ids: Sequence[UUID], numbers: Mapping[UUID, int]) -> list[dict[str, Any]]:
    return [{"id": str(i), "number": numbers.get(i)} for i in ids]


def programme_ref(programme_id: UUID, p: FundingProgramme | None) -> dict[str, Any]:
    if p is None:
        return {"id": str(programme_id), "name": None, "condition": None}
    return {"id": str(p.id), "name": p.name, "condition": p.condition.value}


def programme(p: FundingProgramme) -> dict[str, Any]:
    return {
        "id": str(p.id),
        "name": p.name,
        "ministry": p.ministry,
        "condition": p.condition.value,
        "condition_label": labels.CONDITION[p.condition],
        "condition_note": p.condition_note,
        "effective_from_fiscal_year": p.effective_from_fiscal_year,
        "effective_from_label": (
            None
            if p.effective_from_fiscal_year is None
            else fiscal_year_label(p.effective_from_fiscal_year)
        ),
        "version": p.version,
    }


def programme_revision(r: ProgrammeRevision) -> dict[str, Any]:
    return {
        "version": r.version,
        "change": r.change,
        "changes": r.changes,
        "reason": r.reason,
        "actor": r.actor,
        "recorded_at": r.recorded_at.isoformat(),
    }


def flag(f: ReviewFlag) -> dict[str, Any]:
    return {
        "id": str(f.id),
        "item_id": str(f.item_id),
        "item_number": f.item_number,
        "item_title": f.item_title,
        **owner(f.municipality),
        "programme_id": str(f.programme_id),
        "programme_name": f.programme_name,
        "programme_version": f.programme_version,
        "changed_fields": f.changed_fields,
        "changed_fields_label": "、".join(
            labels.programme_field_label(c) for c in f.changed_fields
        ),
        "flagged_at": f.flagged_at.isoformat(),
        "open": f.resolved_at is None,
        "resolved_at": f.resolved_at and f.resolved_at.isoformat(),
        "resolved_by": f.resolved_by,
        "resolution_note": f.resolution_note,
    }


def revision(r: RevisionRecord) -> dict[str, Any]:
    fy = fiscal_year(r.recorded_at)
    return {
        "seq": r.seq,
        "item_id": str(r.item_id),
        "number": r.snapshot.get("number"),
        "title": r.snapshot.get("title"),
        **owner(r.snapshot.get("municipality")),
        "version": r.version,
        "kind": r.kind.value,
        "kind_label": labels.REVISION_KIND[r.kind],
        "changed_fields": list(r.changed_fields),
        "changed_fields_label": labels.field_names(list(r.changed_fields)),
        "changes": r.changes,
        "reason": r.reason,
        "actor": r.actor,
        "recorded_at": r.recorded_at.isoformat(),
        "fiscal_year": fy,
        "fiscal_year_label": fiscal_year_label(fy),
    }


def feed(page: FeedPage) -> dict[str, Any]:
    return {
        "reader": page.reader,
        "since": page.since,
        "bookmark": page.bookmark,
        "changes": [revision(r) for r in page.entries],
        "next_since": page.next_since,
        "more": page.more,
        "last_seq": page.last_seq,
    }


def counts(c: Counts) -> dict[str, int]:
    return {"added": c.added, "revised": c.revised, "retired": c.retired}


def item_year(i: ItemYear) -> dict[str, Any]:
    return {
        "item_id": str(i.item_id),
        "number": i.number,
        "title": i.title,
        **owner(i.municipality),
        "kinds": [k.value for k in i.kinds],
        "kinds_label": "・".join(labels.REVISION_KIND[k] for k in i.kinds),
        "revisions": i.revisions,
        "changed_fields": list(i.changed_fields),
        "changed_fields_label": labels.field_names(list(i.changed_fields)),
        "retirement": i.retirement,
        "last_changed_at": i.last_changed_at.isoformat(),
        "reasons": list(i.reasons),
    }


def summary(s: AnnualSummary) -> dict[str, Any]:
    return {
        "fiscal_year": s.fiscal_year,
        "fiscal_year_label": fiscal_year_label(s.fiscal_year),
        "fiscal_year_display": fiscal_year_display(s.fiscal_year),
        "totals": counts(s.totals),
        "by_municipality": [
            {**owner(town), **counts(c)}
            for town, c in sorted(s.by_municipality.items(), key=lambda kv: kv[0] or "999999")
        ],
        "changed_fields": [
            {"field": f, "label": labels.field_names([f]), "items": n}
            for f, n in s.field_counts.items()
        ],
        "status_at_year_end": [
            {"status": st, "label": labels.STATUS[PlanItemStatus(st)], "items": n}
            for st, n in s.status_at_year_end.items()
        ],
        "items": [item_year(i) for i in s.items],
    }
