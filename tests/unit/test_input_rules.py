"""The public channels' input rules (web.input_rules): examples and properties."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from web.input_rules import (
    MAX_BODY_BYTES,
    MAX_MESSAGE_LENGTH,
    TRUNCATED_NOTICE,
    InputError,
    clean_message,
    message_of,
    needs_offered_payloads,
    parse_body,
    sender_of,
    strip_control_characters,
    valid_sender,
)

FUZZ = settings(max_examples=300, deadline=None, database=None)
CLARIFY = {
    '/choose_subject{"subject":"hsct"}',
    '/choose_subject{"subject":"cordblood"}',
}
JSON = "application/json"


# --- examples -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", " ", "\n\t  ", "\x00\x07", "/", " / / ", "\u200b"]
)
def test_empty_messages_are_refused_in_dutch(text: str) -> None:
    with pytest.raises(InputError) as refused:
        clean_message(text)
    assert refused.value.status == 400
    assert "leeg" in refused.value.message


@pytest.mark.parametrize(
    ("text", "nlu_reads"),
    [
        ("/goodbye", "goodbye"),
        ('/inform{"x":1}', 'inform{"x":1}'),
        ("/nonexistent", "nonexistent"),
        ("  //restart", "restart"),
        ("/ /session_start", "session_start"),
        ("\x00/goodbye", "goodbye"),
        ('/choose_subject{"subject":"hsct"}', 'choose_subject{"subject":"hsct"}'),
        ("wat is 1/2?", "wat is 1/2?"),
    ],
)
def test_a_leading_slash_is_removed_unless_offered(text: str, nlu_reads: str) -> None:
    assert clean_message(text).text == nlu_reads


@pytest.mark.parametrize("payload", sorted(CLARIFY))
def test_an_offered_button_payload_passes_unchanged(payload: str) -> None:
    assert clean_message(payload, CLARIFY).text == payload
    assert clean_message(f"  {payload} ", CLARIFY).text == payload


def test_only_the_exact_payload_passes() -> None:
    near = '/choose_subject{"subject":"hsct","x":1}'
    assert clean_message(near, CLARIFY).text == near[1:]


def test_long_messages_are_cut_to_the_limit() -> None:
    clean = clean_message("stamceltherapie " + "a" * 100_000)
    assert clean.truncated
    assert len(clean.text) == MAX_MESSAGE_LENGTH
    assert clean.text.startswith("stamceltherapie a")
    assert str(MAX_MESSAGE_LENGTH) in TRUNCATED_NOTICE
    assert not clean_message("a" * MAX_MESSAGE_LENGTH).truncated


def test_control_characters_go_newlines_become_spaces() -> None:
    text = "wat\x00 zijn\x07 de\x1b[31m risico's\r\nvan\tstamceltherapie\x7f"
    assert clean_message(text).text == "wat zijn de[31m risico's  van stamceltherapie"


@pytest.mark.parametrize(
    "text",
    [
        "Wat kost stamceltherapie? 😀👨‍👩‍👧 ❤️",
        "مرحبا، هل يتم تعويض العلاج بالخلايا الجذعية؟",
        "שלום, מה זה דם טבורי?",
        "\u200fمرحبا\u200e abc",
    ],
)
def test_emoji_and_right_to_left_text_are_kept(text: str) -> None:
    assert clean_message(text).text == unicodedata.normalize("NFC", text)


def test_bidi_overrides_and_lone_surrogates_go() -> None:
    assert clean_message("abc\u202edef\ud800ghi").text == "abcdefghi"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "[klik](javascript:alert(1))",
        "'; DROP TABLE events; --",
        "<img src=x onerror=alert(1)>",
    ],
)
def test_markup_and_sql_are_plain_text_left_as_typed(text: str) -> None:
    assert clean_message(text).text == text


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (b'{"sender": "abcdefgh", "message": "hoi"}', "text/plain", 415),
        (b'{"sender": "abcdefgh", "message": "hoi"}', None, 415),
        (b'{"sender": "abcdefgh"}', "application/json; charset=latin-1", 415),
        (b'{"sender": "abcdefgh", "message": "\xff\xfe"}', JSON, 400),
        (b'{"sender": "abcdefgh", "message": ', JSON, 400),
        (b"", JSON, 400),
        (b"[1, 2]", JSON, 400),
        (b'"text"', JSON, 400),
        (b"[" * 100_000, JSON, 400),
        (b" " * (MAX_BODY_BYTES + 1), JSON, 413),
    ],
)
def test_bad_bodies_are_refused_with_a_4xx(
    raw: bytes, content_type: str | None, status: int
) -> None:
    with pytest.raises(InputError) as refused:
        parse_body(raw, content_type)
    assert refused.value.status == status
    assert refused.value.message


@pytest.mark.parametrize(
    "content_type",
    [JSON, "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"],
)
def test_json_in_utf8_is_read(content_type: str) -> None:
    raw = json.dumps({"sender": "abcdefgh", "message": "hoi 😀"}).encode()
    assert parse_body(raw, content_type)["message"] == "hoi 😀"


@pytest.mark.parametrize(
    "body",
    [{}, {"sender": None}, {"sender": 12345678}, {"sender": "kort"}, {"sender": "a b"}]
    + [{"sender": "x" * 65}, {"sender": "abcdefg\u00e9"}, {"sender": ["abcdefgh"]}],
)
def test_missing_or_invalid_senders_are_refused(body: dict) -> None:
    with pytest.raises(InputError) as refused:
        sender_of(body)
    assert refused.value.status == 400
    assert "afzender" in refused.value.message


@pytest.mark.parametrize("message", [None, 5, ["hoi"], {"text": "hoi"}, True])
def test_a_message_must_be_text(message: object) -> None:
    with pytest.raises(InputError):
        message_of({"message": message})


# --- properties ---------------------------------------------------------------------


@FUZZ
@given(st.text())
def test_any_text_is_either_cleaned_or_refused_never_crashes(text: str) -> None:
    try:
        clean = clean_message(text)
    except InputError as refused:
        assert refused.status == 400
        return
    assert clean.text and clean.text == clean.text.strip()
    assert len(clean.text) <= MAX_MESSAGE_LENGTH
    assert not clean.text.startswith("/")
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in clean.text)
    clean.text.encode("utf-8")  # always storable and sendable
    assert clean_message(clean.text).text == clean.text  # idempotent


@FUZZ
@given(st.text(), st.sampled_from(sorted(CLARIFY)))
def test_only_offered_payloads_reach_nlu_with_a_slash(text: str, payload: str) -> None:
    for candidate in (text, "/" + text, payload):
        try:
            clean = clean_message(candidate, {payload})
        except InputError:
            continue
        assert not clean.text.startswith("/") or clean.text == payload


@FUZZ
@given(st.text())
def test_needs_offered_payloads_exactly_when_a_slash_would_lead(text: str) -> None:
    leading = strip_control_characters(text).strip().startswith("/")
    assert needs_offered_payloads(text) == leading


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([JSON, "text/plain", None, ""]))
def test_any_body_is_parsed_or_refused_with_a_4xx(raw: bytes, content_type) -> None:
    try:
        body = parse_body(raw, content_type)
    except InputError as refused:
        assert 400 <= refused.status < 500
    else:
        assert isinstance(body, dict)


@FUZZ
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
    )
)
def test_any_json_body_gives_a_sender_and_text_or_a_4xx(value: object) -> None:
    try:
        body = parse_body(json.dumps(value).encode(), JSON)
        sender, text = sender_of(body), message_of(body)
        clean_message(text)
    except InputError as refused:
        assert 400 <= refused.status < 500
    else:
        assert valid_sender(sender)
