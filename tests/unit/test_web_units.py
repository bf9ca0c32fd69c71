"""Unit tests of the website's pure helpers (no server, no browser)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from assistant.content.catalogue import is_content_topic
from assistant.content.responses import load_responses
from web.channel import WebChannel, placeholder_values, valid_sender
from web.knowledge import answers_for_intent, catalogue, fill, search
from web.links import safe_href, text_parts
from web.messages import bot_message, history, unanswered_response
from web.security import bearer_token, token_matches
from web.store import Store, minute

RESPONSES = load_responses()
VALUES = {"open_status": "De telefoonlijn is nu open.", "last_source": ""}


# --- links -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://www.msvereniging.nl/stamceltherapie",
        "http://example.org",
        "mailto:info@example.org",
        "tel:+31735532325",
        "HTTPS://EXAMPLE.ORG",
    ],
)
def test_safe_href_allows_http_https_mailto_tel(target: str) -> None:
    assert safe_href(target) == target


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example",
        "/relative",
        "https:",
        "https:///nohost",
        "mailto:",
        "",
    ],
)
def test_safe_href_refuses_everything_else(target: str) -> None:
    assert safe_href(target) is None


def test_text_parts_keeps_plain_text_whole() -> None:
    text = "Bel (073) 553 23 25. <img src=x onerror=alert(1)>"
    assert text_parts(text) == [{"text": text}]


def test_text_parts_finds_markdown_and_bare_links() -> None:
    parts = text_parts("Zie [de website](https://x.nl/a) of https://y.nl/b.")
    assert parts == [
        {"text": "Zie "},
        {"text": "de website", "href": "https://x.nl/a"},
        {"text": " of "},
        {"text": "https://y.nl/b", "href": "https://y.nl/b"},
        {"text": "."},
    ]


def test_text_parts_leaves_unsafe_links_as_written() -> None:
    text = "Klik [hier](javascript:alert(1)) nu"
    assert "".join(p["text"] for p in text_parts(text)) == text
    assert all("href" not in p for p in text_parts(text))


# --- messages ----------------------------------------------------------------------


def test_bot_message_splits_the_source_and_keeps_the_response() -> None:
    text = RESPONSES["utter_cordblood_own_storage"][0]["text"]
    message = bot_message(
        {"text": text, "utter_action": "utter_cordblood_own_storage", "timestamp": 1.5}
    )
    assert message["source"] == (
        "Bron: NVOG-standpunt Opslaan navelstrengbloed, 10 juli 2025"
    )
    assert "Bron:" not in message["parts"][0]["text"]
    assert message["topic"] == "cordblood_own_storage"
    assert message["feedback"] is True
    assert message["id"] == "1.500000"


def test_history_from_event_dicts_shows_button_titles() -> None:
    payload = '/choose_subject{"subject":"hsct"}'
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "wordt het vergoed?"},
        {
            "event": "bot",
            "text": "Bedoelt u stamceltherapie bij MS of navelstrengbloed?",
            "data": {
                "buttons": [{"title": "Stamceltherapie bij MS", "payload": payload}]
            },
            "metadata": {"utter_action": "utter_clarify"},
            "timestamp": 2.0,
        },
        {"event": "user", "text": payload},
        {"event": "slot", "name": "subject", "value": "hsct"},
    ]
    messages = history(events)
    assert [m["from"] for m in messages] == ["user", "bot", "user"]
    assert messages[1]["buttons"][0]["title"] == "Stamceltherapie bij MS"
    assert messages[1]["feedback"] is False
    assert messages[2]["text"] == "Stamceltherapie bij MS"


def test_unanswered_response() -> None:
    assert unanswered_response([{"response": "utter_hsct_risks"}]) is None
    assert unanswered_response([{"response": "utter_fallback"}]) == "utter_fallback"
    assert (
        unanswered_response([{"response": "utter_out_of_scope"}])
        == "utter_out_of_scope"
    )
    assert unanswered_response([{"response": "utter_helpline"}]) is None
    assert unanswered_response([{"response": "notice_store_down"}]) is None


# --- knowledge base -----------------------------------------------------------------


def test_catalogue_lists_every_response_once_by_subject() -> None:
    groups = catalogue(RESPONSES, VALUES)
    assert [g["subject"] for g in groups] == [
        "Stamceltherapie bij MS",
        "Navelstrengbloed",
        "Algemeen",
    ]
    listed = [a["topic"] for g in groups for a in g["answers"]]
    assert sorted(listed) == sorted(n.removeprefix("utter_") for n in RESPONSES)
    hsct, cordblood, general = ({a["topic"] for a in g["answers"]} for g in groups)
    assert all(t.startswith("hsct_") for t in hsct)
    assert cordblood == {
        t for t in listed if t.startswith("cordblood_") or t == "wbmv_what_is"
    }
    assert not any(is_content_topic(t) for t in general)


def test_catalogue_answers_are_the_domain_text_with_placeholders_filled() -> None:
    answers = {
        a["topic"]: a for g in catalogue(RESPONSES, VALUES) for a in g["answers"]
    }
    risks = answers["hsct_risks"]
    assert risks["text"] == RESPONSES["utter_hsct_risks"][0]["text"].strip()
    assert risks["source"].startswith("Bron: MS Vereniging Nederland")
    assert "De telefoonlijn is nu open." in answers["helpline"]["text"]
    assert "{" not in answers["sources"]["text"]


def test_fill() -> None:
    assert fill("a {x} b {y}", {"x": "1"}) == "a 1 b "


def test_context_questions_give_both_subjects() -> None:
    topics = [
        (a["subject"], a["topic"])
        for a in answers_for_intent("ask_abroad", RESPONSES, VALUES)
    ]
    assert topics == [
        ("Stamceltherapie bij MS", "hsct_abroad"),
        ("Navelstrengbloed", "cordblood_export"),
    ]
    why = [a["topic"] for a in answers_for_intent("ask_why", RESPONSES, VALUES)]
    assert why == ["hsct_reimbursement", "cordblood_why"]


@pytest.mark.parametrize("intent", ["greet", "nlu_fallback", "out_of_scope", "x"])
def test_small_talk_and_unknown_intents_give_no_answer(intent: str) -> None:
    assert answers_for_intent(intent, RESPONSES, VALUES) == []


def test_search_keeps_the_ranking_order_and_the_limit() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "hsct_risks", "confidence": 0.4},
        {"name": "greet", "confidence": 0.3},
        {"name": "ask_reimbursement", "confidence": 0.2},
        {"name": "wbmv_what_is", "confidence": 0.05},
        {"name": "cordblood_donation", "confidence": 0.01},
    ]
    results = search(ranking, RESPONSES, VALUES)
    assert [r["intent"] for r in results] == [
        "hsct_risks",
        "ask_reimbursement",
        "wbmv_what_is",
    ]
    assert [a["topic"] for a in results[1]["answers"]] == [
        "hsct_reimbursement",
        "not_in_sources",
    ]


# --- store --------------------------------------------------------------------------


def test_store_keeps_feedback_with_topic_and_minute_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "sub" / "web.sqlite")
    when = datetime(2025, 11, 23, 5, 37, 42, tzinfo=timezone.utc)
    store.add_feedback("hsct_risks", True, when)
    store.add_feedback("hsct_risks", False, when)
    store.add_feedback("wbmv_what_is", False, when)
    assert store.feedback_counts() == [
        {"topic": "hsct_risks", "useful": 1, "not_useful": 1},
        {"topic": "wbmv_what_is", "useful": 0, "not_useful": 1},
    ]
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT created FROM feedback").fetchone() == (
            "2025-11-23T05:37Z",
        )


def test_store_lists_unanswered_newest_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "web.sqlite")
    store.add_unanswered("eerste [PERSOON-1]", "fallback")
    store.add_unanswered("tweede", "out_of_scope")
    assert [r["question"] for r in store.unanswered()] == [
        "tweede",
        "eerste [PERSOON-1]",
    ]
    assert store.unanswered(limit=1)[0]["response"] == "out_of_scope"


def test_minute_is_utc() -> None:
    moment = datetime.fromisoformat("2025-06-01T10:15:59+02:00")
    assert minute(moment) == "2025-06-01T08:15Z"


# --- security and channel settings --------------------------------------------------


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer abc ", "abc"),
        ("Basic abc", None),
        ("Bearer ", None),
        (None, None),
    ],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_token_matches() -> None:
    assert token_matches("s3cret-token", "s3cret-token")
    assert not token_matches("s3cret-token", "s3cret")
    assert not token_matches(None, "anything")
    assert not token_matches("", "")


@pytest.mark.parametrize(
    ("sender", "valid"),
    [
        ("0123456789abcdef0123456789abcdef", True),
        ("api-test_1", True),
        ("short", False),
        ("has space in it", False),
        ("x" * 65, False),
        ("abcdefgh\n", False),
        (12345678, False),
        (None, False),
    ],
)
def test_valid_sender(sender: object, valid: bool) -> None:
    assert valid_sender(sender) is valid


def test_channel_settings_from_credentials_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WEB_DB", raising=False)
    monkeypatch.delenv("STAFF_TOKEN", raising=False)
    channel = WebChannel.from_credentials({"database": str(tmp_path / "a.sqlite")})
    assert channel.store.path == tmp_path / "a.sqlite"
    assert channel.staff_token is None
    monkeypatch.setenv("WEB_DB", str(tmp_path / "b.sqlite"))
    monkeypatch.setenv("STAFF_TOKEN", "t0ken-for-tests")
    channel = WebChannel.from_credentials({"database": str(tmp_path / "a.sqlite")})
    assert channel.store.path == tmp_path / "b.sqlite"
    assert channel.staff_token == "t0ken-for-tests"
    assert WebChannel.name() == "web"


def test_placeholder_values_fill_the_helpline_status() -> None:
    assert placeholder_values()["open_status"].startswith("De telefoonlijn is nu")


def test_blueprint_mounts_the_pages_api_and_warm_up(tmp_path: Path) -> None:
    from sanic import Sanic

    async def on_new_message(message: object) -> None:
        return None

    app = Sanic("web_channel_unit_test")
    channel = WebChannel.from_credentials({"database": str(tmp_path / "w.sqlite")})
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/web")
    paths = {route.path for route in app.router.routes}
    assert {"kennisbank", "webhooks/web/message", "webhooks/web/staff"} <= paths
    assert any(m.__name__ == "_root_page" for m in app.request_middleware)
    signals = {route.name for route in app.signal_router.routes}
    assert "server.init.after" in signals
