"""The catalogue: the subjects, the topic ids and the response names, in one place.

A topic id names one answer; its response is `utter_<topic>` (or `utter_<group>/<topic>`
for a retrieval intent). A content topic belongs to a subject, which its id's prefix
tells; every other response is no curated content (small talk, referrals, the
helpline, "I don't know"). The web layer, the actions and the evaluation read this
vocabulary from here; no other module spells it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

RESPONSE_PREFIX = "utter_"


@dataclass(frozen=True)
class Subject:
    """A subject of the assistant: its id, its Dutch label and its topics' prefixes."""

    id: str
    label: str
    prefixes: tuple[str, ...]


# The subjects, in the order people see them. The Wbmv is the law behind the rules on
# cord blood banks, so its topics belong to cord blood.
SUBJECT_TABLE = (
    Subject("hsct", "Stamceltherapie bij MS", ("hsct_",)),
    Subject("cordblood", "Navelstrengbloed", ("cordblood_", "wbmv_")),
)
SUBJECTS = tuple(subject.id for subject in SUBJECT_TABLE)
# The group of the topics of no subject, and the Dutch label of every group.
GENERAL = "general"
LABELS = {**{s.id: s.label for s in SUBJECT_TABLE}, GENERAL: "Algemeen"}

# Responses that are no curated content, by the topic ids the code refers to.
CLARIFY = "clarify"  # "Bedoelt u stamceltherapie of navelstrengbloed?"
NOT_IN_SOURCES = "not_in_sources"  # a gap: the sources say nothing about it
FALLBACK = "fallback"
SUGGEST = "suggest"  # "Bedoelt u een van deze vragen?"
SOMETHING_ELSE = "something_else"
OUT_OF_SCOPE = "out_of_scope"
OTHER_COUNTRY = "other_country"
HELPLINE = "helpline"
SOURCES = "sources"
PERSONAL_ADVICE = "personal_advice"
EMERGENCY = "emergency"
# Small talk and the out-of-scope answer: no help to a caller (the kennisbank skips it).
SMALL_TALK = frozenset({"greet", "goodbye", "thanks", "bot_challenge", OUT_OF_SCOPE})
# Answers that mean the assistant could not answer the question.
UNANSWERED = frozenset({FALLBACK, OUT_OF_SCOPE, SUGGEST, OTHER_COUNTRY})
# Every response that is no curated content: unhelpful at worst, never wrong content.
NON_CONTENT = (
    SMALL_TALK
    | UNANSWERED
    | {CLARIFY, NOT_IN_SOURCES, SOMETHING_ELSE, HELPLINE, SOURCES}
    | {"scope", PERSONAL_ADVICE, EMERGENCY}
)


def response_name(topic: str) -> str:
    """Return the name of the response that answers a topic."""
    return f"{RESPONSE_PREFIX}{topic}"


def topic_of(response: str | None) -> str | None:
    """Return the topic id of a response name ('utter_x' and 'utter_faq/x' give 'x')."""
    if not response or not response.startswith(RESPONSE_PREFIX):
        return None
    return response.split("/")[-1].removeprefix(RESPONSE_PREFIX)


def topics(responses: Iterable[str]) -> list[str]:
    """Return the topic ids of response names, in their order (others left out)."""
    return [topic for topic in map(topic_of, responses) if topic]


def subject_of_topic(topic: str | None) -> str | None:
    """Return the subject id a topic belongs to, or None for a topic of no subject."""
    for subject in SUBJECT_TABLE:
        if topic and topic.startswith(subject.prefixes):
            return subject.id
    return None


def group_of(topic: str | None) -> str:
    """Return the group a topic is listed under: its subject id, else GENERAL."""
    return subject_of_topic(topic) or GENERAL


def is_content_topic(topic: str | None) -> bool:
    """Tell whether a topic id is a curated content answer (it has a subject)."""
    return subject_of_topic(topic) is not None
