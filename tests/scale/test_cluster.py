"""Two Rasa servers on one PostgreSQL tracker store and one Redis lock store.

In order: conversations whose turns alternate between the servers keep their context
and are stored complete, de-identified and in order; turns of one conversation sent
at the same moment to both servers are handled one at a time; the rate limits are
shared; and last, one server is killed under load behind nginx.
"""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import time
from collections import Counter

from tests.scale.conftest import IP_LIMIT
from tests.scale.support import (
    converse,
    post,
    reply_texts,
    say,
    session,
    turns_of,
)
from tests.server.test_privacy_and_restart import PERSONAL, SECRETS
from tools.scale.cluster import ENDPOINTS, Cluster, healthy, server_env
from tools.scale.services import ROOT

PII_TURN = PERSONAL.format(question="Werkt acupunctuur tegen migraine?")
TAGS = ("[PERSOON-1]", "[BSN-1]", "[TELEFOONNUMMER-1]")
HSCT_BUTTON = '/choose_subject{"subject":"hsct"}'
# (what the user says, how the first answer must begin; None: not checked)
SCRIPTS = {
    "hsct": [
        (PII_TURN, None),
        ("wordt dat vergoed?", "Bedoelt u stamceltherapie bij MS of navelstrengbloed?"),
        (HSCT_BUTTON, "Ja, voor een kleine groep. Sinds 13 december 2022"),
        (
            "wat is de bron?",
            "Mijn laatste antwoord komt uit: Zorginstituut Nederland",
        ),
    ],
    "cordblood": [
        (PII_TURN, None),
        (
            "mag ik navelstrengbloed laten bewaren",
            "Nee. In Nederland mag u stamcellen uit navelstrengbloed",
        ),
        ("waarom niet?", "Het mag niet meer, want er zijn in Nederland geen"),
        (
            "wat is de bron?",
            "Mijn laatste antwoord komt uit: NVOG-standpunt Opslaan navelstrengbloed",
        ),
    ],
}
COPIES = 3  # conversations per script, all at the same time
LOAD_TURNS = [
    "hallo",
    "hoe gevaarlijk is een stamceltransplantatie eigenlijk",
    "wordt dat vergoed?",
    "wat is de bron?",
    "dank je wel",
]
LOAD_USERS = 8
KILL_AFTER = 8.0  # seconds into the load
NEW_CONVERSATIONS_UNTIL = 25.0  # seconds into the load
LOAD_DEADLINE = 90.0  # seconds: every conversation must be finished by then
# A killed server cuts off the turns it was handling: at most one per user, each a 502
# from nginx (new connections to the dead server are refused and go to the other).
# Each of those conversations is then refused while the dead server's claim lasts
# (web.busy: 6 s) and, as every resent attempt counts, by its own rate limit (10 per
# 10 s; the client waits at most 2 s between attempts), then waits for Rasa's lock
# (20 s, no failure): about a dozen refused attempts each. Nothing else may fail.
MAX_CUT_OFF = LOAD_USERS
MAX_REFUSED_PER_CUT_OFF = 12


async def play(c: Cluster, script: str, n: int) -> tuple[str, list[list[str]]]:
    """Play one script, turn i on server (i + n) % 2; return sender and replies."""
    sender = f"scale-{script}-{n:04d}"
    replies = []
    async with session() as client:
        for i, (text, _) in enumerate(SCRIPTS[script]):
            server = c.server_url((i + n) % 2)
            answer = await say(client, server, sender, text, client=f"10.60.0.{n + 1}")
            assert answer.status == 200, (sender, i, answer.body)
            replies.append(reply_texts(answer))
    return sender, replies


async def test_alternating_servers_keep_context_and_store_every_turn(
    scaled: Cluster,
) -> None:
    plays = [(script, n) for script in SCRIPTS for n in range(COPIES)]
    results = await asyncio.gather(*(play(scaled, s, n) for s, n in plays))
    for (script, _), (sender, replies) in zip(plays, results, strict=True):
        for (text, expected), reply in zip(SCRIPTS[script], replies, strict=True):
            assert reply, (sender, text)
            if expected:
                assert reply[0].startswith(expected), (sender, text, reply[0])
        events = scaled.stored_events(sender)
        turns = turns_of(events)
        users = [turn[0][1]["text"] for turn in turns]
        assert users[1:] == [text for text, _ in SCRIPTS[script][1:]], sender
        assert all(tag in users[0] for tag in TAGS), users[0]
        assert not any(secret in users[0] for secret in SECRETS), users[0]
        bots = [
            [" ".join(d["text"].split()) for k, d in t if k == "bot"] for t in turns
        ]
        assert [len(b) for b in bots] == [len(r) for r in replies], sender
        for stored, reply in zip(bots, replies, strict=True):
            assert all(
                s.startswith(r[:60]) for s, r in zip(stored, reply, strict=True)
            ), sender
        stamps = [d["timestamp"] for _, d in events]
        assert stamps == sorted(stamps), sender


def test_no_personal_data_in_any_file_of_the_cluster(scaled: Cluster) -> None:
    """Databases (PostgreSQL's data and write-ahead log), logs, web stores."""
    files = [
        p for p in scaled.folder.rglob("*") if p.is_file() and p.name != "model.tar.gz"
    ]
    assert any(p.parts[-2] == "pg_wal" for p in files)
    for path in files:
        content = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in content, f"{secret!r} in {path}"


async def test_simultaneous_turns_on_two_servers_wait_for_the_lock(
    scaled: Cluster, api_token: str
) -> None:
    """Rasa's Redis lock store: 8 turns of one conversation at once, 4 per server."""
    sender = "scale-lock-0001"
    urls = [
        f"{scaled.server_url(i % 2)}/conversations/{sender}/trigger_intent"
        f"?token={api_token}"
        for i in range(8)
    ]
    async with session() as client:
        answers = await asyncio.gather(
            *(post(client, u, {"name": "greet"}) for u in urls)
        )
    assert [a.status for a in answers] == [200] * 8, [a.body for a in answers]
    turns = turns_of(scaled.stored_events(sender))
    shapes = [[kind for kind, _ in turn] for turn in turns]
    assert len(shapes) == 8 and "bot" in shapes[0]
    assert all(shape == shapes[0] for shape in shapes), shapes


async def test_a_second_message_at_the_same_moment_on_another_server_is_refused(
    scaled: Cluster,
) -> None:
    """The one-message-per-conversation guard holds across servers (Redis)."""
    refused = 0
    async with session() as client:
        for n in range(3):
            sender = f"scale-double-{n:04d}"
            answers = await asyncio.gather(
                *(
                    say(
                        client,
                        scaled.server_url(i),
                        sender,
                        "wordt stamceltherapie vergoed?",
                        f"10.61.0.{n}",
                    )
                    for i in (0, 1)
                )
            )
            statuses = sorted(a.status for a in answers)
            assert statuses in ([200, 200], [200, 429]), [a.body for a in answers]
            if statuses == [200, 429]:
                refused += 1
                [no] = [a for a in answers if a.status == 429]
                assert "vorige bericht" in no.body["error"]
            users = [t[0][1]["text"] for t in turns_of(scaled.stored_events(sender))]
            assert len(users) == statuses.count(200)
    assert refused, "both servers took the same conversation's message at once"


async def test_the_rate_limits_are_shared_by_the_servers(scaled: Cluster) -> None:
    async with session() as client:
        # per conversation: 10 messages per 10 s, half of them on each server
        sender = "scale-rate-0001"
        for i in range(10):
            answer = await say(
                client, scaled.server_url(i % 2), sender, "hallo", "10.62.0.1"
            )
            assert answer.status == 200, (i, answer.body)
        over = await say(client, scaled.server_url(0), sender, "hallo", "10.62.0.1")
        assert over.status == 429 and "U stuurt veel berichten" in over.body["error"]
        assert int(over.headers["Retry-After"]) >= 1
        # per client address (refused bodies count too)
        statuses = [
            (
                await say(client, scaled.server_url(i % 2), "x", "hallo", "10.62.0.2")
            ).status
            for i in range(IP_LIMIT + 1)
        ]
    assert statuses[:IP_LIMIT] == [400] * IP_LIMIT and statuses[IP_LIMIT] == 429


async def test_a_killed_server_is_routed_around_and_no_conversation_is_lost(
    scaled: Cluster,
) -> None:
    """Users talk through nginx; one Rasa server is killed (SIGKILL) mid-load."""
    start = time.monotonic()
    deadline = start + LOAD_DEADLINE
    numbers = itertools.count()
    victim = scaled.servers[1]

    async def user(client) -> list:
        played = []
        while time.monotonic() - start < NEW_CONVERSATIONS_UNTIL:
            sender = f"scale-load-{next(numbers):05d}"
            played.append(
                await converse(client, scaled.url, sender, LOAD_TURNS, deadline)
            )
        return played

    async def kill() -> float:
        await asyncio.sleep(KILL_AFTER)
        await asyncio.to_thread(victim.kill)
        return time.monotonic() - start

    async with session() as client:
        *users, killed_at = await asyncio.gather(
            *(user(client) for _ in range(LOAD_USERS)), kill()
        )
        after = await say(client, scaled.url, "scale-after-0001", "hallo")
    conversations = [c for played in users for c in played]
    failures = [f for c in conversations for f in c.failures]
    print(
        f"\nkilled server 1 at {killed_at:.1f} s; {len(conversations)} conversations, "
        f"{sum(len(c.answered) for c in conversations)} turns answered, "
        f"{len(failures)} failed attempts (resent): {dict(Counter(failures))}"
    )
    assert not victim.running() and scaled.servers[0].running()
    assert after.status == 200 and healthy(scaled.url)
    kinds = Counter(failures)
    assert set(kinds) <= {"502", "busy", "rate limit"}, kinds
    assert kinds["502"] <= MAX_CUT_OFF, kinds
    assert kinds["busy"] <= MAX_REFUSED_PER_CUT_OFF * max(kinds["502"], 1), kinds
    # the shared per-address limit (all users come through nginx from 127.0.0.1)
    # refuses some turns under this load, kill or not: bounded, and they are resent
    answered = sum(len(c.answered) for c in conversations)
    assert kinds["rate limit"] <= 0.05 * answered, kinds
    for c in conversations:
        assert c.answered == LOAD_TURNS, (c.sender, c.failures)
        stored = [t[0][1]["text"] for t in turns_of(scaled.stored_events(c.sender))]
        # every answered turn is stored, in order; a turn cut off by the kill may
        # have been stored before it was resent
        assert is_subsequence(c.answered, stored), (c.sender, stored)
        assert len(stored) <= len(c.answered) + c.server_errors, (c.sender, stored)


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    """Tell whether `part` appears in `whole` in order (not necessarily adjacent)."""
    rest = iter(whole)
    return all(item in rest for item in part)


def test_the_purge_works_on_the_production_endpoints(scaled: Cluster) -> None:
    """`python -m ops.purge` with deploy/endpoints.production.yml (PostgreSQL)."""
    env = server_env(scaled, {})
    done = subprocess.run(
        [sys.executable, "-m", "ops.purge", "--days", "0"]
        + ["--endpoints", str(ENDPOINTS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    deleted = int(done.stdout.split()[1])
    assert deleted > 100  # the conversations of the tests above
    assert scaled.stored_events("scale-lock-0001") == []
