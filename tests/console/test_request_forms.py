"""The requests screens' forms: the joint order typed as numbers, the service's answers said by
the fields' names on screen, and the moves each person is offered."""

from __future__ import annotations

from tosei_common.platform.principal import Role
from tosei_console.domain import request_forms as forms

A, B, C = "a-item", "b-item", "c-item"


def test_the_joint_order_follows_the_numbers_typed_and_a_blank_leaves_an_item_off() -> None:
    typed = {f"rank.{A}": "2", f"rank.{B}": "１", f"rank.{C}": ""}
    assert forms.joint_order(typed, [A, B, C]) == forms.JointOrder([B, A])


def test_a_number_twice_or_not_a_number_is_said_beside_each_item_concerned() -> None:
    typed = {f"rank.{A}": "1", f"rank.{B}": "1", f"rank.{C}": "一"}
    refused = forms.joint_order(typed, [A, B, C])
    assert refused.errors == {
        f"rank.{A}": "順位1がほかの要望と重複しています",
        f"rank.{B}": "順位1がほかの要望と重複しています",
        f"rank.{C}": "順位は1以上の数字で入力してください",
    }
    nothing = forms.joint_order({f"rank.{A}": " "}, [A])
    assert nothing.errors == {"items": "議題にする要望の順位を入力してください"}


def test_the_service_naming_an_agenda_item_by_its_place_is_said_beside_its_number() -> None:
    said = forms.agenda_errors({"items.1": "未採択です（作成中）", "reason": "…"}, [B, A])
    assert said == {f"rank.{A}": "未採択です（作成中）", "reason": "…"}


def test_a_refused_form_is_summed_up_by_the_fields_names_on_screen() -> None:
    errors = {"title": "入力してください", "requested_amount_yen": "整数で入力してください"}
    said = forms.summary("入力内容を確認してください。title: …", errors, validation=True)
    assert said == (
        "入力内容を確認してください。要望事項（件名）（入力してください）、"
        "要望額（円）（整数で入力してください）"
    )
    own = "国土強靱化地域計画に事業 … がありません"
    assert forms.summary(own, {"plan_item_ids": "…"}, validation=False) == own


def test_amounts_are_taken_as_people_write_them_and_anything_else_goes_as_typed() -> None:
    body = forms.item_body(
        {"requested_amount_yen": "350,000,000円", "town_priority": "２", "title": " "},
        departments=[],
        towns=[],
        plan_items=[],
    )
    assert (body["requested_amount_yen"], body["town_priority"], body["title"]) == (
        350_000_000,
        2,
        None,
    )
    assert forms.item_body(
        {"requested_amount_yen": "三億"}, departments=[], towns=[], plan_items=[]
    )["requested_amount_yen"] == ("三億")
    assert "title" not in forms.draft_body({"title": None, "body": "x"}, "2026")


def test_history_values_read_as_words() -> None:
    departments = {"kendo": "県土整備部"}
    assert forms.change_text("municipalities", ["023019", "022012"], departments) == (
        "平内町・青森市"
    )
    assert forms.change_text("departments", ["kendo"], departments) == "県土整備部"
    assert forms.change_text("status", "adopted", departments) == "採択"
    assert forms.change_text("plan_item_ids", ["x", "y"], departments) == "2件"
    assert forms.change_text("requested_amount_yen", 1_500_000, departments) == "1,500,000円"
    assert forms.change_text("town_priority", None, departments) == "（なし）"


def test_each_person_is_offered_only_their_moves() -> None:
    def offered(role: Role, status: str, **kw: bool) -> list[str]:
        return [m.to for m in forms.moves_for(role, status, **kw)]

    assert offered(Role.MUNICIPALITY, "draft", own=True) == ["submitted", "withdrawn"]
    assert offered(Role.MUNICIPALITY, "draft", own=False) == []
    assert offered(Role.MUNICIPALITY, "submitted", own=True) == ["withdrawn"]
    assert offered(Role.COORDINATOR, "submitted", own=False) == [
        "adopted",
        "returned",
        "withdrawn",
    ]
    assert offered(Role.COORDINATOR, "adopted", own=False, agenda_fixed=True) == []
    assert offered(Role.AUDITOR, "submitted", own=False) == []
