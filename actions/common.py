"""Helpers shared by several actions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from assistant.content.catalogue import response_name
from assistant.content.domain_terms import subject_of


def message_subject(tracker: Tracker) -> str | None:
    """Return the subject named in the latest message, if the user named one."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "subject":
            subject = subject_of(entity.get("value"))
            if subject:
                return subject
    return None


def conversation_subject(tracker: Tracker) -> str | None:
    """Return the subject of this message, else of the conversation so far."""
    return message_subject(tracker) or subject_of(tracker.get_slot("subject"))


def question_label(domain: dict[str, Any], topic: str) -> str:
    """Return the plain question a topic's answer answers (its `metadata.question`)."""
    variants = (domain.get("responses") or {}).get(response_name(topic)) or [{}]
    metadata = variants[0].get("metadata") or {}
    return str(metadata.get("question") or topic)
