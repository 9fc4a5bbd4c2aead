"""The plan item's form: what the person typed, what the item says, and the request bodies the
plan's service takes (pure: no I/O).

A form is kept as the browser posts it, a flat mapping of names to text (``title``,
``kpis.0.target``, ``parts.1.title``), with the funding programmes as a list. An item read from
the service is turned into the same shape, so what was typed and what is on file compare field by
field: a revision sends only what the person changed, and a concurrent change shows, field by
field, what they typed and what is there now.

Blank boxes become absent values and nothing is cleaned beyond what compares two spellings of one
number (45,000,000 円 and 45000000): the service's input rules decide, and its messages are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: What an item says, in the order the form asks it.
FIELDS = (
    "title",
    "municipality",
    "risk_scenario",
    "policy_area",
    "lead_department",
    "estimated_cost_yen",
    "fiscal_year_from",
    "fiscal_year_to",
    "status",
    "funding_programmes",
    "kpis",
)
KPI_PARTS = ("indicator", "unit", "baseline", "target", "target_fiscal_year")
#: How many KPI rows a form offers beyond the item's own.
BLANK_KPI_ROWS = 1
MAX_KPI_ROWS = 20
#: The value of 実施主体 for an item of the whole region (the service reads it as such).
REGION = "圏域全体"

Flat = dict[str, Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ""
    return str(value).strip()


def number_text(value: Any) -> str:
    """82.0 as 82, 82.5 as 82.5; None as blank."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cost_text(typed: str) -> str:
    """45,000,000 and 45000000円 are one number; anything else stays as typed."""
    bare = typed.replace(",", "").replace("，", "").replace("円", "").strip()
    return bare if bare.isdigit() else typed


def _number_typed(typed: str) -> str:
    try:
        return number_text(float(typed)) if typed else ""
    except ValueError:
        return typed


def field_flat(name: str, stored: Any, prefix: str = "") -> Flat:
    """One field of an item as stored (codes, ids, numbers) in the form's shape."""
    key = prefix + name
    if name == "municipality":
        return {key: REGION if stored is None else str(stored)}
    if name == "funding_programmes":
        return {key: sorted(str(p if not isinstance(p, dict) else p["id"]) for p in stored or [])}
    if name == "kpis":
        flat: Flat = {}
        for i, kpi in enumerate(stored or []):
            for part in KPI_PARTS:
                value = kpi.get(part)
                shown = number_text(value) if part in ("baseline", "target") else _text(value)
                flat[f"{key}.{i}.{part}"] = shown
        return flat
    if name == "estimated_cost_yen":
        return {key: "" if stored is None else str(stored)}
    return {key: _text(stored)}


def item_flat(item: Mapping[str, Any], prefix: str = "") -> Flat:
    """An item as the service answers it, in the form's shape."""
    flat: Flat = {}
    for name in FIELDS:
        value = item.get(name)
        if name == "risk_scenario" and isinstance(value, dict):
            value = value["code"]
        if name == "policy_area" and isinstance(value, dict):
            value = value["code"]
        flat |= field_flat(name, value, prefix)
    return flat


def typed_flat(form: Mapping[str, Any], programmes: Sequence[str], prefix: str = "") -> Flat:
    """What was typed into one item's boxes, in the form's shape (KPI rows left blank dropped)."""
    flat: Flat = {}
    for name in FIELDS:
        key = prefix + name
        if name == "funding_programmes":
            flat[key] = sorted(p for p in programmes if p)
        elif name == "kpis":
            rows = []
            for i in range(MAX_KPI_ROWS):
                row = {p: _text(form.get(f"{key}.{i}.{p}")) for p in KPI_PARTS}
                if any(row.values()):
                    row["baseline"] = _number_typed(row["baseline"])
                    row["target"] = _number_typed(row["target"])
                    rows.append(row)
            for i, row in enumerate(rows):
                flat |= {f"{key}.{i}.{p}": v for p, v in row.items()}
        elif name == "estimated_cost_yen":
            flat[key] = _cost_text(_text(form.get(key)))
        else:
            flat[key] = _text(form.get(key))
    return flat


def group(flat: Mapping[str, Any], name: str, prefix: str = "") -> Any:
    """One field's value, comparable between two forms (the KPI rows as a tuple of rows)."""
    key = prefix + name
    if name == "kpis":
        rows = []
        i = 0
        while f"{key}.{i}.indicator" in flat:
            rows.append(tuple(flat.get(f"{key}.{i}.{p}", "") for p in KPI_PARTS))
            i += 1
        return tuple(rows)
    return flat.get(key, [] if name == "funding_programmes" else "")


def replace_field(flat: Mapping[str, Any], name: str, source: Mapping[str, Any]) -> Flat:
    """``flat`` with one field taken from ``source`` (both unprefixed)."""
    kept = {k: v for k, v in flat.items() if k != name and not k.startswith(f"{name}.")}
    taken = {k: v for k, v in source.items() if k == name or k.startswith(f"{name}.")}
    return kept | taken


def changed_fields(typed: Mapping[str, Any], base: Mapping[str, Any]) -> list[str]:
    """The fields whose value in ``typed`` differs from ``base``, in the form's order."""
    return [name for name in FIELDS if group(typed, name) != group(base, name)]


def _integer_or_typed(text: str) -> int | str | None:
    if not text:
        return None
    return int(text) if text.isdigit() else text


def _number_or_typed(text: str) -> float | str | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _kpis(flat: Mapping[str, Any], prefix: str) -> list[dict[str, Any]]:
    kpis = []
    for row in group(flat, "kpis", prefix):
        values = dict(zip(KPI_PARTS, row, strict=True))
        kpis.append(
            {
                "indicator": values["indicator"] or None,
                "unit": values["unit"] or None,
                "baseline": _number_or_typed(values["baseline"]),
                "target": _number_or_typed(values["target"]),
                "target_fiscal_year": _integer_or_typed(values["target_fiscal_year"]),
            }
        )
    return kpis


def field_body(flat: Mapping[str, Any], name: str, prefix: str = "") -> Any:
    """One field as the service takes it: blank is absent, numbers as numbers."""
    value = group(flat, name, prefix)
    if name == "kpis":
        return _kpis(flat, prefix)
    if name == "funding_programmes":
        return list(value)
    if name in ("estimated_cost_yen", "fiscal_year_from", "fiscal_year_to"):
        return _integer_or_typed(value)
    return value or None


def content_body(flat: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A whole item (to add, a part of a split, a merged item). A blank status is the
    service's default (計画); a blank 実施主体 is left out (an officer's own town)."""
    body = {name: field_body(flat, name, prefix) for name in FIELDS}
    for optional in ("status", "municipality"):
        if body[optional] is None:
            del body[optional]
    return body


def patch_body(
    typed: Mapping[str, Any], base: Mapping[str, Any], *, version: Any, reason: str
) -> dict[str, Any]:
    """A revision: the version it is based on, why, and only the fields the person changed
    (a cost emptied goes as null: 未定)."""
    body: dict[str, Any] = {"version": _integer_or_typed(str(version or "")), "reason": reason}
    for name in changed_fields(typed, base):
        body[name] = field_body(typed, name)
    return body


def as_of_version(
    current: Mapping[str, Any], revisions: Iterable[Mapping[str, Any]], version: int
) -> Flat:
    """The item's form as it stood at ``version``: the current one with every later revision's
    old values put back, newest first."""
    flat = dict(current)
    later = sorted((r for r in revisions if r["version"] > version), key=lambda r: -r["version"])
    for revision in later:
        for name, change in revision["changes"].items():
            if name in FIELDS:
                flat = replace_field(flat, name, field_flat(name, change.get("old")))
    return flat


def redo_values(current: Mapping[str, Any], typed: Mapping[str, Any], mine: list[str]) -> Flat:
    """The form to send again on the current version: what is there now, with the person's own
    changes on top (the fields they did not touch keep the other person's values)."""
    flat = dict(current)
    for name in mine:
        flat = replace_field(flat, name, typed)
    return flat


def prefixed(flat: Mapping[str, Any], prefix: str) -> Flat:
    return {prefix + k: v for k, v in flat.items()}


def unprefixed(flat: Mapping[str, Any], prefix: str) -> Flat:
    return {k[len(prefix) :]: v for k, v in flat.items() if k.startswith(prefix)}


def kpi_rows(flat: Mapping[str, Any], prefix: str = "") -> int:
    """How many KPI rows a form shows: the item's, and one to add."""
    return min(len(group(flat, "kpis", prefix)) + BLANK_KPI_ROWS, MAX_KPI_ROWS)
