import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.purge import purge
from assistant.tracker_store import DeidentifyingSQLTrackerStore

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
    stored = (tmp_path / "t.db").read_bytes()
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
