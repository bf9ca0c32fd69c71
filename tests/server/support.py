"""Helpers for the website tests: server processes, free ports, viewports."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT = 20


@dataclass
class Server:
    """One server process that a test may stop, pause and start again."""

    name: str
    args: list[str]
    log: Path
    env: dict[str, str]
    ready_url: str
    process: subprocess.Popen | None = None

    def start(self, timeout: float) -> None:
        """Start the process (log appended) and wait until it answers."""
        self.process = start_process(self.args, self.log, self.env, append=True)
        wait_until_ready({self.name: (self.ready_url, self.process, self.log)}, timeout)

    def stop(self) -> None:
        """Stop the process and wait for it."""
        if self.process is not None:
            self.resume()
            stop_processes(self.process)

    def pause(self) -> None:
        """Freeze the process: it accepts connections but never answers."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """Let a frozen process run again."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)

    def running(self) -> bool:
        """Tell whether the process is alive."""
        return self.process is not None and self.process.poll() is None


@dataclass(frozen=True)
class Site:
    """Where the test servers listen, and their private settings."""

    base_url: str
    database: Path
    staff_token: str
    var_dir: Path
    tracker_db: Path = Path()
    rasa: Server | None = None
    actions: Server | None = None
    settings: dict[str, str] = field(default_factory=dict)

    def logs(self) -> list[Path]:
        """Return the servers' log files."""
        return [s.log for s in (self.rasa, self.actions) if s is not None]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start_process(
    args: list[str], log: Path, env: dict[str, str], append: bool = False
) -> subprocess.Popen:
    with log.open("ab" if append else "wb") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop_processes(*processes: subprocess.Popen) -> None:
    """Ask every process to stop, then wait for each (kill after STOP_TIMEOUT)."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def wait_until_ready(
    checks: dict[str, tuple[str, subprocess.Popen, Path]], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    pending = dict(checks)
    while pending:
        for name, (url, process, log) in list(pending.items()):
            if _ready(url):
                del pending[name]
            elif process.poll() is not None:
                pytest.fail(f"The {name} server stopped:\n{_tail(log)}")
        if pending and time.monotonic() > deadline:
            names = ", ".join(pending)
            logs = "\n".join(_tail(log) for _, _, log in pending.values())
            pytest.fail(f"No answer from {names} within {timeout:.0f} s:\n{logs}")
        time.sleep(1)


def set_viewport(driver: object, width: int, height: int = 800) -> None:
    """Emulate a viewport (headless windows cannot be narrower than ~500 px)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": height,
            "deviceScaleFactor": 1,
            "mobile": width < 600,
        },
    )


def request(
    site: Site,
    path: str,
    body: object = None,
    *,
    raw: bytes | None = None,
    content_type: str | None = "application/json",
    headers: dict[str, str] | None = None,
    method: str | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, str], object]:
    """Send a request; return status, headers (lower-case) and the JSON or the text."""
    data = (
        raw if raw is not None else None if body is None else json.dumps(body).encode()
    )
    req = urllib.request.Request(site.base_url + path, data=data, method=method)
    if data is not None and content_type is not None:
        req.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, head, payload = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, payload = error.code, error.headers, error.read()
    lowered = {name.lower(): value for name, value in head.items()}
    text = payload.decode("utf-8", errors="replace")
    if lowered.get("content-type", "").startswith("application/json"):
        return status, lowered, json.loads(text)
    return status, lowered, text


def texts(messages: list[dict]) -> list[str]:
    """Return the texts of bot messages in either channel's format."""
    result = []
    for message in messages:
        if "parts" in message:
            result.append("".join(part["text"] for part in message["parts"]))
        else:
            result.append(str(message.get("text", "")))
    return result


def stored_events(site: Site, sender: str) -> list[tuple[str, dict]]:
    """Return a conversation's stored events (type, data) from the SQLite file."""
    with sqlite3.connect(site.tracker_db, timeout=10) as db:
        rows = db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
            (sender,),
        ).fetchall()
    return [(kind, json.loads(data)) for kind, data in rows]


# A Dutch voice on the device, as speechSynthesis.getVoices() lists it.
DUTCH_VOICE = {"name": "Test Nederlands", "lang": "nl-NL", "localService": True}

# A stand-in for the browser's speech synthesis (headless Chromium has no voices):
# speak() records the text in window.__spoken (and the utterance in __utterances),
# cancel() ends it with an error as Chrome does, __finishSpeaking() ends it normally
# and __setVoices(list) changes the voices and fires "voiceschanged".
SPEECH_STUB = """
(() => {
  let voices = __VOICES__;
  let current = null;
  const synth = new EventTarget();
  window.__spoken = [];
  window.__utterances = [];
  synth.getVoices = () => voices;
  synth.speak = (utterance) => {
    window.__spoken.push(utterance.text);
    window.__utterances.push({ lang: utterance.lang, voice: utterance.voice });
    current = utterance;
  };
  synth.cancel = () => {
    const utterance = current;
    current = null;
    if (utterance) utterance.dispatchEvent(new Event("error"));
  };
  window.__finishSpeaking = () => {
    const utterance = current;
    current = null;
    if (utterance) utterance.dispatchEvent(new Event("end"));
  };
  window.__setVoices = (list) => {
    voices = list;
    synth.dispatchEvent(new Event("voiceschanged"));
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth });
  window.SpeechSynthesisUtterance = class extends EventTarget {
    constructor(text) {
      super();
      Object.assign(this, { text, lang: "", voice: null });
    }
  };
})();
"""


@contextmanager
def speech_voices(driver: object, voices: list[dict]) -> Iterator[None]:
    """Give the pages loaded inside the block a fake speechSynthesis with `voices`."""
    script = SPEECH_STUB.replace("__VOICES__", json.dumps(voices))
    added = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": script}
    )
    try:
        yield
    finally:
        driver.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument",
            {"identifier": added["identifier"]},
        )
