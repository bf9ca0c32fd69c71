"""Every route of both channels, in-process: Rasa's app with a fake agent, over ASGI.

The app is the one `rasa run` serves (`rasa.core.run.configure_app` with the
channels of credentials.yml); only the agent is fake: the real domain, an in-memory
tracker store, and canned answers instead of the model. The real servers are tested
over HTTP in tests/server/.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.run import configure_app
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from sanic import Sanic

from tests.unit.asgi_client import AsgiClient
from web import channel as web_channel
from web import health
from web.channel import WebChannel
from web.rest import RestChannel
from web.store import Store
from web.turn import ACTION_UNAVAILABLE_TEXT, BUSY_MESSAGE

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "staff-token-for-the-tests"
SENDER = "abcdefgh12345678"
MARKER = "[niet bewaard: getest]"
# What the fake model answers: a text's response (anything else: please rephrase).
ANSWERS = {
    "wat is stamceltherapie": "utter_hsct_what_is",
    "mag ik navelstrengbloed bewaren": "utter_cordblood_own_storage",
}
UNKNOWN = "utter_fallback"
# Sanic runs the start-up listeners when the ASGI lifespan starts, as it says.
pytestmark = pytest.mark.filterwarnings("ignore:You have set a listener")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


class FakeAgent:
    """The parts of Rasa's Agent the channels use, with canned answers."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self.tracker_store = InMemoryTrackerStore(domain)
        self.action_endpoint = None
        self.handled: list[str] = []
        self.fail = False
        self.silent = False
        self.delay = 0.0

    async def utter(self, sender: str, name: str, output: Any) -> None:
        """Send a response of the domain and record it, as Rasa does."""
        response = dict(self.domain.responses[name][0])
        message = {"text": response.get("text", ""), "utter_action": name}
        if response.get("buttons"):
            message["buttons"] = response["buttons"]
        await output.send_response(sender, dict(message))  # Rasa pops from it
        tracker = await self.tracker_store.get_or_create_tracker(sender)
        data = {"buttons": message.get("buttons")}
        tracker.update(BotUttered(message["text"], data, {"utter_action": name}))
        tracker.update(ActionExecuted("action_listen"))
        await self.tracker_store.save(tracker)

    async def handle_message(self, message: UserMessage) -> None:
        """Answer as the model would for the canned texts."""
        self.handled.append(message.text)
        await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("the model broke")
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text))
        await self.tracker_store.save(tracker)
        if not self.silent:
            name = ANSWERS.get(message.text, UNKNOWN)
            await self.utter(message.sender_id, name, message.output_channel)

    async def execute_action(
        self, sender: str, action: str, output: Any, *_: Any
    ) -> None:
        """Run an utter action (the welcome); action_listen only listens."""
        if action.startswith("utter_"):
            await self.utter(sender, action, output)

    async def parse_message(self, text: str) -> dict[str, Any]:
        """Rank the canned answer's intent first."""
        name = ANSWERS.get(text, UNKNOWN).removeprefix("utter_")
        return {"intent_ranking": [{"name": name, "confidence": 0.9}]}


class Site:
    """The in-process app with its fake agent, store and client."""

    def __init__(self, agent: FakeAgent, store: Store, client: AsgiClient) -> None:
        self.agent, self.store, self.client = agent, store, client

    async def post(self, url: str, body: Any, **kwargs: Any) -> Any:
        return await self.client.request("POST", url, body, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> Any:
        return await self.client.request("GET", url, **kwargs)

    async def say(self, text: str, sender: str = SENDER) -> Any:
        return await self.post(
            "/webhooks/web/message", {"sender": sender, "message": text}
        )


async def start_site(
    domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Site, Any]:
    """Build Rasa's app with both channels and the fake agent, and start it."""
    Sanic.test_mode = True  # a new app of the same name per test
    monkeypatch.setattr(web_channel, "warm_up", lambda: None)
    monkeypatch.setattr(health, "deidentifier_state", lambda: "ready")

    async def deidentified(text: str) -> str:
        return MARKER

    monkeypatch.setattr(web_channel, "deidentify_or_marker", deidentified)
    store = Store(tmp_path / "web.sqlite")
    app = configure_app([WebChannel(store, TOKEN), RestChannel()], enable_api=False)
    agent = FakeAgent(domain)
    app.ctx.agent = agent
    client = AsgiClient(app)
    await client.start()
    return Site(agent, store, client), app


@pytest.fixture
async def site(
    domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Site]:
    started, _ = await start_site(domain, tmp_path, monkeypatch)
    yield started
    await started.client.stop()


async def test_the_pages_and_their_files_are_served_with_security_headers(
    site: Site,
) -> None:
    for url in ("/", "/kennisbank", "/webhooks/web/static/chat.js"):
        response = await site.get(url)
        assert response.status == 200, url
        assert "content-security-policy" in response.headers
    assert b"<html" in (await site.get("/")).body.lower()
    missing = await site.get("/webhooks/web/static/secrets.txt")
    assert missing.status == 404 and missing.json() == {"error": "Niet gevonden."}


async def test_a_question_gets_its_curated_answer_with_topic_and_source(
    site: Site,
) -> None:
    response = await site.say("wat is stamceltherapie")
    assert response.status == 200
    [answer] = response.json()["messages"]
    assert answer["response"] == "utter_hsct_what_is"
    assert answer["topic"] == "hsct_what_is" and answer["feedback"] is True
    assert answer["source"].startswith("Bron:")
    assert site.store.unanswered() == []


async def test_an_unanswered_question_is_stored_only_as_the_de_identifier_returns_it(
    site: Site,
) -> None:
    await site.say("Jan de Vries 0612345678 vraagt iets geks")
    [stored] = site.store.unanswered()
    assert stored["question"] == MARKER
    assert "0612345678" not in str(site.store.unanswered())


async def test_the_history_shows_the_conversation_and_refuses_a_bad_sender(
    site: Site,
) -> None:
    await site.say("mag ik navelstrengbloed bewaren")
    shown = (await site.get(f"/webhooks/web/history?sender={SENDER}")).json()
    assert [m["from"] for m in shown["messages"]] == ["user", "bot"]
    bad = await site.get("/webhooks/web/history?sender=x")
    assert bad.status == 400 and bad.json() == {"error": "Onbekend gesprek."}


async def test_the_welcome_opens_once_and_its_buttons_pass_as_commands(
    site: Site,
) -> None:
    welcome = (await site.post("/webhooks/web/welcome", {"sender": SENDER})).json()
    [greeting] = welcome["messages"]
    assert greeting["response"] == "utter_greet" and greeting["buttons"]
    payload = greeting["buttons"][0]["payload"]
    again = await site.post("/webhooks/web/welcome", {"sender": SENDER})
    assert again.json() == {"messages": []}
    await site.say(payload)
    await site.say("/goodbye")
    assert site.agent.handled[0] == payload
    assert not site.agent.handled[1].startswith("/")  # not offered: plain text


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ({"sender": SENDER, "message": ""}, {}, 400),
        ({"sender": "x", "message": "hallo"}, {}, 400),
        ('{"sender": "abcdefgh", "mess', {"content-type": "application/json"}, 400),
        ("message=hallo", {"content-type": "text/plain"}, 415),
        ({"sender": SENDER, "message": "x" * 100_000}, {}, 200),
    ],
)
async def test_the_input_rules_hold_on_the_chat_route(
    site: Site, body: Any, headers: dict[str, str], status: int
) -> None:
    response = await site.post("/webhooks/web/message", body, headers=headers)
    assert response.status == status
    if status != 200:
        assert set(response.json()) == {"error"}
        assert site.agent.handled == []


async def test_rate_limits_live_on_the_app_not_in_the_module(
    domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMIT_SENDER", "2")
    first, app = await start_site(domain, tmp_path / "a", monkeypatch)
    try:
        statuses = [(await first.say("hallo")).status for _ in range(3)]
        assert statuses == [200, 200, 429]
        refused = await first.say("hallo")
        assert int(refused.headers["retry-after"]) >= 1
        assert app.ctx.gate.limits.sender.retry_after(SENDER) > 0
    finally:
        await first.client.stop()
    second, _ = await start_site(domain, tmp_path / "b", monkeypatch)
    try:
        assert (await second.say("hallo")).status == 200  # a new app, new limits
    finally:
        await second.client.stop()


async def test_one_turn_at_a_time_per_conversation(site: Site) -> None:
    site.agent.delay = 0.3
    first, second = await asyncio.gather(site.say("hallo"), site.say("nog een"))
    assert sorted([first.status, second.status]) == [200, 429]
    refused = first if first.status == 429 else second
    assert refused.json() == {"error": BUSY_MESSAGE}


async def test_a_broken_turn_gets_the_outage_message_not_a_500(site: Site) -> None:
    site.agent.fail = True
    broken = await site.say("wat is stamceltherapie")
    assert broken.status == 503 and broken.json() == {"error": ACTION_UNAVAILABLE_TEXT}
    site.agent.fail, site.agent.silent = False, True
    silent = (await site.say("wat is stamceltherapie")).json()["messages"]
    assert [m["response"] for m in silent] == ["utter_action_unavailable"]


async def test_feedback_is_stored_for_content_answers_only(site: Site) -> None:
    url = "/webhooks/web/feedback"
    stored = await site.post(url, {"topic": "hsct_what_is", "useful": True})
    assert stored.json() == {"stored": True}
    assert (await site.post(url, {"topic": "greet", "useful": True})).status == 400
    assert (await site.post(url, {"topic": "nope", "useful": True})).status == 400
    assert (
        await site.post(url, {"topic": "hsct_what_is", "useful": "ja"})
    ).status == 400
    assert site.store.feedback_counts()


async def test_the_staff_view_needs_the_token(site: Site) -> None:
    await site.say("iets wat niemand weet")
    assert (await site.get("/webhooks/web/staff")).status == 401
    wrong = {"authorization": "Bearer nope"}
    assert (await site.get("/webhooks/web/staff", headers=wrong)).status == 401
    right = {"authorization": f"Bearer {TOKEN}"}
    shown = (await site.get("/webhooks/web/staff", headers=right)).json()
    assert [q["question"] for q in shown["unanswered"]] == [MARKER]


async def test_the_kennisbank_lists_and_searches_the_answers(site: Site) -> None:
    groups = (await site.get("/webhooks/web/answers")).json()["groups"]
    assert groups and all(group["answers"] for group in groups)
    found = await site.post(
        "/webhooks/web/search", {"question": "wat is stamceltherapie"}
    )
    assert found.json()["results"][0]["intent"] == "hsct_what_is"
    empty = await site.post("/webhooks/web/search", {"question": "  "})
    assert empty.status == 400 and empty.json() == {
        "error": "Typ de vraag van de beller."
    }


async def test_the_health_report_names_each_part(site: Site) -> None:
    report = await site.get("/webhooks/web/health")
    assert report.status == 200
    assert report.json() == {
        "status": "ok",
        "tracker_store": "ok",
        "action_server": "not configured",
        "deidentifier": "ready",
    }


async def test_the_rest_channel_answers_in_rasa_format_with_the_same_rules(
    site: Site,
) -> None:
    url = "/webhooks/rest/webhook"
    answer = await site.post(
        url, {"sender": SENDER, "message": "wat is stamceltherapie"}
    )
    [message] = answer.json()
    assert message["recipient_id"] == SENDER and message["text"]
    bad = await site.post(url, {"sender": SENDER, "message": ""})
    assert bad.status == 400 and set(bad.json()) == {"error"}
    assert (await site.get("/webhooks/rest/")).json() == {"status": "ok"}
