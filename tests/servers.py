"""The `site` fixture: the real servers for tests/server and tests/browser.

The servers (action server and Rasa server with the web channel) run once per test
session on free ports (tools/stack.py), with a copy of the trained model and a
temporary var dir, and are stopped afterwards. A plugin of tests/conftest.py:
nothing starts unless a test asks for `site`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.support import Site
from tools.stack import StartError, start_stack

ROOT = Path(__file__).resolve().parents[1]
MODEL = Path(os.environ.get("WEB_TEST_MODEL", ROOT / "models" / "assistant.tar.gz"))
START_TIMEOUT = 300  # seconds: Rasa loads TensorFlow and the model

# The test servers' settings: short action timeout, a CORS origin, limits that tests
# can reach, and the client address taken from X-Forwarded-For (one proxy), so tests
# can speak as different clients.
TEST_SETTINGS = {
    "ACTION_TIMEOUT": "2",
    "CORS_ORIGINS": "https://allowed.example",
    "RATE_LIMIT_SENDER": "10/10",
    "RATE_LIMIT_IP": "60/10",
    "SANIC_PROXIES_COUNT": "1",
    "TRACKER_STORE_START_WAIT": "5",
}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` first.")
    var_dir = tmp_path_factory.mktemp("var")
    token = secrets.token_urlsafe(24)
    settings = {**TEST_SETTINGS, "STAFF_TOKEN": token}
    try:
        stack = start_stack(var_dir, MODEL, settings, timeout=START_TIMEOUT)
    except StartError as problem:
        pytest.fail(str(problem))
    try:
        yield Site(
            base_url=stack.base_url,
            database=stack.web_db,
            staff_token=token,
            var_dir=var_dir,
            tracker_db=stack.tracker_db,
            rasa=stack.rasa,
            actions=stack.actions,
            settings=dict(TEST_SETTINGS),
        )
    finally:
        stack.stop()
