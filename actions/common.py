"""Helpers shared by several actions."""

from __future__ import annotations

from rasa_sdk import Tracker

from assistant.domain_terms import subject_of


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


def response_name(topic: str) -> str:
    """Return the name of the response that answers a topic."""
    return f"utter_{topic}"
