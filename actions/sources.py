"""Names the sources, and the source of the last answer given."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant.content.catalogue import SOURCES, response_name
from assistant.content.responses import SOURCE_PREFIX, response_text, source_line


class ActionLastSource(Action):
    """Utters the list of sources, starting with the last answer's source."""

    def name(self) -> str:
        """Return the action's name."""
        return "action_last_source"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Utter `utter_sources` with the last answer's source line filled in."""
        last_topic = tracker.get_slot("last_topic")
        line = None
        if last_topic:
            text = response_text(domain.get("responses", {}), response_name(last_topic))
            line = source_line(text)
        intro = ""
        if line:
            cited = line.removeprefix(SOURCE_PREFIX).strip()
            intro = f"Mijn laatste antwoord komt uit: {cited}\n"
        dispatcher.utter_message(response=response_name(SOURCES), last_source=intro)
        return []
