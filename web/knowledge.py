"""The staff knowledge base: every curated answer by subject, and ranked search."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.content.catalogue import (
    LABELS,
    SMALL_TALK,
    SUBJECTS,
    group_of,
    is_content_topic,
    response_name,
    topics,
)
from assistant.content.opening_hours import MONTH_NAMES
from assistant.content.responses import body, checked_date, response_text, source_line
from assistant.content.topic_resolution import CONTEXT_QUESTIONS, resolve

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """Fill a response's {placeholders} as the chat would; unknown ones become ''."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)


def answer(
    responses: Mapping[str, Any],
    topic: str,
    values: Mapping[str, str],
    subject: str | None = None,
) -> dict[str, Any]:
    """Return one answer: topic id, subject label, full text, body and source line."""
    name = response_name(topic)
    text = fill(response_text(responses, name), values).strip()
    checked = checked_date(responses, name)
    buttons = (responses.get(name) or [{}])[0].get("buttons") or []
    content = is_content_topic(topic)
    return {
        "topic": topic,
        "subject": LABELS[subject or group_of(topic)],
        "text": text,
        "body": body(text),
        "source": source_line(text),
        "followups": [str(b.get("title")) for b in buttons] if content else [],
        "checked": checked.isoformat() if checked else None,
        "checked_label": (
            f"{checked.day} {MONTH_NAMES[checked.month - 1]} {checked.year}"
            if checked
            else None
        ),
    }


def catalogue(
    responses: Mapping[str, Any], values: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Return every response with text, grouped by subject, in the domain's order."""
    answered = [
        t for t in topics(responses) if response_text(responses, response_name(t))
    ]
    return [
        {
            "subject": label,
            "answers": [
                answer(responses, t, values) for t in answered if group_of(t) == key
            ],
        }
        for key, label in LABELS.items()
    ]


def answers_for_intent(
    intent: str, responses: Mapping[str, Any], values: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Return the answers an intent leads to: both subjects for a context question."""
    if intent in CONTEXT_QUESTIONS:
        found = []
        for subject in SUBJECTS:
            topic = resolve(intent, subject).topic
            found.append(answer(responses, topic, values, subject=subject))
        return found
    if intent in SMALL_TALK or not response_text(responses, response_name(intent)):
        return []
    return [answer(responses, intent, values)]


def search(
    ranking: Sequence[Mapping[str, Any]],
    responses: Mapping[str, Any],
    values: Mapping[str, str],
    limit: int = 3,
) -> list[dict[str, Any]]:
    """Return the best `limit` matches of an intent ranking, each with its answers."""
    results = []
    for entry in ranking:
        intent = str(entry.get("name") or "")
        answers = answers_for_intent(intent, responses, values)
        if answers:
            score = round(float(entry.get("confidence") or 0.0), 3)
            results.append({"intent": intent, "score": score, "answers": answers})
        if len(results) == limit:
            break
    return results
