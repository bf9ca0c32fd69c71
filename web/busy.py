"""One message per conversation at a time: the senders whose turn is being handled.

A second message of a conversation that arrives while its first is still being
answered is refused (HTTP 429). Without REDIS_URL the claims live in the process;
with it they also live in Redis, so a second message sent to another Rasa server
behind the load balancer is refused the same way. A claim in Redis lasts `ttl`
seconds and is renewed while its turn runs (`keep`), so a server that dies mid-turn
blocks its conversation for at most `ttl` seconds. Rasa's lock store, not this guard,
makes sure one message of a conversation is handled at a time. If Redis cannot be
reached, the in-process claim alone applies.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from typing import Any

from web.rate_limit import KEY_PREFIX, hashed_key, redis_from_env, warn_redis_failed

DEFAULT_TTL = 6.0  # seconds a claim in Redis lasts unless renewed

# Delete the claim only if it is still ours (it may have expired and been re-claimed).
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class BusySenders:
    """The senders with a turn in progress in this process."""

    def __init__(self) -> None:
        """Start with no sender busy."""
        self._busy: set[str] = set()

    def claim(self, sender: str) -> bool:
        """Mark `sender` busy; False if it already was."""
        if sender in self._busy:
            return False
        self._busy.add(sender)
        return True

    def release(self, sender: str) -> None:
        """Mark `sender` free again."""
        self._busy.discard(sender)

    async def keep(self, sender: str) -> None:
        """Keep the claim of `sender` alive until cancelled (nothing to do here)."""


class RedisBusySenders(BusySenders):
    """BusySenders whose claims are also kept in Redis, shared by every server."""

    def __init__(self, client: Any, ttl: float = DEFAULT_TTL) -> None:
        """Keep claims in Redis through `client`, each for at most `ttl` seconds."""
        super().__init__()
        self._client = client
        self._ttl_ms = max(1, int(ttl * 1000))
        self._tokens: dict[str, str] = {}
        self._release = client.register_script(RELEASE_SCRIPT)

    def _key(self, sender: str) -> str:
        """Return the Redis key of a sender's claim."""
        return hashed_key(KEY_PREFIX + "busy:", sender)

    def claim(self, sender: str) -> bool:
        """Mark `sender` busy here and in Redis; False if it already was anywhere."""
        import redis

        if not super().claim(sender):
            return False
        token = secrets.token_hex(8)
        try:
            claimed = self._client.set(
                self._key(sender), token, nx=True, px=self._ttl_ms
            )
        except redis.RedisError as problem:
            warn_redis_failed("conversation claimed in this process only", problem)
            return True
        if not claimed:
            super().release(sender)
            return False
        self._tokens[sender] = token
        return True

    async def keep(self, sender: str) -> None:
        """Renew the claim of `sender` every third of its ttl until cancelled."""
        import redis

        key = self._key(sender)
        while True:
            await asyncio.sleep(self._ttl_ms / 3000)
            try:
                self._client.pexpire(key, self._ttl_ms)
            except redis.RedisError as problem:
                warn_redis_failed("claim not renewed", problem)

    def release(self, sender: str) -> None:
        """Mark `sender` free here and remove its claim from Redis."""
        import redis

        super().release(sender)
        token = self._tokens.pop(sender, None)
        if token is None:
            return
        try:
            self._release(keys=[self._key(sender)], args=[token])
        except redis.RedisError as problem:
            warn_redis_failed("claim left to expire", problem)


def busy_senders_from_env(
    env: Mapping[str, str] | None = None, ttl: float = DEFAULT_TTL
) -> BusySenders:
    """Return Redis-backed claims when REDIS_URL is set, else in-process ones."""
    client = redis_from_env(env)
    return BusySenders() if client is None else RedisBusySenders(client, ttl)
