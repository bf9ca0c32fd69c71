"""Asks "Bedoelt u een van deze vragen?" instead of failing when the NLU is unsure."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import conversation_subject, message_subject, question_label
from assistant.content.catalogue import FALLBACK, SUGGEST, response_name
from assistant.content.suggestions import LEXICAL_RANKING, payload_for, suggest

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
        """Utter `utter_suggest` with a button per likely topic, or `utter_fallback`."""
        message = tracker.latest_message
        topics = suggest(
            message.get("intent_ranking") or [],
            conversation_subject(tracker),
            tracker.get_slot("last_topic"),
            lexical=message.get(LEXICAL_RANKING) or [],
            named_subject=message_subject(tracker),
        )
        if not topics:
            dispatcher.utter_message(response=response_name(FALLBACK))
            return []
        buttons = [
            {"title": question_label(domain, topic), "payload": payload_for(topic)}
            for topic in topics
        ]
        dispatcher.utter_message(
            response=response_name(SUGGEST), buttons=[*buttons, SOMETHING_ELSE]
        )
        return []
