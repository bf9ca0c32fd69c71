"""Picks the topics to offer as "Bedoelt u ...?" buttons when the NLU is unsure.

The classifier's best guesses become buttons, never answers: a curated answer is only
given after the user chose it. Each button's payload leads to exactly that answer.
The classifier's best guess comes first; the intents whose training examples look most
like the message (assistant/nlu/lexical_ranker.py) fill the other places, because they
still find the question in a long story where the classifier's other guesses drift.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.content.catalogue import (
    CLARIFY,
    HELPLINE,
    NOT_IN_SOURCES,
    SOURCES,
    SUBJECTS,
    subject_of_topic,
)
from assistant.content.topic_resolution import CONTEXT_QUESTIONS, resolve

# Where the NLU puts the look-alike ranking in the parse data.
LEXICAL_RANKING = "lexical_ranking"
MAX_SUGGESTIONS = 3
# Below this confidence a guess is noise: with no guess above it, say "I don't know".
MIN_CONFIDENCE = 0.05
# Answers of no subject that still help as a button: whom to call, where it comes from.
GENERAL_BUTTONS = frozenset({HELPLINE, SOURCES})
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
    """Return the topics an intent stands for as a button (both subjects if unknown)."""
    if intent in GENERAL_BUTTONS:
        return [intent]
    if intent in CONTEXT_QUESTIONS:
        found = resolve(intent, subject, last_topic).topic
        if found != CLARIFY:
            return [found]
        return [resolve(intent, s).topic for s in SUBJECTS]
    return [intent] if subject_of_topic(intent) else []


def _offerable(
    ranking: Sequence[Mapping[str, Any]],
    subject: str | None,
    last_topic: str | None,
    floor: float = 0.0,
) -> list[str]:
    """Return the topics a ranking stands for, best first, down to `floor`."""
    topics: list[str] = []
    for entry in ranking:
        if float(entry.get("confidence") or 0.0) < floor:
            break
        for topic in _topics_of(str(entry.get("name") or ""), subject, last_topic):
            if topic not in topics and topic not in (NOT_IN_SOURCES, CLARIFY):
                topics.append(topic)
    return topics


def suggest(
    ranking: Sequence[Mapping[str, Any]],
    subject: str | None = None,
    last_topic: str | None = None,
    limit: int = MAX_SUGGESTIONS,
    lexical: Sequence[Mapping[str, Any]] = (),
    named_subject: str | None = None,
) -> list[str]:
    """Return up to `limit` topics to offer, best first (none: "I don't know").

    Args:
        ranking: the classifier's intent ranking.
        subject: the subject of the message or of the conversation, if known.
        last_topic: the topic answered last, for follow-up questions.
        limit: how many topics to offer at most.
        lexical: the look-alike ranking (`lexical_ranking` of the parse data).
        named_subject: the subject the message itself names: its topics go first.
    """
    guesses = _offerable(ranking, subject, last_topic, MIN_CONFIDENCE)
    if not guesses:
        return []
    lookalikes = _offerable(lexical, subject, last_topic)
    topics = list(dict.fromkeys([*guesses[:1], *lookalikes, *guesses]))
    if named_subject:
        topics.sort(key=lambda t: subject_of_topic(t) not in (None, named_subject))
    return topics[:limit]
