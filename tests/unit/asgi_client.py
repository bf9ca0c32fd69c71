"""Drives a Sanic app in-process through ASGI, start-up listeners included.

`sanic-testing` would do this, but no version of it fits the pinned set: the one for
Sanic 21.12 needs httpx < 0.24, which needs h11 < 0.15, and the lock pins h11 0.16.
ASGI is the standard interface Sanic serves anyway, so this client needs no package.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Message = dict[str, Any]


@dataclass
class Response:
    """An HTTP response: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """Return the body parsed as JSON."""
        return json.loads(self.body)


class AsgiClient:
    """Sends HTTP requests to an ASGI app after running its lifespan start-up."""

    def __init__(self, app: Any) -> None:
        """Wrap the app; call `start` before the first request."""
        self.app = app
        self._lifespan: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Run the app's start-up (the before/after_server_start listeners)."""
        inbox: asyncio.Queue[Message] = asyncio.Queue()
        outbox: asyncio.Queue[Message] = asyncio.Queue()
        await inbox.put({"type": "lifespan.startup"})
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
        self._lifespan = asyncio.create_task(self.app(scope, inbox.get, outbox.put))
        reply = await asyncio.wait_for(outbox.get(), 30)
        if reply["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"the app did not start: {reply}")

    async def stop(self) -> None:
        """End the lifespan task (Sanic 21.12 cannot be started again after it)."""
        if self._lifespan:
            self._lifespan.cancel()
            await asyncio.gather(self._lifespan, return_exceptions=True)

    async def request(
        self,
        method: str,
        url: str,
        body: bytes | str | dict[str, Any] = b"",
        headers: dict[str, str] | None = None,
        client: str = "10.0.0.1",
    ) -> Response:
        """Send one request; a dict body is sent as JSON."""
        headers = dict(headers or {})
        if isinstance(body, dict):
            body = json.dumps(body)
            headers.setdefault("content-type", "application/json")
        data = body.encode() if isinstance(body, str) else body
        headers.setdefault("content-length", str(len(data)))
        parts = urlsplit(url)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": parts.path,
            "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(),
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": (client, 50000),
            "server": ("testserver", 80),
        }
        sent = asyncio.Event()
        received: list[Message] = []

        async def receive() -> Message:
            if not sent.is_set():
                sent.set()
                return {"type": "http.request", "body": data, "more_body": False}
            await asyncio.Event().wait()  # the client never disconnects first
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            received.append(message)

        await asyncio.wait_for(self.app(scope, receive, send), 30)
        start = next(m for m in received if m["type"] == "http.response.start")
        return Response(
            status=start["status"],
            headers={k.decode().lower(): v.decode() for k, v in start["headers"]},
            body=b"".join(
                m.get("body", b"")
                for m in received
                if m["type"] == "http.response.body"
            ),
        )
