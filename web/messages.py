"""Turns Rasa's bot messages and tracker events into the chat page's JSON messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assistant.content.catalogue import UNANSWERED, is_content_topic, topic_of
from assistant.content.responses import body, source_line
from web.links import text_parts


def bot_message(message: Mapping[str, Any]) -> dict[str, Any]:
    """Convert one bot message (BotUttered.message() or an event dict) for the page."""
    text = str(message.get("text") or "")
    metadata = message.get("metadata") or {}
    data = message.get("data") or {}
    response = message.get("utter_action") or metadata.get("utter_action")
    buttons = message.get("buttons") or data.get("buttons") or []
    topic = topic_of(response)
    timestamp = message.get("timestamp")
    return {
        "from": "bot",
        "id": f"{float(timestamp):.6f}" if timestamp is not None else None,
        "parts": text_parts(body(text)),
        "source": source_line(text),
        "buttons": [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in buttons
            if b.get("payload")
        ],
        "response": response,
        "topic": topic,
        "feedback": is_content_topic(topic),  # content answers ask for feedback
    }


def history(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return the user and bot messages of a conversation from its event dicts.

    A button's payload ("/choose_subject{...}") is shown as the button's title.
    """
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for event in events:
        if event.get("event") == "user":
            text = str(event.get("text") or "")
            messages.append({"from": "user", "text": titles.get(text, text)})
        elif event.get("event") == "bot":
            message = bot_message(event)
            titles = {b["payload"]: b["title"] for b in message["buttons"]}
            messages.append(message)
    return messages


def unanswered_response(messages: Iterable[Mapping[str, Any]]) -> str | None:
    """Return the no-answer response (fallback, out of scope) among messages, if any."""
    for message in messages:
        if topic_of(message.get("response")) in UNANSWERED:
            return str(message["response"])
    return None
