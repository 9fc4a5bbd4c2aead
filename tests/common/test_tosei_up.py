"""`tosei up` (what `make up` runs): it all starts, says where it answers, stops on Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tosei_common.devstack import free_port, port_is_open

pytestmark = pytest.mark.slow

SERVICES = ["intake", "caseflow", "seminar", "resilience", "requests"]


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
    env = {
        **os.environ,
        "TOSEI_DATABASE_URL": database_url,
        "TOSEI_DATA_DIR": str(tmp_path),
        "TOSEI_BROKER_PORT": str(broker_port),
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
            while (ready := get(f"{url}/readyz"))[0] != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert ready == (200, {"status": "ready", "database": True, "broker": True})
    finally:
        stopped_at = time.monotonic()
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
        took = time.monotonic() - stopped_at

    assert process.returncode == 0, "".join(lines) + output
    assert took < 15, f"stopping took {took:.1f}s"
    assert "stopped." in output
    for port in [*ports.values(), broker_port]:
        assert not port_is_open("127.0.0.1", port), f"port {port} still open"
