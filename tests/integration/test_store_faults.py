"""The tracker store when its database is unavailable, at start-up or mid-run.

What Rasa guarantees (FailSafeTrackerStore): a failed write goes to memory, a failed
read returns no tracker, and neither raises. What the project adds: start-up does not
hang, every failure is logged at ERROR and recorded for the health endpoint, and the
store recovers by itself when the database answers again.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.privacy.store_health import TRACKER_STORE_HEALTH
from assistant.privacy.tracker_store import DeidentifyingSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
PERSONAL = "Ik ben Pieter Jansen, BSN 111222333. Wordt het vergoed?"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(autouse=True)
def healthy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TRACKER_STORE_START_WAIT", "0.5")
    TRACKER_STORE_HEALTH.succeeded()
    yield
    TRACKER_STORE_HEALTH.succeeded()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) when the block takes longer than `seconds`."""

    def expire(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def conversation(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen"),
            UserUttered(PERSONAL, intent={"name": "ask_reimbursement"}),
            BotUttered("Bedoelt u stamceltherapie bij MS of navelstrengbloed?"),
        ],
    )


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def open_store(domain: Domain, db: Path) -> FailSafeTrackerStore:
    return FailSafeTrackerStore(
        DeidentifyingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    )


@pytest.mark.parametrize("fault", ["folder is a file", "file is not a database"])
async def test_unavailable_at_start_up_starts_degraded_then_recovers(
    tmp_path: Path, domain: Domain, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    folder = tmp_path / "db"
    if fault == "folder is a file":
        folder.write_text("in the way")
    else:
        folder.mkdir()
        (folder / "tracker.db").write_bytes(b"garbage " * 1000)
    with deadline(15):  # Rasa's own store retries forever
        store = open_store(domain, folder / "tracker.db")
    assert not TRACKER_STORE_HEALTH.available
    assert any("Tracker store unavailable" in e for e in errors(caplog))

    await store.save(conversation("u1"))  # Rasa: falls back to memory, no exception
    assert await store.retrieve("u1") is None  # Rasa: a failed read gives no tracker
    assert await store.fallback_tracker_store.retrieve("u1") is not None

    if folder.is_file():
        folder.unlink()
    else:
        shutil.rmtree(folder)
    folder.mkdir()
    await store.save(conversation("u1"))
    assert TRACKER_STORE_HEALTH.available
    kept = await store.retrieve("u1")
    assert [type(e).__name__ for e in kept.events] == [
        "ActionExecuted",
        "UserUttered",
        "BotUttered",
    ]
    stored = b"".join(path.read_bytes() for path in folder.glob("tracker.db*"))
    assert b"Jansen" not in stored and b"111222333" not in stored


async def test_unavailable_mid_run_is_recorded_and_recovers(
    tmp_path: Path, domain: Domain, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "db"
    store = open_store(domain, folder / "tracker.db")
    await store.save(conversation("u1"))
    assert TRACKER_STORE_HEALTH.available and not errors(caplog)

    folder.rename(tmp_path / "away")
    folder.write_text("in the way")
    assert await store.retrieve("u1") is None
    assert not TRACKER_STORE_HEALTH.available
    assert TRACKER_STORE_HEALTH.error == "OperationalError"
    assert any("retrieve failed" in e for e in errors(caplog))

    folder.unlink()
    (tmp_path / "away").rename(folder)
    assert len((await store.retrieve("u1")).events) == 3
    assert TRACKER_STORE_HEALTH.available


def test_a_reachable_database_starts_at_once(tmp_path: Path, domain: Domain) -> None:
    with deadline(5):
        open_store(domain, tmp_path / "new" / "tracker.db")
    assert TRACKER_STORE_HEALTH.available
    assert (tmp_path / "new" / "tracker.db").exists()  # folder made, tables created
