"""Asks "Bedoelt u een van deze vragen?" instead of failing when the NLU is unsure."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import message_subject, question_label
from assistant.content.catalogue import FALLBACK, SUGGEST, response_name
from assistant.content.domain_terms import subject_of
from assistant.content.suggestions import LEXICAL_RANKING, payload_for, suggest
from assistant.content.topic_resolution import is_curated
from assistant.dialogue.unsure_follow_up import slot_before_latest_message

SOMETHING_ELSE = {"title": "Iets anders", "payload": "/something_else"}


class ActionSuggestTopics(Action):
    """Offers the two or three likeliest topics as buttons, or says it does not know."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_suggest_topics"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Utter `utter_suggest` with a button per likely topic, or `utter_fallback`.

        No answer is given, so the slots an unsure follow-up's intent set get back
        the values they had before it (`kept_slots`).
        """
        message = tracker.latest_message
        named = message_subject(tracker)
        restored = kept_slots(tracker, named)
        topics = suggest(
            message.get("intent_ranking") or [],
            named or subject_of(restored["subject"]),
            restored["last_topic"],
            lexical=message.get(LEXICAL_RANKING) or [],
            named_subject=named,
        )
        events = [
            SlotSet(slot, value)
            for slot, value in restored.items()
            if tracker.get_slot(slot) != value
        ]
        if not topics:
            dispatcher.utter_message(response=response_name(FALLBACK))
            return events
        buttons = [
            {"title": question_label(domain, topic), "payload": payload_for(topic)}
            for topic in topics
        ]
        dispatcher.utter_message(
            response=response_name(SUGGEST), buttons=[*buttons, SOMETHING_ELSE]
        )
        return events


def kept_slots(tracker: Tracker, named_subject: str | None) -> dict[str, Any]:
    """Return the topic and subject slots to go on with after asking, not answering.

    An unsure follow-up's curated intent has already set them (slot mappings); then
    they are taken as they were before the message, except a subject it names.
    """
    slots = {slot: tracker.get_slot(slot) for slot in ("last_topic", "subject")}
    intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
    if is_curated(intent):
        for slot in slots:
            slots[slot] = slot_before_latest_message(tracker.events, slot)
        if named_subject:
            slots["subject"] = tracker.get_slot("subject")
    return slots
