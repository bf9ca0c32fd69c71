"""What follows the crisis answer: a new topic only when the user clearly asks one."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import message_subject
from assistant.content.catalogue import EMERGENCY, is_content_topic, response_name


class ActionAnswerAfterCrisis(Action):
    """Right after the crisis answer, answers a topic only if the message names it."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_answer_after_crisis"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Utter the predicted topic when a subject is named, else the crisis answer."""
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        if message_subject(tracker) and is_content_topic(intent):
            dispatcher.utter_message(response=response_name(intent))
            return []
        dispatcher.utter_message(response=response_name(EMERGENCY))
        return [SlotSet("last_topic", None)]
