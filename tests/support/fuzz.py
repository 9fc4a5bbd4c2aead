"""Fuzz a service's HTTP API from its own OpenAPI document (schemathesis): no request may get a 5xx.

The service runs under uvicorn in the test's event loop (its pool and broker belong to that loop);
schemathesis generates requests from the OpenAPI document and sends them from a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import schemathesis
import uvicorn
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from tosei_common.devtools.devstack import free_port


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int | None = None) -> AsyncIterator[str]:
    """Serve ``app`` on a loopback port (a free one unless given) for the duration; yield its
    base URL."""
    port = port or free_port()
    server = uvicorn.Server(
        # As `tosei serve` runs them: uvicorn would otherwise believe X-Forwarded-For from a
        # loopback peer, and every test client is one.
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="warning",
            proxy_headers=False,
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def _fuzz(base_url: str, headers: Mapping[str, str], max_examples: int) -> list[str]:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # raises on an invalid schema

        @given(case=operation.as_strategy())
        @settings(
            max_examples=max_examples,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case[Any]) -> None:
            response = case.call(base_url=base_url, headers=dict(headers), timeout=30)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} query={case.query!r} "
                    f"body={case.body!r} → {response.status_code} {response.text[:300]}"
                )

        with contextlib.suppress(Unsatisfiable):
            check()
    return failures


async def server_errors(
    app: FastAPI, headers: Mapping[str, str], *, max_examples: int = 25
) -> list[str]:
    """Every generated request that got a 5xx, described; an empty list is the goal."""
    async with serving(app) as base_url:
        return await asyncio.to_thread(_fuzz, base_url, headers, max_examples)
