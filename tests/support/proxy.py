"""A TCP proxy the tests can cut, to show what happens when a dependency goes away."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass


@dataclass
class _Link:
    """One proxied connection: its two ends, and a cut armed on its COMMIT."""

    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    commit_cut: str | None = None


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to a target; ``cut()`` drops all connections, refuses new ones.

    ``cut_at_commit()`` arms a cut timed on the next COMMIT a client sends: ``"during"`` passes
    the COMMIT to the server (which commits) and drops the connection before the answer comes
    back, ``"after"`` passes the answer back too and drops the connection right after it. New
    connections are accepted again afterwards.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        # A host that is a directory means a Unix socket, as PostgreSQL URLs write it.
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.open = True
        self._commit_cut: str | None = None
        self.commits_cut = 0

    def cut_at_commit(self, when: str) -> None:
        assert when in ("during", "after")
        self._commit_cut = when

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        host, port = self.target
        try:
            if host.startswith("/"):
                up_reader, up_writer = await asyncio.open_unix_connection(f"{host}/.s.PGSQL.{port}")
            else:
                up_reader, up_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.close()
            return
        self._writers.update({writer, up_writer})
        link = _Link(writer, up_writer)
        await asyncio.gather(
            self._pipe(reader, up_writer, link, upstream=True),
            self._pipe(up_reader, writer, link, upstream=False),
            return_exceptions=True,
        )

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        link: _Link,
        *,
        upstream: bool,
    ) -> None:
        try:
            while data := await reader.read(65536):
                if upstream and self._commit_cut and b"COMMIT" in data:
                    link.commit_cut, self._commit_cut = self._commit_cut, None
                elif not upstream and link.commit_cut:
                    # the server's answer to this connection's COMMIT: it has committed
                    if link.commit_cut == "after":
                        writer.write(data)
                        await writer.drain()
                    self._drop(link)
                    return
                writer.write(data)
                await writer.drain()
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()

    def _drop(self, link: _Link) -> None:
        link.commit_cut = None
        self.commits_cut += 1
        for writer in (link.client, link.server):
            with contextlib.suppress(Exception):
                writer.close()

    def cut(self) -> None:
        self.open = False
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def restore(self) -> None:
        self.open = True

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


def proxied_database_url(url: str, proxy_port: int) -> str:
    """The same database reached through the proxy on 127.0.0.1."""
    from urllib.parse import urlsplit

    from tosei_common.platform.db import database_name

    parts = urlsplit(url)
    user = parts.username or "postgres"
    return f"postgresql://{user}@127.0.0.1:{proxy_port}/{database_name(url)}"


def database_address(url: str) -> tuple[str, int]:
    """Host (or socket directory) and port of a PostgreSQL URL."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or "127.0.0.1"])[0]
    port = int(query.get("port", [parts.port or 5432])[0])
    return host, port
