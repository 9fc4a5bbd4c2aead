"""Rate limits for public pages: at most ``limit`` hits per client in any ``window``, and who the
client is behind a proxy.

The rule is pure (``SlidingWindow.decide``): it is told the moments of a client's recent hits
and the moment of the new one (the caller reads its injected clock), so a test drives it through
time without sleeping. Where the moments are kept is the caller's: ``SlidingWindowLimiter`` keeps
them in this process's memory (right for one process, and for the rule's tests); a service with
several replicas keeps them in its database so that they all count together (the console's
``public_rate_limits``), storing only ``client_hash`` of the client, never its address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

#: An IPv6 subscriber is given a whole /64 (2^64 addresses): counting single IPv6 addresses
#: would let one household or one server pick a fresh address for every request.
IPV6_PREFIX = 64
#: How long a client key may be (a header's odd value is cut, not stored whole).
_MAX_KEY = 64
#: Bytes of HMAC-SHA256 kept for a stored client: 128 bits tell the clients of any window apart
#: (a collision would merely make two clients share a count), and nothing more is kept.
CLIENT_HASH_BYTES = 16


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


@dataclass(frozen=True)
class Decision:
    """A verdict, and the hits to keep for the client afterwards (oldest first): those still in
    the window, and the new one when it was let through."""

    verdict: Verdict
    hits: tuple[datetime, ...]


class SlidingWindow:
    """The rule: at most ``limit`` hits per client in any period of ``window`` (a sliding log:
    exact, and small because ``limit`` is small: the moments of the last ``limit`` hits).

    A refused hit is not counted: a client that keeps knocking does not push its own retry
    time further away, and is let through as soon as its oldest hit leaves the window.
    """

    def __init__(self, limit: int, window: timedelta) -> None:
        if limit < 1:
            raise ValueError("a limit lets at least one hit through")
        if window <= timedelta(0):
            raise ValueError("a window is longer than zero")
        self.limit = limit
        self.window = window

    def decide(self, hits: Sequence[datetime], at: datetime) -> Decision:
        """Whether a hit at ``at`` passes, given the client's earlier counted ``hits`` (in any
        order: replicas' clocks may differ by a little)."""
        kept = sorted(h for h in hits if h > at - self.window)
        if len(kept) >= self.limit:
            kept = kept[-self.limit :]  # fewer, if the limit was lowered since they were counted
            return Decision(Verdict(False, kept[0] + self.window - at), tuple(kept))
        return Decision(Verdict(True), (*kept, at))

    def forgotten_at(self, hits: Sequence[datetime]) -> datetime:
        """When every one of ``hits`` has left the window: from then on the client's record
        says nothing and is deleted."""
        return max(hits) + self.window


class SlidingWindowLimiter:
    """``SlidingWindow`` with the hits kept in this process's memory: each process counts on
    its own, so it suits one process (and the rule's tests), not replicas.

    Memory is bounded: at most ``max_keys`` clients are remembered, the least recently seen
    forgotten first (whoever commands that many addresses is not stopped by a per-address
    limit anyway).
    """

    def __init__(self, limit: int, window: timedelta, *, max_keys: int = 100_000) -> None:
        self.rule = SlidingWindow(limit, window)
        self.max_keys = max_keys
        self._hits: OrderedDict[str, tuple[datetime, ...]] = OrderedDict()

    @property
    def limit(self) -> int:
        return self.rule.limit

    @property
    def window(self) -> timedelta:
        return self.rule.window

    def hit(self, key: str, at: datetime) -> Verdict:
        """Count a hit of ``key`` at ``at`` if the limit allows it."""
        decision = self.rule.decide(self._hits.get(key, ()), at)
        self._hits[key] = decision.hits
        self._hits.move_to_end(key)
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        return decision.verdict

    def __len__(self) -> int:
        """How many clients are remembered."""
        return len(self._hits)


def client_hash(key: str, secret: str) -> bytes:
    """What is stored for a client instead of its address: HMAC-SHA256 of the ``client_key``,
    keyed by a key derived from ``secret`` for this use alone, cut to ``CLIENT_HASH_BYTES``.

    Without the secret the stored value names no address. With it, an IPv4 address could be
    found by trying all 2^32 of them: the secret stays in the service's settings, and the rows
    are deleted as soon as their hits have left the window.
    """
    own_key = hmac.new(secret.encode(), b"tosei.rate-limit.client", hashlib.sha256).digest()
    digest = hmac.new(own_key, key.encode(), hashlib.sha256).digest()
    return digest[:CLIENT_HASH_BYTES]


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
