"""The public REST channel, hardened: Rasa's REST API with the website's input rules.

Registered in credentials.yml as `web.rest.RestChannel`, at the URL of Rasa's own
`rest` channel: POST /webhooks/rest/webhook with {"sender": "...", "message": "..."}
returns Rasa's list of bot messages ([{"recipient_id", "text", "buttons"?}]). What
differs from Rasa's RestInput: the rules of `web.input_rules` and the rate limits
(shared with the web channel through `web.turn`), clear Dutch JSON errors instead of
a 500, no client-chosen `input_channel` or `metadata`, no streaming, and no user text
in the logs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from web.input_rules import InputError
from web.site import json_response
from web.turn import Reply, refusal, run_turn


def rest_messages(reply: Reply) -> list[dict[str, Any]]:
    """Return a turn as Rasa's REST messages, the channel's notices included."""
    notices = [{"recipient_id": reply.sender, "text": n.text} for n in reply.before]
    after = [{"recipient_id": reply.sender, "text": n.text} for n in reply.after]
    return notices + list(reply.messages) + after


class RestChannel(InputChannel):
    """POST /webhooks/rest/webhook, with the public channels' input rules."""

    @classmethod
    def name(cls) -> str:
        """Return "rest": the URL prefix of Rasa's REST channel, which this replaces."""
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Return the blueprint with GET / (alive) and POST /webhook."""
        bp = Blueprint("hardened_rest")

        async def alive(request: Request) -> HTTPResponse:
            return json_response({"status": "ok"})

        async def webhook(request: Request) -> HTTPResponse:
            try:
                reply = await run_turn(
                    request, on_new_message, CollectingOutputChannel(), self.name()
                )
            except InputError as problem:
                return refusal(problem)
            return json_response(rest_messages(reply))

        bp.add_route(alive, "/", methods=["GET"])
        bp.add_route(webhook, "/webhook", methods=["POST"])
        return bp
