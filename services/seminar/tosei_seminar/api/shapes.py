"""Rows and reports shaped as JSON, with Japanese labels next to the codes people read."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tosei_common.region.fiscal import fiscal_year_display, japanese_date, tokyo_date
from tosei_common.region.municipalities import municipality
from tosei_seminar.db.rows import PlaceRow, RegistrationRow, SeminarRow
from tosei_seminar.domain import rotation, sizing
from tosei_seminar.domain.registration import MODE_LABELS, ROLE_LABELS, Place
from tosei_seminar.domain.reports import AttendanceReport, AttendanceRow, FeedbackSummary
from tosei_seminar.handlers.views import SeminarDetail


def town(code: str | None) -> dict[str, str] | None:
    return {"code": code, "name": municipality(code).name} if code else None


def rotation_year(year: rotation.RotationYear) -> dict[str, Any]:
    return {
        "fiscal_year": year.fiscal_year,
        "label": fiscal_year_display(year.fiscal_year),
        "host": town(year.host.code),
        "by_rotation": town(year.by_rotation.code),
        "overridden": year.override is not None,
        "reason": year.override.reason if year.override else None,
        "set_by": year.override.set_by if year.override else None,
    }


def seminar_summary(s: SeminarRow) -> dict[str, Any]:
    day = tokyo_date(s.starts_at) if s.starts_at else None
    return {
        "id": str(s.id),
        "fiscal_year": s.fiscal_year,
        "fiscal_year_label": fiscal_year_display(s.fiscal_year),
        "title": s.title,
        "state": s.state.value,
        "state_label": s.state.label,
        "host": town(s.host_municipality),
        "date": day.isoformat() if day else None,
        "date_label": japanese_date(day) if day else None,
        "starts_at": s.starts_at.isoformat() if s.starts_at else None,
        "ends_at": s.ends_at.isoformat() if s.ends_at else None,
    }


def place(p: Place | PlaceRow) -> dict[str, Any]:
    value = p.place if isinstance(p, PlaceRow) else p
    return {
        "id": str(value.place_id),
        "mode": value.mode.value,
        "mode_label": MODE_LABELS[value.mode],
        "name": value.name,
        "municipality": town(value.municipality),
        "capacity": value.capacity,
        "seated": value.seated,
        "seats_left": value.free,
        "waiting": value.waiting,
    }


def seminar_detail(d: SeminarDetail, *, staff: bool) -> dict[str, Any]:
    s = d.seminar
    chosen = next((v for v in d.venues if v.id == s.chosen_venue_id), None)
    body = seminar_summary(s) | {
        "venue": (
            {"name": chosen.name, "municipality": town(chosen.municipality)} if chosen else None
        ),
        "speakers": [
            {
                "id": str(sp.id),
                "name": sp.name,
                "affiliation": sp.affiliation,
                "profession": sp.profession,
                "keynote": sp.keynote,
            }
            | ({"fee": sp.fee} if staff else {})
            for sp in d.speakers
        ],
        "places": [place(p) for p in d.places],
    }
    if staff:
        body |= {
            "cancel_reason": s.cancel_reason,
            "stream_url": s.stream_url,
            "chosen_venue_id": str(s.chosen_venue_id) if s.chosen_venue_id else None,
            "candidate_venues": [
                {
                    "id": str(v.id),
                    "name": v.name,
                    "municipality": town(v.municipality),
                    "capacity": v.capacity,
                    "fee": v.fee,
                }
                for v in d.venues
            ],
            "budget": {
                "lines": [
                    {
                        "id": str(b.id),
                        "category": b.category.value,
                        "category_label": b.category.label,
                        "item": b.item,
                        "planned": b.planned,
                        "actual": b.actual,
                        "updated_by": b.updated_by,
                    }
                    for b in d.budget
                ],
                **asdict(d.budget_summary),
            },
            "created_by": s.created_by,
            "updated_by": s.updated_by,
            "updated_at": s.updated_at.isoformat(),
        }
    return body


def recommendation(r: sizing.Recommendation) -> dict[str, Any]:
    def venue(c: sizing.Candidate) -> dict[str, Any]:
        return {
            "id": str(c.venue_id),
            "name": c.name,
            "municipality": town(c.municipality),
            "capacity": c.capacity,
            "fee": c.fee,
        }

    return {
        "basis": r.basis,
        "registrations": r.registrations,
        "no_show_rate": r.no_show_rate,
        "margin": r.margin,
        "expected_audience": r.expected_audience,
        "seats_needed": r.seats_needed,
        "recommended": venue(r.recommended) if r.recommended else None,
        "reason": r.reason,
        "candidates": [
            venue(f.candidate) | {"fits": f.fits, "spare_seats": f.spare_seats}
            for f in r.candidates
        ],
    }


def registration_for_staff(r: RegistrationRow, place_name: str) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "reference": r.reference,
        "status": r.status.value,
        "status_label": r.status.label,
        "name": r.name,
        "name_kana": r.name_kana,
        "organisation": r.organisation,
        "role": r.role.value,
        "role_label": ROLE_LABELS[r.role],
        "municipality": town(r.municipality),
        "email": r.email,
        "phone": r.phone,
        "mode": r.mode.value,
        "mode_label": MODE_LABELS[r.mode],
        "place": place_name,
        "registered_at": r.registered_at.isoformat(),
        "promoted_at": r.promoted_at.isoformat() if r.promoted_at else None,
        "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
    }


def attendance(report: AttendanceReport) -> dict[str, Any]:
    def rows(items: list[AttendanceRow]) -> list[dict[str, Any]]:
        return [
            {
                "key": i.key,
                "label": i.label,
                "registered": i.registered,
                "attended": i.attended,
                "rate": i.rate,
            }
            for i in items
        ]

    return {
        "registered": report.registered,
        "attended": report.attended,
        "no_shows": report.no_shows,
        "by_role": rows(report.by_role),
        "by_municipality": rows(report.by_municipality),
        "by_mode": rows(report.by_mode),
    }


def feedback(summary: FeedbackSummary, *, with_comments: bool) -> dict[str, Any]:
    """The summary; the comments only ``with_comments`` (for those who may read personal data)."""
    body: dict[str, Any] = {
        "responses": summary.responses,
        "attended": summary.attended,
        "response_rate": summary.response_rate,
        "satisfaction_mean": summary.satisfaction_mean,
        "usefulness_mean": summary.usefulness_mean,
        "satisfaction_distribution": {
            str(k): v for k, v in summary.satisfaction_distribution.items()
        },
        "usefulness_distribution": {str(k): v for k, v in summary.usefulness_distribution.items()},
        "satisfaction_by_role": summary.satisfaction_by_role,
    }
    if with_comments:
        body["comments"] = [asdict(c) for c in summary.comments]
    return body
