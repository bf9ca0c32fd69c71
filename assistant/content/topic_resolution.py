"""Resolves a subject-dependent question ("wordt dat vergoed?") to a curated topic.

A follow-up names a kind of question (cost, abroad, why, who decides, where, since when,
is it safe, does it work, how long, what else); the subject of the message or of the
conversation, and sometimes the last topic, tell which answer that is. The table below
is the one place where that is written down.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.content.catalogue import (
    CLARIFY,
    NOT_IN_SOURCES,
    is_content_topic,
    subject_of_topic,
)

# What a naked subject ("navelstrengbloed") answers when no question is pending.
SUBJECT_DEFAULT = {"hsct": "hsct_what_is", "cordblood": "cordblood_own_storage"}

# Kind of follow-up -> subject -> topic (NOT_IN_SOURCES: the sources say nothing).
FOLLOW_UPS: dict[str, dict[str, str]] = {
    "ask_reimbursement": {"hsct": "hsct_reimbursement", "cordblood": NOT_IN_SOURCES},
    "ask_abroad": {"hsct": "hsct_abroad", "cordblood": "cordblood_export"},
    "ask_why": {"hsct": "hsct_reimbursement", "cordblood": "cordblood_why"},
    "ask_netherlands": {
        "hsct": "hsct_availability_nl",
        "cordblood": "cordblood_own_storage",
    },
    "ask_who_decides": {"hsct": "hsct_referral", "cordblood": "cordblood_why"},
    "ask_where": {"hsct": "hsct_centres", "cordblood": "cordblood_donation"},
    "ask_since_when": {
        "hsct": "hsct_reimbursement",
        "cordblood": "cordblood_guideline",
    },
    "ask_safety": {"hsct": "hsct_risks", "cordblood": NOT_IN_SOURCES},
    "ask_effect": {"hsct": "hsct_effect", "cordblood": NOT_IN_SOURCES},
    "ask_duration": {"hsct": NOT_IN_SOURCES, "cordblood": NOT_IN_SOURCES},
    "ask_alternative": {"hsct": NOT_IN_SOURCES, "cordblood": "cordblood_donation"},
}
# Where the last topic changes the answer: (kind, last topic) -> topic.
AFTER_TOPIC: dict[tuple[str, str], str] = {
    # "waarom (niet)?" has an answer in the sources only after these topics.
    **{
        ("ask_why", t): NOT_IN_SOURCES
        for t in (
            "hsct_what_is",
            "hsct_procedure",
            "hsct_effect",
            "hsct_ms_type",
            "hsct_candidates",
            "hsct_referral",
            "hsct_risks",
            "hsct_centres",
            "hsct_abroad",
            "hsct_abroad_trouble",
            "cordblood_clinic_therapy",
            "wbmv_what_is",
        )
    },
    # "sinds wanneer?" after an answer that itself says since when.
    **{
        ("ask_since_when", t): t
        for t in (
            "hsct_availability_nl",
            "hsct_candidates",
            "hsct_centres",
            "hsct_referral",
            "hsct_policy",
        )
    },
    ("ask_who_decides", "hsct_policy"): "hsct_policy",
    ("ask_who_decides", "cordblood_clinic_therapy"): "cordblood_clinic_therapy",
    ("ask_who_decides", "wbmv_what_is"): "wbmv_what_is",
    ("ask_where", "hsct_abroad"): "hsct_abroad",
    ("ask_where", "hsct_candidates"): "hsct_referral",
    ("ask_where", "hsct_referral"): "hsct_centres",
    ("ask_alternative", "hsct_reimbursement"): "hsct_abroad",
    ("ask_safety", "cordblood_clinic_therapy"): "cordblood_clinic_therapy",
}
# Intents whose topic depends on the subject of the conversation.
CONTEXT_QUESTIONS = tuple(FOLLOW_UPS)


def is_curated(intent: str) -> bool:
    """Tell whether an intent gets curated content (a topic, or a follow-up)."""
    return intent in CONTEXT_QUESTIONS or is_content_topic(intent)


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
    question: str | None,
    subject: str | None,
    last_topic: str | None = None,
    subject_named: bool = False,
) -> Resolution:
    """Pick the topic for a context question given the subject and the last topic.

    Args:
        question: one of CONTEXT_QUESTIONS, or None when the user only named a subject.
        subject: 'hsct', 'cordblood' or None when the conversation has no subject.
        last_topic: the topic id of the previous curated answer, if any.
        subject_named: the message itself named the subject ("waarom mag
            navelstrengbloed niet meer?"): a question of its own, not about the last
            answer.

    Returns:
        The topic to answer; CLARIFY (keeping the question pending) when the subject
        is unknown; NOT_IN_SOURCES when the sources say nothing about it.
    """
    if subject not in SUBJECT_DEFAULT:
        return Resolution(CLARIFY, pending_question=question)
    if question is None:
        return Resolution(SUBJECT_DEFAULT[subject])
    if last_topic and not subject_named and subject_of_topic(last_topic) == subject:
        specific = AFTER_TOPIC.get((question, last_topic))
        if specific:
            return Resolution(specific)
    return Resolution(FOLLOW_UPS.get(question, {}).get(subject, NOT_IN_SOURCES))
