"""The load generator: simulated users talking to the web channel over HTTP.

Each user takes the next conversation, opens it under a new sender id and sends its
turns one after another, each as soon as the previous answer is in (a closed loop
without think time, so the figures are the server's capacity). A level stops at
`max_messages` messages or after `max_seconds`, whichever comes first; only loopback
addresses are accepted.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlsplit

import aiohttp

from tools.bench.scenarios import Session
from tools.bench.stats import Sample

MESSAGE_PATH = "/webhooks/web/message"
REQUEST_TIMEOUT = 30.0  # seconds: slower counts as an error
# Answers that come back as HTTP 200 but tell the user something went wrong.
DEGRADED = {"utter_action_unavailable", "notice_store_down"}
LOOPBACK = ("127.", "localhost", "[::1]", "::1")


def check_loopback(url: str) -> None:
    """Refuse any target that is not on this machine's loopback interface."""
    host = urlsplit(url).hostname or ""
    if not host.startswith(LOOPBACK):
        raise ValueError(f"The load generator only targets loopback, not {host!r}.")


def sender_id() -> str:
    """Return a new sender id that the web channel accepts (8-64 of [A-Za-z0-9_-])."""
    return f"bench-{uuid.uuid4().hex[:16]}"


def answer_error(status: int, body: object) -> str | None:
    """Return what was wrong with an answer (None: a proper answer)."""
    if status != 200:
        return f"HTTP {status}"
    messages = body.get("messages") if isinstance(body, dict) else None
    if not messages:
        return "no answer"
    for message in messages:
        if isinstance(message, dict) and message.get("response") in DEGRADED:
            return str(message["response"])
    return None


async def send(
    session: aiohttp.ClientSession, url: str, sender: str, text: str
) -> Sample:
    """Send one message and time the answer."""
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as r:
            body = await r.json(content_type=None)
            error = answer_error(r.status, body)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as problem:
        error = type(problem).__name__
    return Sample(started, time.perf_counter() - started, error)


class Budget:
    """Hands out permissions to send until the message count or the time is used."""

    def __init__(self, max_messages: int, max_seconds: float) -> None:
        """Start the budget now."""
        self.left = max_messages
        self.deadline = time.perf_counter() + max_seconds

    def take(self) -> bool:
        """Take one message from the budget; False when it is used up."""
        if self.left <= 0 or time.perf_counter() >= self.deadline:
            return False
        self.left -= 1
        return True


async def user(
    session: aiohttp.ClientSession,
    url: str,
    conversations: Iterator[Session],
    budget: Budget,
    done: Callable[[Sample], None],
) -> None:
    """Play conversations, turn by turn, until the budget is used up."""
    while True:
        sender = sender_id()
        for text in next(conversations):
            if not budget.take():
                return
            done(await send(session, url, sender, text))


async def run_level(
    base_url: str,
    users: int,
    sessions: Sequence[Session],
    max_messages: int,
    max_seconds: float,
    on_sample: Callable[[Sample], None] = lambda _: None,
) -> list[Sample]:
    """Run `users` simulated users against a server; return every message's sample."""
    check_loopback(base_url)
    url = base_url.rstrip("/") + MESSAGE_PATH
    samples: list[Sample] = []

    def done(sample: Sample) -> None:
        samples.append(sample)
        on_sample(sample)

    conversations = itertools.cycle(sessions)
    budget = Budget(max_messages, max_seconds)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(
            *(user(session, url, conversations, budget, done) for _ in range(users))
        )
    return samples
