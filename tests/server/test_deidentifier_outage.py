"""The de-identifier's child killed mid-conversation: nobody waits, nothing raw stays.

Several conversations send messages with a name and a phone number while the Rasa
server's de-identifier child is killed (SIGKILL) and its replacement loads; the
health endpoint is polled throughout. Afterwards the test waits for the replacement,
so later tests find a ready de-identifier.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.privacy.deidentify import NOT_STORED
from tests.server.support import Site, request, stored_events, timed_message

HEALTH = "/webhooks/web/health"
SENDERS = 6
LIMIT = 2.0  # seconds: the longest a turn or a health check may take
RECOVERY = 180.0  # seconds for the replacement to load on a cold machine
SECRETS = ("Jansen", "06-12345678")
PERSONAL = "Ik ben Jan Jansen, bel 06-12345678."
QUESTIONS = (
    f"{PERSONAL} Wordt stamceltherapie bij MS vergoed?",
    f"{PERSONAL} Hoe gevaarlijk is een stamceltransplantatie?",
    f"{PERSONAL} Werkt acupunctuur tegen migraine?",
    f"{PERSONAL} Mag ik navelstrengbloed laten bewaren?",
)


@dataclass
class Measured:
    """What the senders and the health poller saw (lists are thread-safe to append)."""

    turns: list[tuple[str, float, int, list]] = field(default_factory=list)
    health: list[tuple[float, int, dict]] = field(default_factory=list)


def health(site: Site) -> tuple[float, int, dict]:
    """Return the duration, HTTP status and report of one health check."""
    started = time.monotonic()
    status, _, body = request(site, HEALTH, timeout=30)
    return time.monotonic() - started, status, body


def wait_for_ready(site: Site, timeout: float) -> dict:
    """Return the health report once the de-identifier is ready (or the last one)."""
    deadline = time.monotonic() + timeout
    while True:
        report = health(site)[2]
        if report.get("deidentifier") == "ready" or time.monotonic() > deadline:
            return report
        time.sleep(1)


def deidentifier_pid(site: Site) -> int:
    """Return the pid of the Rasa server's de-identifier child."""
    rasa = site.rasa.process.pid
    for children in Path(f"/proc/{rasa}/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:  # gone meanwhile
                continue
            if b"assistant.privacy.deidentify_worker" in command:
                return int(pid)
    pytest.fail("The Rasa server has no de-identifier child process.")


@pytest.fixture
def ready_site(site: Site) -> Iterator[Site]:
    """The site with a ready de-identifier, before and (waited for) after the test."""
    assert wait_for_ready(site, RECOVERY)["deidentifier"] == "ready"
    try:
        yield site
    finally:
        wait_for_ready(site, RECOVERY)


def converse(site: Site, sender: str, number: int, seen: Measured, done: queue.Queue):
    """Send the questions one after another, timing each turn."""
    headers = {"X-Forwarded-For": f"10.66.0.{number + 1}"}
    for question in QUESTIONS:
        status, body, seconds = timed_message(site, sender, question, headers)
        messages = body.get("messages", []) if isinstance(body, dict) else []
        seen.turns.append((sender, seconds, status, messages))
        done.put(sender)


def poll_health(site: Site, stop: threading.Event, seen: Measured) -> None:
    """Check the health endpoint every 0.2 s until told to stop."""
    while not stop.is_set():
        seen.health.append(health(site))
        stop.wait(0.2)


def stored_text(site: Site, senders: list[str]) -> str:
    """Return every stored event of the senders and every unanswered question."""
    events = [stored_events(site, sender) for sender in senders]
    with sqlite3.connect(site.database, timeout=10) as db:
        questions = db.execute("SELECT question FROM unanswered").fetchall()
    return json.dumps([events, questions], ensure_ascii=False)


def test_a_killed_de_identifier_holds_up_nothing_and_stores_nothing_raw(
    ready_site: Site,
) -> None:
    site, seen, done = ready_site, Measured(), queue.Queue()
    tag = secrets.token_hex(4)
    senders = [f"outage-{tag}-{n}" for n in range(SENDERS)]
    log_start = site.rasa.log.stat().st_size
    stop = threading.Event()
    poller = threading.Thread(target=poll_health, args=(site, stop, seen))
    threads = [
        threading.Thread(target=converse, args=(site, sender, n, seen, done))
        for n, sender in enumerate(senders)
    ]
    poller.start()
    for thread in threads:
        thread.start()
    for _ in range(SENDERS):  # a turn each on average, then kill mid-conversation
        done.get(timeout=60)
    killed = deidentifier_pid(site)
    os.kill(killed, signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=120)
    final = wait_for_ready(site, RECOVERY)
    stop.set()
    poller.join()

    worst_turn = max(seconds for _, seconds, _, _ in seen.turns)
    worst_health = max(seconds for seconds, _, _ in seen.health)
    print(
        f"\nde-identifier killed: {len(seen.turns)} turns, worst {worst_turn:.3f} s; "
        f"{len(seen.health)} health checks, worst {worst_health:.3f} s"
    )
    assert len(seen.turns) == SENDERS * len(QUESTIONS)
    assert all(status == 200 and messages for _, _, status, messages in seen.turns)
    assert worst_turn < LIMIT and worst_health < LIMIT
    reports = [(status, body) for _, status, body in seen.health]
    restarting = [body for _, body in reports if body["deidentifier"] == "restarting"]
    assert all(status == 200 for status, _ in reports)  # never "starting" again
    assert restarting and all(body["status"] == "degraded" for body in restarting)
    assert final["deidentifier"] == "ready" and deidentifier_pid(site) != killed

    stored = stored_text(site, senders)
    for secret in SECRETS:
        assert secret not in stored
    assert "[PERSOON-1]" in stored  # de-identified before the kill
    assert NOT_STORED in stored  # the marker while the replacement loaded
    log = site.rasa.log.read_bytes()[log_start:].decode(errors="replace")
    assert "stored as a marker" in log
    assert not any(secret in log for secret in SECRETS)
