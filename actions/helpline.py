"""Tells the helpline's number and hours, and whether it is open now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant.content.catalogue import HELPLINE, SOMETHING_ELSE, response_name
from assistant.content.opening_hours import now_in_amsterdam, status_text


class ActionHelpline(Action):
    """Utters the helpline answer with today's open/closed status."""

    response = response_name(HELPLINE)

    def __init__(self, clock: Callable[[], datetime] = now_in_amsterdam) -> None:
        """Create the action; `clock` is injectable for tests."""
        self.clock = clock

    def name(self) -> str:
        """Return the action's name."""
        return "action_helpline"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Utter the response with the open/closed status filled in."""
        dispatcher.utter_message(
            response=self.response, open_status=status_text(self.clock())
        )
        return []


class ActionSomethingElse(ActionHelpline):
    """After "Bedoelt u ...?": rephrase, or call the helpline (with today's hours)."""

    response = response_name(SOMETHING_ELSE)

    def name(self) -> str:
        """Return the action's name."""
        return "action_something_else"
