"""Turns Rasa's bot messages and tracker events into the chat page's JSON messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assistant.content.responses import body, source_line
from web.links import text_parts

# Topic ids of content answers, which the page follows with a feedback question.
CONTENT_PREFIXES = ("hsct_", "cordblood_", "wbmv_")
# Responses that mean the assistant could not answer the question.
NO_ANSWER_RESPONSES = frozenset(
    {"utter_fallback", "utter_out_of_scope", "utter_suggest", "utter_other_country"}
)


def topic_of(response: str | None) -> str | None:
    """Return the topic id of a response name ('utter_x' and 'utter_faq/x' give 'x')."""
    if not response or not response.startswith("utter_"):
        return None
    return response.split("/")[-1].removeprefix("utter_")


def is_content_topic(topic: str | None) -> bool:
    """Tell whether a topic id is a curated content answer (asks for feedback)."""
    return bool(topic) and topic.startswith(CONTENT_PREFIXES)


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
        "feedback": is_content_topic(topic),
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
        if message.get("response") in NO_ANSWER_RESPONSES:
            return str(message["response"])
    return None
