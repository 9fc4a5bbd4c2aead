"""A loop a service runs in the background until it stops: the outbox relay, the mail relay."""

from __future__ import annotations

import asyncio
import contextlib


class BackgroundLoop:
    """Start once, wake early, stop after the pass in flight. Subclasses write ``_run``, which
    loops until ``self._stopping`` is set and waits on ``self._wake`` between passes."""

    def __init__(self, task_name: str) -> None:
        self._task_name = task_name
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run the loop in the background until ``stop``."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self._task_name)

    def wake(self) -> None:
        """Do the next pass now instead of at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop after the pass in flight; what it did not reach waits for the next start."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        raise NotImplementedError
