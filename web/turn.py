"""One user turn through a public channel (web or REST), with the shared input rules.

Both channels call `run_turn`: it applies the rate limits, reads and checks the
request (`web.input_rules`), lets Rasa handle the cleaned text and adds the notices
the user must see: a cut message, an answer that could not be given because the action
server did not answer, and a tracker store that is down. The channels only format
the reply.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.privacy.store_health import TRACKER_STORE_HEALTH
from web.busy import BusySenders, busy_senders_from_env
from web.input_rules import (
    TRUNCATED_NOTICE,
    InputError,
    clean_message,
    message_of,
    needs_offered_payloads,
    parse_body,
    sender_of,
)
from web.rate_limit import RateLimits, rate_limited_message
from web.site import error

logger = logging.getLogger(__name__)

ACTION_UNAVAILABLE_TEXT = (
    "Sorry, dit kan ik nu even niet beantwoorden door een storing. Probeer het later "
    "nog eens. U kunt ook de MS Vereniging bellen: (073) 553 23 25. Dat kan op "
    "werkdagen van 8.30 tot 17.00 uur."
)
STORE_DOWN_NOTICE = (
    "Let op: door een storing onthoud ik dit gesprek nu niet. Noem daarom in elke "
    "vraag het onderwerp, bijvoorbeeld stamceltherapie of navelstrengbloed."
)
OVERLOADED_MESSAGE = (
    "Het is nu erg druk. Uw vraag is niet verwerkt. Probeer het over een minuut "
    "opnieuw."
)
DEFAULT_CONCURRENT_TURNS = 8
DEFAULT_QUEUE_TIMEOUT = 20.0  # seconds a turn may wait for its turn
BUSY_MESSAGE = "Uw vorige bericht wordt nog verwerkt. Wacht even op het antwoord."
NOTICE_TRUNCATED = "notice_truncated"
NOTICE_STORE_DOWN = "notice_store_down"
NOTICE_ACTION_UNAVAILABLE = "utter_action_unavailable"


class RateLimited(InputError):
    """A request refused by a rate limit (HTTP 429), with the seconds to wait."""

    def __init__(self, message: str, retry_after: float) -> None:
        """Create the refusal with its Dutch message and the seconds to wait."""
        super().__init__(message, status=429)
        self.retry_after = retry_after


class Overloaded(RateLimited):
    """Too many turns waiting (HTTP 503), with the seconds to wait."""

    def __init__(self, message: str, retry_after: float) -> None:
        """Create the refusal with its Dutch message and the seconds to wait."""
        super().__init__(message, retry_after)
        self.status = 503


class TurnFailed(InputError):
    """Rasa could not handle the message (HTTP 503), with the outage message."""

    def __init__(self, message: str) -> None:
        """Create the failure with the Dutch outage message."""
        super().__init__(message, status=503)


@dataclass(frozen=True)
class Notice:
    """A message from the channel itself (not from Rasa): its kind and its text."""

    kind: str
    text: str


@dataclass
class Reply:
    """The outcome of one turn: notices before, Rasa's messages, notices after."""

    sender: str
    text: str
    messages: list[dict[str, Any]]
    before: list[Notice] = field(default_factory=list)
    after: list[Notice] = field(default_factory=list)


@dataclass
class Gate:
    """The state the channels share: rate limits, busy senders, free turn slots.

    With REDIS_URL set, the rate limits and the busy senders are shared by every Rasa
    server through Redis (web.rate_limit, web.busy); the turn slots stay per process,
    as they protect this process's event loop.

    At most `turns` messages are inside Rasa at once; the others wait, at most
    `queue_timeout` seconds (then HTTP 503). Rasa runs NLU inside its event loop, so
    a flood of simultaneous turns would starve the loop: replies from the action
    server would then wait seconds to be read and hit the action timeout. Letting a
    few turns in at a time keeps them prompt.
    """

    limits: RateLimits
    busy: BusySenders = field(default_factory=BusySenders)
    turns: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(DEFAULT_CONCURRENT_TURNS)
    )
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT

    @classmethod
    def from_env(cls) -> Gate:
        """Return a gate with its settings from the environment."""
        turns = int(os.environ.get("MAX_CONCURRENT_TURNS") or DEFAULT_CONCURRENT_TURNS)
        return cls(
            RateLimits.from_env(),
            busy=busy_senders_from_env(),
            turns=asyncio.Semaphore(turns),
            queue_timeout=float(
                os.environ.get("TURN_QUEUE_TIMEOUT") or DEFAULT_QUEUE_TIMEOUT
            ),
        )


def gate_of(app: Any) -> Gate:
    """Return the gate on `app.ctx` (shared by its channels), made when first used."""
    gate = getattr(app.ctx, "gate", None)
    if gate is None:
        gate = app.ctx.gate = Gate.from_env()
    return gate


def client_address(request: Request) -> str:
    """Return the client's address (the proxy's client if Sanic is told to trust it)."""
    return request.remote_addr or request.ip or "unknown"


def offered_payloads(events: Iterable[Any]) -> set[str]:
    """Return the button payloads of the last bot message among tracker events."""
    for event in reversed(list(events)):
        if isinstance(event, BotUttered):
            buttons = (event.data or {}).get("buttons") or []
            return {str(b.get("payload")) for b in buttons if b.get("payload")}
    return set()


def refusal(problem: InputError) -> HTTPResponse:
    """Return the JSON error of a refused request (with Retry-After for 429)."""
    response = error(problem.message, status=problem.status)
    if isinstance(problem, RateLimited):
        response.headers["Retry-After"] = str(max(1, math.ceil(problem.retry_after)))
    return response


def _log_failure(error: Exception) -> None:
    """Log a failed turn with its traceback but not its message (it may quote text)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger.error("Handling a message failed (%s):\n%s", type(error).__name__, frames)


async def _handle(
    gate: Gate,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
) -> None:
    """Let Rasa handle the message when a turn slot is free (bounded wait)."""
    try:
        await asyncio.wait_for(gate.turns.acquire(), gate.queue_timeout)
    except asyncio.TimeoutError:
        logger.warning("Refused a message: no turn free within the queue timeout.")
        raise Overloaded(OVERLOADED_MESSAGE, 60.0) from None
    try:
        await on_new_message(message)
    except Exception as error:  # never a 500: the user gets the outage message
        _log_failure(error)
        raise TurnFailed(ACTION_UNAVAILABLE_TEXT) from None
    finally:
        gate.turns.release()


def _check_rate(gate: Gate, key: str, client: bool) -> None:
    """Raise RateLimited when `key` is over its limit."""
    limiter = gate.limits.client if client else gate.limits.sender
    wait = limiter.retry_after(key)
    if wait:
        logger.info(
            "Refused a message: %s rate limit.", "client" if client else "sender"
        )
        raise RateLimited(rate_limited_message(wait), wait)


async def run_turn(
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    collector: CollectingOutputChannel,
    channel: str,
    gate: Gate | None = None,
) -> Reply:
    """Handle one message request; raise InputError (4xx) for what is refused."""
    gate = gate or gate_of(request.app)
    _check_rate(gate, client_address(request), client=True)
    body = parse_body(request.body or b"", request.headers.get("content-type"))
    sender, raw_text = sender_of(body), message_of(body)
    _check_rate(gate, sender, client=False)
    if not gate.busy.claim(sender):
        raise RateLimited(BUSY_MESSAGE, 1.0)
    keeping = asyncio.create_task(gate.busy.keep(sender))
    try:
        agent = request.app.ctx.agent
        offered: set[str] = set()
        if needs_offered_payloads(raw_text):
            tracker = await agent.tracker_store.retrieve(sender)
            offered = offered_payloads(tracker.events if tracker else [])
        clean = clean_message(raw_text, offered)
        message = UserMessage(clean.text, collector, sender, input_channel=channel)
        await _handle(gate, on_new_message, message)
        reply = Reply(sender, clean.text, list(collector.messages))
        if clean.truncated:
            reply.before.append(Notice(NOTICE_TRUNCATED, TRUNCATED_NOTICE))
        if not reply.messages:
            logger.warning("A turn got no answer (action server down or too slow?).")
            outage = Notice(NOTICE_ACTION_UNAVAILABLE, ACTION_UNAVAILABLE_TEXT)
            reply.after.append(outage)
        if not TRACKER_STORE_HEALTH.available:
            reply.after.append(Notice(NOTICE_STORE_DOWN, STORE_DOWN_NOTICE))
        return reply
    finally:
        keeping.cancel()
        gate.busy.release(sender)
