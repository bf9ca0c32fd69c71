"""The input rules of both public channels (web and REST) through the real servers.

Every request must get a clear answer: 200 with the bot's reply, or a 4xx with a
Dutch JSON error, never a 5xx; and the server keeps serving afterwards.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
import unicodedata

import pytest

from tests.server.support import Site, request, stored_events, texts
from web.input_rules import MAX_MESSAGE_LENGTH, TRUNCATED_NOTICE

CHANNELS = {"web": "/webhooks/web/message", "rest": "/webhooks/rest/webhook"}
_ids = itertools.count(1)


def fresh(prefix: str) -> tuple[str, dict[str, str]]:
    """A new sender id and a new client address (the test servers trust one proxy)."""
    n = next(_ids)
    return f"{prefix}-{n:05d}", {"X-Forwarded-For": f"10.20.{n // 250}.{n % 250 + 1}"}


def say(site: Site, channel: str, sender: str, text: str, headers: dict) -> list:
    status, _, body = request(
        site, CHANNELS[channel], {"sender": sender, "message": text}, headers=headers
    )
    assert status == 200, body
    return body["messages"] if channel == "web" else body


def user_events(site: Site, sender: str) -> list[dict]:
    return [data for kind, data in stored_events(site, sender) if kind == "user"]


def assert_still_serving(site: Site, channel: str) -> None:
    sender, headers = fresh("alive")
    reply = say(site, channel, sender, "wat is de wbmv", headers)
    assert "Wet op bijzondere medische verrichtingen" in " ".join(texts(reply))


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\x00\x07"])
def test_empty_messages_get_a_dutch_400(site: Site, channel: str, text: str) -> None:
    sender, headers = fresh("empty")
    status, head, body = request(
        site, CHANNELS[channel], {"sender": sender, "message": text}, headers=headers
    )
    assert status == 400
    assert head["content-type"].startswith("application/json")
    assert body == {"error": "Het bericht is leeg. Typ uw vraag."}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_100000_character_message_is_cut_with_a_notice(
    site: Site, channel: str
) -> None:
    sender, headers = fresh("long")
    reply = say(site, channel, sender, "stamceltherapie " * 6250, headers)
    assert texts(reply)[0] == TRUNCATED_NOTICE
    assert len(reply) >= 2  # and an answer
    [stored] = user_events(site, sender)
    assert 0 < len(stored["text"]) <= MAX_MESSAGE_LENGTH
    assert_still_serving(site, channel)


@pytest.mark.parametrize("channel", CHANNELS)
def test_control_characters_are_stripped(site: Site, channel: str) -> None:
    sender, headers = fresh("control")
    text = "waar\x00 gaat\x07 de\x1b wbmv\r\nover\x7f"
    reply = say(site, channel, sender, text, headers)
    assert "Wet op bijzondere medische verrichtingen" in " ".join(texts(reply))
    assert user_events(site, sender)[0]["text"] == "waar gaat de wbmv  over"


J = "application/json"
OK = b'{"sender": "abcdefgh1", "message": "hallo"}'
BAD_REQUESTS = [
    # (raw body, content type, status, words in the error)
    (b'{"sender": "abcdefgh1", "message": "\xff\xfe hallo"}', J, 400, "UTF-8"),
    (OK[:-1], J, 400, "JSON"),
    (OK, "text/plain", 415, "JSON"),
    (OK, None, 415, "JSON"),
    (OK, "application/x-www-form-urlencoded", 415, "JSON"),
    (OK, "application/json; charset=latin-1", 415, "UTF-8"),
    (b'{"message": "hallo"}', J, 400, "afzender"),
    (b'{"sender": 12345678, "message": "hallo"}', J, 400, "afzender"),
    (b'{"sender": "u1", "message": "hallo"}', J, 400, "afzender"),
    (b'{"sender": "../../etc/passwd", "message": "hallo"}', J, 400, "afzender"),
    (b'{"sender": "abcdefgh1"}', J, 400, "bericht"),
    (b'{"sender": "abcdefgh1", "message": ["hallo"]}', J, 400, "bericht"),
    (b'["abcdefgh1", "hallo"]', J, 400, "JSON-object"),
    (b"", J, 400, "JSON"),
    (b"[" * 50_000, J, 400, "JSON"),
]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("raw", "content_type", "status", "words"), BAD_REQUESTS)
def test_malformed_requests_get_a_clear_json_4xx(
    site: Site, channel: str, raw: bytes, content_type: str, status: int, words: str
) -> None:
    _, headers = fresh("bad")
    got, head, body = request(
        site, CHANNELS[channel], raw=raw, content_type=content_type, headers=headers
    )
    assert got == status, body
    assert head["content-type"].startswith("application/json")
    assert words in body["error"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_huge_body_gets_413(site: Site, channel: str) -> None:
    sender, headers = fresh("huge")
    body = json.dumps({"sender": sender, "message": "a" * 3_000_000}).encode()
    status, _, answer = request(site, CHANNELS[channel], raw=body, headers=headers)
    assert status == 413
    assert answer == {"error": "Het verzoek is te groot."}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "text",
    [
        "Wat is stamceltherapie? 😀👨‍👩‍👧❤️",
        "مرحبا، ما هو العلاج بالخلايا الجذعية؟",
        "שלום, מה זה דם טבורי? ‏",
    ],
)
def test_emoji_and_right_to_left_text_work(site: Site, channel: str, text: str) -> None:
    sender, headers = fresh("unicode")
    reply = say(site, channel, sender, text, headers)
    assert reply and all(texts(reply))
    expected = unicodedata.normalize("NFC", text).strip()
    assert user_events(site, sender)[0]["text"] == expected
    if channel == "web":
        _, _, body = request(site, f"/webhooks/web/history?sender={sender}")
        assert body["messages"][0] == {"from": "user", "text": expected}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "command",
    ["/goodbye", '/inform{"x":1}', "/nonexistent", " /restart", "//session_start"],
)
def test_slash_commands_do_not_bypass_nlu(
    site: Site, channel: str, command: str
) -> None:
    sender, headers = fresh("slash")
    reply = say(site, channel, sender, command, headers)
    assert reply and all(texts(reply))
    [user] = user_events(site, sender)
    assert user["text"] == command.strip().lstrip("/")
    assert user["parse_data"]["intent"]["confidence"] < 1.0  # NLU's guess, not "/"
    assert user["parse_data"]["entities"] == []
    kinds = [kind for kind, _ in stored_events(site, sender)]
    assert kinds.count("session_started") == 1  # "/session_start" did not run
    slots = [d["name"] for kind, d in stored_events(site, sender) if kind == "slot"]
    assert "x" not in slots


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "command",
    ['/choose_subject{"subject":"cordblood"}', '/ask_why{"subject":"cordblood"}@1.0'],
)
def test_slash_commands_set_no_slots(site: Site, channel: str, command: str) -> None:
    sender, headers = fresh("slots")
    say(site, channel, sender, command, headers)
    [user] = user_events(site, sender)
    assert user["parse_data"]["intent"]["confidence"] < 1.0
    subjects = [
        d["value"]
        for kind, d in stored_events(site, sender)
        if kind == "slot" and d["name"] == "subject"
    ]
    assert "cordblood" not in subjects
    # no subject was set: a context question still asks which subject is meant
    follow_up = say(site, channel, sender, "wordt het vergoed?", headers)
    assert "Bedoelt u stamceltherapie bij MS of navelstrengbloed?" in texts(follow_up)


@pytest.mark.parametrize("channel", CHANNELS)
def test_clicking_an_offered_button_still_works(site: Site, channel: str) -> None:
    sender, headers = fresh("button")
    [clarify] = say(site, channel, sender, "wordt het vergoed?", headers)
    payload = clarify["buttons"][1]["payload"]
    assert payload == '/choose_subject{"subject":"cordblood"}'
    answer = say(site, channel, sender, payload, headers)
    assert "Daarover staat niets in de bronnen" in texts(answer)[0]
    user = user_events(site, sender)[-1]
    assert user["text"] == payload
    assert user["parse_data"]["intent"] == {"name": "choose_subject", "confidence": 1.0}
    # offered once, not any more: the same payload is now plain text for NLU
    say(site, channel, sender, payload, headers)
    assert user_events(site, sender)[-1]["text"] == payload[1:]


PLAIN_TEXTS = [
    "<script>alert('xss')</script>",
    "[klik hier](javascript:alert(document.cookie))",
    "'; DROP TABLE events; --",
    '" OR 1=1; DELETE FROM feedback; --',
    "<img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_markup_and_sql_are_stored_and_echoed_as_plain_text(
    site: Site, text: str
) -> None:
    sender, headers = fresh("plain")
    say(site, "web", sender, text, headers)
    say(site, "rest", sender, "wat is de wbmv", headers)
    assert user_events(site, sender)[0]["text"] == text
    status, head, body = request(site, f"/webhooks/web/history?sender={sender}")
    assert status == 200
    assert head["content-type"].startswith("application/json")
    assert head["x-content-type-options"] == "nosniff"
    assert body["messages"][0] == {"from": "user", "text": text}
    with sqlite3.connect(site.tracker_db) as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] > 0
    with sqlite3.connect(site.database) as db:
        db.execute("SELECT COUNT(*) FROM feedback").fetchone()


def test_a_burst_from_one_sender_is_limited_in_dutch(site: Site) -> None:
    count = int(site.settings["RATE_LIMIT_SENDER"].split("/")[0])
    sender, headers = fresh("burst")
    statuses = []
    for _ in range(count):
        status, _, _ = request(
            site,
            CHANNELS["rest"],
            {"sender": sender, "message": "hallo"},
            headers=headers,
        )
        statuses.append(status)
    assert statuses == [200] * count
    started = time.monotonic()
    status, head, body = request(
        site, CHANNELS["web"], {"sender": sender, "message": "hallo"}, headers=headers
    )
    assert time.monotonic() - started < 2  # refused at once, not queued
    assert status == 429
    assert body["error"].startswith("U stuurt veel berichten kort na elkaar. Wacht ")
    assert 1 <= int(head["retry-after"]) <= 10
    other, _ = fresh("burst")  # another conversation from the same address is served
    status, _, _ = request(
        site, CHANNELS["rest"], {"sender": other, "message": "hallo"}, headers=headers
    )
    assert status == 200


def test_a_burst_from_one_address_is_limited(site: Site) -> None:
    count = int(site.settings["RATE_LIMIT_IP"].split("/")[0])
    _, headers = fresh("flood")
    statuses = [
        request(site, CHANNELS["rest"], {"sender": f"flood-{i:04d}", "message": " "},
                headers=headers)[0]
        for i in range(count + 1)
    ]  # fmt: skip
    assert statuses[:count] == [400] * count  # refused input counts too
    assert statuses[count] == 429
    sender, elsewhere = fresh("flood")
    status, _, _ = request(
        site,
        CHANNELS["rest"],
        {"sender": sender, "message": "hallo"},
        headers=elsewhere,
    )
    assert status == 200
