"""The pure helpers of the shared message path, the health report and the replies."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.privacy.store_health import TRACKER_STORE_HEALTH
from web import health
from web.channel import page_messages
from web.health import action_health_url, health_report, overall_status
from web.input_rules import TRUNCATED_NOTICE
from web.rate_limit import RateLimits
from web.rest import rest_messages
from web.turn import (
    ACTION_UNAVAILABLE_TEXT,
    STORE_DOWN_NOTICE,
    Gate,
    Notice,
    Overloaded,
    RateLimited,
    Reply,
    TurnFailed,
    gate_of,
    offered_payloads,
    run_turn,
)

CLARIFY = [
    {"title": "Stamceltherapie bij MS", "payload": '/choose_subject{"subject":"hsct"}'},
    {"title": "Navelstrengbloed", "payload": '/choose_subject{"subject":"cordblood"}'},
]


def test_offered_payloads_come_from_the_last_bot_message_only() -> None:
    events = [
        BotUttered("Bedoelt u ...?", data={"buttons": CLARIFY}),
        ActionExecuted("action_listen"),
    ]
    assert offered_payloads(events) == {b["payload"] for b in CLARIFY}
    later = events + [UserUttered("hsct"), BotUttered("Antwoord.")]
    assert offered_payloads(later) == set()
    assert offered_payloads([]) == set()


def test_the_outage_message_has_the_helpline() -> None:
    assert "(073) 553 23 25" in ACTION_UNAVAILABLE_TEXT
    assert "8.30 tot 17.00" in ACTION_UNAVAILABLE_TEXT


def test_the_gate_lives_on_the_app_and_is_made_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MAX_CONCURRENT_TURNS", "3")
    monkeypatch.setenv("TURN_QUEUE_TIMEOUT", "1.5")
    app = SimpleNamespace(ctx=SimpleNamespace())
    gate = gate_of(app)
    assert app.ctx.gate is gate and gate_of(app) is gate
    assert gate.queue_timeout == 1.5 and gate.turns._value == 3
    assert gate_of(SimpleNamespace(ctx=SimpleNamespace())) is not gate


def reply() -> Reply:
    return Reply(
        sender="abcdefgh",
        text="hoi",
        messages=[{"recipient_id": "abcdefgh", "text": "Antwoord."}],
        before=[Notice("notice_truncated", "Te lang.")],
        after=[Notice("notice_store_down", "Storing.")],
    )


def test_rest_replies_put_notices_around_the_answer() -> None:
    assert [m["text"] for m in rest_messages(reply())] == [
        "Te lang.",
        "Antwoord.",
        "Storing.",
    ]
    assert {m["recipient_id"] for m in rest_messages(reply())} == {"abcdefgh"}


def test_page_replies_show_notices_as_plain_bot_messages() -> None:
    messages = page_messages(reply())
    assert [m["response"] for m in messages] == [
        "notice_truncated",
        None,
        "notice_store_down",
    ]
    assert messages[0]["parts"] == [{"text": "Te lang."}]
    assert not any(m["feedback"] for m in messages)


def test_action_health_url() -> None:
    assert action_health_url("http://h:5055/webhook") == "http://h:5055/health"
    assert action_health_url("http://h:5055/webhook/") == "http://h:5055/health"


@pytest.mark.parametrize(
    ("store", "actions", "deidentifier", "status"),
    [
        ("ok", "ok", "ready", "ok"),
        ("ok", "not configured", "ready", "ok"),
        ("unavailable", "ok", "ready", "degraded"),
        ("ok", "unavailable", "ready", "degraded"),
        ("ok", "ok", "restarting", "degraded"),
        ("ok", "ok", "loading", "starting"),
        ("unavailable", "unavailable", "loading", "starting"),
    ],
)
def test_overall_status(store: str, actions: str, deidentifier: str, status: str):
    assert overall_status(store, actions, deidentifier) == status


@pytest.mark.parametrize("state", ["ready", "loading", "restarting"])
async def test_the_health_report_asks_the_de_identifier(
    state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    TRACKER_STORE_HEALTH.succeeded()  # an earlier test may have left it failed
    monkeypatch.setattr(health, "deidentifier_state", lambda: state)
    agent = SimpleNamespace(tracker_store=FakeStore(), action_endpoint=None)
    report = await health_report(agent)
    assert report == {
        "status": {"ready": "ok", "loading": "starting"}.get(state, "degraded"),
        "tracker_store": "ok",
        "action_server": "not configured",
        "deidentifier": state,
    }


# --- run_turn with a stand-in request and agent --------------------------------------


class FakeStore:
    def __init__(self, events: list | None = None) -> None:
        self.events = events

    async def retrieve(self, sender: str) -> DialogueStateTracker | None:
        if self.events is None:
            return None
        return DialogueStateTracker.from_events(sender, self.events)


def fake_request(message: str, sender: str = "abcdefgh", events=None) -> object:
    agent = SimpleNamespace(
        tracker_store=FakeStore(events), domain=SimpleNamespace(responses={})
    )
    return SimpleNamespace(
        body=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"content-type": "application/json"},
        remote_addr="",
        ip="10.0.0.1",
        app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)),
    )


def gate() -> Gate:
    return Gate(RateLimits.from_env({"RATE_LIMIT_SENDER": "0", "RATE_LIMIT_IP": "0"}))


def answering(*texts: str):
    seen: list[str] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message.text)
        for text in texts:
            await message.output_channel.send_text_message(message.sender_id, text)

    on_new_message.seen = seen
    return on_new_message


async def second_message_is_refused(first_gate: Gate, second_gate: Gate) -> None:
    """Check: a message sent while the first is answered is refused, later not."""
    TRACKER_STORE_HEALTH.succeeded()  # an earlier test may have left it failed
    release = asyncio.Event()

    async def slow(message: UserMessage) -> None:
        await release.wait()
        await message.output_channel.send_text_message(message.sender_id, "Klaar.")

    first = asyncio.create_task(
        run_turn(
            fake_request("een"), slow, CollectingOutputChannel(), "rest", first_gate
        )
    )
    await asyncio.sleep(0.05)
    with pytest.raises(RateLimited) as refused:
        await run_turn(
            fake_request("twee"), slow, CollectingOutputChannel(), "rest", second_gate
        )
    assert refused.value.status == 429 and "vorige bericht" in refused.value.message
    release.set()
    assert texts_of(await first) == ["Klaar."]
    again = await run_turn(
        fake_request("drie"),
        answering("Ja."),
        CollectingOutputChannel(),
        "rest",
        second_gate,
    )
    assert texts_of(again) == ["Ja."]


async def test_a_second_message_while_the_first_is_answered_is_refused() -> None:
    shared = gate()
    await second_message_is_refused(shared, shared)


def texts_of(reply: Reply) -> list[str]:
    return [m["text"] for m in rest_messages(reply)]


async def test_no_answer_from_rasa_gives_the_outage_message() -> None:
    reply = await run_turn(
        fake_request("wordt het vergoed?"),
        answering(),
        CollectingOutputChannel(),
        "rest",
        gate(),
    )
    assert texts_of(reply) == [ACTION_UNAVAILABLE_TEXT]


async def test_a_failing_turn_is_a_503_and_the_log_keeps_no_user_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(message: UserMessage) -> None:
        raise RuntimeError(f"kapot bij {message.text}")

    with pytest.raises(TurnFailed) as failed:
        await run_turn(
            fake_request("Pieter Jansen 111222333"),
            broken,
            CollectingOutputChannel(),
            "rest",
            gate(),
        )
    assert failed.value.status == 503
    assert failed.value.message == ACTION_UNAVAILABLE_TEXT
    assert "RuntimeError" in caplog.text
    assert "Jansen" not in caplog.text and "111222333" not in caplog.text


async def test_a_store_outage_and_a_cut_message_are_told() -> None:
    TRACKER_STORE_HEALTH.failed("save", OSError("disk"))
    try:
        reply = await run_turn(
            fake_request("a" * 5000),
            answering("Antwoord."),
            CollectingOutputChannel(),
            "rest",
            gate(),
        )
    finally:
        TRACKER_STORE_HEALTH.succeeded()
    assert texts_of(reply) == [TRUNCATED_NOTICE, "Antwoord.", STORE_DOWN_NOTICE]


async def test_only_the_last_offered_payload_reaches_rasa_with_its_slash() -> None:
    payload = CLARIFY[0]["payload"]
    offered = [BotUttered("Bedoelt u ...?", data={"buttons": CLARIFY})]
    for events, expected in (
        (offered, payload),
        (offered + [BotUttered("Antwoord.")], payload[1:]),
        (None, payload[1:]),
    ):
        on_new_message = answering("ok")
        await run_turn(
            fake_request(payload, events=events),
            on_new_message,
            CollectingOutputChannel(),
            "web",
            gate(),
        )
        assert on_new_message.seen == [expected]


async def test_turns_beyond_the_free_slots_wait_then_get_a_503() -> None:
    release = asyncio.Event()

    async def slow(message: UserMessage) -> None:
        await release.wait()
        await message.output_channel.send_text_message(message.sender_id, "Klaar.")

    shared = Gate(
        RateLimits.from_env({"RATE_LIMIT_SENDER": "0", "RATE_LIMIT_IP": "0"}),
        turns=asyncio.Semaphore(1),
        queue_timeout=0.2,
    )
    first = asyncio.create_task(
        run_turn(fake_request("een", "sender-aa"), slow, CollectingOutputChannel(),
                 "rest", shared)
    )  # fmt: skip
    await asyncio.sleep(0.05)
    with pytest.raises(Overloaded) as refused:
        await run_turn(
            fake_request("twee", "sender-bb"), slow, CollectingOutputChannel(), "rest",
            shared,
        )  # fmt: skip
    assert refused.value.status == 503 and "druk" in refused.value.message
    release.set()
    assert texts_of(await first) == ["Klaar."]
