"""The bench's servers: a stack of tools/stack.py, timed from start to first answer.

Each contender runs as scripts/run.sh starts it, in a work folder of its own. The
only settings that differ from `make run`: the rate limits are off
(RATE_LIMIT_SENDER/RATE_LIMIT_IP=0; all simulated users come from 127.0.0.1) and
the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tools import stack as launcher
from tools.bench import profile

ROOT = launcher.ROOT
FIRST_MESSAGE = "hallo, wat is stamceltherapie bij ms?"
BENCH_SETTINGS = {"RATE_LIMIT_SENDER": "0", "RATE_LIMIT_IP": "0"}


@dataclass
class Stack:
    """The running servers of one model and what their start-up cost."""

    name: str
    servers: launcher.Stack
    # seconds from starting both servers (at once) to ...
    cold_start: float = 0.0  # ... the Rasa server's first answer
    listening: float = 0.0  # ... its first HTTP answer
    actions_start: float = 0.0  # ... the action server's first answer
    rss_after_start: dict[str, int] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """Return the Rasa server's base URL."""
        return self.servers.base_url

    @property
    def rasa(self) -> launcher.Service:
        """Return the Rasa server."""
        return self.servers.rasa

    def pids(self) -> dict[str, int]:
        """Return the process ids of the running servers (and their children)."""
        found = {
            role: service.pid
            for role, service in (
                ("Rasa server", self.servers.rasa),
                ("action server", self.servers.actions),
            )
            if service.process is not None
        }
        if self.servers.rasa.process is not None:
            for n, child in enumerate(children(self.servers.rasa.pid), 1):
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
    """Start the servers of a model in work/<name>; time the Rasa server's start.

    With `profile_to`, py-spy samples the Rasa server from its start to its first
    answer (which makes the start slower: use a separate start for that).
    """
    began = time.monotonic()
    servers = launcher.start_stack(
        work / name,
        model,
        {**BENCH_SETTINGS, **(extra_env or {})},
        endpoints_source=endpoints,
        module=server_module,
        timeout=None,
    )
    stack = Stack(name, servers)
    try:
        _time_start(stack, began, timeout, profile_to)
    except BaseException:
        stop(stack)
        raise
    return stack


def _time_start(
    stack: Stack, began: float, timeout: float, profile_to: Path | None
) -> None:
    """Wait for the servers of a started stack; record how long each step took."""
    actions, rasa = stack.servers.actions, stack.servers.rasa
    spy = profile.record(rasa.pid, None, profile_to) if profile_to else None
    both = [rasa, actions]
    launcher.wait_for(actions.ready, [actions], timeout, actions.name, 0.1)
    stack.actions_start = time.monotonic() - began
    alive = rasa.url + "/webhooks/web/"
    launcher.wait_for(lambda: launcher.get_ok(alive), both, timeout, rasa.name, 0.1)
    stack.listening = time.monotonic() - began
    message_url = rasa.url + "/webhooks/web/message"
    answered = lambda: _answered(message_url, "bench-cold-start")  # noqa: E731
    launcher.wait_for(answered, both, timeout, rasa.name, 0.1)
    stack.cold_start = time.monotonic() - began
    if spy is not None:
        profile.finish(spy)
    stack.rss_after_start = {
        role: memory_kb(pid, "VmRSS") for role, pid in stack.pids().items()
    }


def stop(stack: Stack) -> None:
    """Stop both servers and wait for them."""
    stack.servers.stop()
