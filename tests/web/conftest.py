"""Fixtures for the website tests: the real servers and a headless Chromium.

The servers (action server and Rasa server with the web channel) run once per test
session on free ports, with a copy of the trained model and a temporary var dir, and
are stopped afterwards. Browser tests are marked `browser`, tests that need the
running servers `server`; `pytest -m "not browser and not server"` runs only the
plain unit tests.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.support import (
    Server,
    Site,
    free_port,
    set_viewport,
    start_process,
    wait_until_ready,
)

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("WEB_TEST_MODEL", ROOT / "models" / "assistant.tar.gz"))
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
START_TIMEOUT = 300  # seconds: Rasa loads TensorFlow and the model
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives the real pages in headless Chromium"
    )
    config.addinivalue_line(
        "markers", "server: needs the running action and Rasa servers"
    )


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
        "  type: assistant.tracker_store.DeidentifyingSQLTrackerStore\n"
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


@pytest.fixture(scope="session")
def driver() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            pytest.fail(
                f"{path} is missing: install Debian's chromium and chromium-driver "
                "(scripts/install_browser.sh)."
            )
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    browser.set_script_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(driver: object, site: Site) -> Iterator[object]:
    """The browser on a fresh chat page: no conversation, no stored sender id."""
    set_viewport(driver, 1280)
    driver.get(site.base_url + "/")
    driver.execute_script("localStorage.clear(); sessionStorage.clear();")
    driver.get(site.base_url + "/")
    driver.get_log("browser")  # start each test with an empty console log
    yield driver
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
