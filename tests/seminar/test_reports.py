"""The organisers' reports as they read them: rates rounded half up (四捨五入), the attendee list
with its wait list, and the feedback figures as a spreadsheet."""

from __future__ import annotations

import httpx

from tests.seminar.conftest import COORDINATOR, ok, open_seminar, person, register
from tests.seminar.test_registrations import check_in_everyone_and_hold
from tosei_common.catalogue.seminar import AttendeeRole
from tosei_common.platform.clock import SettableClock
from tosei_common.region.municipalities import AOMORI
from tosei_seminar.domain.reports import Feedback, summarise_feedback


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
