"""The console's stack marked ``seminar`` mails its registrants to a mailbox the browser tests
read (``Stack.mailbox``), with links to this very console."""

from __future__ import annotations

import httpx
import pytest

from tests.console.conftest import Stack
from tests.seminar.conftest import open_seminar, person, register
from tests.support.mailbox import text_of


@pytest.mark.seminar
async def test_a_registrant_s_mail_arrives_in_the_stack_s_mailbox_linking_to_the_console(
    stack: Stack,
) -> None:
    assert stack.seminar is not None
    assert stack.mailbox is not None
    async with httpx.AsyncClient(base_url=stack.seminar) as http:
        seminar = await open_seminar(http)
        mine = await register(http, seminar, person(1, email="ichiro@clinic.example.jp"))
    (mail,) = await stack.mailbox.wait_for(1, to="ichiro@clinic.example.jp")
    assert f"{stack.console}/seminar/my/{mine['reference']}" in text_of(mail)
