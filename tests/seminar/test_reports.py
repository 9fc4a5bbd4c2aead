"""The organisers' reports as they read them: rates rounded half up (四捨五入), the attendee list
with its wait list, and the feedback figures as a spreadsheet."""

from __future__ import annotations

import csv
import io

import httpx

from tests.seminar.conftest import COORDINATOR, ok, open_seminar, person, register
from tests.seminar.test_registrations import check_in_everyone_and_hold
from tests.support.auth import bearer
from tosei_common.catalogue.seminar import AttendeeRole
from tosei_common.platform.clock import SettableClock
from tosei_common.region.municipalities import AOMORI
from tosei_seminar.domain.reports import Feedback, summarise_feedback


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("\r\n".join(csv_lines(response)))))


def csv_lines(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Japanese Excel
    return [line for line in response.content.decode("utf-8-sig").split("\r\n") if line]


async def test_5_of_16_attended_reads_31_3_percent_in_the_report_and_its_csv(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    seminar = await open_seminar(client)
    registered = [await register(client, seminar, person(n)) for n in range(1, 17)]
    came = [r["reference"] for r in registered[:5]]
    await check_in_everyone_and_hold(client, seminar, came, clock)

    report = ok(await client.get(f"/seminars/{seminar.id}/attendance", headers=COORDINATOR))
    venue = next(r for r in report["by_mode"] if r["key"] == "venue")
    assert (venue["registered"], venue["attended"], venue["rate"]) == (16, 5, 0.313)
    lines = csv_lines(
        await client.get(f"/seminars/{seminar.id}/attendance.csv", headers=COORDINATOR)
    )
    assert "参加方法,会場参加,16,5,31.3%" in lines
    assert "合計,,16,5,31.3%" in lines


def test_feedback_means_and_the_response_rate_round_half_up() -> None:
    ratings = [4, 4, 4, 5, 5, 4, 4, 3]  # 33 / 8 = 4.125
    answers = [Feedback(AttendeeRole.NURSE, AOMORI.code, s, s, None) for s in ratings]
    summary = summarise_feedback(answers, attended=16)
    assert summary.response_rate == 0.5
    assert (summary.satisfaction_mean, summary.usefulness_mean) == (4.13, 4.13)
    assert summary.satisfaction_by_role == {"看護師": 4.13}
    assert summarise_feedback(answers[:5], attended=16).response_rate == 0.313


async def test_the_attendee_list_names_the_wait_list_in_order_and_leaves_the_cancelled_out(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, venue_seats=2)
    first, second = [await register(client, seminar, person(n)) for n in (1, 2)]
    third = await register(client, seminar, person(3, phone="0177001234", email=None))
    gone = await register(client, seminar, person(4))
    fifth = await register(client, seminar, person(5))
    ok(await client.post(f"/registrations/{gone['reference']}/cancel"))

    rows = csv_rows(await client.get(f"/seminars/{seminar.id}/attendees.csv", headers=COORDINATOR))
    listed = [(r["受付番号"], r["申込状況"], r["キャンセル待ち順位"]) for r in rows]
    assert listed == [
        (first["reference"], "参加確定", ""),
        (second["reference"], "参加確定", ""),
        (third["reference"], "キャンセル待ち", "1"),
        (fifth["reference"], "キャンセル待ち", "2"),
    ]
    assert rows[2]["電話"] == "017-700-1234"  # text with its 0, as people write it
    assert list(rows[0])[8:10] == ["申込状況", "キャンセル待ち順位"]


async def test_the_feedback_figures_download_as_a_spreadsheet_without_comments_or_names(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    seminar = await open_seminar(client)
    nurse = await register(client, seminar, person(1, name="山田 花子"))
    resident = await register(client, seminar, person(2, role="resident"))
    third = await register(client, seminar, person(3))
    await register(client, seminar, person(4))  # registered, did not come
    came = [nurse["reference"], resident["reference"], third["reference"]]
    await check_in_everyone_and_hold(client, seminar, came, clock)
    for reference, satisfaction, usefulness, comment in (
        (nurse["reference"], 5, 4, "退院前カンファレンスの事例が参考になった"),
        (resident["reference"], 4, 4, None),
    ):
        answer = {"satisfaction": satisfaction, "usefulness": usefulness, "comment": comment}
        ok(await client.post(f"/registrations/{reference}/feedback", json=answer), 201)

    url = f"/seminars/{seminar.id}/feedback.csv"
    response = await client.get(url, headers=COORDINATOR)
    assert "attachment" in response.headers["content-disposition"]
    lines = csv_lines(response)
    assert lines == [
        "区分,項目,回答者数,出席者数,回答率,平均,1点,2点,3点,4点,5点",
        "設問,満足度,2,3,66.7%,4.5,0,0,0,1,1",
        "設問,業務・生活に役立つか,2,3,66.7%,4.0,0,0,0,2,0",
        "職種別の満足度,看護師,,,,5.0,,,,,",
        "職種別の満足度,住民,,,,4.0,,,,,",
    ]
    summary = ok(await client.get(f"/seminars/{seminar.id}/feedback", headers=COORDINATOR))
    assert (summary["response_rate"], summary["satisfaction_mean"]) == (0.667, 4.5)
    text = response.content.decode("utf-8-sig")
    assert "退院前" not in text
    assert "山田" not in text
    officer = bearer("municipality", municipality="平内町")  # reads the figures, as in JSON:
    # two answers are two people, each of them hidden (秘匿), as /feedback hides them
    assert csv_lines(await client.get(url, headers=officer)) == [
        "区分,項目,回答者数,出席者数,回答率,平均,1点,2点,3点,4点,5点",
        "設問,満足度,―,3,―,―,0,0,0,―,―",
        "設問,業務・生活に役立つか,―,3,―,―,0,0,0,―,0",
        "職種別の満足度,看護師,,,,―,,,,,",
        "職種別の満足度,住民,,,,―,,,,,",
        "注記,3人未満の区分は、個人が特定されないよう「―」（秘匿）としています,,,,,,,,,",
    ]
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=bearer("expert"))).status_code == 403
