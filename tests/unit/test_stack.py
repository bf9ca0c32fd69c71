"""The one launcher (tools/stack.py): processes, readiness, environment, endpoints."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tools.stack import Service, StartError, endpoints_yml, server_env, wait_for


def test_endpoints_point_at_the_stack(tmp_path: Path) -> None:
    source = tmp_path / "endpoints.yml"
    source.write_text(
        "action_endpoint:\n  url: http://localhost:5055/webhook\n"
        "tracker_store:\n  type: x.Store\n  dialect: sqlite\n  db: var/tracker.db\n"
    )
    text = endpoints_yml(6001, tmp_path / "t.db", source)
    assert "http://127.0.0.1:6001/webhook" in text
    assert str(tmp_path / "t.db") in text and "x.Store" in text


def test_the_servers_never_inherit_the_api_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RASA_AUTH_TOKEN", "from-the-shell")
    monkeypatch.setenv("RASA_ENABLE_API", "true")
    env = server_env({"RATE_LIMIT_IP": "0"})
    assert "RASA_AUTH_TOKEN" not in env and "RASA_ENABLE_API" not in env
    assert env["RATE_LIMIT_IP"] == "0" and env["PYTHONPATH"]
    assert server_env({"RASA_AUTH_TOKEN": "given"})["RASA_AUTH_TOKEN"] == "given"


def sleeper(tmp_path: Path, code: str = "import time; time.sleep(60)") -> Service:
    return Service("sleeper", [sys.executable, "-c", code], tmp_path / "log", 0)


def test_a_service_starts_pauses_resumes_and_stops(tmp_path: Path) -> None:
    service = sleeper(tmp_path).start()
    assert service.running() and service.pid > 0
    service.pause()
    service.stop()  # a frozen process is woken up to stop
    assert not service.running()


def test_waiting_fails_with_the_log_when_the_service_stops(tmp_path: Path) -> None:
    code = "print('cannot start: port in use', flush=True); raise SystemExit(3)"
    service = sleeper(tmp_path, code).start()
    with pytest.raises(StartError, match="sleeper stopped:\n.*port in use"):
        wait_for(lambda: False, [service], 30, "sleeper")


def test_waiting_gives_up_after_the_timeout(tmp_path: Path) -> None:
    service = sleeper(tmp_path).start()
    try:
        started = time.monotonic()
        with pytest.raises(StartError, match="did not answer in 1 s"):
            wait_for(lambda: False, [service], 1, "sleeper", interval=0.05)
        assert time.monotonic() - started < 5
    finally:
        service.kill()
    assert not service.running()


def test_a_service_without_a_ready_path_is_ready_while_it_runs(tmp_path: Path) -> None:
    service = sleeper(tmp_path).start(timeout=5)
    assert service.ready()
    service.stop()
    assert not service.ready()
