"""Resolves a subject-dependent question ("wordt dat vergoed?") to a curated topic."""

from __future__ import annotations

from dataclasses import dataclass

CLARIFY = "clarify"
NOT_IN_SOURCES = "not_in_sources"

# Intents whose topic depends on the subject of the conversation.
CONTEXT_QUESTIONS = ("ask_reimbursement", "ask_abroad", "ask_why")

# What a naked subject ("navelstrengbloed") answers when no question is pending.
SUBJECT_DEFAULT = {"hsct": "hsct_what_is", "cordblood": "cordblood_own_storage"}

# After which topics a bare "waarom (niet)?" asks for the reason the sources give.
_WHY_CONTEXT = {
    "hsct": {None, "hsct_availability_nl", "hsct_reimbursement", "hsct_policy"},
    "cordblood": {
        None,
        "cordblood_own_storage",
        "cordblood_export",
        "cordblood_why",
        "cordblood_guideline",
        "cordblood_donation",
    },
}
_WHY_TOPIC = {"hsct": "hsct_reimbursement", "cordblood": "cordblood_why"}
_TOPIC_FOR = {
    ("ask_reimbursement", "hsct"): "hsct_reimbursement",
    ("ask_abroad", "hsct"): "hsct_abroad",
    ("ask_abroad", "cordblood"): "cordblood_export",
}


@dataclass(frozen=True)
class Resolution:
    """The outcome: a topic id (or CLARIFY / NOT_IN_SOURCES) and the question kept."""

    topic: str
    pending_question: str | None = None

    @property
    def is_curated_answer(self) -> bool:
        """Tell whether the topic is a curated content answer (not clarify or a gap)."""
        return self.topic not in (CLARIFY, NOT_IN_SOURCES)


def resolve(
    question: str | None, subject: str | None, last_topic: str | None = None
) -> Resolution:
    """Pick the topic for a context question given the subject and the last topic.

    Args:
        question: one of CONTEXT_QUESTIONS, or None when the user only named a subject.
        subject: 'hsct', 'cordblood' or None when the conversation has no subject.
        last_topic: the topic id of the previous curated answer, if any.

    Returns:
        The topic to answer; CLARIFY (keeping the question pending) when the subject
        is unknown; NOT_IN_SOURCES when the sources say nothing about it.
    """
    if subject not in SUBJECT_DEFAULT:
        return Resolution(CLARIFY, pending_question=question)
    if question is None:
        return Resolution(SUBJECT_DEFAULT[subject])
    if question == "ask_why":
        if last_topic in _WHY_CONTEXT[subject]:
            return Resolution(_WHY_TOPIC[subject])
        return Resolution(NOT_IN_SOURCES)
    return Resolution(_TOPIC_FOR.get((question, subject), NOT_IN_SOURCES))
