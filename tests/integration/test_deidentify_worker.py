"""The de-identifier in its own process: same answers, never the raw text, no waiting.

A child that dies or hangs makes calls fail at once (no waiting for the replacement
to load), and the worker becomes ready again by itself.
"""

import asyncio
import logging
import os
import signal
import threading
import time

import pytest

from assistant.privacy import deidentify
from assistant.privacy.deidentify import (
    CALL_TIMEOUT,
    LOCK_WAIT,
    NOT_STORED,
    READY_TIMEOUT,
    DeidentifierUnavailable,
    Worker,
    deidentify_here,
)

TEXT = "Ik ben Jan Jansen, bel 06-12345678 over de vergoeding."
FAST = 0.5  # seconds: "at once", with room for a busy machine


@pytest.fixture(scope="module")
def worker():
    started = Worker()
    assert started.state == "loading"
    started.wait_ready()
    yield started
    started.stop()


@pytest.fixture
def as_the_server(worker, monkeypatch):
    """Make the module's functions use the worker, as `start_worker` does."""
    monkeypatch.setattr(deidentify, "_WORKER", worker)
    return worker


def timed(call, *args):
    """Return (seconds, result or the exception raised)."""
    started = time.monotonic()
    try:
        result = call(*args)
    except Exception as problem:
        result = problem
    return time.monotonic() - started, result


def killed(worker, how=signal.SIGKILL):
    """Signal the worker's child; return its pid."""
    pid = worker.pid
    os.kill(pid, how)
    return pid


def test_the_worker_answers_as_deduce_does_here(worker):
    assert worker.state == "ready" and worker.ready
    assert worker.deidentify(TEXT) == deidentify_here(TEXT)
    assert "Jansen" not in worker.deidentify(TEXT)


def test_long_and_unusual_text_comes_back_whole(worker):
    text = "regel één\nregel twee 🙂 " + "x" * 100_000
    assert worker.deidentify(text) == text


async def test_a_killed_child_is_replaced_by_itself_and_calls_fail_fast(
    as_the_server, caplog
):
    worker = as_the_server
    old = killed(worker)
    deadline = time.monotonic() + FAST
    while worker.ready and time.monotonic() < deadline:  # noticed without a call
        await asyncio.sleep(0.01)
    assert worker.state == "restarting" == deidentify.deidentifier_state()
    text = f"{TEXT} (killed)"
    for _ in range(20):  # while the replacement loads, every call fails at once
        seconds, result = timed(worker.deidentify, text)
        assert isinstance(result, DeidentifierUnavailable) and seconds < 0.05
    started = time.monotonic()
    with pytest.raises(DeidentifierUnavailable):
        await deidentify.deidentify_async(text)
    with caplog.at_level(logging.WARNING):
        assert await deidentify.deidentify_or_marker(text) == NOT_STORED
    assert time.monotonic() - started < FAST
    assert "unavailable" in caplog.text and "Jansen" not in caplog.text
    await asyncio.to_thread(worker.wait_ready, READY_TIMEOUT)  # nobody calls
    assert worker.pid != old and deidentify.deidentifier_state() == "ready"
    assert "Jansen" not in await deidentify.deidentify_or_marker(text)


def test_a_hung_child_is_replaced_after_the_call_timeout(worker):
    old = killed(worker, signal.SIGSTOP)
    seconds, result = timed(worker.deidentify, TEXT)
    assert isinstance(result, DeidentifierUnavailable)
    assert CALL_TIMEOUT * 0.9 < seconds < CALL_TIMEOUT + FAST
    assert worker.state == "restarting" and worker.pid != old
    worker.wait_ready(READY_TIMEOUT)
    assert "Jansen" not in worker.deidentify(TEXT)


def test_a_call_does_not_wait_long_for_another(worker):
    with worker._lock:  # another call talking to the child
        seconds, result = timed(worker.deidentify, TEXT)
    assert isinstance(result, DeidentifierUnavailable)
    assert LOCK_WAIT * 0.9 < seconds < LOCK_WAIT + FAST


def test_many_callers_never_block_while_the_child_is_replaced(worker):
    worst: list[float] = []
    stop = threading.Event()

    def caller(number: int) -> None:
        while not stop.is_set():
            seconds, _ = timed(worker.deidentify, f"{TEXT} {number}")
            worst.append(seconds)
            time.sleep(0.005)  # callers are turns, not a busy loop

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    killed(worker)
    time.sleep(1.0)
    stop.set()
    for thread in threads:
        thread.join()
    assert worker.state == "restarting"
    assert max(worst) < FAST
    worker.wait_ready(READY_TIMEOUT)


def test_a_stopped_worker_starts_no_other(worker):
    child = worker._child.process
    worker.stop()
    time.sleep(0.5)
    assert child.returncode == 0  # exited by itself when its input closed
    assert worker._child.process is child and worker.state != "ready"
