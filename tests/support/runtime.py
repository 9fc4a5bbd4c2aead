"""Start a service runtime against the test database and broker, and stop it afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from tosei_common.platform.events import Envelope
from tosei_common.platform.service import Runtime, ServiceSpec, ToolContext
from tosei_common.platform.settings import Settings


def fast_settings(**overrides: object) -> Settings:
    """Settings tuned for tests: quick polling and retries, small pools."""
    values: dict[str, object] = {
        "relay_poll_interval_s": 0.2,
        "relay_max_backoff_s": 1.0,
        "consumer_retry_backoff_s": 0.01,
        "db_pool_max": 5,
        # Tansu lets a consumer join its group after about half the session timeout, but not
        # sooner than a second: 2000 ms joins in ~1 s (3000 took ~2 s, and every service a test
        # starts with a consumer waits for its join). Heartbeats go every 500 ms.
        "consumer_session_timeout_ms": 2000,
        "auth_secret": "test-secret-of-at-least-thirty-two-bytes",
        # the daily retention run would erase other tests' old records (a hand-over of 2019
        # is past its period on TEST_NOW): only the tests of retention turn it on
        "retention_schedule": False,
        # mail: no SMTP server unless a test gives one (tests/support/mailbox.py); quick retries
        "mail_poll_interval_s": 0.1,
        "mail_retry_backoff_s": 0.1,
        "mail_max_backoff_s": 0.3,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@asynccontextmanager
async def running(
    spec: ServiceSpec,
    settings: Settings,
    *,
    database_url: str,
    bootstrap: str,
    on_committed: Callable[[list[Envelope]], None] | None = None,
    connected: bool = True,
    **options: Any,
) -> AsyncIterator[Runtime]:
    runtime = Runtime(
        spec,
        settings,
        database_url=database_url,
        kafka_bootstrap=bootstrap,
        on_committed=on_committed,
        **options,
    )
    await runtime.start()
    try:
        if connected:
            await runtime.wait_connected(30)
        yield runtime
    finally:
        await runtime.stop()


class Start(Protocol):
    """The ``start`` fixture: run a service on the test's database and broker."""

    def __call__(
        self,
        spec: ServiceSpec,
        settings: Settings | None = None,
        *,
        on_committed: Callable[[list[Envelope]], None] | None = None,
        connected: bool = True,
        **options: Any,
    ) -> AbstractAsyncContextManager[Runtime]: ...


def tool_on(database: str, *specs: ServiceSpec) -> ToolContext:
    """What ``tosei`` hands a service's own subcommand, on the given database (no broker)."""

    @asynccontextmanager
    async def the_database() -> AsyncIterator[str]:
        yield database

    return ToolContext(fast_settings(), {s.name: s for s in specs}, "127.0.0.1:1", the_database)
