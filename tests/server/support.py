"""Helpers for the server and browser tests: requests, stored events, viewports."""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tools.stack import Service

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT = 20


@dataclass(frozen=True)
class Site:
    """Where the test servers listen, and their private settings."""

    base_url: str
    database: Path
    staff_token: str
    var_dir: Path
    tracker_db: Path = Path()
    rasa: Service | None = None
    actions: Service | None = None
    settings: dict[str, str] = field(default_factory=dict)

    def logs(self) -> list[Path]:
        """Return the servers' log files."""
        return [s.log for s in (self.rasa, self.actions) if s is not None]


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


def timed_message(
    site: Site, sender: str, text: str, headers: dict[str, str]
) -> tuple[int, object, float]:
    """Send one chat message; return the status, the body and the seconds it took."""
    started = time.monotonic()
    status, _, body = request(
        site,
        "/webhooks/web/message",
        {"sender": sender, "message": text},
        headers=headers,
    )
    return status, body, time.monotonic() - started


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
