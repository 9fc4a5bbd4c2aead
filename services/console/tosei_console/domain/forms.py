"""What people type into the console's forms, as the services' request bodies: pure mapping.

Blank boxes become absent values (the services then say what is missing); nothing is cleaned
here beyond that: the services' shared input rules decide, and their messages are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _text(form: Mapping[str, Any], name: str) -> str | None:
    value = str(form.get(name, "") or "")
    return value if value.strip() else None


def consultation_body(form: Mapping[str, Any], categories: list[str]) -> dict[str, Any]:
    return {
        "person": {
            "name": _text(form, "person.name") or "",
            "furigana": _text(form, "person.furigana"),
            "phone": _text(form, "person.phone"),
            "email": _text(form, "person.email"),
        },
        "business": {
            "name": _text(form, "business.name"),
            "stage": _text(form, "business.stage"),
        },
        "municipality": _text(form, "municipality") or "",
        "categories": categories,
        "channel": _text(form, "channel"),
        "description": _text(form, "description") or "",
        "consent_to_share": form.get("consent_to_share") == "yes",
    }


def session_body(form: Mapping[str, Any]) -> dict[str, Any]:
    minutes = _text(form, "duration_minutes")
    return {
        "held_on": _text(form, "held_on"),
        "mode": _text(form, "mode"),
        "duration_minutes": int(minutes) if minutes and minutes.strip().isdigit() else minutes,
        "minutes": _text(form, "minutes"),
        "confidential_notes": _text(form, "confidential_notes"),
        "next_action_on": _text(form, "next_action_on"),
    }


def transfer_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "to_expert_id": _text(form, "to_expert_id"),
        "reason": _text(form, "reason"),
        "handover_note": _text(form, "handover_note") or "",
    }


def transition_body(form: Mapping[str, Any]) -> dict[str, Any]:
    """A rating chosen goes as 1–5 or "not_answered"; none chosen stays out, so caseflow says
    what closing needs, next to the field."""
    body: dict[str, Any] = {"to": _text(form, "to"), "reason": _text(form, "reason")}
    satisfaction = _text(form, "satisfaction")
    if satisfaction:
        body["satisfaction"] = int(satisfaction) if satisfaction.isdigit() else satisfaction
    return body


def outcome_body(form: Mapping[str, Any]) -> dict[str, Any]:
    jobs = _text(form, "jobs")
    return {
        "type": _text(form, "type"),
        "achieved_on": _text(form, "achieved_on"),
        "jobs": int(jobs) if jobs and jobs.isdigit() else None,
        "note": _text(form, "note"),
    }


def referral_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {"external_expert_id": _text(form, "external_expert_id"), "note": _text(form, "note")}


def void_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {"reason": _text(form, "reason")}


def consent_body(form: Mapping[str, Any]) -> dict[str, Any]:
    """The consent form: its button says which way (given or withdrawn)."""
    return {
        "consent_to_share": _text(form, "consent_to_share") == "yes",
        "given_on": _text(form, "given_on"),
        "note": _text(form, "note"),
    }


def client_correction_body(form: Mapping[str, Any]) -> dict[str, Any]:
    """Only what was typed: an empty field changes nothing."""
    body: dict[str, Any] = {"reason": _text(form, "reason")}
    for name in ("name", "furigana"):
        if value := _text(form, name):
            body[name] = value
    for name in ("add_phones", "remove_phones", "add_emails", "remove_emails"):
        if value := _text(form, name):
            body[name] = [value]
    return body


def consultation_correction_body(form: Mapping[str, Any], categories: list[str]) -> dict[str, Any]:
    """The whole form as it now reads; intake keeps only what differs from what is on file."""
    return {
        "reason": _text(form, "reason"),
        "municipality": _text(form, "municipality"),
        "stage": _text(form, "stage"),
        "categories": categories or None,
        "channel": _text(form, "channel"),
        "description": _text(form, "description"),
    }
