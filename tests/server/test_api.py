"""The web channel's HTTP API against the real running servers."""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.server.support import Site, stored_events
from web.security import CONTENT_SECURITY_POLICY


def call(
    site: Site,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
) -> tuple[int, dict[str, str], Any]:
    """Send a request; return status, headers (lower-case) and the JSON or text."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(site.base_url + path, data=data)
    if data is not None:
        request.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, head, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, raw = error.code, error.headers, error.read()
    text = raw.decode()
    lowered = {name.lower(): value for name, value in head.items()}
    if lowered.get("content-type", "").startswith("application/json"):
        return status, lowered, json.loads(text)
    return status, lowered, text


def send(site: Site, sender: str, message: str) -> list[dict[str, Any]]:
    status, _, body = call(
        site, "/webhooks/web/message", {"sender": sender, "message": message}
    )
    assert status == 200, body
    return body["messages"]


@pytest.mark.parametrize("path", ["/", "/kennisbank", "/webhooks/web/static/chat.js"])
def test_pages_have_a_strict_csp(site: Site, path: str) -> None:
    status, headers, _ = call(site, path)
    assert status == 200
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert CONTENT_SECURITY_POLICY.startswith("default-src 'self';")
    assert headers["x-content-type-options"] == "nosniff"


def test_root_serves_the_chat_page_not_rasas_hello(site: Site) -> None:
    _, headers, text = call(site, "/")
    assert headers["content-type"].startswith("text/html")
    assert "Dit is een automatische assistent, geen arts." in text
    assert "(073) 553 23 25" in text
    assert "Hello from Rasa" not in text


@pytest.mark.parametrize("path", ["/", "/kennisbank"])
def test_pages_have_no_inline_script_and_nothing_from_outside(
    site: Site, path: str
) -> None:
    _, _, text = call(site, path)
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert not re.search(r"\son[a-z]+\s*=", text)
    assert "style=" not in text
    for target in re.findall(r'(?:src|href)="([^"]*)"', text):
        assert target.startswith(("/", "#", "tel:")), target
        assert not target.startswith("//"), target


@pytest.mark.parametrize("name", ["index.html", "..%2Fchannel.py", "nope.js"])
def test_only_listed_static_files_are_served(site: Site, name: str) -> None:
    status, _, _ = call(site, f"/webhooks/web/static/{name}")
    assert status == 404


def test_message_returns_text_source_buttons_and_topic(site: Site) -> None:
    messages = send(site, "api-test-clarify", "wordt het vergoed?")
    assert messages[0]["response"] == "utter_clarify"
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "Stamceltherapie bij MS",
        "Navelstrengbloed",
    ]
    answer = send(site, "api-test-clarify", messages[0]["buttons"][0]["payload"])[0]
    assert answer["topic"] == "hsct_reimbursement"
    assert answer["feedback"] is True
    assert answer["source"].startswith("Bron: Zorginstituut Nederland")


def test_history_shows_button_titles(site: Site) -> None:
    sender = "api-test-history"
    clarify = send(site, sender, "wordt het vergoed?")[0]
    send(site, sender, clarify["buttons"][1]["payload"])
    _, _, body = call(site, f"/webhooks/web/history?sender={sender}")
    users = [m["text"] for m in body["messages"] if m["from"] == "user"]
    assert users == ["wordt het vergoed?", "Navelstrengbloed"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ({"sender": "x", "message": "hallo"}, "application/json", 400),
        ({"sender": "api-test-bad", "message": "  "}, "application/json", 400),
        ({"sender": "api-test-bad", "message": "hallo"}, "text/plain", 415),
        (["not", "an", "object"], "application/json", 400),
    ],
)
def test_message_rejects_bad_requests(
    site: Site, body: Any, content_type: str, status: int
) -> None:
    got, _, _ = call(site, "/webhooks/web/message", body, content_type=content_type)
    assert got == status


@pytest.mark.parametrize(
    "body",
    [
        {"topic": "greet", "useful": True},
        {"topic": "no_such_topic", "useful": True},
        {"topic": "hsct_risks", "useful": "yes"},
        {"topic": "hsct_risks"},
    ],
)
def test_feedback_rejects_what_is_not_a_vote_on_a_content_answer(
    site: Site, body: dict[str, Any]
) -> None:
    status, _, _ = call(site, "/webhooks/web/feedback", body)
    assert status == 400


def test_feedback_counts_in_the_staff_report(site: Site) -> None:
    for useful in (True, False, False):
        status, _, _ = call(
            site, "/webhooks/web/feedback", {"topic": "hsct_policy", "useful": useful}
        )
        assert status == 200
    _, _, report = call(site, "/webhooks/web/staff", headers=staff(site))
    counts = {row["topic"]: row for row in report["feedback"]}
    assert counts["hsct_policy"]["useful"] >= 1
    assert counts["hsct_policy"]["not_useful"] >= 2


def staff(site: Site) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.staff_token}"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}],
)
def test_staff_report_refuses_without_the_token(
    site: Site, headers: dict[str, str]
) -> None:
    status, _, body = call(site, "/webhooks/web/staff", headers=headers)
    assert status == 401
    assert "unanswered" not in body


def test_unanswered_questions_are_stored_de_identified(site: Site) -> None:
    question = (
        "Ik ben Jan Jansen, bel me op 06-12345678. Werkt acupunctuur tegen migraine?"
    )
    messages = send(site, "api-test-unanswered", question)
    assert messages[0]["response"] in (
        "utter_fallback",
        "utter_out_of_scope",
        "utter_suggest",
    )
    _, _, report = call(site, "/webhooks/web/staff", headers=staff(site))
    stored = [row["question"] for row in report["unanswered"]]
    assert any("acupunctuur" in q for q in stored)
    assert not any("Jansen" in q or "12345678" in q for q in stored)
    with sqlite3.connect(site.database) as db:
        dump = "\n".join(db.iterdump())
    assert "Jansen" not in dump and "12345678" not in dump


def test_answered_questions_are_not_stored(site: Site) -> None:
    send(site, "api-test-answered", "wat zijn de risico's van stamceltherapie")
    with sqlite3.connect(site.database) as db:
        dump = "\n".join(db.iterdump())
    assert "risico" not in dump


def test_search_maps_intents_to_answers(site: Site) -> None:
    status, _, body = call(
        site, "/webhooks/web/search", {"question": "en in het buitenland?"}
    )
    assert status == 200
    first = body["results"][0]
    assert first["intent"] == "ask_abroad"
    assert [a["topic"] for a in first["answers"]] == ["hsct_abroad", "cordblood_export"]
    assert len(body["results"]) <= 3


def test_answers_come_from_the_loaded_domain(site: Site, domain: dict) -> None:
    _, _, body = call(site, "/webhooks/web/answers")
    served = {a["topic"]: a for g in body["groups"] for a in g["answers"]}
    for name, variants in domain["responses"].items():
        if "{" in variants[0]["text"]:
            continue  # placeholders are filled as the chat fills them
        assert (
            served[name.removeprefix("utter_")]["text"] == variants[0]["text"].strip()
        )
    assert "{open_status}" not in served["helpline"]["text"]
    assert "De telefoonlijn is nu" in served["helpline"]["text"]


def test_welcome_opens_a_new_conversation_with_topic_buttons(site: Site) -> None:
    sender = "api-test-welcome"
    status, _, body = call(site, "/webhooks/web/welcome", {"sender": sender})
    assert status == 200
    [greeting] = body["messages"]
    assert greeting["response"] == "utter_greet"
    titles = [b["title"] for b in greeting["buttons"]]
    assert "Wordt stamceltherapie vergoed?" in titles
    assert "Mag ik navelstrengbloed laten bewaren?" in titles
    # a second call on the same conversation adds nothing
    assert call(site, "/webhooks/web/welcome", {"sender": sender})[2]["messages"] == []
    # and a typed question after the greeting is understood as usual
    assert send(site, sender, "wordt het vergoed?")[0]["response"] == "utter_clarify"


def test_welcome_needs_a_valid_sender(site: Site) -> None:
    status, _, body = call(site, "/webhooks/web/welcome", {"sender": "x"})
    assert status == 400 and "error" in body


def test_a_welcome_button_gives_exactly_its_answer_with_follow_ups(site: Site) -> None:
    sender = "api-test-welcome-click"
    greeting = call(site, "/webhooks/web/welcome", {"sender": sender})[2]["messages"][0]
    payload = next(
        b["payload"]
        for b in greeting["buttons"]
        if b["title"] == "Wordt stamceltherapie vergoed?"
    )
    [answer] = send(site, sender, payload)
    assert answer["response"] == "utter_hsct_reimbursement"
    assert answer["source"].startswith("Bron: Zorginstituut Nederland")
    follow_up = next(
        b for b in answer["buttons"] if b["title"] == "Hoe word ik aangemeld?"
    )
    [next_answer] = send(site, sender, follow_up["payload"])
    assert next_answer["response"] == "utter_hsct_referral"


def test_a_payload_that_was_not_offered_is_plain_text(site: Site) -> None:
    sender = "api-test-not-offered"
    send(site, sender, "/hsct_referral")
    users = [data for kind, data in stored_events(site, sender) if kind == "user"]
    assert users[-1]["text"] == "hsct_referral"  # the NLU read it, no intent forced
