"""The public pages' rate limit: at most N hits per client in any window, and who the client is
behind a proxy. Pure rules, driven through time by the moments given to them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tosei_common.platform.clock import japan_moment
from tosei_common.platform.rate_limit import (
    CLIENT_HASH_BYTES,
    SlidingWindow,
    SlidingWindowLimiter,
    Verdict,
    client_hash,
    client_key,
)

T0 = japan_moment("2026-11-16 10:00")


def test_the_first_hits_pass_and_the_one_over_the_limit_is_told_when_to_come_back() -> None:
    limiter = SlidingWindowLimiter(3, timedelta(hours=1))
    for minutes in (0, 10, 20):
        assert limiter.hit("203.0.113.5", T0 + timedelta(minutes=minutes)).allowed
    refused = limiter.hit("203.0.113.5", T0 + timedelta(minutes=30))
    assert refused == Verdict(False, timedelta(minutes=30))  # when the 10:00 hit leaves
    assert refused.retry_after_seconds == 1800


def test_the_window_slides_one_hit_at_a_time() -> None:
    limiter = SlidingWindowLimiter(2, timedelta(minutes=10))
    assert limiter.hit("a", T0).allowed
    assert limiter.hit("a", T0 + timedelta(minutes=5)).allowed
    assert not limiter.hit("a", T0 + timedelta(minutes=9)).allowed
    assert limiter.hit("a", T0 + timedelta(minutes=10)).allowed  # the first has left
    assert not limiter.hit("a", T0 + timedelta(minutes=11)).allowed  # the 10:05 one has not
    assert limiter.hit("a", T0 + timedelta(minutes=15)).allowed


def test_knocking_while_refused_does_not_push_the_retry_time_away() -> None:
    limiter = SlidingWindowLimiter(1, timedelta(minutes=10))
    limiter.hit("a", T0)
    for seconds in range(1, 600, 7):
        assert not limiter.hit("a", T0 + timedelta(seconds=seconds)).allowed
    assert limiter.hit("a", T0 + timedelta(minutes=10)).allowed


def test_each_client_has_its_own_count() -> None:
    limiter = SlidingWindowLimiter(1, timedelta(hours=1))
    assert limiter.hit("203.0.113.5", T0).allowed
    assert not limiter.hit("203.0.113.5", T0).allowed
    assert limiter.hit("198.51.100.7", T0).allowed


def test_a_refusal_always_asks_to_wait_at_least_a_second() -> None:
    limiter = SlidingWindowLimiter(1, timedelta(seconds=10))
    limiter.hit("a", T0)
    refused = limiter.hit("a", T0 + timedelta(seconds=9, microseconds=999_999))
    assert refused.retry_after_seconds == 1


def test_memory_is_bounded_by_forgetting_the_clients_seen_least_recently() -> None:
    limiter = SlidingWindowLimiter(1, timedelta(hours=1), max_keys=3)
    for key in ("a", "b", "c"):
        limiter.hit(key, T0)
    limiter.hit("a", T0)  # refused, but seen again: b is now the oldest
    limiter.hit("d", T0)
    assert len(limiter) == 3
    assert limiter.hit("b", T0).allowed  # forgotten
    assert not limiter.hit("a", T0).allowed  # remembered


def test_a_limit_and_window_must_make_sense() -> None:
    with pytest.raises(ValueError, match="at least one"):
        SlidingWindowLimiter(0, timedelta(hours=1))
    with pytest.raises(ValueError, match="longer than zero"):
        SlidingWindowLimiter(1, timedelta(0))


def test_the_rule_keeps_only_the_hits_still_in_the_window_and_the_new_one() -> None:
    rule = SlidingWindow(3, timedelta(minutes=10))
    old, recent = T0 - timedelta(minutes=10), T0 - timedelta(minutes=4)
    decision = rule.decide([old, recent], T0)
    assert decision.verdict.allowed
    assert decision.hits == (recent, T0)  # the one that left the window is not kept
    assert rule.forgotten_at(decision.hits) == T0 + timedelta(minutes=10)


def test_hits_counted_by_replicas_whose_clocks_differ_a_little_still_count_in_order() -> None:
    rule = SlidingWindow(2, timedelta(minutes=10))
    # another replica's clock was 40 ms ahead: its hit is stored after a later one of ours
    ahead, ours = T0 + timedelta(milliseconds=40), T0 + timedelta(seconds=1)
    refused = rule.decide([ours, ahead], T0 + timedelta(seconds=2))
    assert refused.verdict == Verdict(
        False, timedelta(minutes=10) - timedelta(seconds=2) + timedelta(milliseconds=40)
    )
    assert refused.hits == (ahead, ours)


def test_a_lowered_limit_applies_to_hits_counted_under_the_old_one() -> None:
    earlier = [T0 + timedelta(minutes=m) for m in range(5)]  # counted while the limit was 5
    refused = SlidingWindow(3, timedelta(hours=1)).decide(earlier, T0 + timedelta(minutes=5))
    # three are too many already; the next may come when the third-newest leaves
    assert refused.verdict == Verdict(False, timedelta(minutes=57))
    assert refused.hits == tuple(earlier[2:])


# what is stored for a client ------------------------------------------------------------------


def test_a_stored_client_is_a_keyed_hash_that_names_no_address() -> None:
    stored = client_hash("203.0.113.5", "secret-one-of-at-least-thirty-two-bytes")
    assert len(stored) == CLIENT_HASH_BYTES
    assert stored == client_hash("203.0.113.5", "secret-one-of-at-least-thirty-two-bytes")
    assert stored != client_hash("203.0.113.6", "secret-one-of-at-least-thirty-two-bytes")
    # without the secret nobody can recompute it from the address
    assert stored != client_hash("203.0.113.5", "secret-two-of-at-least-thirty-two-bytes")


# who the client is ---------------------------------------------------------------------------


def test_without_a_configured_header_the_peer_address_counts_and_forwarded_for_is_ignored() -> None:
    spoofed = {"x-forwarded-for": "192.0.2.1", "x-real-ip": "192.0.2.2"}
    assert client_key("203.0.113.5", spoofed, None) == "203.0.113.5"


def test_a_configured_header_names_the_client_and_its_last_address_is_the_proxys() -> None:
    headers = {"x-forwarded-for": "192.0.2.1, 203.0.113.5"}
    assert client_key("10.0.0.2", headers, "X-Forwarded-For") == "203.0.113.5"
    assert client_key("10.0.0.2", {"x-real-ip": "198.51.100.7"}, "X-Real-IP") == "198.51.100.7"


def test_a_missing_or_unreadable_header_falls_back_to_the_peer() -> None:
    assert client_key("10.0.0.2", {}, "X-Real-IP") == "10.0.0.2"
    assert client_key("10.0.0.2", {"x-real-ip": "not an address"}, "X-Real-IP") == "10.0.0.2"


def test_ipv6_clients_count_by_their_64_network_and_mapped_ipv4_as_ipv4() -> None:
    one = client_key("2001:db8:1:2::1", {}, None)
    other = client_key("2001:db8:1:2:ffff::9", {}, None)
    assert one == other == "2001:db8:1:2::/64"
    assert client_key("::ffff:203.0.113.5", {}, None) == "203.0.113.5"
    assert client_key("x", {"x-real-ip": "[2001:db8::1]:443"}, "X-Real-IP") == "2001:db8::/64"
    assert client_key("x", {"x-real-ip": "203.0.113.5:4711"}, "X-Real-IP") == "203.0.113.5"


def test_no_peer_at_all_is_one_client_not_a_crash() -> None:
    assert client_key(None, {}, None) == "unknown"
