"""The per-sender and per-client rate limits (web.rate_limit)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from web.rate_limit import (
    Limit,
    RateLimits,
    SlidingWindowLimiter,
    rate_limited_message,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_cut_at_the_limit_and_allowed_again_later() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(Limit(10, 10), clock)
    assert [limiter.retry_after("u") for _ in range(10)] == [0.0] * 10
    assert limiter.retry_after("u") == pytest.approx(10.0)
    assert limiter.retry_after("other") == 0.0  # per key
    clock.now += 4
    assert limiter.retry_after("u") == pytest.approx(6.0)
    clock.now += 6
    assert limiter.retry_after("u") == 0.0


def test_refused_requests_do_not_extend_the_wait() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(Limit(2, 10), clock)
    limiter.retry_after("u"), limiter.retry_after("u")
    for _ in range(50):
        clock.now += 0.1
        assert limiter.retry_after("u") > 0
    clock.now = 1010.0
    assert limiter.retry_after("u") == 0.0


def test_zero_means_no_limit() -> None:
    limiter = SlidingWindowLimiter(Limit.parse("0"))
    assert all(limiter.retry_after("u") == 0.0 for _ in range(1000))


def test_memory_is_bounded() -> None:
    limiter = SlidingWindowLimiter(Limit(1, 60), max_keys=100)
    for key in range(1000):
        limiter.retry_after(str(key))
    assert len(limiter._hits) <= 100


@pytest.mark.parametrize("spec", ["x", "10/0", "-1/10", "10/-5", "1/x"])
def test_invalid_limits_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        Limit.parse(spec)


def test_limits_come_from_the_environment() -> None:
    limits = RateLimits.from_env({"RATE_LIMIT_SENDER": "3/5", "RATE_LIMIT_IP": "0"})
    assert limits.sender.limit == Limit(3, 5.0)
    assert limits.client.limit == Limit(0, 1.0)
    assert RateLimits.from_env({}).sender.limit == Limit(10, 10.0)
    assert RateLimits.from_env({}).client.limit == Limit(60, 10.0)


def test_the_message_is_dutch_with_whole_seconds() -> None:
    assert rate_limited_message(0.2) == (
        "U stuurt veel berichten kort na elkaar. Wacht 1 seconde en stel uw vraag "
        "dan opnieuw."
    )
    assert "Wacht 7 seconden" in rate_limited_message(6.01)


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.integers(1, 5),
    st.lists(st.floats(0, 3, allow_nan=False), min_size=1, max_size=60),
)
def test_never_more_than_the_limit_in_any_window(count: int, gaps: list) -> None:
    clock = Clock()
    window = 2.0
    limiter = SlidingWindowLimiter(Limit(count, window), clock)
    allowed = []
    for gap in gaps:
        clock.now += gap
        if limiter.retry_after("u") == 0.0:
            allowed.append(clock.now)
    for start in allowed:
        assert sum(start <= t < start + window for t in allowed) <= count
