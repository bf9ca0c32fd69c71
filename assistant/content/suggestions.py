"""Picks the topics to offer as "Bedoelt u ...?" buttons when the NLU is unsure.

The classifier's best guesses become buttons, never answers: a curated answer is only
given after the user chose it. Each button's payload leads to exactly that answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.content.catalogue import (
    CLARIFY,
    NOT_IN_SOURCES,
    SUBJECTS,
    subject_of_topic,
)
from assistant.content.topic_resolution import CONTEXT_QUESTIONS, resolve

MAX_SUGGESTIONS = 3
# Below this confidence a guess is noise: with no guess above it, say "I don't know".
MIN_CONFIDENCE = 0.05
# Topics that only a subject-dependent question reaches: their button names the subject.
_VIA_CONTEXT = {
    "hsct_reimbursement": ("ask_reimbursement", "hsct"),
    "hsct_abroad": ("ask_abroad", "hsct"),
    "cordblood_export": ("ask_abroad", "cordblood"),
    "cordblood_why": ("ask_why", "cordblood"),
}


def payload_for(topic: str) -> str:
    """Return the button payload that leads to exactly the topic's curated answer."""
    if topic in _VIA_CONTEXT:
        intent, subject = _VIA_CONTEXT[topic]
        return f"/{intent}{json.dumps({'subject': subject}, separators=(',', ':'))}"
    return f"/{topic}"


def payload_topic(payload: str) -> str:
    """Return the topic a button payload leads to ('/hsct_referral', '/ask_why{..}')."""
    intent, _, entities = payload.removeprefix("/").partition("{")
    if intent in CONTEXT_QUESTIONS and entities:
        subject = json.loads("{" + entities).get("subject")
        return resolve(intent, subject, subject_named=True).topic
    return intent


def _topics_of(intent: str, subject: str | None, last_topic: str | None) -> list[str]:
    """Return the content topics an intent stands for (both subjects when unknown)."""
    if intent in CONTEXT_QUESTIONS:
        found = resolve(intent, subject, last_topic).topic
        if found != CLARIFY:
            return [found]
        return [resolve(intent, s).topic for s in SUBJECTS]
    return [intent] if subject_of_topic(intent) else []


def suggest(
    ranking: Sequence[Mapping[str, Any]],
    subject: str | None = None,
    last_topic: str | None = None,
    limit: int = MAX_SUGGESTIONS,
) -> list[str]:
    """Return up to `limit` content topics from an intent ranking, best first."""
    topics: list[str] = []
    for entry in ranking:
        if float(entry.get("confidence") or 0.0) < MIN_CONFIDENCE:
            break
        for topic in _topics_of(str(entry.get("name") or ""), subject, last_topic):
            if topic not in topics and topic not in (NOT_IN_SOURCES, CLARIFY):
                topics.append(topic)
    return topics[:limit]
