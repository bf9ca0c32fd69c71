"""Starts servers on free loopback ports: the one launcher of the tests and the tools.

- `Service`: one server process with its log and port (stop, kill, pause, resume).
- `wait_for` polls until a service is ready, failing with its log when it stops.
- `action_server` and `rasa_server` start the assistant's two servers as
  scripts/run.sh does (`rasa run actions`; `python -m assistant.server run`).
- `start_stack` starts both with a copy of the model, an endpoints file pointing at
  the stack's action server and its own SQLite tracker store, and the var files in a
  work folder.

Used by the `site` fixture of tests/servers.py, `make bench` (tools/bench),
`make eval` (tools/evaluation) and the scale-out cluster (tools/scale).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
STOP_TIMEOUT = 20.0  # seconds a process gets to stop before it is killed
HEALTH_PATH = "/webhooks/web/health"
# Settings the servers may not inherit from the caller's environment.
PRIVATE_SETTINGS = ("RASA_ENABLE_API", "RASA_AUTH_TOKEN", "RASA_JWT_SECRET")


class StartError(RuntimeError):
    """A server did not start; the message quotes its log."""


@dataclass
class Service:
    """One server process: how it is started, its log, its port."""

    name: str
    args: list[str]
    log: Path
    port: int
    env: dict[str, str] | None = None
    user: str | None = None
    ready_path: str | None = None  # a GET of it answers 200 once ready
    process: subprocess.Popen | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Return the base URL of the service on loopback."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """Return the process id (the service must have been started)."""
        assert self.process is not None, f"the {self.name} was not started"
        return self.process.pid

    def ready(self) -> bool:
        """Tell whether the service answers its ready path (no path: it runs)."""
        if self.ready_path is None:
            return self.running()
        return get_ok(self.url + self.ready_path, timeout=3)

    def start(self, timeout: float | None = None) -> Service:
        """Start the process, its output appended to the log.

        With a timeout, wait until it is ready (see `wait_for`).
        """
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                user=self.user,
                group=self.user,
                extra_groups=[] if self.user else None,
                start_new_session=True,  # Ctrl-C in a terminal reaches the launcher
            )
        if timeout is not None:
            wait_for(self.ready, [self], timeout, self.name)
        return self

    def running(self) -> bool:
        """Tell whether the process is alive."""
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """Kill the process at once (SIGKILL, as a crash would) and reap it."""
        if self.process is None:
            return
        self.resume()
        process = self.process
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """Ask the process to stop; kill it after STOP_TIMEOUT seconds."""
        process = self.process
        if process is not None and process.poll() is None:
            self.resume()
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()

    def pause(self) -> None:
        """Freeze the process: it accepts connections but never answers."""
        if self.running():
            os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """Let a frozen process run again."""
        if self.running():
            os.kill(self.pid, signal.SIGCONT)


def stop_all(services: Sequence[Service]) -> None:
    """Ask every service to stop at once, in the given order; wait for each."""
    for service in services:
        if service.process is not None and service.running():
            service.resume()
            service.process.terminate()
    for service in services:
        service.stop()


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 30) -> str:
    """Return the last lines of a log file."""
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def get_ok(url: str, timeout: float = 2.0) -> bool:
    """Tell whether a GET of the URL answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_for(
    check: Callable[[], bool],
    services: Sequence[Service],
    timeout: float,
    what: str,
    interval: float = 0.2,
) -> float:
    """Poll `check` until it holds and return the seconds it took.

    Raises StartError, with the logs, when a service stops or time runs out.
    """
    started = time.monotonic()
    while not check():
        for service in services:
            if not service.running():
                raise StartError(f"The {service.name} stopped:\n{tail(service.log)}")
        if time.monotonic() - started > timeout:
            logs = "\n".join(f"--- {s.name}\n{tail(s.log)}" for s in services)
            raise StartError(f"The {what} did not answer in {timeout:.0f} s:\n{logs}")
        time.sleep(interval)
    return time.monotonic() - started


def server_env(settings: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the servers' environment: this one, as `make run` sets it, plus settings.

    The Rasa HTTP API settings are not inherited; pass them in `settings` to use them.
    """
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    for name in PRIVATE_SETTINGS:
        env.pop(name, None)
    env.update(settings or {})
    return env


def endpoints_yml(
    actions_port: int, tracker_db: Path, source: Path = ROOT / "endpoints.yml"
) -> str:
    """Return the endpoints of `source` with this action server and SQLite file."""
    endpoints = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{actions_port}/webhook"}
    store = endpoints.get("tracker_store")
    if isinstance(store, dict) and store.get("dialect", "sqlite") == "sqlite":
        store["db"] = str(tracker_db)
    return yaml.safe_dump(endpoints, sort_keys=False)


def action_server(port: int, log: Path, env: dict[str, str]) -> Service:
    """Return the project's action server (`rasa run actions`), not yet started."""
    args = [str(VENV / "rasa"), "run", "actions", "--actions", "actions"]
    args += ["--port", str(port)]
    return Service("action server", args, log, port, env, ready_path="/health")


def rasa_server(
    port: int,
    model: Path,
    endpoints: Path,
    log: Path,
    env: dict[str, str],
    name: str = "Rasa server",
    module: str = "assistant.server",
) -> Service:
    """Return a Rasa server with the web channel on 127.0.0.1, not yet started."""
    args = [str(VENV / "python"), "-m", module, "run", "--model", str(model)]
    args += ["--interface", "127.0.0.1", "--port", str(port)]
    args += ["--credentials", "credentials.yml", "--endpoints", str(endpoints)]
    return Service(name, args, log, port, env, ready_path=HEALTH_PATH)


@dataclass
class Stack:
    """An action server and a Rasa server of one model, with their files."""

    work: Path
    model: Path
    tracker_db: Path
    web_db: Path
    actions: Service
    rasa: Service

    @property
    def base_url(self) -> str:
        """Return the Rasa server's base URL."""
        return self.rasa.url

    def stop(self) -> None:
        """Stop both servers (the Rasa server first)."""
        stop_all([self.rasa, self.actions])


def start_stack(
    work: Path,
    model: Path,
    settings: Mapping[str, str] | None = None,
    *,
    endpoints_source: Path = ROOT / "endpoints.yml",
    module: str = "assistant.server",
    timeout: float | None = 300.0,
) -> Stack:
    """Start an action server and a Rasa server of a copy of `model` in `work`.

    The work folder gets model.tar.gz, endpoints.yml, actions.log, rasa.log,
    web.sqlite and db/tracker.db. Both servers start at once; with a `timeout` this
    waits until both are ready (None: do not wait). Stopped again on failure.
    """
    work.mkdir(parents=True, exist_ok=True)
    copy = work / "model.tar.gz"
    shutil.copy(model, copy)  # the original may be retrained meanwhile
    actions_port, rasa_port = free_port(), free_port()
    tracker_db = work / "db" / "tracker.db"
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        endpoints_yml(actions_port, tracker_db, endpoints_source), encoding="utf-8"
    )
    env = server_env({"WEB_DB": str(work / "web.sqlite"), **(settings or {})})
    actions = action_server(actions_port, work / "actions.log", env)
    rasa = rasa_server(
        rasa_port, copy, endpoints, work / "rasa.log", env, module=module
    )
    stack = Stack(work, copy, tracker_db, work / "web.sqlite", actions, rasa)
    try:
        actions.start()
        rasa.start()
        if timeout is not None:
            wait_for(actions.ready, [actions], timeout, actions.name)
            wait_for(rasa.ready, [rasa, actions], timeout, rasa.name)
    except BaseException:
        stack.stop()
        raise
    return stack


@contextlib.contextmanager
def running_action_server(work: Path, timeout: float = 120.0) -> Iterator[Service]:
    """Run the project's action server on a free port for the duration of the block."""
    work.mkdir(parents=True, exist_ok=True)
    service = action_server(free_port(), work / "actions.log", server_env())
    try:
        yield service.start(timeout)
    finally:
        service.stop()
