"""A real Prometheus (Debian's package, installed by `make tools`) and the platform it scrapes."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from tosei_common.devtools.devstack import free_port

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
DASHBOARDS = sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json"))


def tool(name: str) -> str:
    """The path of a tool `make tools` installs; fail (not skip) when it is missing."""
    found = shutil.which(name)
    if found is None:
        raise AssertionError(f"{name} is not installed: run `make tools` (it installs it)")
    return found


@dataclass
class Services:
    """``tosei serve`` processes, one per service, and where each answers."""

    urls: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]]
    logs: Path

    def log(self, service: str) -> str:
        return (self.logs / f"{service}.log").read_text(errors="replace")


@contextmanager
def serving(services: list[str], env: Mapping[str, str], logs: Path) -> Iterator[Services]:
    """Start ``tosei serve SERVICE`` for each service on a free port; stop them all after."""
    tosei = str(Path(sys.executable).parent / "tosei")
    ports = {service: free_port() for service in services}
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs.mkdir(parents=True, exist_ok=True)
    try:
        for service, port in ports.items():
            out = (logs / f"{service}.log").open("wb")
            processes[service] = subprocess.Popen(
                [tosei, "serve", service],
                env={**os.environ, **env, f"TOSEI_{service.upper()}_PORT": str(port)},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        yield Services({s: f"http://127.0.0.1:{p}" for s, p in ports.items()}, processes, logs)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def scrape_config(targets: Mapping[str, str], *, interval: str = "1s") -> dict[str, Any]:
    """The repository's prometheus.yml with local targets: the same jobs, the same rules."""
    return {
        "global": {"scrape_interval": interval, "evaluation_interval": interval},
        "rule_files": [str(ALERTS)],
        "scrape_configs": [
            {
                "job_name": job,
                "static_configs": [{"targets": [url.removeprefix("http://")]}],
            }
            for job, url in targets.items()
        ],
    }


@dataclass
class Prometheus:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    async def query(self, client: httpx.AsyncClient, expr: str) -> dict[str, Any]:
        """The API's answer to an instant query (status, data or error), as it is."""
        response = await client.post(f"{self.url}/api/v1/query", data={"query": expr})
        answer: dict[str, Any] = response.json()
        return answer

    async def value(self, client: httpx.AsyncClient, expr: str) -> float | None:
        """The single value of ``expr`` now (None when it has no series)."""
        answer = await self.query(client, expr)
        assert answer["status"] == "success", (expr, answer)
        result = answer["data"]["result"]
        if not result:
            return None
        assert len(result) == 1, (expr, result)
        return float(result[0]["value"][1])


@contextmanager
def prometheus(config: Mapping[str, Any], directory: Path) -> Iterator[Prometheus]:
    directory.mkdir(parents=True, exist_ok=True)
    config_file = directory / "prometheus.yml"
    config_file.write_text(yaml.safe_dump(dict(config)))
    port = free_port()
    log = directory / "prometheus.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                tool("prometheus"),
                f"--config.file={config_file}",
                f"--storage.tsdb.path={directory / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Prometheus(f"http://127.0.0.1:{port}", process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_until(check: Any, *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = await check()
        except (httpx.HTTPError, AssertionError) as exc:
            last = exc
        else:
            if last:
                return last
        await asyncio.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout}s (last: {last!r})")


def alert_expressions() -> dict[str, str]:
    rules = yaml.safe_load(ALERTS.read_text())
    return {
        rule["alert"]: rule["expr"]
        for group in rules["groups"]
        for rule in group["rules"]
        if "alert" in rule
    }


def dashboard_queries() -> dict[str, str]:
    """Every panel query of the provisioned dashboards, as Grafana would send it."""
    import json

    queries: dict[str, str] = {}
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                expr = (
                    target["expr"]
                    .replace("$__rate_interval", "1m")
                    .replace("$__interval", "15s")
                    .replace("$job", ".+")
                )
                queries[f"{path.stem}: {panel['title']} ({target['refId']})"] = expr
    return queries
