"""The real servers, started as scripts/run.sh starts them, on free loopback ports.

One stack is an action server (`rasa run actions`) and a Rasa server
(`python -m assistant.server run` with credentials.yml and a copy of endpoints.yml
pointing at this stack's action server and its own SQLite tracker store). The model
is a copy, the var files live in the bench's work folder. The only settings that
differ from `make run`: the rate limits are off (RATE_LIMIT_SENDER/RATE_LIMIT_IP=0;
all simulated users come from 127.0.0.1) and the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tools.bench import profile
from tools.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
FIRST_MESSAGE = "hallo, wat is stamceltherapie bij ms?"
STOP_TIMEOUT = 20.0


class StartError(RuntimeError):
    """A server did not start; the message quotes its log."""


@dataclass
class Stack:
    """The running servers of one model and what their start-up cost."""

    name: str
    model: Path
    work: Path
    base_url: str = ""
    actions: subprocess.Popen | None = None
    rasa: subprocess.Popen | None = None
    cold_start: float = 0.0  # s from starting the Rasa server to the first answer
    listening: float = 0.0  # s from starting it to the first HTTP answer
    actions_start: float = 0.0
    rss_after_start: dict[str, int] = field(default_factory=dict)

    def pids(self) -> dict[str, int]:
        """Return the process ids of the running servers (and their children)."""
        found = {
            role: process.pid
            for role, process in (
                ("Rasa server", self.rasa),
                ("action server", self.actions),
            )
            if process is not None
        }
        if self.rasa is not None:
            for n, child in enumerate(children(self.rasa.pid), 1):
                found[f"child {n} of the Rasa server (de-identifier)"] = child
        return found


def children(pid: int) -> list[int]:
    """Return the ids of a process's child processes (Linux /proc)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        return [int(child) for child in path.read_text().split()]
    return []


def memory_kb(pid: int, field_name: str = "VmHWM") -> int:
    """Return a memory figure of a process in kB from /proc (VmHWM: peak RSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def endpoints_yml(source: Path, actions_port: int, tracker_db: Path) -> str:
    """Return endpoints.yml with this stack's action server and tracker database."""
    endpoints = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{actions_port}/webhook"}
    store = endpoints.get("tracker_store")
    if isinstance(store, dict) and store.get("dialect", "sqlite") == "sqlite":
        store["db"] = str(tracker_db)
    return yaml.safe_dump(endpoints, sort_keys=False)


def server_env(work: Path) -> dict[str, str]:
    """Return the servers' environment: as `make run`, rate limits off."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "WEB_DB": str(work / "web.sqlite"),
        "STAFF_TOKEN": secrets.token_urlsafe(18),
        "RATE_LIMIT_SENDER": "0",
        "RATE_LIMIT_IP": "0",
    }
    for name in ("RASA_ENABLE_API", "RASA_AUTH_TOKEN", "RASA_JWT_SECRET"):
        env.pop(name, None)
    return env


def _tail(path: Path, lines: int = 25) -> str:
    """Return the last lines of a log."""
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _get_ok(url: str) -> bool:
    """Tell whether a GET answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _answered(url: str, sender: str) -> bool:
    """Tell whether the web channel answers a message with at least one message."""
    body = json.dumps({"sender": sender, "message": FIRST_MESSAGE}).encode()
    request = urllib.request.Request(
        url, body, {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return bool(json.loads(response.read()).get("messages"))
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _wait(
    check: Callable[[], bool],
    process: subprocess.Popen,
    log: Path,
    timeout: float,
    what: str,
) -> float:
    """Poll `check` until it holds; return the seconds it took."""
    started = time.perf_counter()
    while not check():
        if process.poll() is not None:
            raise StartError(f"The {what} stopped:\n{_tail(log)}")
        if time.perf_counter() - started > timeout:
            raise StartError(
                f"The {what} did not answer in {timeout:.0f} s:\n{_tail(log)}"
            )
        time.sleep(0.1)
    return time.perf_counter() - started


def _popen(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start a process in the project folder with its output in a log."""
    with log.open("wb") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def start(
    name: str,
    model: Path,
    work: Path,
    timeout: float = 300.0,
    extra_env: dict[str, str] | None = None,
    profile_to: Path | None = None,
    endpoints: Path = ROOT / "endpoints.yml",
    server_module: str = "assistant.server",
) -> Stack:
    """Start the action server, then the Rasa server; time the Rasa server's start.

    With `profile_to`, py-spy samples the Rasa server from its start to its first
    answer (which makes the start slower: use a separate start for that).
    """
    work.mkdir(parents=True, exist_ok=True)
    stack = Stack(name, work / f"{name}.tar.gz", work)
    try:
        _launch(
            stack,
            model,
            timeout,
            extra_env or {},
            profile_to,
            endpoints,
            server_module,
        )
    except BaseException:
        stop(stack)
        raise
    return stack


def _launch(
    stack: Stack,
    model: Path,
    timeout: float,
    extra_env: dict[str, str],
    profile_to: Path | None,
    endpoints_source: Path,
    server_module: str,
) -> None:
    """Start the stack's servers and wait for the first answer (see `start`)."""
    name, work = stack.name, stack.work
    shutil.copy(model, stack.model)
    actions_port, rasa_port = free_port(), free_port()
    endpoints = work / f"{name}-endpoints.yml"
    endpoints.write_text(
        endpoints_yml(endpoints_source, actions_port, work / f"{name}-tracker.db"),
        encoding="utf-8",
    )
    env = server_env(work)
    env["WEB_DB"] = str(work / f"{name}-web.sqlite")
    env.update(extra_env)
    actions_log, rasa_log = work / f"{name}-actions.log", work / f"{name}-rasa.log"
    begun = time.perf_counter()
    stack.actions = _popen(
        [str(VENV / "rasa"), "run", "actions", "--actions", "actions"]
        + ["--port", str(actions_port)],
        actions_log,
        env,
    )
    health = f"http://127.0.0.1:{actions_port}/health"
    _wait(lambda: _get_ok(health), stack.actions, actions_log, timeout, "action server")
    stack.actions_start = time.perf_counter() - begun
    stack.base_url = f"http://127.0.0.1:{rasa_port}"
    begun = time.perf_counter()
    stack.rasa = _popen(
        [str(VENV / "python"), "-m", server_module, "run"]
        + ["--model", str(stack.model), "--interface", "127.0.0.1"]
        + ["--port", str(rasa_port), "--credentials", "credentials.yml"]
        + ["--endpoints", str(endpoints)],
        rasa_log,
        env,
    )
    spy = profile.record(stack.rasa.pid, None, profile_to) if profile_to else None
    alive = stack.base_url + "/webhooks/web/"
    stack.listening = _wait(
        lambda: _get_ok(alive), stack.rasa, rasa_log, timeout, "Rasa server"
    )
    message_url = stack.base_url + "/webhooks/web/message"
    sender = "bench-cold-start"
    _wait(
        lambda: _answered(message_url, sender),
        stack.rasa,
        rasa_log,
        timeout,
        "Rasa server",
    )
    stack.cold_start = time.perf_counter() - begun
    if spy is not None:
        profile.finish(spy)
    stack.rss_after_start = {
        role: memory_kb(pid, "VmRSS") for role, pid in stack.pids().items()
    }


def stop(stack: Stack) -> None:
    """Stop both servers and wait for them (kill after STOP_TIMEOUT)."""
    processes = [p for p in (stack.rasa, stack.actions) if p is not None]
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_TIMEOUT)
        if process.poll() is None:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
