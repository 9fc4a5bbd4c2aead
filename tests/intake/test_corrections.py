"""Correcting a consultation: why, what changed (old → new), and what caseflow must hear."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, Origin
from tosei_common.platform.errors import Unprocessable
from tosei_intake.domain.consultations import Consultation
from tosei_intake.domain.corrections import ConsultationCorrection, correct_consultation

AT = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
ON_FILE = Consultation(
    id=uuid.UUID(int=1),
    client_id=uuid.UUID(int=2),
    registered_client_id=uuid.UUID(int=2),
    person_name="山田 太郎",
    furigana=None,
    phone=None,
    email=None,
    business_name="津軽りんご工房",
    stage=BusinessStage.PLANNING,
    municipality="022012",
    categories=(Category.FOUNDING_PLAN,),
    channel=Channel.WALK_IN,
    description="創業の相談",
    consent_to_share=False,
    consulted_at=datetime(2026, 11, 16, 1, 0, tzinfo=UTC),
    origin=Origin.NEW_DESK,
    legacy=None,
    expert=None,
    created_at=datetime(2026, 11, 16, 1, 0, tzinfo=UTC),
    created_by="desk:kimura",
)


def test_a_correction_keeps_old_and_new_and_announces_what_others_count() -> None:
    fix = ConsultationCorrection(
        reason="市町村の選択誤り", municipality="023078", stage=BusinessStage.EARLY
    )
    done = correct_consultation(ON_FILE, fix, at=AT)
    assert done.changes == {
        "municipality": {"old": "022012", "new": "023078"},
        "stage": {"old": "planning", "new": "early"},
    }
    assert done.consultation.municipality == "023078"
    assert done.event is not None
    assert (done.event.municipality, done.event.stage, done.event.categories) == (
        "023078",
        BusinessStage.EARLY,
        [Category.FOUNDING_PLAN],
    )
    assert "山田" not in done.event.model_dump_json()


def test_a_correction_of_the_wording_or_the_channel_stays_in_intake() -> None:
    fix = ConsultationCorrection(reason="書き直し", channel=Channel.PHONE, description="電話で相談")
    done = correct_consultation(ON_FILE, fix, at=AT)
    assert set(done.changes) == {"channel", "description"}
    assert done.event is None


@pytest.mark.parametrize(
    ("fix", "says"),
    [
        (ConsultationCorrection(reason=None, municipality="023078"), "理由"),
        (ConsultationCorrection(reason="同じ", municipality="022012"), "訂正する項目がありません"),
        (ConsultationCorrection(reason="何も"), "訂正する項目がありません"),
    ],
)
def test_a_correction_says_why_and_changes_something(
    fix: ConsultationCorrection, says: str
) -> None:
    with pytest.raises(Unprocessable) as refused:
        correct_consultation(ON_FILE, fix, at=AT)
    assert says in refused.value.message.ja
