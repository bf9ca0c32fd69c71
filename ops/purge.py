"""Deletes what is older than the retention period (safe to run from cron).

Usage: python -m ops.purge [--days N] [--endpoints endpoints.yml]
       [--credentials credentials.yml] [--web-db var/web.sqlite]

- Conversations (tracker store of endpoints.yml) whose latest event is older than N
  days (default: the environment variable RETENTION_DAYS, else 30).
- Feedback votes and unanswered questions of the website (`web.store`, the SQLite file
  of WEB_DB, else of credentials.yml, else var/web.sqlite) stored more than N days ago.

Running it twice deletes nothing more. It exits with 1, and a message, when a
database cannot be reached (it waits at most TRACKER_STORE_START_WAIT seconds).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.core.utils import read_endpoints_from_path

from assistant.privacy.tracker_store import DeidentifyingSQLTrackerStore
from web.store import DEFAULT_DATABASE, Store

DEFAULT_RETENTION_DAYS = 30
WEB_CHANNEL = "web.channel.WebChannel"


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


def purge_web_store(path: Path, older_than: datetime) -> dict[str, int]:
    """Delete the web store's rows from before `older_than`; nothing if no file."""
    if not path.exists():
        return {"feedback": 0, "unanswered": 0}
    return Store(path).delete_before(older_than)


def web_database(credentials: Path, env: Mapping[str, str]) -> Path:
    """Return the web store's file: WEB_DB, else credentials.yml, else the default."""
    if env.get("WEB_DB"):
        return Path(env["WEB_DB"])
    settings: dict[str, str] = {}
    if credentials.exists():
        channels = yaml.safe_load(credentials.read_text(encoding="utf-8")) or {}
        settings = channels.get(WEB_CHANNEL) or {}
    return Path(settings.get("database") or DEFAULT_DATABASE)


def store_from_endpoints(path: Path) -> SQLTrackerStore:
    """Open the SQL tracker store configured in an endpoints file."""
    config = read_endpoints_from_path(str(path)).tracker_store
    if config is None or "sql" not in str(config.type).lower():
        raise SystemExit(f"{path} configures no SQL tracker store; nothing to purge.")
    return DeidentifyingSQLTrackerStore(host=config.url, **config.kwargs)


def main(argv: list[str] | None = None) -> int:
    """Purge old conversations and web rows; print how many were deleted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=retention_days())
    parser.add_argument("--endpoints", type=Path, default=Path("endpoints.yml"))
    parser.add_argument("--credentials", type=Path, default=Path("credentials.yml"))
    parser.add_argument("--web-db", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")
    web_db = args.web_db or web_database(args.credentials, os.environ)
    cutoff = time.time() - args.days * 86400
    try:
        deleted = purge(store_from_endpoints(args.endpoints), cutoff)
        rows = purge_web_store(
            web_db, datetime.now(timezone.utc) - timedelta(args.days)
        )
    except (sa.exc.SQLAlchemyError, sqlite3.Error, OSError) as problem:
        print(f"Purge failed: a database is unavailable ({problem}).", file=sys.stderr)
        return 1
    print(f"Deleted {deleted} conversation(s) older than {args.days} day(s).")
    print(
        f"Deleted {rows['feedback']} feedback vote(s) and {rows['unanswered']} "
        f"unanswered question(s) from {web_db}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
