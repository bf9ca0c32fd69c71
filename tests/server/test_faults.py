"""Faults: the action server down or slow, the tracker store's database gone mid-run.

Each test breaks one thing on the shared test servers and repairs it in `finally`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.support import Site, request, texts, timed_message
from web.turn import ACTION_UNAVAILABLE_TEXT, STORE_DOWN_NOTICE

RISKS = "hoe gevaarlijk is een stamceltransplantatie eigenlijk"
REIMBURSED = "wordt dat vergoed?"
HEADERS = {"X-Forwarded-For": "10.40.0.1"}
ACTIONS_START = 120  # seconds


def ask(site: Site, sender: str, text: str) -> tuple[list[dict], float]:
    status, body, seconds = timed_message(site, sender, text, HEADERS)
    assert status == 200 and isinstance(body, dict), body
    return body["messages"], seconds


def health(site: Site) -> dict:
    return request(site, "/webhooks/web/health")[2]


def log_size(site: Site) -> int:
    return site.rasa.log.stat().st_size


def log_since(site: Site, offset: int) -> str:
    with site.rasa.log.open("rb") as log:
        log.seek(offset)
        return log.read().decode(errors="replace")


@pytest.fixture
def actions_stopped(site: Site) -> Iterator[None]:
    site.actions.stop()
    try:
        yield
    finally:
        if not site.actions.running():
            site.actions.start(ACTIONS_START)


@pytest.fixture
def actions_paused(site: Site) -> Iterator[None]:
    site.actions.pause()
    try:
        yield
    finally:
        site.actions.resume()


def test_action_server_down_then_back(site: Site, actions_stopped: None) -> None:
    sender = "fault-down-0001"
    curated, _ = ask(site, sender, RISKS)
    assert curated[0]["response"] == "utter_hsct_risks"  # needs no action server
    apology, seconds = ask(site, sender, REIMBURSED)
    assert [m["response"] for m in apology] == ["utter_action_unavailable"]
    assert texts(apology) == [ACTION_UNAVAILABLE_TEXT]
    assert "(073) 553 23 25" in texts(apology)[0]
    assert seconds < 5
    assert health(site)["action_server"] == "unavailable"
    assert health(site)["status"] == "degraded"

    site.actions.start(ACTIONS_START)
    answer, _ = ask(site, sender, REIMBURSED)
    assert answer[0]["response"] == "utter_hsct_reimbursement"  # context kept
    assert health(site) == {
        "status": "ok",
        "tracker_store": "ok",
        "action_server": "ok",
        "deidentifier": "ready",
    }


def test_action_server_too_slow(site: Site, actions_paused: None) -> None:
    timeout = float(site.settings["ACTION_TIMEOUT"])
    sender = "fault-slow-0001"
    ask(site, sender, RISKS)
    apology, seconds = ask(site, sender, REIMBURSED)
    assert texts(apology) == [ACTION_UNAVAILABLE_TEXT]
    assert timeout * 0.8 <= seconds < timeout + 5  # the short timeout, not 300 s
    site.actions.resume()
    answer, _ = ask(site, sender, REIMBURSED)
    assert answer[0]["response"] == "utter_hsct_reimbursement"


@contextlib.contextmanager
def database_gone(site: Site) -> Iterator[None]:
    """Put a file where the database's folder was, so SQLite cannot open it."""
    folder = site.tracker_db.parent
    away = folder.with_name("db-away")
    folder.rename(away)
    Path(folder).write_text("not a folder: the database cannot be opened")
    try:
        yield
    finally:
        if folder.is_file():
            folder.unlink()
        if away.exists():
            away.rename(folder)


def test_tracker_store_gone_mid_run_is_loud_and_recovers(site: Site) -> None:
    sender = "fault-db-0001"
    first, _ = ask(site, sender, "mag ik navelstrengbloed laten bewaren")
    assert first[0]["response"] == "utter_cordblood_own_storage"
    offset = log_size(site)
    with database_gone(site):
        during, _ = ask(site, sender, RISKS)
        assert during[0]["response"] == "utter_hsct_risks"  # still answered
        assert during[-1]["response"] == "notice_store_down"
        assert texts(during)[-1] == STORE_DOWN_NOTICE
        report = health(site)
        assert report["status"] == "degraded"
        assert report["tracker_store"] == "unavailable"
        assert "ERROR" in log_since(site, offset)
        assert "Tracker store unavailable" in log_since(site, offset)
    assert health(site)["tracker_store"] == "ok"
    after, _ = ask(site, sender, "waarom niet?")
    assert after[0]["response"] == "utter_cordblood_why"  # the stored context is back
    assert "notice_store_down" not in [m["response"] for m in after]
