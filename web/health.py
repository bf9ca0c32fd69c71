"""The health report of GET /webhooks/web/health: store, action server, de-identifier.

{"status": "ok" | "degraded" | "starting", "tracker_store": "ok" | "unavailable",
"action_server": "ok" | "unavailable" | "not configured", "deidentifier": "ready" |
"loading" | "restarting"}. HTTP 503 while "starting" (the de-identifier's lists are
loading for the first time), else 200: the assistant still answers when degraded
(curated answers need neither the store nor the action server; while a replacement
de-identifier loads, user text is stored as a marker), so a monitor should alert on
`status`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

from assistant.privacy.deidentify import deidentifier_state
from assistant.privacy.store_health import TRACKER_STORE_HEALTH

logger = logging.getLogger(__name__)

PROBE_SENDER = "health-probe-never-a-conversation"
PROBE_TIMEOUT = 2.0  # seconds


def action_health_url(webhook_url: str) -> str:
    """Return the action server's /health URL for its /webhook URL."""
    base = webhook_url.rstrip("/")
    base = base.removesuffix("/webhook")
    return f"{base}/health"


async def action_server_status(agent: Any) -> str:
    """Return "ok", "unavailable" or "not configured" for the agent's action server."""
    endpoint = getattr(agent, "action_endpoint", None)
    if endpoint is None or not getattr(endpoint, "url", None):
        return "not configured"
    timeout = aiohttp.ClientTimeout(total=PROBE_TIMEOUT)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(action_health_url(endpoint.url)) as response:
                return "ok" if response.status == 200 else "unavailable"
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
        return "unavailable"


async def tracker_store_status(agent: Any) -> str:
    """Read a conversation that does not exist, then report the store's health."""
    await agent.tracker_store.retrieve(PROBE_SENDER)  # records success or failure
    return "ok" if TRACKER_STORE_HEALTH.available else "unavailable"


def overall_status(store: str, actions: str, deidentifier: str) -> str:
    """Return "starting", "degraded" or "ok" from the parts' states."""
    if deidentifier == "loading":
        return "starting"
    degraded = store != "ok" or actions == "unavailable" or deidentifier != "ready"
    return "degraded" if degraded else "ok"


async def health_report(agent: Any) -> dict[str, str]:
    """Return the health report (see the module docstring)."""
    store, actions = await asyncio.gather(
        tracker_store_status(agent), action_server_status(agent)
    )
    deidentifier = deidentifier_state()
    return {
        "status": overall_status(store, actions, deidentifier),
        "tracker_store": store,
        "action_server": actions,
        "deidentifier": deidentifier,
    }
