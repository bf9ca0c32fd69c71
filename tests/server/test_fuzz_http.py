"""Property-based fuzzing of the message path through the real HTTP endpoints.

A bounded number of hypothesis examples per test (FUZZ_EXAMPLES, default 25): any
text, any bytes with any content type, any JSON value. Never a 5xx, always JSON, and
the server keeps serving. The pure rules are fuzzed harder in
tests/unit/test_input_rules.py.
"""

from __future__ import annotations

import itertools
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.support import Site, request, texts

PATHS = ["/webhooks/web/message", "/webhooks/rest/webhook"]
HTTP_FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_ids = itertools.count(1)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)


def client() -> tuple[str, dict[str, str]]:
    n = next(_ids)
    return f"fuzz-{n:06d}", {"X-Forwarded-For": f"10.60.{n // 250}.{n % 250 + 1}"}


def assert_clear_answer(status: int, head: dict, body: object) -> None:
    assert status < 500, body
    assert head["content-type"].startswith("application/json")
    if status != 200:
        assert 400 <= status < 500 and isinstance(body["error"], str) and body["error"]


def assert_still_serving(site: Site) -> None:
    sender, headers = client()
    status, _, body = request(
        site, PATHS[1], {"sender": sender, "message": "wat is de wbmv"}, headers=headers
    )
    assert status == 200
    assert "Wet op bijzondere medische verrichtingen" in " ".join(texts(body))


@pytest.mark.parametrize("path", PATHS)
def test_any_text_gets_an_answer_or_a_clear_400(site: Site, path: str) -> None:
    @HTTP_FUZZ
    @given(st.text(max_size=300))
    def check(text: str) -> None:
        sender, headers = client()
        status, head, body = request(
            site, path, {"sender": sender, "message": text}, headers=headers
        )
        assert_clear_answer(status, head, body)
        assert status in (200, 400)
        if status == 200:
            assert texts(body["messages"] if "messages" in body else body)

    check()
    assert_still_serving(site)


@pytest.mark.parametrize("path", PATHS)
def test_any_bytes_get_a_clear_4xx(site: Site, path: str) -> None:
    @HTTP_FUZZ
    @given(
        st.binary(max_size=200),
        st.sampled_from(["application/json", "text/plain", "application/xml", None]),
    )
    def check(raw: bytes, content_type: str | None) -> None:
        _, headers = client()
        status, head, body = request(
            site, path, raw=raw, content_type=content_type, headers=headers
        )
        assert_clear_answer(status, head, body)
        assert status != 200

    check()
    assert_still_serving(site)


@pytest.mark.parametrize("path", PATHS)
def test_any_json_gets_an_answer_or_a_clear_4xx(site: Site, path: str) -> None:
    @HTTP_FUZZ
    @given(json_values, st.booleans())
    def check(value: object, with_sender: bool) -> None:
        sender, headers = client()
        if with_sender and isinstance(value, dict):
            value = {**value, "sender": sender}
        status, head, body = request(
            site, path, raw=json.dumps(value).encode(), headers=headers
        )
        assert_clear_answer(status, head, body)

    check()
    assert_still_serving(site)
