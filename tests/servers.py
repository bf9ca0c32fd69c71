"""The `site` fixture: the real servers for tests/server and tests/browser.

The servers (action server and Rasa server with the web channel) run once per test
session on free ports, with a copy of the trained model and a temporary var dir, and
are stopped afterwards. A plugin of tests/conftest.py: nothing starts unless a test
asks for `site`.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.support import (
    Server,
    Site,
    free_port,
    start_process,
    wait_until_ready,
)

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


def endpoints_yml(actions_port: int, tracker_db: Path) -> str:
    """The endpoints of the test servers: their action server, the SQLite store."""
    return (
        "action_endpoint:\n"
        f'  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        "tracker_store:\n"
        "  type: assistant.privacy.tracker_store.DeidentifyingSQLTrackerStore\n"
        "  dialect: sqlite\n"
        f'  db: "{tracker_db}"\n'
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` first.")
    var_dir = tmp_path_factory.mktemp("var")
    model = var_dir / "model.tar.gz"
    shutil.copy(MODEL, model)  # the original may be retrained while tests run
    actions_port, rasa_port = free_port(), free_port()
    tracker_db = var_dir / "db" / "tracker.db"
    endpoints = var_dir / "endpoints.yml"
    endpoints.write_text(endpoints_yml(actions_port, tracker_db), encoding="utf-8")
    token = secrets.token_urlsafe(24)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "WEB_DB": str(var_dir / "web.sqlite"),
        "STAFF_TOKEN": token,
        **TEST_SETTINGS,
    }
    for name in ("RASA_ENABLE_API", "RASA_AUTH_TOKEN", "RASA_JWT_SECRET"):
        env.pop(name, None)
    python = str(ROOT / ".venv" / "bin" / "python")
    actions = Server(
        "action",
        [str(ROOT / ".venv" / "bin" / "rasa"), "run", "actions"]
        + ["--actions", "actions", "--port", str(actions_port)],
        var_dir / "actions.log",
        env,
        f"http://127.0.0.1:{actions_port}/health",
    )
    rasa = Server(
        "Rasa",
        [python, "-m", "assistant.server", "run", "--model", str(model)]
        + ["--interface", "127.0.0.1", "--port", str(rasa_port)]
        + ["--credentials", "credentials.yml", "--endpoints", str(endpoints)],
        var_dir / "rasa.log",
        env,
        f"http://127.0.0.1:{rasa_port}/webhooks/web/health",
    )
    try:
        actions.process = start_process(actions.args, actions.log, env)
        rasa.process = start_process(rasa.args, rasa.log, env)
        wait_until_ready(
            {
                server.name: (server.ready_url, server.process, server.log)
                for server in (actions, rasa)
            },
            START_TIMEOUT,
        )
        yield Site(
            base_url=f"http://127.0.0.1:{rasa_port}",
            database=var_dir / "web.sqlite",
            staff_token=token,
            var_dir=var_dir,
            tracker_db=tracker_db,
            rasa=rasa,
            actions=actions,
            settings=dict(TEST_SETTINGS),
        )
    finally:
        rasa.stop()
        actions.stop()
