"""`tosei up` (what `make up` runs): it all starts, says where it answers, keeps it running,
stops on Ctrl-C."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import httpx
import psutil
import pytest

from tests.seminar.conftest import open_seminar, person, register
from tests.support.auth import SECRET
from tests.support.mailbox import text_of
from tosei_common.devtools.devstack import free_port, port_is_open
from tosei_common.devtools.mailbox import read_eml
from tosei_common.devtools.supervisor import LONGEST_PAUSE_S, restart_pause

pytestmark = pytest.mark.slow

SERVICES = ["intake", "caseflow", "seminar", "resilience", "requests", "console"]


def get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_up_starts_everything_prints_the_urls_and_stops_cleanly_on_ctrl_c(
    database_url: str, tmp_path: Path
) -> None:
    ports = {name: free_port() for name in SERVICES}
    broker_port = free_port()
    mail_port = free_port()
    env = {
        **os.environ,
        "TOSEI_DATABASE_URL": database_url,
        "TOSEI_DATA_DIR": str(tmp_path),
        "TOSEI_BROKER_PORT": str(broker_port),
        "TOSEI_MAIL_DEV_PORT": str(mail_port),
        "TOSEI_AUTH_SECRET": SECRET,
        **{f"TOSEI_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    env.pop("TOSEI_KAFKA_BOOTSTRAP", None)
    tosei = Path(sys.executable).with_name("tosei")
    process = subprocess.Popen(
        [str(tosei), "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 90
        while not any("Ctrl-C stops everything" in line for line in lines):
            line = process.stdout.readline()
            assert line or process.poll() is None, "".join(lines)
            lines.append(line)
            assert time.monotonic() < deadline, "".join(lines)

        urls = dict(re.findall(r"^(\w+)\s+(http://127\.0\.0\.1:\d+)", "".join(lines), re.M))
        assert urls == {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        for name, url in urls.items():
            assert get(f"{url}/healthz") == (200, {"status": "ok", "service": name})
            deadline = time.monotonic() + 30
            everything = (200, {"status": "ready", "database": True, "broker": True})
            while (ready := get(f"{url}/readyz")) != everything and time.monotonic() < deadline:
                time.sleep(0.2)  # ready with the database; the broker connects in the background
            assert ready == everything
        said = "".join(lines)
        assert f"mail        127.0.0.1:{mail_port} (development mailbox" in said
        assert f"{tmp_path / 'mail'}/" in said
        reference = asyncio.run(register_with_an_email(urls["seminar"]))
        assert reference in text_of(wait_for_eml(tmp_path / "mail"))
    finally:
        stopped_at = time.monotonic()
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
        took = time.monotonic() - stopped_at

    assert process.returncode == 0, "".join(lines) + output
    assert took < 15, f"stopping took {took:.1f}s"
    assert "stopped." in output
    for port in [*ports.values(), broker_port, mail_port]:
        assert not port_is_open("127.0.0.1", port), f"port {port} still open"


async def register_with_an_email(seminar_url: str) -> str:
    """A registration on the seminar `tosei up` runs; its reference."""
    async with httpx.AsyncClient(base_url=seminar_url, timeout=30) as http:
        seminar = await open_seminar(http)
        done = await register(http, seminar, person(1, email="up@hospital.example.jp"))
    reference: str = done["reference"]
    return reference


def wait_for_eml(directory: Path) -> EmailMessage:
    deadline = time.monotonic() + 30
    while not list(directory.glob("*.eml")):
        assert time.monotonic() < deadline, f"no .eml in {directory}"
        time.sleep(0.1)
    (found,) = directory.glob("*.eml")
    return read_eml(found)


def _wait_for_line(process: subprocess.Popen[str], lines: list[str], text: str) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + 90
    while True:
        line = process.stdout.readline()
        assert line or process.poll() is None, "".join(lines)
        lines.append(line)
        if text in line:
            return line
        assert time.monotonic() < deadline, "".join(lines)


def _child(process: subprocess.Popen[str], needle: str) -> psutil.Process:
    for child in psutil.Process(process.pid).children(recursive=True):
        if needle in " ".join(child.cmdline()):
            return child
    raise AssertionError(f"no child process runs {needle!r}")


def _all_ready(urls: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    for url in urls.values():
        while get_or_none(f"{url}/readyz") != 200:
            assert time.monotonic() < deadline, f"{url} not ready again"
            time.sleep(0.2)


def get_or_none(url: str) -> int | None:
    try:
        return get(url)[0]
    except OSError:
        return None


def test_up_restarts_a_service_that_dies_and_the_broker_with_what_it_held(
    database_url: str, tmp_path: Path
) -> None:
    ports = {name: free_port() for name in SERVICES}
    env = {
        **os.environ,
        "TOSEI_DATABASE_URL": database_url,
        "TOSEI_DATA_DIR": str(tmp_path),
        "TOSEI_BROKER_PORT": str(free_port()),
        "TOSEI_MAIL_DEV_PORT": str(free_port()),
        **{f"TOSEI_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    env.pop("TOSEI_KAFKA_BOOTSTRAP", None)
    tosei = Path(sys.executable).with_name("tosei")
    process = subprocess.Popen(
        [str(tosei), "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        _wait_for_line(process, lines, "Ctrl-C stops everything")
        _all_ready(urls)
        others = {name: _child(process, f"serve {name}").pid for name in SERVICES[2:]}

        _child(process, "serve caseflow").kill()
        assert "caseflow exited with -9; restarting in 1s" in _wait_for_line(
            process, lines, "caseflow exited"
        )
        assert "restart 1" in _wait_for_line(process, lines, "caseflow restarted")
        _all_ready(urls)
        assert {name: _child(process, f"serve {name}").pid for name in SERVICES[2:]} == others

        _child(process, "tansu").kill()
        _wait_for_line(process, lines, "the broker exited")
        assert "restart 1" in _wait_for_line(process, lines, "broker restarted")
        _all_ready(urls)
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, "".join(lines) + output


def test_a_process_that_keeps_dying_waits_longer_each_time_up_to_a_limit() -> None:
    pauses = [0.0]
    for _ in range(8):
        pauses.append(restart_pause(pauses[-1], ran_for=2.0))
    assert pauses[1:] == [
        1.0,
        2.0,
        4.0,
        8.0,
        16.0,
        LONGEST_PAUSE_S,
        LONGEST_PAUSE_S,
        LONGEST_PAUSE_S,
    ]
    assert restart_pause(LONGEST_PAUSE_S, ran_for=600.0) == 1.0  # it had been running fine
