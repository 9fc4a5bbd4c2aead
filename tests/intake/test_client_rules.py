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
    SearchTerms,
    check_merge,
    find_match,
    looks_like_the_same_person,
    new_keys,
    search_terms,
    spelling,
)

T0 = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)


def known(person: Person, *, created: datetime = T0) -> KnownClient:
    keys = frozenset((k.kind, k.key) for k in person.keys)
    return KnownClient(uuid.uuid4(), created, keys, frozenset({spelling(person.name)}))


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
        ("山田", SearchTerms(name_part="山田")),
        ("髙橋　花子", SearchTerms(name_part="高橋花子")),
        ("一ケ谷", SearchTerms(name_part="一け谷")),
        ("723-1111", SearchTerms(phone_part="7231111")),
        ("０１７－７２３", SearchTerms(phone_part="017723")),
        ("+81 17 723", SearchTerms(phone_part="017723")),
        ("ヤマダ", SearchTerms(name_part="やまだ")),
        ("Taro.Yamada@", SearchTerms(email_part="taro.yamada@")),
        ("ｔａｒｏ＠example.jp", SearchTerms(email_part="taro@example.jp")),
        ("   ", SearchTerms()),
    ],
)
def test_a_search_box_holds_a_name_a_phone_number_or_an_e_mail(
    query: str, expected: SearchTerms
) -> None:
    assert search_terms(query) == expected
    assert expected.empty is (query.strip() == "")


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


@pytest.mark.parametrize(
    ("first", "again"),
    [
        (Person("一ヶ谷 翔", phone="017-788-0001"), Person("一ケ谷　翔", phone="0177880001")),
        (Person("𠮷田 一郎", phone="017-755-0101"), Person("吉田一郎", phone="017-755-0101")),
        (
            Person("齋藤 恵", email="megumi@example.jp"),
            Person("斉藤 恵", email="megumi@example.jp"),
        ),
        (Person("渡邉 健", phone="080-1111-2222"), Person("渡辺 健", phone="08011112222")),
    ],
)
def test_the_variants_desks_meet_are_the_same_person(first: Person, again: Person) -> None:
    client = known(first)
    assert find_match(again, [client]) == client


def test_furigana_and_business_help_find_a_client_but_never_make_two_people_one() -> None:
    father = Person("佐藤 健", furigana="さとう けん", phone="017-723-1111")
    son = Person("佐藤 賢", furigana="サトウ ケン", phone="017-723-1111")  # one family landline
    assert find_match(son, [known(father)]) is None
    keys = {(k.kind, k.key) for k in new_keys(father, None, business_name="佐藤 商店")}
    assert (KeyKind.FURIGANA, "さとうけん") in keys
    assert (KeyKind.BUSINESS, "佐藤商店") in keys
    assert [k.kind for k in father.contact_keys] == [KeyKind.PHONE]
    reading_only = KnownClient(uuid.uuid4(), T0, frozenset({(KeyKind.FURIGANA, "さとうけん")}))
    also_reading = KnownClient(uuid.uuid4(), T0, frozenset({(KeyKind.FURIGANA, "さとうけん")}))
    assert not looks_like_the_same_person(reading_only, also_reading)


def test_a_new_spelling_of_the_name_is_kept_and_spacing_is_not_a_spelling() -> None:
    client = known(Person("高橋 一郎", phone="017-723-1111"))
    spaced = Person("高橋　一郎", phone="017-723-1111")
    assert new_keys(spaced, client) == []
    old_form = Person("髙橋 一郎", phone="017-723-1111")
    assert [(k.kind, k.shown) for k in new_keys(old_form, client)] == [(KeyKind.NAME, "髙橋 一郎")]
