"""The seminar screens' forms as the seminar service's request bodies: pure mapping.

As in ``forms``: a blank box becomes an absent value and the service says what is missing;
amounts and seats are sent as numbers when they read as whole numbers (４５，０００ and 45,000
too: people type yen with separators), otherwise as typed, for the service to refuse by name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


def _text(form: Mapping[str, Any], name: str) -> str | None:
    value = str(form.get(name, "") or "")
    return value if value.strip() else None


def _number(form: Mapping[str, Any], name: str) -> int | str | None:
    typed = _text(form, name)
    if typed is None:
        return None
    plain = unicodedata.normalize("NFKC", typed).strip().replace(",", "")
    plain = plain.removesuffix("円").removesuffix("席").removesuffix("人")
    return int(plain) if plain.isdigit() else typed


def _given(body: dict[str, Any]) -> dict[str, Any]:
    """Only the fields typed: a partial change keeps what is left blank."""
    return {k: v for k, v in body.items() if v is not None}


def seminar_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return _given(
        {
            "fiscal_year": _text(form, "fiscal_year"),
            "title": _text(form, "title") or "",
            "date": _text(form, "date"),
            "start_time": _text(form, "start_time"),
            "end_time": _text(form, "end_time"),
        }
    )


def seminar_patch(form: Mapping[str, Any]) -> dict[str, Any]:
    return _given(
        {
            "title": _text(form, "title"),
            "date": _text(form, "date"),
            "start_time": _text(form, "start_time"),
            "end_time": _text(form, "end_time"),
        }
    )


def state_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {"state": _text(form, "state"), "reason": _text(form, "reason")}


def speaker_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": _text(form, "name") or "",
        "affiliation": _text(form, "affiliation") or "",
        "profession": _text(form, "profession"),
        "talk_title": _text(form, "talk_title"),
        "keynote": form.get("keynote") == "yes",
        "fee": _number(form, "fee"),
    }


def venue_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": _text(form, "name") or "",
        "municipality": _text(form, "municipality") or "",
        "capacity": _number(form, "capacity"),
        "fee": _number(form, "fee"),
    }


def choice_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {"venue_id": _text(form, "venue_id")}


def online_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return _given({"stream_url": _text(form, "stream_url"), "capacity": _number(form, "capacity")})


def site_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": _text(form, "name") or "",
        "municipality": _text(form, "municipality") or "",
        "capacity": _number(form, "capacity"),
    }


def site_patch(form: Mapping[str, Any]) -> dict[str, Any]:
    return _given({"name": _text(form, "name"), "capacity": _number(form, "capacity")})


def budget_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "category": _text(form, "category"),
        "item": _text(form, "item") or "",
        "planned": _number(form, "planned"),
        "actual": _number(form, "actual"),
    }


def budget_patch(form: Mapping[str, Any]) -> dict[str, Any]:
    """The line as the form now reads: a blank actual amount clears it (not yet settled)."""
    return {"planned": _number(form, "planned"), "actual": _number(form, "actual")}


def check_in_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {"reference": _text(form, "reference") or ""}


def correction_body(form: Mapping[str, Any]) -> dict[str, Any]:
    attended = _text(form, "attended")
    return {
        "reference": _text(form, "reference") or "",
        "attended": {"yes": True, "no": False}.get(attended or "", attended),
        "reason": _text(form, "reason"),
    }


def override_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {"host": _text(form, "host") or "", "reason": _text(form, "reason")}


def fraction(percent: str) -> float | str | None:
    """What people say in per cent (10, 10%, １０％) as the service's fraction (0.1); what is no
    number goes as typed, for the service to refuse by name; blank: the service's default."""
    plain = unicodedata.normalize("NFKC", percent).strip().removesuffix("%").strip()
    if not plain:
        return None
    try:
        return round(float(plain) / 100, 6)
    except ValueError:
        return percent


def scanned_reference(text: str) -> str:
    """The reference in what was typed or scanned. A code holds the reference itself; one that
    holds the address of the registrant's page (…/seminar/my/7KQ2-…, or ?reference=…) gives its
    last part. The service matches the rest (case, width, hyphens)."""
    typed = text.strip()
    if "://" not in typed:
        return typed
    parsed = urlsplit(typed)
    for name, value in parse_qsl(parsed.query):
        if name in ("reference", "ref"):
            return value.strip()
    parts = [part for part in parsed.path.split("/") if part]
    return unquote(parts[-1]) if parts else typed
