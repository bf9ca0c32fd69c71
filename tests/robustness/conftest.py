"""A real Redis for the tests of the shared limits and the lock store.

Debian's redis-server on a free loopback port, once per test session (scale/install.sh
installs it when missing); each test gets an emptied database of its own.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
import redis

from bench.servers import free_port
from scale.services import Service, ServiceError, ensure_installed, start_redis

TEST_DB = 3


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    try:
        ensure_installed()
        service = start_redis(tmp_path_factory.mktemp("redis"), free_port())
    except (subprocess.CalledProcessError, ServiceError, OSError) as problem:
        pytest.skip(f"redis-server could not be installed or started: {problem}")
    yield service
    service.stop()


@pytest.fixture
def redis_url(redis_server: Service) -> str:
    address = f"redis://127.0.0.1:{redis_server.port}/{TEST_DB}"
    redis.Redis.from_url(address).flushdb()
    return address
