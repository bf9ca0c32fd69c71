"""Rasa's Redis lock store with atomic ticket updates, for several Rasa servers.

Rasa 3.6's RedisLockStore reads a conversation's ticket lock, changes it in Python
and writes it back: two servers that take a ticket for the same conversation at the
same moment both read the same lock, both get the same ticket number and both handle
their message at once, and the later write wins, so events are lost (seen here with
two servers: 8 simultaneous turns of one conversation, 7 stored). This store does
every read-change-write in a Redis transaction (WATCH/MULTI/EXEC, retried when
another server changed the lock in between), so ticket numbers are unique and one
message of a conversation is handled at a time across all servers.

Configured in endpoints.yml (deploy/endpoints.production.yml) with the settings of
Rasa's `type: redis` lock store:

    lock_store:
      type: assistant.server.lock_store.AtomicRedisLockStore
      url: <host>
      port: 6379
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket changes are atomic across servers."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        """Connect as RedisLockStore, from an endpoint configuration or arguments."""
        if endpoint_config is not None:
            kwargs = {
                "host": endpoint_config.url or "localhost",
                **endpoint_config.kwargs,
            }
        super().__init__(**kwargs)

    def _atomically(
        self,
        conversation_id: str,
        change: Callable[[TicketLock], T],
        create: bool = False,
        delete_if_empty: bool = False,
    ) -> T | None:
        """Apply `change` to the stored lock in one transaction; return its result."""
        key = self.key_prefix + conversation_id

        def step(pipe: Any) -> T | None:
            raw = pipe.get(key)
            if raw is None and not create:
                return None
            lock = (
                TicketLock.from_dict(json.loads(raw))
                if raw
                else self.create_lock(conversation_id)
            )
            result = change(lock)
            pipe.multi()
            if delete_if_empty and not lock.is_someone_waiting():
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            return result

        return self.red.transaction(step, key, value_from_callable=True)

    def issue_ticket(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        """Issue a new ticket for the conversation and return its number."""
        number = self._atomically(
            conversation_id, lambda lock: lock.issue_ticket(lock_lifetime), create=True
        )
        assert number is not None
        return number

    def update_lock(self, conversation_id: str) -> None:
        """Remove the conversation's expired tickets."""
        self._atomically(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket that has been served."""
        self._atomically(
            conversation_id, lambda lock: lock.remove_ticket_for(ticket_number)
        )

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the served ticket; delete the lock if no one else waits."""
        self._atomically(
            conversation_id,
            lambda lock: lock.remove_ticket_for(ticket_number),
            delete_if_empty=True,
        )
