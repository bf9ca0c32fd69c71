"""When a follow-up question is answered only if the classifier is sure of it.

In a conversation, a short follow-up ("en wanneer was die uitspraak?") shares its words
with the neighbouring topics of the answer before it, and the classifier picks one of
them with a confidence that a first question would pass. A wrong curated answer there
misleads; asking "Bedoelt u ...?" with the likely topics as buttons costs one tap.
So after a curated answer, a curated intent needs a higher confidence than the
FallbackClassifier's threshold before it is answered, unless the message names its
subject ("moet het in een speciaal ziekenhuis bij ms?"): then it is a question of its
own, and a topic of the other subject has already been made unsure by the scope guard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assistant.content.topic_resolution import is_curated

# Confidence a follow-up's curated intent needs (the FallbackClassifier asks 0.6).
FOLLOW_UP_THRESHOLD = 0.85


def slot_before_latest_message(events: Sequence[Mapping[str, Any]], slot: str) -> Any:
    """Return a slot's value as it was before the latest user message (events as dicts).

    Slot mappings (`from_intent`) set slots as soon as the message is parsed; this is
    the value they replaced.
    """
    value = before = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            before = value
        elif kind == "slot" and event.get("name") == slot:
            value = event.get("value")
        elif kind == "restart":
            value = None
    return before


def asks_instead(
    intent: str | None,
    confidence: float,
    previous_topic: str | None,
    names_subject: bool = False,
    threshold: float = FOLLOW_UP_THRESHOLD,
) -> bool:
    """Tell whether to ask "Bedoelt u ...?" instead of answering a follow-up.

    Args:
        intent: the message's intent.
        confidence: the classifier's confidence in it.
        previous_topic: the topic of the curated answer before this message, if any.
        names_subject: the message names one of our subjects itself.
        threshold: the confidence a follow-up's curated intent needs.
    """
    follow_up = bool(previous_topic) and not names_subject
    return follow_up and is_curated(intent or "") and confidence < threshold
