"""Concurrency: many simultaneous conversations against one server, none lost.

LOAD_CONVERSATIONS (default 200) conversations of LOAD_TURNS (default 5, at most 5)
turns each start at once, through the REST channel, each from its own client
address. Every request must succeed, and every conversation's stored events must be
complete and in order. `make bench` runs it larger.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import time
from collections import defaultdict

import aiohttp

from tests.server.support import Site
from web.turn import ACTION_UNAVAILABLE_TEXT

CONVERSATIONS = int(os.environ.get("LOAD_CONVERSATIONS", "200"))
TURNS = [
    "hallo",
    "hoe gevaarlijk is een stamceltransplantatie eigenlijk",
    "wordt dat vergoed?",
    "wat is de bron?",
    "dank je wel",
][: int(os.environ.get("LOAD_TURNS", "5"))]
BOUND = float(os.environ.get("LOAD_TIMEOUT", "240"))  # seconds for the whole run


async def converse(
    session: aiohttp.ClientSession, url: str, n: int
) -> tuple[str, list[int], int]:
    """Hold one conversation; return its sender, the statuses and the bot messages."""
    sender = f"load-{n:06d}"
    headers = {"X-Forwarded-For": f"10.50.{n // 250}.{n % 250 + 1}"}
    statuses, bot_messages, outages = [], 0, 0
    for text in TURNS:
        async with session.post(
            url, json={"sender": sender, "message": text}, headers=headers
        ) as response:
            body = await response.json(content_type=None)
            statuses.append(response.status)
            if response.status == 200 and isinstance(body, list):
                bot_messages += len(body)
                outages += sum(m.get("text") == ACTION_UNAVAILABLE_TEXT for m in body)
    assert not outages, f"{sender}: the action server did not answer in time"
    return sender, statuses, bot_messages


async def run_load(site: Site) -> list[tuple[str, list[int], int]]:
    url = site.base_url + "/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=BOUND)
    connector = aiohttp.TCPConnector(limit=CONVERSATIONS)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        return await asyncio.wait_for(
            asyncio.gather(*(converse(session, url, n) for n in range(CONVERSATIONS))),
            BOUND,
        )


def stored(site: Site, senders: set[str]) -> dict[str, list[tuple]]:
    events: dict[str, list[tuple]] = defaultdict(list)
    with sqlite3.connect(site.tracker_db, timeout=30) as db:
        rows = db.execute(
            "SELECT sender_id, id, type_name, timestamp, data FROM events "
            "WHERE sender_id LIKE 'load-%' ORDER BY id"
        ).fetchall()
    for sender, *row in rows:
        if sender in senders:
            events[sender].append(tuple(row))
    return events


async def test_simultaneous_conversations_are_complete_and_in_order(
    site: Site,
) -> None:
    offset = site.rasa.log.stat().st_size
    started = time.monotonic()
    results = await run_load(site)
    seconds = time.monotonic() - started
    print(f"\n{CONVERSATIONS} x {len(TURNS)} turns in {seconds:.1f} s")

    failed = [(s, codes) for s, codes, _ in results if set(codes) != {200}]
    assert not failed, failed[:5]
    silent = [s for s, _, bots in results if bots < len(TURNS)]
    assert not silent, silent[:5]
    events = stored(site, {sender for sender, _, _ in results})
    assert len(events) == CONVERSATIONS
    for sender, _, bots in results:
        rows = events[sender]
        users = [json_text(r) for r in rows if r[1] == "user"]
        assert users == TURNS, sender  # every turn, in the order sent
        assert sum(r[1] == "bot" for r in rows) == bots, sender
        stamps = [r[2] for r in rows]
        assert stamps == sorted(stamps), sender
        kinds = [r[1] for r in rows]
        for i, kind in enumerate(kinds):  # every user turn answered before the next
            if kind == "user":
                rest = kinds[i + 1 :]
                nxt = rest.index("user") if "user" in rest else len(rest)
                assert "bot" in rest[:nxt], sender
    with site.rasa.log.open("rb") as log:
        log.seek(offset)
        assert b" ERROR " not in log.read()


def json_text(row: tuple) -> str:
    return json.loads(row[3])["text"]
