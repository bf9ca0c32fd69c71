"""Starts the real servers on free loopback ports: one launcher for tests and tools."""

from __future__ import annotations

import socket


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
