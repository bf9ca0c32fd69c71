"""Rate limits and busy senders shared through a real Redis (REDIS_URL).

Two limiters or claim sets on two Redis clients stand for two Rasa servers, on the
real Redis of tests/robustness/conftest.py.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
import redis

from tests.unit.test_turn_units import second_message_is_refused
from tools.stack import free_port
from web.busy import BusySenders, RedisBusySenders, busy_senders_from_env
from web.rate_limit import (
    Limit,
    RateLimits,
    RedisSlidingWindowLimiter,
    SlidingWindowLimiter,
)
from web.turn import Gate


def client(redis_url: str) -> redis.Redis:
    """A client of its own, as each Rasa server has."""
    return redis.Redis.from_url(redis_url)


def test_two_servers_count_against_one_window(redis_url: str) -> None:
    limit = Limit(3, 1.0)
    one = RedisSlidingWindowLimiter(limit, client(redis_url), "t:")
    two = RedisSlidingWindowLimiter(limit, client(redis_url), "t:")
    assert [one.retry_after("u"), two.retry_after("u"), one.retry_after("u")] == [
        0.0
    ] * 3
    wait = two.retry_after("u")
    assert 0.5 < wait <= 1.0  # the same refusal as one server over the limit
    assert one.retry_after("other") == 0.0  # per key
    time.sleep(wait + 0.05)
    assert two.retry_after("u") == 0.0


def test_in_memory_limiters_of_two_servers_do_not_share() -> None:
    """The control: without Redis each server lets `count` through on its own."""
    one, two = SlidingWindowLimiter(Limit(2, 60)), SlidingWindowLimiter(Limit(2, 60))
    assert [one.retry_after("u"), one.retry_after("u")] == [0.0, 0.0]
    assert two.retry_after("u") == 0.0


def test_refused_requests_do_not_extend_the_wait(redis_url: str) -> None:
    limiter = RedisSlidingWindowLimiter(Limit(1, 0.6), client(redis_url), "t:")
    assert limiter.retry_after("u") == 0.0
    for _ in range(5):
        time.sleep(0.05)
        assert limiter.retry_after("u") > 0
    time.sleep(0.4)
    assert limiter.retry_after("u") == 0.0


def test_keys_are_hashed_and_expire(redis_url: str) -> None:
    store = client(redis_url)
    limiter = RedisSlidingWindowLimiter(Limit(5, 2.0), store, "t:")
    limiter.retry_after("10.1.2.3")
    [key] = store.keys("*")
    assert b"10.1.2.3" not in key and key.startswith(b"t:")
    assert 0 < store.pttl(key) <= 2000


def test_zero_means_no_limit_and_no_redis_call(redis_url: str) -> None:
    limiter = RedisSlidingWindowLimiter(Limit.parse("0"), client(redis_url), "t:")
    assert all(limiter.retry_after("u") == 0.0 for _ in range(100))
    assert client(redis_url).dbsize() == 0


def test_redis_down_allows_the_request_and_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = redis.Redis(port=free_port(), socket_connect_timeout=0.2)
    limiter = RedisSlidingWindowLimiter(Limit(1, 10), down, "t:")
    with caplog.at_level(logging.WARNING, logger="web.rate_limit"):
        assert [limiter.retry_after("u") for _ in range(3)] == [0.0] * 3
    assert any("Redis failed" in r.getMessage() for r in caplog.records)


def test_redis_url_switches_limits_and_claims_to_redis(redis_url: str) -> None:
    shared = RateLimits.from_env({"REDIS_URL": redis_url, "RATE_LIMIT_SENDER": "3/5"})
    assert isinstance(shared.sender, RedisSlidingWindowLimiter)
    assert shared.sender.limit == Limit(3, 5.0)
    assert isinstance(busy_senders_from_env({"REDIS_URL": redis_url}), RedisBusySenders)
    local = RateLimits.from_env({})
    assert isinstance(local.client, SlidingWindowLimiter)
    assert type(busy_senders_from_env({})) is BusySenders


def test_a_sender_busy_on_one_server_is_busy_on_the_other(redis_url: str) -> None:
    one, two = RedisBusySenders(client(redis_url)), RedisBusySenders(client(redis_url))
    assert one.claim("abcdefgh")
    assert not two.claim("abcdefgh") and not one.claim("abcdefgh")
    assert two.claim("other-sender")
    one.release("abcdefgh")
    assert two.claim("abcdefgh")


def test_a_claim_of_a_dead_server_expires(redis_url: str) -> None:
    dead, alive = RedisBusySenders(client(redis_url), ttl=0.3), RedisBusySenders(
        client(redis_url)
    )
    assert dead.claim("abcdefgh")  # and never released
    assert not alive.claim("abcdefgh")
    time.sleep(0.4)
    assert alive.claim("abcdefgh")
    dead.release("abcdefgh")  # late: must not remove the new owner's claim
    assert not RedisBusySenders(client(redis_url)).claim("abcdefgh")


async def test_a_second_message_sent_to_another_server_is_refused(
    redis_url: str,
) -> None:
    def server_gate() -> Gate:
        env = {"REDIS_URL": redis_url, "RATE_LIMIT_SENDER": "0", "RATE_LIMIT_IP": "0"}
        return Gate(RateLimits.from_env(env), busy=busy_senders_from_env(env))

    await second_message_is_refused(server_gate(), server_gate())


async def test_a_claim_is_renewed_while_its_turn_runs(redis_url: str) -> None:
    one, two = RedisBusySenders(client(redis_url), ttl=0.3), RedisBusySenders(
        client(redis_url)
    )
    assert one.claim("abcdefgh")
    keeping = asyncio.create_task(one.keep("abcdefgh"))
    await asyncio.sleep(0.7)  # more than twice the ttl
    assert not two.claim("abcdefgh")
    keeping.cancel()  # as if the server died: no more renewals
    await asyncio.sleep(0.4)
    assert two.claim("abcdefgh")
