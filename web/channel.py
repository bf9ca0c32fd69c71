"""The website's Rasa input channel: chat and staff pages and their JSON API.

Registered in credentials.yml as `web.channel.WebChannel`; the API lives under
`/webhooks/web/`, the pages at `/` and `/kennisbank` (see `web.site` for how).
Settings: `database` (SQLite file, default var/web.sqlite; the environment variable
WEB_DB overrides it). The staff view needs the token in STAFF_TOKEN; unset, it is shut.
Messages follow the input rules of `web.input_rules`, shared with the REST channel
(`web.rest`) through `web.turn`, whose gate (rate limits, busy conversations, turn
slots) lives on `app.ctx.gate`. GET /webhooks/web/health reports the tracker store,
the action server and the de-identifier (`web.health`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.content.opening_hours import now_in_amsterdam, status_text
from assistant.privacy.deidentify import deidentify_or_marker, warm_up
from web.health import health_report
from web.input_rules import (
    MAX_MESSAGE_LENGTH,
    InputError,
    strip_control_characters,
    valid_sender,
    without_command_prefix,
)
from web.knowledge import catalogue, search
from web.messages import (
    bot_message,
    history,
    is_content_topic,
    topic_of,
    unanswered_response,
)
from web.rate_limit import rate_limited_message
from web.security import bearer_token, token_matches
from web.site import SiteBlueprint, error, json_response, static_file
from web.store import DEFAULT_DATABASE, Store
from web.turn import (
    Notice,
    RateLimited,
    Reply,
    client_address,
    gate_of,
    refusal,
    run_turn,
)

logger = logging.getLogger(__name__)


class _Collector(CollectingOutputChannel):
    """Collects the bot's messages whole, keeping the response name (utter_action)."""

    @classmethod
    def name(cls) -> str:
        """Return the output channel's name."""
        return "web"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Keep the message as Rasa made it."""
        self.messages.append(dict(message))


def placeholder_values() -> dict[str, str]:
    """Return what the chat fills into response placeholders right now."""
    return {"open_status": status_text(now_in_amsterdam()), "last_source": ""}


def _json_body(request: Request) -> dict[str, Any] | None:
    """Return the request's JSON object, or None when it is not a JSON object."""
    if not (request.content_type or "").startswith("application/json"):
        return None
    try:
        body = request.json
    except Exception:  # any parse error is the client's
        return None
    return body if isinstance(body, dict) else None


def notice_message(notice: Notice) -> dict[str, Any]:
    """Return a channel notice as a bot message of the chat page."""
    return bot_message({"text": notice.text, "utter_action": notice.kind})


def page_messages(reply: Reply) -> list[dict[str, Any]]:
    """Return a turn's notices and bot messages as the chat page's messages."""
    return (
        [notice_message(n) for n in reply.before]
        + [bot_message(m) for m in reply.messages]
        + [notice_message(n) for n in reply.after]
    )


def _plain(
    method: Callable[[Request], Awaitable[HTTPResponse]],
) -> Callable[[Request], Coroutine[Any, Any, HTTPResponse]]:
    """Wrap a bound method in a plain function, which Sanic can name and tag."""

    async def handler(request: Request) -> HTTPResponse:
        return await method(request)

    handler.__name__ = method.__name__.lstrip("_")
    return handler


def _report_deidentifier(loaded: asyncio.Future) -> None:
    """Log whether the de-identifier became ready during the warm-up."""
    problem = loaded.exception()
    if problem is None:
        logger.info("Web channel: de-identifier ready.")
    else:
        logger.error("The de-identifier did not load (%s).", type(problem).__name__)


class WebChannel(InputChannel):
    """Serves the chat page, the kennisbank and the staff view from the Rasa server."""

    def __init__(self, store: Store, staff_token: str | None) -> None:
        """Create the channel with its store and the staff token (None: shut)."""
        self.store = store
        self.staff_token = staff_token

    @classmethod
    def name(cls) -> str:
        """Return the channel's name, which is also its URL prefix."""
        return "web"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChannel:
        """Create the channel from its credentials.yml settings and the environment."""
        settings = credentials or {}
        path = os.environ.get("WEB_DB") or settings.get("database") or DEFAULT_DATABASE
        token = os.environ.get("STAFF_TOKEN") or None
        if not token:
            logger.warning("STAFF_TOKEN is not set: the staff view is shut.")
        return cls(Store(Path(path)), token)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Return the blueprint with the pages and the JSON API."""
        bp = SiteBlueprint("web_channel")
        bp.add_route(static_file, "/static/<name:str>", methods=["GET"])
        routes = {
            "/": ("GET", self._alive),
            "/health": ("GET", self._health),
            "/history": ("GET", self._history),
            "/welcome": ("POST", self._welcome),
            "/feedback": ("POST", self._feedback),
            "/answers": ("GET", self._answers),
            "/search": ("POST", self._search),
            "/staff": ("GET", self._staff),
        }
        for uri, (method, handler) in routes.items():
            bp.add_route(_plain(handler), uri, methods=[method])

        async def message(request: Request) -> HTTPResponse:
            return await self._message(request, on_new_message)

        bp.add_route(message, "/message", methods=["POST"])
        # The decorator form: Sanic 21.12 drops `bp.after_server_start(handler)`.
        bp.listener("after_server_start")(self._warm_up)
        return bp

    async def _warm_up(self, *_: Any) -> None:
        """Wait for the de-identifier in a thread (no worker: load its lists there)."""
        loaded = asyncio.get_running_loop().run_in_executor(None, warm_up)
        loaded.add_done_callback(_report_deidentifier)

    async def _alive(self, request: Request) -> HTTPResponse:
        return json_response({"status": "ok"})

    async def _health(self, request: Request) -> HTTPResponse:
        report = await health_report(request.app.ctx.agent)
        return json_response(
            report, status=503 if report["status"] == "starting" else 200
        )

    async def _message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        try:
            reply = await run_turn(request, on_new_message, _Collector(), self.name())
        except InputError as problem:
            return refusal(problem)
        messages = page_messages(reply)
        no_answer = unanswered_response(messages)
        if no_answer and not reply.text.startswith("/"):
            await self._remember_unanswered(
                reply.text, topic_of(no_answer) or no_answer
            )
        return json_response({"messages": messages})

    async def _remember_unanswered(self, text: str, response: str) -> None:
        """Store the question for the staff, de-identified or as the marker.

        The tracker store de-identified the same text in this turn, so the result
        usually comes from the de-identifier's recent results. A failure only logs.
        """
        try:
            question = await deidentify_or_marker(text)
            await asyncio.to_thread(self.store.add_unanswered, question, response)
        except Exception as problem:  # the user still gets the answer
            logger.error(
                "Could not store an unanswered question (%s).", type(problem).__name__
            )

    async def _history(self, request: Request) -> HTTPResponse:
        sender = request.args.get("sender")
        if not valid_sender(sender):
            return error("Onbekend gesprek.")
        tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
        events = [event.as_dict() for event in tracker.events] if tracker else []
        return json_response({"messages": history(events)})

    async def _welcome(self, request: Request) -> HTTPResponse:
        """Open a new conversation with the greeting and its topic buttons."""
        wait = gate_of(request.app).limits.client.retry_after(client_address(request))
        if wait:
            return refusal(RateLimited(rate_limited_message(wait), wait))
        sender = (_json_body(request) or {}).get("sender")
        if not valid_sender(sender):
            return error("Onbekend gesprek.")
        agent = request.app.ctx.agent
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker and history([e.as_dict() for e in tracker.events]):
            return json_response({"messages": []})  # not a new conversation
        collector = _Collector()
        await agent.execute_action(sender, "utter_greet", collector, None, None)
        # then listen, as after any turn, so that the rules apply to the next message
        await agent.execute_action(sender, "action_listen", collector, None, None)
        return json_response({"messages": [bot_message(m) for m in collector.messages]})

    async def _feedback(self, request: Request) -> HTTPResponse:
        body = _json_body(request) or {}
        topic, useful = body.get("topic"), body.get("useful")
        responses = request.app.ctx.agent.domain.responses
        topics = {topic_of(name) for name in responses}
        if not isinstance(useful, bool) or topic not in topics:
            return error("Verwacht: {topic, useful}.")
        if not isinstance(topic, str) or not is_content_topic(topic):
            return error("Over dit antwoord wordt geen reactie gevraagd.")
        await asyncio.to_thread(self.store.add_feedback, topic, useful)
        return json_response({"stored": True})

    async def _answers(self, request: Request) -> HTTPResponse:
        responses = request.app.ctx.agent.domain.responses
        return json_response({"groups": catalogue(responses, placeholder_values())})

    async def _search(self, request: Request) -> HTTPResponse:
        wait = gate_of(request.app).limits.client.retry_after(client_address(request))
        if wait:
            return refusal(RateLimited(rate_limited_message(wait), wait))
        body = _json_body(request) or {}
        question = body.get("question")
        if isinstance(question, str):
            question = without_command_prefix(strip_control_characters(question))
        if not isinstance(question, str) or not question:
            return error("Typ de vraag van de beller.")
        if len(question) > MAX_MESSAGE_LENGTH:
            return error("De vraag is te lang.", status=413)
        agent = request.app.ctx.agent
        parsed = await agent.parse_message(question)
        ranking = parsed.get("intent_ranking") or []
        results = search(ranking, agent.domain.responses, placeholder_values())
        return json_response({"results": results})

    async def _staff(self, request: Request) -> HTTPResponse:
        given = bearer_token(request.headers.get("authorization"))
        if not token_matches(self.staff_token, given):
            return error("Geen toegang: onjuiste of ontbrekende toegangscode.", 401)
        unanswered = await asyncio.to_thread(self.store.unanswered)
        feedback = await asyncio.to_thread(self.store.feedback_counts)
        return json_response({"unanswered": unanswered, "feedback": feedback})
