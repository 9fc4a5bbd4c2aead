"""docs/integrators.md's consumer, run as written against a broker and the intake service: it
prints each case opened once, even when the record arrives twice."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from tests.intake.helpers import DESK, consultation
from tests.support.runtime import Start
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_intake.app import SERVICE as INTAKE

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "integrators.md"

pytestmark = pytest.mark.slow


def example() -> str:
    """The first python block of the guide, as a reader would copy it."""
    found = re.search(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert found, "docs/integrators.md has no python example"
    return found.group(1)


class Lines:
    """What the example prints, line by line, as it prints it."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.seen: list[str] = []

    async def next(self, timeout: float = 60.0) -> str:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        if not line:
            stderr = await self.process.stderr.read() if self.process.stderr else b""
            raise AssertionError(f"the example stopped: {stderr.decode(errors='replace')}")
        self.seen.append(line.decode().rstrip("\n"))
        return self.seen[-1]


@pytest.fixture
async def intake(start: Start, schema: str) -> AsyncIterator[Runtime]:
    async with start(INTAKE, schema=schema) as rt:
        yield rt


@pytest.fixture
async def watcher(broker: TansuBroker, tmp_path: Path) -> AsyncIterator[Lines]:
    script = tmp_path / "case_watcher.py"
    script.write_text(example(), encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        env={**os.environ, "TOSEI_KAFKA_BOOTSTRAP": broker.bootstrap, "PYTHONUNBUFFERED": "1"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield Lines(process)
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


async def test_the_guide_s_consumer_prints_each_case_once(
    intake: Runtime, watcher: Lines, broker: TansuBroker
) -> None:
    transport = httpx.ASGITransport(app=build_app(intake))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as http:
        opened = await http.post("/consultations", json=consultation(), headers=DESK)
        assert opened.status_code == 201, opened.text
        case_id = opened.json()["id"]

        line = await watcher.next()
        assert line.startswith(f"case opened: {case_id} 023078 "), line
        assert "founding_plan" in line

        # The same record again (as after a relay crash), then another case: the duplicate is
        # skipped, so the next line is the second case and nothing follows.
        original = await _read_first(broker.bootstrap, "tosei.intake.cases")
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(
                original.topic,
                original.value,
                key=original.key,
                headers=list(original.headers),
                partition=original.partition,
            )
        finally:
            await producer.stop()
        again = await http.post(
            "/consultations", json=consultation(municipality="平内町"), headers=DESK
        )
        assert again.status_code == 201, again.text

        second = await watcher.next()
        assert second.startswith(f"case opened: {again.json()['id']} 023019 "), watcher.seen
        with pytest.raises(TimeoutError):
            await watcher.next(timeout=3)
    assert len(watcher.seen) == 2


async def _read_first(bootstrap: str, topic: str) -> ConsumerRecord[bytes, bytes]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    try:
        record: ConsumerRecord[bytes, bytes] = await asyncio.wait_for(consumer.getone(), 30)
        return record
    finally:
        await consumer.stop()
