"""The staff knowledge base: every curated answer by subject, and ranked search."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.content.opening_hours import MONTH_NAMES
from assistant.content.responses import body, checked_date, response_text, source_line
from assistant.content.topic_resolution import CONTEXT_QUESTIONS, resolve
from web.messages import topic_of

SUBJECTS = (
    ("hsct", "Stamceltherapie bij MS"),
    ("cordblood", "Navelstrengbloed"),
    ("general", "Algemeen"),
)
SUBJECT_LABELS = dict(SUBJECTS)
# Intents of small talk, whose answer is no help to a caller.
_NOT_TOPICS = frozenset(
    {"greet", "goodbye", "thanks", "bot_challenge", "out_of_scope", "nlu_fallback"}
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def subject_of_topic(topic: str) -> str:
    """Return the subject key of a topic id: 'hsct', 'cordblood' or 'general'."""
    if topic.startswith("hsct_"):
        return "hsct"
    if topic.startswith("cordblood_") or topic == "wbmv_what_is":
        return "cordblood"
    return "general"


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
    name = f"utter_{topic}"
    text = fill(response_text(responses, name), values).strip()
    checked = checked_date(responses, name)
    buttons = (responses.get(name) or [{}])[0].get("buttons") or []
    content = subject_of_topic(topic) != "general"
    return {
        "topic": topic,
        "subject": SUBJECT_LABELS[subject or subject_of_topic(topic)],
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
    topics = [
        t
        for t in map(topic_of, responses)
        if t and response_text(responses, f"utter_{t}")
    ]
    return [
        {
            "subject": label,
            "answers": [
                answer(responses, t, values)
                for t in topics
                if subject_of_topic(t) == key
            ],
        }
        for key, label in SUBJECTS
    ]


def answers_for_intent(
    intent: str, responses: Mapping[str, Any], values: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Return the answers an intent leads to: both subjects for a context question."""
    if intent in CONTEXT_QUESTIONS:
        found = []
        for subject in ("hsct", "cordblood"):
            topic = resolve(intent, subject).topic
            found.append(answer(responses, topic, values, subject=subject))
        return found
    if intent in _NOT_TOPICS or not response_text(responses, f"utter_{intent}"):
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
