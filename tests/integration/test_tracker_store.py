import logging
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.privacy import deidentify, tracker_store
from assistant.privacy.deidentify import (
    NOT_STORED,
    DeidentifierUnavailable,
    deidentify_or_marker,
)
from assistant.privacy.store_health import TRACKER_STORE_HEALTH
from assistant.privacy.tracker_store import DeidentifyingSQLTrackerStore
from ops.purge import purge

PERSONAL = "Ik ben Jan Jansen, BSN 111222333, bel 06-12345678, wordt het vergoed?"


@pytest.fixture
def store(tmp_path):
    return DeidentifyingSQLTrackerStore(
        domain=Domain.load("domain.yml"), dialect="sqlite", db=str(tmp_path / "t.db")
    )


def conversation(sender, text=PERSONAL, at=None):
    at = at or time.time()
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen", timestamp=at),
            UserUttered(
                text,
                intent={"name": "ask_reimbursement", "confidence": 0.9},
                parse_data={"text": text},
                timestamp=at + 1,
            ),
            BotUttered(
                "Bedoelt u stamceltherapie bij MS of navelstrengbloed?",
                timestamp=at + 2,
            ),
        ],
    )


async def test_user_text_is_stored_de_identified(store, tmp_path):
    await store.save(conversation("u1"))
    # the file and its write-ahead log
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("t.db*"))
    for secret in (b"Jan", b"Jansen", b"111222333", b"12345678"):
        assert secret not in stored
    assert b"wordt het vergoed?" in stored


async def test_stored_conversation_is_complete_and_in_order(store):
    await store.save(conversation("u1"))
    tracker = await store.retrieve("u1")
    kinds = [type(e).__name__ for e in tracker.events]
    assert kinds == ["ActionExecuted", "UserUttered", "BotUttered"]
    assert "[PERSOON-1]" in tracker.events[1].text


async def test_saving_again_adds_only_new_events(store):
    tracker = conversation("u1")
    await store.save(tracker)
    tracker.update(UserUttered("dank je", intent={"name": "thanks"}))
    await store.save(tracker)
    assert len((await store.retrieve("u1")).events) == 4


async def test_purge_deletes_only_old_conversations(store):
    now = time.time()
    await store.save(conversation("old", "hallo", at=now - 40 * 86400))
    await store.save(conversation("new", "hallo", at=now - 86400))
    assert purge(store, now - 30 * 86400) == 1
    assert await store.retrieve("old") is None
    assert await store.retrieve("new") is not None
    assert purge(store, now - 30 * 86400) == 0


def test_sqlite_file_is_kept_open_in_wal_mode(store, tmp_path):
    with store.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    assert (mode, sync) == ("wal", 1)  # 1 is NORMAL
    assert store.engine.pool.__class__.__name__ == "QueuePool"


async def test_pooled_store_sees_what_another_store_deleted(store, tmp_path):
    await store.save(conversation("old", at=time.time() - 40 * 86400))
    await store.save(conversation("new"))
    other = DeidentifyingSQLTrackerStore(  # its own engine, as the purge CLI has
        domain=Domain.load("domain.yml"), dialect="sqlite", db=str(tmp_path / "t.db")
    )
    assert purge(other, time.time() - 30 * 86400) == 1
    assert await store.retrieve("old") is None
    assert await store.retrieve("new") is not None


async def test_only_the_stored_copy_is_de_identified(store):
    tracker = conversation("u1")
    await store.save(tracker)
    user = tracker.events[1]
    assert "Jansen" in user.text and "Jansen" in user.parse_data["text"]
    stored = (await store.retrieve("u1")).events[1]
    assert "Jansen" not in stored.text and "Jansen" not in stored.parse_data["text"]


class RestartingWorker:
    """A worker whose replacement child is still loading: every call fails at once."""

    state = "restarting"

    def __init__(self):
        self.calls = 0

    def deidentify(self, text):
        self.calls += 1
        raise DeidentifierUnavailable("the de-identifier is restarting")


async def test_while_no_de_identifier_is_ready_the_marker_is_stored(
    store, tmp_path, monkeypatch, caplog
):
    worker = RestartingWorker()
    monkeypatch.setattr(deidentify, "_WORKER", worker)
    text = "Ik ben Jan Jansen, bel 06-12345678, wordt het vergoed? (herstart)"
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        await store.save(conversation("u1", text))
    assert time.monotonic() - started < 0.5 and worker.calls == 1
    assert TRACKER_STORE_HEALTH.available  # the save itself did not fail
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("t.db*"))
    for secret in (b"Jansen", b"06-12345678", b"vergoed? (herstart)"):
        assert secret not in stored
    user = (await store.retrieve("u1")).events[1]
    assert user.text == NOT_STORED and user.parse_data["text"] == NOT_STORED
    assert user.intent["name"] == "ask_reimbursement"  # the rest is kept
    assert "Jansen" not in caplog.text and "marker" in caplog.text


async def test_a_turn_goes_through_deduce_once(store, deduce_calls):
    text = "Ik ben Jan Jansen, wordt het vergoed? (eenmaal per beurt)"
    await store.save(conversation("u1", text))
    # then the web channel stores the same text as an unanswered question
    question = await deidentify_or_marker(text)
    assert len(deduce_calls) == 1 and "Jansen" not in question
    assert (await store.retrieve("u1")).events[1].text == question


async def test_a_save_that_came_in_between_is_not_stored_twice(store, monkeypatch):
    tracker = conversation("u1")
    other = DeidentifyingSQLTrackerStore(
        domain=Domain.load("domain.yml"),
        dialect="sqlite",
        db=str(store.engine.url.database),
    )
    original = deidentify.deidentify_or_marker
    first = True

    async def meanwhile(text):
        nonlocal first
        if first:  # another save of the same events gets in first
            first = False
            await other.save(tracker)
        return await original(text)

    monkeypatch.setattr(tracker_store, "deidentify_or_marker", meanwhile)
    await store.save(tracker)
    assert len((await store.retrieve("u1")).events) == 3
