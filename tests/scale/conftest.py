"""The scale-out cluster and a real Redis for the tests in this folder.

`scaled`: two Rasa servers, one action server, PostgreSQL, Redis and nginx
(tools/scale/cluster.py), started once and stopped after, with limits the tests can
reach and the Rasa HTTP API on (with a token) so that the lock store can be driven
directly. `redis_url`: Debian's redis-server on a free loopback port, once per test
session, and an emptied database for each test (the shared limits, the lock store).
The scale tooling is imported only when a fixture starts it, never at collection.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from tools.stack import Service, StartError, free_port

API_TOKEN = secrets.token_urlsafe(24)
IP_LIMIT = 600  # requests per 10 s per client address
SETTINGS = {
    "RATE_LIMIT_SENDER": "10/10",
    "RATE_LIMIT_IP": f"{IP_LIMIT}/10",  # through nginx all users are 127.0.0.1
    "RASA_ENABLE_API": "true",
    "RASA_AUTH_TOKEN": API_TOKEN,
}
TEST_DB = 3


@pytest.fixture(scope="session")
def api_token() -> str:
    """The token of the Rasa HTTP API of the cluster's servers."""
    return API_TOKEN


@pytest.fixture(scope="session")
def scaled() -> Iterator[Any]:
    from tools.scale.cluster import cluster

    with cluster(servers=2, settings=SETTINGS) as running:
        yield running


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    from tools.scale.services import ensure_installed, start_redis

    try:
        ensure_installed()
        service = start_redis(tmp_path_factory.mktemp("redis"), free_port())
    except (subprocess.CalledProcessError, StartError, OSError) as problem:
        pytest.skip(f"redis-server could not be installed or started: {problem}")
    yield service
    service.stop()


@pytest.fixture
def redis_url(redis_server: Service) -> str:
    address = f"redis://127.0.0.1:{redis_server.port}/{TEST_DB}"
    redis.Redis.from_url(address).flushdb()
    return address
