"""An SQL tracker store that never writes what a user typed without de-identifying it.

Configured in endpoints.yml as `type:
assistant.tracker_store.DeidentifyingSQLTrackerStore`, with the usual SQLTrackerStore
settings (SQLite by default, PostgreSQL by `dialect`).
NLU and the policies work on the original text in memory; only the stored copy of each
new user event is de-identified.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.deidentify import deidentify


def deidentified(event: Event) -> Event:
    """Return the event as it may be stored: user text de-identified, else unchanged."""
    if not isinstance(event, UserUttered) or not event.text:
        return event
    clean = copy.deepcopy(event)
    clean.text = deidentify(event.text)
    clean.parse_data["text"] = clean.text
    return clean


class DeidentifyingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that de-identifies user messages before they are written."""

    def _additional_events(
        self, session: Any, tracker: DialogueStateTracker
    ) -> Iterator[Event]:
        """Return the events not stored yet, with user text de-identified."""
        for event in super()._additional_events(session, tracker):
            yield deidentified(event)
