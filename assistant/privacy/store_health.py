"""Whether the tracker store's database answers, as the store last found out.

Rasa wraps every tracker store in a `FailSafeTrackerStore`: when the database fails,
a read returns no tracker (the conversation starts afresh) and a write goes to memory.
`assistant.privacy.tracker_store` records each success and failure here, so the web
channel can report it (GET /webhooks/web/health) and tell the user.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)


class StoreHealth:
    """The latest outcome of the tracker store's database operations."""

    def __init__(self) -> None:
        """Start as available: nothing has failed yet."""
        self._lock = threading.Lock()
        self._error: str | None = None
        self._since: float | None = None

    @property
    def available(self) -> bool:
        """Tell whether the last database operation succeeded."""
        return self._error is None

    @property
    def error(self) -> str | None:
        """Return the kind of the last error (its exception class), if failing."""
        return self._error

    def failed(self, operation: str, error: BaseException) -> None:
        """Record a failed operation and log it at ERROR (without its data)."""
        kind = type(error).__name__
        with self._lock:
            first = self._error is None
            self._error, self._since = kind, self._since or time.time()
        logger.error(
            "Tracker store unavailable: %s failed (%s). Conversations are kept in "
            "memory only and lose their context until the database answers again.%s",
            operation,
            kind,
            "" if first else " (still failing)",
        )

    def succeeded(self) -> None:
        """Record a successful operation; log the recovery after a failure."""
        if self._error is None:
            return
        with self._lock:
            was, self._error, self._since = self._error, None, None
        if was:
            logger.warning("Tracker store available again.")


TRACKER_STORE_HEALTH = StoreHealth()
