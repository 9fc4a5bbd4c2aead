"""When two registrations are the same person, and what a coordinator may merge."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tosei_common.platform.errors import Conflict, Unprocessable
from tosei_intake.domain.clients import (
    ClientState,
    KeyKind,
    KnownClient,
    Person,
    check_merge,
    find_match,
    looks_like_the_same_person,
    new_keys,
    search_terms,
)

T0 = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)


def known(person: Person, *, created: datetime = T0) -> KnownClient:
    return KnownClient(uuid.uuid4(), created, frozenset((k.kind, k.key) for k in person.keys))


YAMADA = Person("山田 太郎", phone="017-723-1111", email="taro.yamada@example.jp")


@pytest.mark.parametrize(
    "typed",
    [
        Person("山田　太郎", phone="０１７－７２３－１１１１"),
        Person("山田太郎", phone="0177231111"),
        Person(" 山田 太郎 ", email="Taro.Yamada@Example.JP"),
        Person("山田 太郎", phone="+81 17-723-1111"),
    ],
)
def test_the_same_person_typed_differently_is_recognised(typed: Person) -> None:
    client = known(YAMADA)
    assert find_match(typed, [client]) == client


def test_old_character_forms_of_a_name_are_the_same_name() -> None:
    takahashi = known(Person("髙橋 花子", phone="080-1234-5678"))
    assert find_match(Person("高橋花子", phone="08012345678"), [takahashi]) == takahashi


def test_a_namesake_with_other_contacts_is_another_person() -> None:
    other = Person("山田 太郎", phone="0172-11-2222", email="yamada@hirosaki.example.jp")
    assert find_match(other, [known(YAMADA)]) is None


def test_someone_else_on_the_same_landline_is_another_person() -> None:
    wife = Person("山田 花子", phone="017-723-1111")
    assert find_match(wife, [known(YAMADA)]) is None


def test_without_phone_or_email_nobody_can_be_recognised() -> None:
    assert find_match(Person("山田 太郎"), [known(YAMADA)]) is None


def test_of_two_matching_records_the_oldest_wins() -> None:
    older = known(YAMADA, created=T0)
    newer = known(YAMADA, created=T0 + timedelta(days=3))
    assert find_match(YAMADA, [newer, older]) == older


def test_a_returning_client_brings_only_their_new_contacts() -> None:
    client = known(Person("山田 太郎", phone="017-723-1111"))
    again = Person("山田太郎", phone="017-723-1111", email="taro@tsugaru-ringo.example.jp")
    assert [(k.kind, k.key) for k in new_keys(again, client)] == [
        (KeyKind.EMAIL, "taro@tsugaru-ringo.example.jp")
    ]


def test_records_sharing_only_a_name_are_worth_a_look() -> None:
    a = known(Person("山田 太郎", phone="017-723-1111"))
    b = known(Person("山田太郎", phone="090-9999-0000"))
    c = known(Person("佐藤 健", phone="090-9999-0001"))
    assert looks_like_the_same_person(a, b)
    assert not looks_like_the_same_person(a, c)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("山田", ("山田", None)),
        ("髙橋　花子", ("高橋花子", None)),
        ("723-1111", (None, "7231111")),
        ("０１７－７２３", (None, "017723")),
        ("+81 17 723", (None, "017723")),
        ("ヤマダ", ("やまだ", None)),
        ("   ", (None, None)),
    ],
)
def test_a_search_box_holds_a_name_or_a_phone_number(
    query: str, expected: tuple[str | None, str | None]
) -> None:
    assert search_terms(query) == expected


def test_a_client_cannot_be_merged_into_itself() -> None:
    one = ClientState(uuid.uuid4(), None)
    with pytest.raises(Unprocessable) as refused:
        check_merge(one, one)
    assert "duplicate_id" in refused.value.fields


def test_a_record_merged_already_cannot_be_merged_again() -> None:
    survivor = ClientState(uuid.uuid4(), None)
    gone = ClientState(uuid.uuid4(), survivor.id)
    with pytest.raises(Conflict, match="merged into"):
        check_merge(ClientState(uuid.uuid4(), None), gone)
    with pytest.raises(Conflict, match="merged into"):
        check_merge(gone, ClientState(uuid.uuid4(), None))
