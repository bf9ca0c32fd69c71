"""Answers questions whose topic depends on the subject of the conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import conversation_subject, message_subject
from assistant.content.catalogue import CLARIFY, response_name
from assistant.content.topic_resolution import CONTEXT_QUESTIONS, resolve


class ActionAnswerInContext(Action):
    """Answers 'wordt dat vergoed?'-style questions, or asks which subject is meant."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_answer_in_context"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Resolve the question to a topic and utter that topic's response."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        named = message_subject(tracker)
        if intent in CONTEXT_QUESTIONS:
            question = intent
            subject = conversation_subject(tracker)
        else:  # the user named a subject, e.g. after `clarify`
            question = tracker.get_slot("pending_question")
            subject = named
        last_topic = tracker.get_slot("last_topic")
        resolution = resolve(question, subject, last_topic, subject_named=bool(named))
        dispatcher.utter_message(response=response_name(resolution.topic))
        if resolution.topic == CLARIFY:
            return [SlotSet("pending_question", resolution.pending_question)]
        events: list[EventType] = [
            SlotSet("subject", subject),
            SlotSet("pending_question", None),
        ]
        if resolution.is_curated_answer:
            events.append(SlotSet("last_topic", resolution.topic))
        return events
