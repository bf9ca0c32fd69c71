"""The de-identifier in its own process: same answers, and never the raw text."""

import pytest

from assistant.privacy.deidentify import (
    DeidentifierUnavailable,
    Worker,
    deidentify_here,
)

TEXT = "Ik ben Jan Jansen, bel 06-12345678 over de vergoeding."


@pytest.fixture(scope="module")
def worker():
    started = Worker()
    started.wait_ready()
    yield started
    started.stop()


def test_the_worker_answers_as_deduce_does_here(worker):
    assert worker.deidentify(TEXT) == deidentify_here(TEXT)
    assert "Jansen" not in worker.deidentify(TEXT)


def test_long_and_unusual_text_comes_back_whole(worker):
    text = "regel één\nregel twee 🙂 " + "x" * 100_000
    assert worker.deidentify(text) == text


def test_a_stopped_worker_raises_and_is_replaced(worker):
    worker._process.kill()
    worker._process.wait()
    with pytest.raises(DeidentifierUnavailable):
        worker.deidentify(TEXT)
    assert "Jansen" not in worker.deidentify(TEXT)  # the new child, once loaded
