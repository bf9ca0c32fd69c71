"""SQLite store: feedback (topic id, time) and de-identified unanswered questions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

DEFAULT_DATABASE = "var/web.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    useful INTEGER NOT NULL CHECK (useful IN (0, 1)),
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    response TEXT NOT NULL,
    created TEXT NOT NULL
);
"""


def minute(moment: datetime | None = None) -> str:
    """Return a UTC time to the minute (no finer, on purpose): '2025-11-23T05:37Z'."""
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


class Store:
    """Feedback and unanswered questions in one SQLite file (created on first use)."""

    def __init__(self, path: Path) -> None:
        """Open (and create) the database file at `path`."""
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """Yield a connection that commits on success and is always closed."""
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def add_feedback(
        self, topic: str, useful: bool, when: datetime | None = None
    ) -> None:
        """Store one feedback vote: the topic id, useful or not, and the minute."""
        with self._connect() as db:
            db.execute(
                "INSERT INTO feedback (topic, useful, created) VALUES (?, ?, ?)",
                (topic, int(useful), minute(when)),
            )

    def add_unanswered(
        self, question: str, response: str, when: datetime | None = None
    ) -> None:
        """Store an already de-identified question the assistant could not answer."""
        with self._connect() as db:
            db.execute(
                "INSERT INTO unanswered (question, response, created) VALUES (?, ?, ?)",
                (question, response, minute(when)),
            )

    def delete_before(self, moment: datetime) -> dict[str, int]:
        """Delete feedback and unanswered questions stored before `moment`.

        Returns:
            The number of rows deleted per table.
        """
        cutoff = minute(moment)  # the same text form, so text order is time order
        deleted = {}
        with self._connect() as db:
            for table in ("feedback", "unanswered"):
                cursor = db.execute(f"DELETE FROM {table} WHERE created < ?", (cutoff,))
                deleted[table] = cursor.rowcount
        return deleted

    def feedback_counts(self) -> list[dict[str, Any]]:
        """Return per topic how often it was useful and not useful, worst first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT topic, SUM(useful), SUM(1 - useful) FROM feedback "
                "GROUP BY topic ORDER BY SUM(1 - useful) DESC, topic"
            ).fetchall()
        return [{"topic": t, "useful": u, "not_useful": n} for t, u, n in rows]

    def unanswered(self, limit: int = 200) -> list[dict[str, Any]]:
        """Return the latest unanswered questions, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT created, response, question FROM unanswered "
                "ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [{"time": c, "response": r, "question": q} for c, r, q in rows]
