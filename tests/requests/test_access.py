"""Who may do what, pure: officers their own town's items, coordinators the council's decisions,
auditors reading, the public only what is published."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.requests.test_domain import briefing, request
from tests.requests.towns import AOMORI, FIVE, HIRANAI
from tosei_common.platform.errors import Forbidden, NotFound
from tosei_common.platform.principal import Principal, Role
from tosei_common.region.fiscal import TOKYO
from tosei_requests.domain import access
from tosei_requests.domain.status import ItemStatus

COORDINATOR = Principal(subject="kikaku", role=Role.COORDINATOR)
AUDITOR = Principal(subject="kansa", role=Role.AUDITOR)
DESK = Principal(subject="madoguchi", role=Role.DESK)
AOMORI_OFFICER = Principal(subject="a", role=Role.MUNICIPALITY, municipality=AOMORI)
HIRANAI_OFFICER = Principal(subject="h", role=Role.MUNICIPALITY, municipality=HIRANAI)


def test_an_officer_reads_everything_but_other_towns_drafts() -> None:
    draft = request(status=ItemStatus.DRAFT)
    access.ensure_may_read_item(AOMORI_OFFICER, draft)
    access.ensure_may_read_item(AUDITOR, draft)
    with pytest.raises(NotFound):
        access.ensure_may_read_item(HIRANAI_OFFICER, draft)
    access.ensure_may_read_item(HIRANAI_OFFICER, request(status=ItemStatus.SUBMITTED))
    with pytest.raises(Forbidden):
        access.ensure_may_read(DESK)


@pytest.mark.parametrize(
    ("status", "joint", "fixed", "may"),
    [
        (ItemStatus.DRAFT, False, False, True),
        (ItemStatus.ADOPTED, False, False, True),  # the town refines it until the agenda is fixed
        (ItemStatus.ADOPTED, False, True, False),
        (ItemStatus.DRAFT, True, False, True),
        (ItemStatus.SUBMITTED, True, False, False),  # a joint item: only while a draft
        (ItemStatus.WITHDRAWN, False, False, False),
    ],
)
def test_an_officer_edits_their_town_s_items_within_the_rules(
    status: ItemStatus, joint: bool, fixed: bool, may: bool
) -> None:
    item = request(towns=tuple(FIVE) if joint else (AOMORI,), status=status)
    towns = item.municipalities
    if may:
        access.ensure_may_revise(AOMORI_OFFICER, item, agenda_fixed=fixed, towns_after=towns)
    else:
        with pytest.raises(Forbidden):
            access.ensure_may_revise(AOMORI_OFFICER, item, agenda_fixed=fixed, towns_after=towns)
    access.ensure_may_revise(COORDINATOR, item, agenda_fixed=fixed, towns_after=towns)


def test_an_officer_cannot_edit_another_town_s_item_or_leave_their_own_town_out() -> None:
    item = request(towns=(AOMORI,), status=ItemStatus.DRAFT)
    with pytest.raises(Forbidden):
        access.ensure_may_revise(HIRANAI_OFFICER, item, agenda_fixed=False, towns_after=(AOMORI,))
    with pytest.raises(Forbidden) as left_out:
        access.ensure_may_revise(AOMORI_OFFICER, item, agenda_fixed=False, towns_after=(HIRANAI,))
    assert left_out.value.message.ja == "要望する市町村に青森市を含めてください"
    with pytest.raises(Forbidden):
        access.ensure_may_draft(AUDITOR, (AOMORI,))


@pytest.mark.parametrize(
    ("status", "to", "officer_may"),
    [
        (ItemStatus.DRAFT, ItemStatus.SUBMITTED, True),
        (ItemStatus.DRAFT, ItemStatus.WITHDRAWN, True),
        (ItemStatus.SUBMITTED, ItemStatus.ADOPTED, False),
        (ItemStatus.SUBMITTED, ItemStatus.RETURNED, False),
        (ItemStatus.RETURNED, ItemStatus.DRAFT, True),
        (ItemStatus.ADOPTED, ItemStatus.WITHDRAWN, False),
    ],
)
def test_towns_submit_and_withdraw_coordinators_adopt_and_return(
    status: ItemStatus, to: ItemStatus, officer_may: bool
) -> None:
    item = request(status=status)
    access.ensure_may_move(COORDINATOR, item, to)
    if officer_may:
        access.ensure_may_move(AOMORI_OFFICER, item, to)
    else:
        with pytest.raises(Forbidden):
            access.ensure_may_move(AOMORI_OFFICER, item, to)
    with pytest.raises(Forbidden):
        access.ensure_may_move(AUDITOR, item, to)


def test_the_public_sees_a_year_only_once_its_book_is_published() -> None:
    held = briefing(request())
    with pytest.raises(NotFound):
        access.ensure_may_read_published(None, held)
    with pytest.raises(NotFound):
        access.ensure_may_read_published(None, None)
    access.ensure_may_read_published(AUDITOR, held)
    published = held.model_copy(
        update={"book_published_at": datetime(2020, 10, 16, 13, 0, tzinfo=TOKYO)}
    )
    access.ensure_may_read_published(None, published)
    with pytest.raises(Forbidden):
        access.ensure_may_read_published(DESK, published)
    with pytest.raises(Forbidden):
        access.ensure_coordinator(AOMORI_OFFICER, "議題の確定")
