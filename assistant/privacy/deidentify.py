"""De-identifies Dutch free text with `deduce` before anything is stored or logged.

The deduce 3.0.4 wheel lacks its `base_config.json`, and 3.0.6 conflicts with Rasa's
`regex` pin, so the project ships its own configuration (`deduce_config.json`, written
for the annotators 3.0.4 has) and passes it in.

deduce's lookup lists take about 1.1 GB and, from deduce's cache with the garbage
collector paused, 1.5-3 s to load (6-15 s with it running; the first load builds the
cache). The Rasa server (through `python -m assistant.server`) therefore loads them in
a child process, `Worker`, started before Rasa itself: the two load side by side, and
the lists stay out of the server's memory. Without a worker (tests, scripts) deduce
runs in the calling process.

A worker never makes a caller wait for a child that is loading: calls fail at once
with DeidentifierUnavailable until the child says it is ready, and a child that stops
or hangs is replaced at once while a background thread waits for the new one to load.
`deidentify_async` runs the exchange in a thread, off the event loop, and
`deidentify_or_marker` turns an unavailable de-identifier into NOT_STORED, the text
that is stored instead of the user's. Recent results are kept (by a keyed hash of the
text, never the text itself), so that a turn's text goes through deduce once.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import IO

CONFIG_FILE = Path(__file__).with_name("deduce_config.json")
READY_TIMEOUT = 180.0  # seconds for a worker to load the lists
CALL_TIMEOUT = 2.0  # seconds for a loaded worker to answer (a message takes ~2 ms)
LOCK_WAIT = 0.25  # seconds a call waits while another call talks to the worker
RESTART_PAUSE = 5.0  # seconds before replacing a child that failed to load
RECENT_RESULTS = 256  # de-identified texts kept for a second caller in the same turn
NOT_STORED = "[niet bewaard: de-identificatie tijdelijk niet beschikbaar]"
_HERE = threading.Lock()  # deduce in this process: one call at a time
_WORKER: Worker | None = None
logger = logging.getLogger(__name__)


class DeidentifierUnavailable(RuntimeError):
    """The de-identifier cannot answer now: nothing may be stored."""


@lru_cache(maxsize=1)
def _deduce():  # noqa: ANN202 - deduce has no type stubs
    """Build the Deduce instance once (it loads large lookup lists)."""
    from deduce import Deduce

    # Millions of small lookup objects: collections while they load cost ~5 s of ~6.5,
    # and afterwards they live as long as the process, so keep collections off them.
    gc.disable()
    try:
        model = Deduce(load_base_config=False, config=str(CONFIG_FILE))
    finally:
        gc.enable()
    gc.freeze()
    return model


def deidentify_here(text: str) -> str:
    """De-identify in this process (see `deidentify`)."""
    if not text or not text.strip():
        return text
    return _deduce().deidentify(text).deidentified_text


class _Child:
    """One worker process and what it has written that was not read yet."""

    def __init__(self) -> None:
        """Start `python -m assistant.privacy.deidentify_worker` with pipes."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant.privacy.deidentify_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert self.process.stdin and self.process.stdout  # both are pipes
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        self._buffer = b""

    def read_line(self, timeout: float) -> dict:
        """Read one JSON line from the child within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        out = self.stdout
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

    def ask(self, text: str, timeout: float) -> str:
        """Send a text and return the child's answer within `timeout` seconds."""
        try:
            self.stdin.write(json.dumps({"text": text}).encode() + b"\n")
            self.stdin.flush()
        except OSError:  # a broken pipe: the child is gone
            raise DeidentifierUnavailable("the de-identifier stopped") from None
        return self.read_line(timeout)["text"]

    def kill(self) -> None:
        """Kill the child and close the pipes (its watcher thread waits for it)."""
        self.process.kill()
        for pipe in (self.stdin, self.stdout):
            with contextlib.suppress(OSError):
                pipe.close()


class Worker:
    """De-identifies in a child process, one JSON line each way; replaces it on failure.

    `state` is "loading" until the first child is ready, "ready" while a child can
    answer, and "restarting" while a replacement loads. Calls fail at once unless
    "ready".
    """

    def __init__(self) -> None:
        """Start the child; a background thread marks the worker ready once loaded."""
        self._lock = threading.Lock()  # one exchange with the child at a time
        self._ready = threading.Event()
        self._was_ready = False
        self._stopped = False
        self._child = self._launch()

    def _launch(self) -> _Child:
        """Start a child and the thread that watches it."""
        child = _Child()
        threading.Thread(
            target=self._watch, args=(child,), name="deidentify-watch", daemon=True
        ).start()
        return child

    def _watch(self, child: _Child) -> None:
        """Mark the worker ready once the child has loaded; replace it when it ends."""
        if self._loaded(child):
            child.process.wait()
            problem = "the child process ended"
        else:
            time.sleep(RESTART_PAUSE)  # a child that cannot load: do not spin
            problem = "the child process did not load"
        with self._lock:
            self._replace(child, problem)
        child.process.wait()  # freeing its 1.1 GB takes a while: not under the lock

    def _loaded(self, child: _Child) -> bool:
        """Wait for the child's {"ready": true} line; mark the worker ready."""
        try:
            if child.read_line(READY_TIMEOUT).get("ready") is not True:
                return False
        except DeidentifierUnavailable:
            return False
        with self._lock:
            if child is self._child and not self._stopped:
                self._ready.set()
                self._was_ready = True
                logger.info("De-identifier worker ready (pid %d).", child.process.pid)
        return True

    def _replace(self, child: _Child, problem: object) -> None:
        """Replace the current child by a new one (call with the lock held)."""
        if child is not self._child or self._stopped:
            return  # already replaced, or stopping
        logger.error("De-identifier worker: %s; starting a new one.", problem)
        self._ready.clear()
        child.kill()
        self._child = self._launch()

    @property
    def ready(self) -> bool:
        """Tell whether a loaded child can answer now."""
        return self._ready.is_set()

    @property
    def state(self) -> str:
        """Return "ready", "loading" (first start) or "restarting" (a replacement)."""
        if self._ready.is_set():
            return "ready"
        return "restarting" if self._was_ready else "loading"

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Block until a child is ready; raise DeidentifierUnavailable on timeout."""
        if not self._ready.wait(timeout):
            raise DeidentifierUnavailable("the de-identifier did not load in time")

    def deidentify(self, text: str) -> str:
        """Return the child's de-identified text; fail at once when it cannot answer."""
        if not self._ready.is_set():
            raise DeidentifierUnavailable(f"the de-identifier is {self.state}")
        if not self._lock.acquire(timeout=LOCK_WAIT):
            raise DeidentifierUnavailable("the de-identifier is busy")
        try:
            if not self._ready.is_set():
                raise DeidentifierUnavailable(f"the de-identifier is {self.state}")
            child = self._child
            try:
                return child.ask(text, CALL_TIMEOUT)
            except DeidentifierUnavailable as problem:
                self._replace(child, problem)
                raise
        finally:
            self._lock.release()

    def stop(self) -> None:
        """Close the child's input (it exits) and wait for it; start no other."""
        with self._lock:
            self._stopped = True
            self._ready.clear()
        self._child.stdin.close()
        self._child.process.wait(timeout=10)

    @property
    def pid(self) -> int:
        """Return the current child's process id."""
        return self._child.process.pid


class _RecentResults:
    """The latest de-identified texts, found by a keyed hash of the original."""

    def __init__(self, size: int) -> None:
        """Keep at most `size` results; the hash key is new for each process."""
        self._size = size
        self._key = os.urandom(32)
        self._results: OrderedDict[bytes, str] = OrderedDict()
        self._lock = threading.Lock()

    def _digest(self, text: str) -> bytes:
        """Return the keyed hash of a text (the text itself is not kept)."""
        return hashlib.blake2b(text.encode(), key=self._key, digest_size=16).digest()

    def get(self, text: str) -> str | None:
        """Return the de-identified version of `text`, if it was made recently."""
        with self._lock:
            return self._results.get(self._digest(text))

    def put(self, text: str, clean: str) -> None:
        """Remember the de-identified version of `text`, dropping the oldest."""
        with self._lock:
            self._results[self._digest(text)] = clean
            while len(self._results) > self._size:
                self._results.popitem(last=False)


_RECENT = _RecentResults(RECENT_RESULTS)


def start_worker() -> Worker:
    """Load the lists in a child process from now on (idempotent)."""
    global _WORKER
    if _WORKER is None:
        _WORKER = Worker()
    return _WORKER


def deidentifier_state() -> str:
    """Return "ready", "loading" or "restarting" (see `Worker.state`)."""
    if _WORKER is not None:
        return _WORKER.state
    return "ready" if _deduce.cache_info().currsize else "loading"


def warm_up() -> None:
    """Wait until the de-identifier is ready; without a worker, load the lists here."""
    if _WORKER is not None:
        _WORKER.wait_ready()
    else:
        with _HERE:
            deidentify_here("Warm-up")


def _deidentify_now(text: str) -> str:
    """De-identify in the worker, or here when there is none."""
    if _WORKER is not None:
        return _WORKER.deidentify(text)
    with _HERE:
        return deidentify_here(text)


def deidentify(text: str) -> str:
    """Replace names, BSNs, phone numbers, e-mail, addresses, dates and places by tags.

    Example: "Ik ben Jan Jansen, bel 06-12345678" → "Ik ben [PERSOON-1], bel
    [TELEFOONNUMMER-1]". Raises DeidentifierUnavailable when a worker cannot answer.
    """
    if not text or not text.strip():
        return text
    clean = _RECENT.get(text)
    if clean is None:
        clean = _deidentify_now(text)
        _RECENT.put(text, clean)
    return clean


async def deidentify_async(text: str) -> str:
    """Run `deidentify` in a thread, so the event loop never waits for it."""
    return await asyncio.to_thread(deidentify, text)


async def deidentify_or_marker(text: str) -> str:
    """Return the de-identified text, or NOT_STORED when no de-identifier can answer."""
    try:
        return await deidentify_async(text)
    except DeidentifierUnavailable as problem:
        logger.warning(
            "De-identifier unavailable (%s): text stored as a marker.", problem
        )
        return NOT_STORED
