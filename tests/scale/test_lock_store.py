"""The atomic Redis lock store: one message of a conversation at a time, everywhere.

Two store objects in two threads, each with its own Redis connection and event loop,
stand for two Rasa servers taking turns of the same conversation at the same moment.
"""

from __future__ import annotations

import asyncio
import threading
from urllib.parse import urlsplit

import redis
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from assistant.server.lock_store import AtomicRedisLockStore

SERVERS = 2
PER_SERVER = 8


def store(redis_url: str) -> AtomicRedisLockStore:
    address = urlsplit(redis_url)
    return AtomicRedisLockStore(
        host=address.hostname, port=address.port, db=int(address.path[1:])
    )


def on_servers(redis_url: str, work) -> None:
    """Run `work(store)` in one thread per server, all released at once."""
    start = threading.Barrier(SERVERS)

    def server() -> None:
        own = store(redis_url)
        start.wait()
        work(own)

    threads = [threading.Thread(target=server) for _ in range(SERVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def test_tickets_taken_at_the_same_moment_are_unique(redis_url: str) -> None:
    numbers: list[int] = []

    def take(own: AtomicRedisLockStore) -> None:
        for _ in range(PER_SERVER):
            numbers.append(own.issue_ticket("conversation-1", 30))

    on_servers(redis_url, take)
    first = min(numbers)
    assert sorted(numbers) == list(range(first, first + SERVERS * PER_SERVER))


def test_turns_of_one_conversation_never_overlap(redis_url: str) -> None:
    inside: list[int] = []
    overlaps: list[int] = []
    done: list[int] = []

    async def turn(own: AtomicRedisLockStore) -> None:
        async with own.lock("conversation-2", 30, wait_time_in_seconds=0.005):
            inside.append(1)
            if len(inside) > 1:
                overlaps.append(len(inside))
            await asyncio.sleep(0.01)
            inside.pop()
            done.append(1)

    async def turns(own: AtomicRedisLockStore) -> None:
        await asyncio.gather(*(turn(own) for _ in range(PER_SERVER)))

    on_servers(redis_url, lambda own: asyncio.run(turns(own)))
    assert len(done) == SERVERS * PER_SERVER and not overlaps
    assert redis.Redis.from_url(redis_url).dbsize() == 0  # the lock is cleaned up


def test_it_is_configured_like_rasas_redis_lock_store(redis_url: str) -> None:
    address = urlsplit(redis_url)
    config = EndpointConfig(
        url=address.hostname, port=address.port, db=4, key_prefix="stamcel"
    )
    configured = AtomicRedisLockStore(endpoint_config=config)
    assert isinstance(configured, RedisLockStore)
    assert configured.key_prefix == "stamcel:lock:"
    kwargs = configured.red.connection_pool.connection_kwargs
    assert (kwargs["port"], kwargs["db"]) == (address.port, 4)
