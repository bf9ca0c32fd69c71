"""Helpers for the scale-out tests: HTTP calls, conversations with retries, events."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tools.scale.cluster import MESSAGE_PATH
from web.turn import BUSY_MESSAGE

REQUEST_TIMEOUT = 30.0


@dataclass
class Answer:
    """One HTTP answer: status, headers and the JSON body (or None)."""

    status: int
    headers: dict[str, str]
    body: Any


async def post(
    session: aiohttp.ClientSession,
    url: str,
    body: object,
    headers: dict[str, str] | None = None,
) -> Answer:
    """POST JSON and return the answer; a failed connection is status 0."""
    try:
        async with session.post(url, json=body, headers=headers or {}) as response:
            text = await response.text()
            status, head = response.status, dict(response.headers)
    except (aiohttp.ClientError, asyncio.TimeoutError) as problem:
        return Answer(0, {}, type(problem).__name__)
    try:
        return Answer(status, head, json.loads(text))
    except ValueError:  # e.g. nginx's HTML page for 502
        return Answer(status, head, text)


async def say(
    session: aiohttp.ClientSession,
    base_url: str,
    sender: str,
    text: str,
    client: str = "127.0.0.1",
) -> Answer:
    """Send one message to the web channel of a server (client address as given)."""
    return await post(
        session,
        base_url + MESSAGE_PATH,
        {"sender": sender, "message": text},
        {"X-Forwarded-For": client},
    )


def reply_texts(answer: Answer) -> list[str]:
    """Return the bot texts of a web channel answer, parts joined, spaces normalised."""
    messages = answer.body.get("messages", []) if isinstance(answer.body, dict) else []
    return [" ".join("".join(p["text"] for p in m["parts"]).split()) for m in messages]


def session(timeout: float = REQUEST_TIMEOUT) -> aiohttp.ClientSession:
    """Return an HTTP client session with a total timeout per request."""
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))


def turns_of(events: list[tuple[str, dict]]) -> list[list[tuple[str, dict]]]:
    """Split stored events into turns, each starting with its user event."""
    turns: list[list[tuple[str, dict]]] = []
    for kind, data in events:
        if kind == "user":
            turns.append([])
        if turns:
            turns[-1].append((kind, data))
    return turns


def failure_kind(answer: Answer) -> str:
    """Name a failed answer: "busy", "rate limit", or its status or error."""
    if answer.status == 429:
        busy = BUSY_MESSAGE in str(answer.body)
        return "busy" if busy else "rate limit"
    return str(answer.status or answer.body)


@dataclass
class Conversation:
    """A user's conversation through the load balancer, resending what failed."""

    sender: str
    answered: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # status or error per failure
    server_errors: int = 0  # failures that may have reached Rasa (5xx, cut off)


async def converse(
    client: aiohttp.ClientSession,
    base_url: str,
    sender: str,
    texts: list[str],
    deadline: float,
) -> Conversation:
    """Send each text until it is answered (as the chat page's retry button does)."""
    conversation = Conversation(sender)
    for text in texts:
        while time.monotonic() < deadline:
            answer = await say(client, base_url, sender, text)
            if answer.status == 200 and reply_texts(answer):
                conversation.answered.append(text)
                break
            conversation.failures.append(failure_kind(answer))
            if answer.status == 0 or answer.status >= 500:
                conversation.server_errors += 1
            wait = float(answer.headers.get("Retry-After", 0.5))
            await asyncio.sleep(min(wait, 2.0))
        else:
            return conversation
    return conversation
