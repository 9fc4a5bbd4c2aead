"""Rate limits for public pages: at most ``limit`` hits per client in any ``window``, and who the
client is behind a proxy.

Pure: the limiter is told the moment of each hit (the caller reads its injected clock), so a test
drives it through time without sleeping. State lives in the process's memory, which is enough
for one instance of a public web front (each instance counts on its own; say so where it runs).
"""

from __future__ import annotations

import ipaddress
import math
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

#: An IPv6 subscriber is given a whole /64 (2^64 addresses): counting single IPv6 addresses
#: would let one household or one server pick a fresh address for every request.
IPV6_PREFIX = 64
#: How long a client key may be (a header's odd value is cut, not stored whole).
_MAX_KEY = 64


@dataclass(frozen=True)
class Verdict:
    """Whether a hit is let through; when refused, how long until the next one would be."""

    allowed: bool
    retry_after: timedelta = timedelta(0)

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds, rounded up (the ``Retry-After`` header's value): never 0 when
        refused, so a client that obeys it is let through."""
        return max(1, math.ceil(self.retry_after.total_seconds())) if not self.allowed else 0


class SlidingWindowLimiter:
    """At most ``limit`` hits per key in any period of ``window`` (a sliding log: exact, and
    small because ``limit`` is small: the moments of the last ``limit`` hits per key).

    A refused hit is not counted: a client that keeps knocking does not push its own retry
    time further away, and is let through as soon as its oldest hit leaves the window.
    Memory is bounded: at most ``max_keys`` clients are remembered, the least recently seen
    forgotten first (whoever commands that many addresses is not stopped by a per-address
    limit anyway).
    """

    def __init__(self, limit: int, window: timedelta, *, max_keys: int = 100_000) -> None:
        if limit < 1:
            raise ValueError("a limit lets at least one hit through")
        if window <= timedelta(0):
            raise ValueError("a window is longer than zero")
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._hits: OrderedDict[str, deque[datetime]] = OrderedDict()

    def hit(self, key: str, at: datetime) -> Verdict:
        """Count a hit of ``key`` at ``at`` if the limit allows it."""
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
        self._hits.move_to_end(key)
        while hits and hits[0] <= at - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return Verdict(False, hits[0] + self.window - at)
        hits.append(at)
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        return Verdict(True)

    def __len__(self) -> int:
        """How many clients are remembered."""
        return len(self._hits)


def client_key(peer: str | None, headers: Mapping[str, str], trusted_header: str | None) -> str:
    """Who the client is, for a rate limit.

    Without ``trusted_header`` it is the connection's peer address: a header any client can
    send (X-Forwarded-For) is never believed unless the operator named it, because only the
    operator knows that a proxy in front sets it. With it, the header's value is used, and
    when it lists several addresses (X-Forwarded-For), the last one: the one the operator's
    own proxy added (those before it came from the client). A request without the header, or
    with a value that is no address, is counted by its peer address.

    IPv4 addresses count one by one; IPv6 addresses by their /64 network.
    """
    chosen = peer
    if trusted_header:
        sent = headers.get(trusted_header.lower()) or headers.get(trusted_header)
        if sent:
            last = sent.split(",")[-1].strip()
            if _address(last) is not None:
                chosen = last
    address = _address(chosen or "")
    if address is None:
        return (chosen or "unknown")[:_MAX_KEY]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    # "[2001:db8::1]" and "203.0.113.5:4711" as some proxies write them
    value = text.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None
