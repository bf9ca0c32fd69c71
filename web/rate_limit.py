"""Rate limits for the public channels: per sender and per client IP.

A sliding window: at most `limit` requests per `window` seconds per key. Set with
RATE_LIMIT_SENDER (default "10/10": 10 messages per 10 s per conversation) and
RATE_LIMIT_IP (default "60/10" per client address); "0" switches a limit off. Behind
a reverse proxy set SANIC_PROXIES_COUNT (or SANIC_REAL_IP_HEADER) so that the client's
address, not the proxy's, is used.

Without REDIS_URL the counts live in the Rasa process: one process, one set of limits.
With REDIS_URL (e.g. redis://127.0.0.1:6379/1) they live in Redis, so every Rasa
server behind a load balancer counts against the same limits. Keys are hashes of the
sender id or address and expire after the window. If Redis cannot be reached, a
request is allowed (logged): the limits protect capacity, they are not a gate.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

logger = logging.getLogger(__name__)

DEFAULT_SENDER_LIMIT = "10/10"
DEFAULT_IP_LIMIT = "60/10"
MAX_KEYS = 50_000  # the least recently seen keys are forgotten beyond this
REDIS_TIMEOUT = 0.5  # seconds for one Redis call before the request is allowed
REDIS_WARNING_INTERVAL = 10.0  # seconds between two warnings that Redis failed
KEY_PREFIX = "stamcel:"
_last_redis_warning = [-math.inf]

RATE_LIMITED_MESSAGE = (
    "U stuurt veel berichten kort na elkaar. Wacht {wait} en stel uw vraag dan "
    "opnieuw."
)


@dataclass(frozen=True)
class Limit:
    """At most `count` requests per `window` seconds; count 0 means no limit."""

    count: int
    window: float

    @classmethod
    def parse(cls, spec: str) -> Limit:
        """Parse "N/S" (N requests per S seconds) or "0" (no limit)."""
        count, _, window = spec.strip().partition("/")
        limit = cls(int(count), float(window or 1))
        if limit.count < 0 or limit.window <= 0:
            raise ValueError(f"Invalid rate limit {spec!r}: use N/S, e.g. 10/10.")
        return limit


class SlidingWindowLimiter:
    """Counts requests per key in a sliding window and refuses those over the limit."""

    def __init__(
        self,
        limit: Limit,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        """Create a limiter with its limit, a clock and a bound on remembered keys."""
        self.limit = limit
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> float:
        """Count one request for `key`; return 0 if allowed, else seconds to wait."""
        if self.limit.count == 0:
            return 0.0
        now = self._clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.limit.window:
                hits.popleft()
            self._hits[key] = hits  # most recently seen last
            if len(self._hits) > self._max_keys:
                self._hits.popitem(last=False)
            if len(hits) >= self.limit.count:
                return max(hits[0] + self.limit.window - now, 0.001)
            hits.append(now)
            return 0.0


# One atomic step in Redis: drop hits older than the window, refuse if `count` remain
# (answer the microseconds until the oldest leaves), else record this hit. The clock
# is Redis's own, so servers with skewed clocks still share one window.
SLIDING_WINDOW_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(tonumber(oldest[2]) + window - now, 1000)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return 0
"""


class Limiter(Protocol):
    """Anything that counts a request for a key and says how long to wait."""

    limit: Limit

    def retry_after(self, key: str) -> float:
        """Count one request for `key`; return 0 if allowed, else seconds to wait."""


def hashed_key(prefix: str, key: str) -> str:
    """Return the Redis key of a sender id or address: prefix and hash, not the key."""
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def warn_redis_failed(what: str, problem: Exception) -> None:
    """Log that Redis failed, at most once per REDIS_WARNING_INTERVAL seconds."""
    now = time.monotonic()
    if now - _last_redis_warning[0] >= REDIS_WARNING_INTERVAL:
        _last_redis_warning[0] = now
        logger.warning("Redis failed, %s: %s", what, problem)


def redis_from_env(env: Mapping[str, str] | None = None) -> Any | None:
    """Return a Redis client for REDIS_URL, or None when it is not set."""
    env = os.environ if env is None else env
    url = (env.get("REDIS_URL") or "").strip()
    if not url:
        return None
    import redis

    return redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


class RedisSlidingWindowLimiter:
    """The sliding window of SlidingWindowLimiter, kept in Redis for all servers."""

    def __init__(self, limit: Limit, client: Any, prefix: str) -> None:
        """Create a limiter on a Redis client; its keys start with `prefix`."""
        self.limit = limit
        self._client = client
        self._prefix = prefix
        self._script = client.register_script(SLIDING_WINDOW_SCRIPT)

    def retry_after(self, key: str) -> float:
        """Count one request for `key`; return 0 if allowed, else seconds to wait."""
        if self.limit.count == 0:
            return 0.0
        import redis

        try:
            wait = self._script(
                keys=[hashed_key(self._prefix, key)],
                args=[
                    self.limit.count,
                    int(self.limit.window * 1_000_000),
                    secrets.token_hex(8),
                ],
            )
        except redis.RedisError as problem:
            warn_redis_failed("rate limit not checked", problem)
            return 0.0
        return int(wait) / 1_000_000


@dataclass
class RateLimits:
    """The per-sender and per-client-address limiters (in memory or in Redis)."""

    sender: Limiter
    client: Limiter

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RateLimits:
        """Create the limiters from RATE_LIMIT_SENDER, RATE_LIMIT_IP and REDIS_URL."""
        env = os.environ if env is None else env
        sender = Limit.parse(env.get("RATE_LIMIT_SENDER") or DEFAULT_SENDER_LIMIT)
        client = Limit.parse(env.get("RATE_LIMIT_IP") or DEFAULT_IP_LIMIT)
        redis_client = redis_from_env(env)
        if redis_client is None:
            return cls(SlidingWindowLimiter(sender), SlidingWindowLimiter(client))
        prefix = KEY_PREFIX + "rate:"
        return cls(
            RedisSlidingWindowLimiter(sender, redis_client, prefix + "sender:"),
            RedisSlidingWindowLimiter(client, redis_client, prefix + "ip:"),
        )


def rate_limited_message(seconds: float) -> str:
    """Return the Dutch message for a refused request, with whole seconds to wait."""
    whole = max(1, math.ceil(seconds))
    return RATE_LIMITED_MESSAGE.format(
        wait="1 seconde" if whole == 1 else f"{whole} seconden"
    )
