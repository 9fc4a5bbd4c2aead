"""Seminars, the rotation and the venue advice as the API shows them. The public and staff
see different models of a seminar (fees, candidate venues, the stream and the budget are for
staff only)."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import Field

from tosei_common.region.fiscal import fiscal_year_display, japanese_date, tokyo_date
from tosei_seminar.api.responses.common import Out, Town, iso
from tosei_seminar.domain import lifecycle, rotation, sizing
from tosei_seminar.domain.labels import MODE_LABELS
from tosei_seminar.domain.places import Place
from tosei_seminar.domain.seminar import Seminar
from tosei_seminar.handlers.reads import SeminarDetail

# rotation ---------------------------------------------------------------------------------------


class RotationYearOut(Out):
    fiscal_year: int
    label: str
    host: Town | None
    by_rotation: Town | None
    overridden: bool
    reason: str | None
    set_by: str | None

    @classmethod
    def of(cls, year: rotation.RotationYear) -> RotationYearOut:
        return cls(
            fiscal_year=year.fiscal_year,
            label=fiscal_year_display(year.fiscal_year),
            host=Town.of(year.host.code),
            by_rotation=Town.of(year.by_rotation.code),
            overridden=year.override is not None,
            reason=year.override.reason if year.override else None,
            set_by=year.override.set_by if year.override else None,
        )


class RotationOut(Out):
    years: list[RotationYearOut]


# seminars ---------------------------------------------------------------------------------------


class SeminarSummary(Out):
    id: str
    fiscal_year: int
    fiscal_year_label: str
    title: str
    state: str
    state_label: str
    host: Town | None
    date: str | None
    date_label: str | None
    starts_at: str | None
    ends_at: str | None

    @classmethod
    def of(cls, s: Seminar) -> SeminarSummary:
        return cls(**summary_fields(s))


def summary_fields(s: Seminar) -> dict[str, object]:
    day = tokyo_date(s.starts_at) if s.starts_at else None
    return {
        "id": str(s.id),
        "fiscal_year": s.fiscal_year,
        "fiscal_year_label": fiscal_year_display(s.fiscal_year),
        "title": s.title,
        "state": s.state.value,
        "state_label": s.state.label,
        "host": Town.of(s.host_municipality),
        "date": day.isoformat() if day else None,
        "date_label": japanese_date(day) if day else None,
        "starts_at": iso(s.starts_at),
        "ends_at": iso(s.ends_at),
    }


class SeminarList(Out):
    seminars: list[SeminarSummary]


class PlaceOut(Out):
    id: str
    mode: str
    mode_label: str
    name: str
    municipality: Town | None
    capacity: int
    seated: int
    seats_left: int
    waiting: int

    @classmethod
    def of(cls, p: Place) -> PlaceOut:
        return cls(**place_fields(p))


def place_fields(p: Place) -> dict[str, object]:
    return {
        "id": str(p.place_id),
        "mode": p.mode.value,
        "mode_label": MODE_LABELS[p.mode],
        "name": p.name,
        "municipality": Town.of(p.municipality),
        "capacity": p.capacity,
        "seated": p.seated,
        "seats_left": p.free,
        "waiting": p.waiting,
    }


class VenueRef(Out):
    name: str
    municipality: Town | None


class Speaker(Out):
    id: str
    name: str
    affiliation: str
    profession: str | None
    keynote: bool
    talk_title: str | None = Field(description="The title of the talk (演題), once known.")


class SpeakerWithFee(Speaker):
    fee: int


class CandidateVenue(Out):
    id: str
    name: str
    municipality: Town | None
    capacity: int
    fee: int


class BudgetLineOut(Out):
    id: str
    category: str
    category_label: str
    item: str
    planned: int
    actual: int | None
    updated_by: str


class BudgetOut(Out):
    lines: list[BudgetLineOut]
    planned_total: int
    actual_total: int
    unsettled_lines: int
    warnings: list[str]


class SeminarPublic(SeminarSummary):
    venue: VenueRef | None
    speakers: list[Speaker]
    places: list[PlaceOut]


class StateOption(Out):
    state: str = Field(examples=["registration_open"])
    label: str = Field(examples=["申込受付中"])


class SeminarForStaff(SeminarSummary):
    next_states: list[StateOption] = Field(
        description="The states the seminar may move to from here (POST …/state), in the "
        "lifecycle's order; empty once held or cancelled. A move may still be refused for what "
        "the seminar lacks (a venue, the stream), with the reason."
    )
    venue: VenueRef | None
    speakers: list[SpeakerWithFee]
    places: list[PlaceOut]
    cancel_reason: str | None
    stream_url: str | None
    chosen_venue_id: str | None
    candidate_venues: list[CandidateVenue]
    budget: BudgetOut
    created_by: str
    updated_by: str
    updated_at: str


SeminarOut = SeminarForStaff | SeminarPublic


def seminar_out(d: SeminarDetail) -> SeminarOut:
    s = d.seminar
    chosen = d.chosen_venue
    venue = (
        VenueRef(name=chosen.name, municipality=Town.of(chosen.municipality)) if chosen else None
    )
    places = [PlaceOut.of(p) for p in d.places]
    speakers = [
        {
            "id": str(sp.id),
            "name": sp.name,
            "affiliation": sp.affiliation,
            "profession": sp.profession,
            "keynote": sp.keynote,
            "talk_title": sp.talk_title,
            "fee": sp.fee,
        }
        for sp in d.speakers
    ]
    if not d.staff:
        public = [Speaker(**{k: v for k, v in sp.items() if k != "fee"}) for sp in speakers]
        return SeminarPublic(**summary_fields(s), venue=venue, speakers=public, places=places)
    return SeminarForStaff(
        **summary_fields(s),
        next_states=[
            StateOption(state=n.value, label=n.label) for n in lifecycle.next_states(s.state)
        ],
        venue=venue,
        speakers=[SpeakerWithFee(**sp) for sp in speakers],
        places=places,
        cancel_reason=s.cancel_reason,
        stream_url=s.stream_url,
        chosen_venue_id=str(s.chosen_venue_id) if s.chosen_venue_id else None,
        candidate_venues=[
            CandidateVenue(
                id=str(v.id),
                name=v.name,
                municipality=Town.of(v.municipality),
                capacity=v.capacity,
                fee=v.fee,
            )
            for v in d.venues
        ],
        budget=BudgetOut(
            lines=[
                BudgetLineOut(
                    id=str(b.id),
                    category=b.category.value,
                    category_label=b.category.label,
                    item=b.item,
                    planned=b.planned,
                    actual=b.actual,
                    updated_by=b.updated_by,
                )
                for b in d.budget
            ],
            **asdict(d.budget_summary),
        ),
        created_by=s.created_by,
        updated_by=s.updated_by,
        updated_at=s.updated_at.isoformat(),
    )


# venue sizing -----------------------------------------------------------------------------------


class CandidateFit(CandidateVenue):
    fits: bool
    spare_seats: int


class RecommendationOut(Out):
    basis: str
    registrations: int
    no_show_rate: float
    margin: float
    expected_audience: int
    seats_needed: int
    recommended: CandidateVenue | None
    reason: str
    candidates: list[CandidateFit]

    @classmethod
    def of(cls, r: sizing.Recommendation) -> RecommendationOut:
        def venue(c: sizing.Candidate) -> dict[str, object]:
            return {
                "id": str(c.venue_id),
                "name": c.name,
                "municipality": Town.of(c.municipality),
                "capacity": c.capacity,
                "fee": c.fee,
            }

        return cls(
            basis=r.basis,
            registrations=r.registrations,
            no_show_rate=r.no_show_rate,
            margin=r.margin,
            expected_audience=r.expected_audience,
            seats_needed=r.seats_needed,
            recommended=CandidateVenue(**venue(r.recommended)) if r.recommended else None,
            reason=r.reason,
            candidates=[
                CandidateFit(**venue(f.candidate), fits=f.fits, spare_seats=f.spare_seats)
                for f in r.candidates
            ],
        )
