"""Rate limits for the public channels: per sender and per client IP, in memory.

A sliding window: at most `limit` requests per `window` seconds per key. Set with
RATE_LIMIT_SENDER (default "10/10": 10 messages per 10 s per conversation) and
RATE_LIMIT_IP (default "60/10" per client address); "0" switches a limit off. Behind
a reverse proxy set SANIC_PROXIES_COUNT (or SANIC_REAL_IP_HEADER) so that the client's
address, not the proxy's, is used. The counts live in the Rasa process: one process,
one set of limits (Rasa runs one worker with the in-memory lock store).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

DEFAULT_SENDER_LIMIT = "10/10"
DEFAULT_IP_LIMIT = "60/10"
MAX_KEYS = 50_000  # the least recently seen keys are forgotten beyond this

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


@dataclass
class RateLimits:
    """The per-sender and per-client-address limiters of one server."""

    sender: SlidingWindowLimiter
    client: SlidingWindowLimiter

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RateLimits:
        """Create the limiters from RATE_LIMIT_SENDER and RATE_LIMIT_IP."""
        env = os.environ if env is None else env
        return cls(
            sender=SlidingWindowLimiter(
                Limit.parse(env.get("RATE_LIMIT_SENDER") or DEFAULT_SENDER_LIMIT)
            ),
            client=SlidingWindowLimiter(
                Limit.parse(env.get("RATE_LIMIT_IP") or DEFAULT_IP_LIMIT)
            ),
        )


def rate_limited_message(seconds: float) -> str:
    """Return the Dutch message for a refused request, with whole seconds to wait."""
    whole = max(1, math.ceil(seconds))
    return RATE_LIMITED_MESSAGE.format(
        wait="1 seconde" if whole == 1 else f"{whole} seconden"
    )
