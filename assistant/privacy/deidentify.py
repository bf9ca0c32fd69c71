"""De-identifies Dutch free text with `deduce` before anything is stored or logged.

The deduce 3.0.4 wheel lacks its `base_config.json`, and 3.0.6 conflicts with Rasa's
`regex` pin, so the project ships its own configuration (`deduce_config.json`, written
for the annotators 3.0.4 has) and passes it in.

deduce's lookup lists take about 1.1 GB and 14 s to load. The Rasa server (through
`python -m assistant.server`) therefore loads them in a child process, `Worker`,
started before Rasa itself: the two load side by side, and the lists stay out of the
server's memory. Without a worker (tests, scripts) deduce runs in the calling process.
"""

from __future__ import annotations

import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path

CONFIG_FILE = Path(__file__).with_name("deduce_config.json")
READY_TIMEOUT = 180.0  # seconds for a worker to load the lists
CALL_TIMEOUT = 10.0  # seconds for a worker to answer once loaded
_LOCK = threading.Lock()
_WORKER: Worker | None = None
logger = logging.getLogger(__name__)


class DeidentifierUnavailable(RuntimeError):
    """The de-identifier cannot answer now: nothing may be stored."""


@lru_cache(maxsize=1)
def _deduce():  # noqa: ANN202 - deduce has no type stubs
    """Build the Deduce instance once (it loads large lookup lists)."""
    from deduce import Deduce

    return Deduce(load_base_config=False, config=str(CONFIG_FILE))


def deidentify_here(text: str) -> str:
    """De-identify in this process (see `deidentify`)."""
    if not text or not text.strip():
        return text
    return _deduce().deidentify(text).deidentified_text


class Worker:
    """A child process that de-identifies texts sent to it, one JSON line each."""

    def __init__(self) -> None:
        """Start the child; it loads the lists and then says it is ready."""
        self._process = self._start()
        self._buffer = b""
        self._ready = False

    @staticmethod
    def _start() -> subprocess.Popen:
        """Start `python -m assistant.privacy.deidentify_worker` with pipes."""
        return subprocess.Popen(
            [sys.executable, "-m", "assistant.privacy.deidentify_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],
        )

    def _read_line(self, timeout: float) -> dict:
        """Read one JSON line from the child within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        out = self._process.stdout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                raise DeidentifierUnavailable("the de-identifier did not answer")
            chunk = os.read(out.fileno(), 65536)
            if not chunk:
                raise DeidentifierUnavailable("the de-identifier stopped")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            return json.loads(line)
        except ValueError:
            raise DeidentifierUnavailable(
                "the de-identifier answered garbage"
            ) from None

    def _fail(self, problem: DeidentifierUnavailable) -> DeidentifierUnavailable:
        """Replace a stopped or stuck child by a new one; return the problem."""
        logger.error("De-identifier worker: %s; starting a new one.", problem)
        self._process.kill()
        self._process.wait()
        self._process, self._buffer, self._ready = self._start(), b"", False
        return problem

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Block until the child has loaded its lists."""
        if not self._ready:
            try:
                self._ready = self._read_line(timeout).get("ready") is True
            except DeidentifierUnavailable as problem:
                raise self._fail(problem) from None

    def deidentify(self, text: str) -> str:
        """Send a text to the child and return its de-identified version."""
        self.wait_ready()
        try:
            self._process.stdin.write(json.dumps({"text": text}).encode() + b"\n")
            self._process.stdin.flush()
            return self._read_line(CALL_TIMEOUT)["text"]
        except (BrokenPipeError, DeidentifierUnavailable) as problem:
            raise self._fail(DeidentifierUnavailable(str(problem))) from None

    def stop(self) -> None:
        """Close the child's input (it exits) and wait for it."""
        self._process.stdin.close()
        self._process.wait(timeout=10)

    @property
    def pid(self) -> int:
        """Return the child's process id."""
        return self._process.pid


def start_worker() -> Worker:
    """Load the lists in a child process from now on (idempotent)."""
    global _WORKER
    if _WORKER is None:
        _WORKER = Worker()
    return _WORKER


def warm_up() -> None:
    """Load deduce's lookup lists now rather than on the first message."""
    with _LOCK:
        if _WORKER is not None:
            _WORKER.wait_ready()
        else:
            deidentify_here("Warm-up")


def deidentify(text: str) -> str:
    """Replace names, BSNs, phone numbers, e-mail, addresses, dates and places by tags.

    Example: "Ik ben Jan Jansen, bel 06-12345678" → "Ik ben [PERSOON-1], bel
    [TELEFOONNUMMER-1]". Raises DeidentifierUnavailable when a worker cannot answer.
    """
    if not text or not text.strip():
        return text
    with _LOCK:
        if _WORKER is not None:
            return _WORKER.deidentify(text)
        return deidentify_here(text)
