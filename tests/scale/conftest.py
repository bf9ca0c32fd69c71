"""The scale-out cluster for the tests in this folder: started once, stopped after.

Two Rasa servers, one action server, PostgreSQL, Redis and nginx (scale/cluster.py),
with limits the tests can reach and the Rasa HTTP API on (with a token) so that the
lock store can be driven directly. Tests here are marked `scale`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from scale.cluster import Cluster, cluster

API_TOKEN = secrets.token_urlsafe(24)
IP_LIMIT = 600  # requests per 10 s per client address
SETTINGS = {
    "RATE_LIMIT_SENDER": "10/10",
    "RATE_LIMIT_IP": f"{IP_LIMIT}/10",  # through nginx all users are 127.0.0.1
    "RASA_ENABLE_API": "true",
    "RASA_AUTH_TOKEN": API_TOKEN,
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "scale: needs the scale-out cluster (PostgreSQL, Redis, nginx, 2 Rasa servers)",
    )


@pytest.fixture(scope="session")
def api_token() -> str:
    """The token of the Rasa HTTP API of the cluster's servers."""
    return API_TOKEN


@pytest.fixture(scope="session")
def scaled() -> Iterator[Cluster]:
    with cluster(servers=2, settings=SETTINGS) as running:
        yield running
