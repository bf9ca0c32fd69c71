"""Latency and throughput figures of one load level (pure functions)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """One message: when it was sent, how long the answer took, and any error."""

    started: float
    latency: float
    error: str | None = None


@dataclass(frozen=True)
class Summary:
    """The figures of one server at one number of concurrent users."""

    users: int
    messages: int
    errors: int
    seconds: float
    rate: float
    p50: float
    p95: float
    p99: float
    mean: float
    worst: float
    error_kinds: dict[str, int]


def percentile(values: Sequence[float], q: float) -> float:
    """Return the q-th percentile (0-100), interpolated linearly as numpy does."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(samples: Sequence[Sample], users: int) -> Summary:
    """Summarise a level: answered messages per second over its wall time, latency."""
    ok = [s.latency for s in samples if s.error is None]
    kinds = Counter(s.error for s in samples if s.error is not None)
    if samples:
        first = min(s.started for s in samples)
        last = max(s.started + s.latency for s in samples)
        seconds = max(last - first, 1e-9)
    else:
        seconds = 0.0
    return Summary(
        users=users,
        messages=len(samples),
        errors=sum(kinds.values()),
        seconds=seconds,
        rate=len(ok) / seconds if seconds else 0.0,
        p50=percentile(ok, 50),
        p95=percentile(ok, 95),
        p99=percentile(ok, 99),
        mean=sum(ok) / len(ok) if ok else math.nan,
        worst=max(ok, default=math.nan),
        error_kinds=dict(kinds),
    )
