"""Retention: `python -m ops.purge` deletes old conversations and web rows."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.privacy.tracker_store import DeidentifyingSQLTrackerStore
from ops.purge import main, purge_web_store, web_database
from web.store import Store

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.now(timezone.utc)


def rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.fixture
def web_db(tmp_path: Path) -> Path:
    path = tmp_path / "web.sqlite"
    store = Store(path)
    for days in (40, 31, 29, 1):
        when = NOW - timedelta(days=days)
        store.add_feedback("hsct_risks", True, when)
        store.add_unanswered("vraag [PERSOON-1]", "utter_fallback", when)
    return path


def test_web_rows_older_than_the_retention_go(web_db: Path) -> None:
    deleted = purge_web_store(web_db, NOW - timedelta(days=30))
    assert deleted == {"feedback": 2, "unanswered": 2}
    assert rows(web_db, "feedback") == rows(web_db, "unanswered") == 2
    assert purge_web_store(web_db, NOW - timedelta(days=30)) == {
        "feedback": 0,
        "unanswered": 0,
    }


def test_a_missing_web_store_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    assert purge_web_store(missing, NOW) == {"feedback": 0, "unanswered": 0}
    assert not missing.exists()


def test_the_web_store_is_found_like_the_channel_finds_it(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("web.channel.WebChannel:\n  database: x/web.db\n")
    assert web_database(credentials, {}) == Path("x/web.db")
    assert web_database(credentials, {"WEB_DB": "/y.db"}) == Path("/y.db")
    assert web_database(tmp_path / "none.yml", {}) == Path("var/web.sqlite")
    assert web_database(ROOT / "credentials.yml", {}) == Path("var/web.sqlite")


async def test_the_command_purges_both_stores(
    tmp_path: Path, web_db: Path, capsys: pytest.CaptureFixture
) -> None:
    tracker_db = tmp_path / "tracker.db"
    store = DeidentifyingSQLTrackerStore(
        domain=Domain.load(str(ROOT / "domain.yml")),
        dialect="sqlite",
        db=str(tracker_db),
    )
    for sender, days in (("old", 45), ("new", 2)):
        at = time.time() - days * 86400
        await store.save(
            DialogueStateTracker.from_events(
                sender,
                [
                    ActionExecuted("action_listen", timestamp=at),
                    UserUttered("hoi", timestamp=at),
                ],
            )
        )
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n"
        "  type: assistant.privacy.tracker_store.DeidentifyingSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {tracker_db}\n"
    )
    argv = ["--days", "30", "--endpoints", str(endpoints), "--web-db", str(web_db)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Deleted 1 conversation(s)" in out
    assert "Deleted 2 feedback vote(s) and 2 unanswered question(s)" in out
    with sqlite3.connect(tracker_db) as db:
        senders = {s for (s,) in db.execute("SELECT DISTINCT sender_id FROM events")}
    assert senders == {"new"}
    assert main(argv) == 0
    assert "Deleted 0 conversation(s)" in capsys.readouterr().out


def test_the_command_fails_clearly_when_the_database_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("TRACKER_STORE_START_WAIT", "0")
    (tmp_path / "blocked").write_text("a file, not a folder")
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: sql\n  dialect: sqlite\n"
        f"  db: {tmp_path / 'blocked' / 'tracker.db'}\n"
    )
    assert main(["--endpoints", str(endpoints), "--web-db", str(tmp_path / "w")]) == 1
    assert "Purge failed" in capsys.readouterr().err
