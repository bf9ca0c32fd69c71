"""Deletes conversations older than the retention period (safe to run from cron).

Usage: python -m assistant.purge [--days N] [--endpoints endpoints.yml]

A conversation is deleted when its latest event is older than N days (default: the
environment variable RETENTION_DAYS, else 30). Running it twice deletes nothing more.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.core.utils import read_endpoints_from_path

DEFAULT_RETENTION_DAYS = 30


def retention_days() -> int:
    """Return the retention period in days from RETENTION_DAYS, else the default."""
    return int(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def purge(store: SQLTrackerStore, older_than: float) -> int:
    """Delete every conversation whose last event is before `older_than` (epoch s).

    Returns:
        The number of conversations deleted.
    """
    events = store.SQLEvent
    with store.session_scope() as session:
        stale = (
            session.query(events.sender_id)
            .group_by(events.sender_id)
            .having(sa.func.max(events.timestamp) < older_than)
            .all()
        )
        senders = [row.sender_id for row in stale]
        if senders:
            session.query(events).filter(events.sender_id.in_(senders)).delete(
                synchronize_session=False
            )
            session.commit()
    return len(senders)


def store_from_endpoints(path: Path) -> SQLTrackerStore:
    """Open the SQL tracker store configured in an endpoints file."""
    config = read_endpoints_from_path(str(path)).tracker_store
    if config is None or "sql" not in str(config.type).lower():
        raise SystemExit(f"{path} configures no SQL tracker store; nothing to purge.")
    return SQLTrackerStore(host=config.url, **config.kwargs)


def main(argv: list[str] | None = None) -> int:
    """Purge old conversations and print how many were deleted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=retention_days())
    parser.add_argument("--endpoints", type=Path, default=Path("endpoints.yml"))
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")
    store = store_from_endpoints(args.endpoints)
    deleted = purge(store, time.time() - args.days * 86400)
    print(f"Deleted {deleted} conversation(s) older than {args.days} day(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
