"""Serves the two pages and their static files, with strict security headers.

How the chat page gets the site's root (`/`): Rasa mounts each input channel's
blueprint under `/webhooks/<channel>/` and answers `GET /` itself with "Hello from
Rasa". `SiteBlueprint` overrides `Blueprint.register`, which Sanic calls once with the
app when Rasa registers the channel. There it adds the app route `/kennisbank` and an
app-wide request middleware that answers `GET /` with the chat page; in Sanic a
response returned by request middleware ends the request, so Rasa's root handler never
runs. Plain `rasa run --credentials credentials.yml` therefore serves everything: no
launcher, and no patching of Rasa.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from web.security import SECURITY_HEADERS

STATIC_DIR = Path(__file__).resolve().parent / "static"
# The only files served, with their types: nothing else under static/ is reachable.
STATIC_FILES = {
    "style.css": "text/css; charset=utf-8",
    "common.js": "text/javascript; charset=utf-8",
    "chat.js": "text/javascript; charset=utf-8",
    "kennisbank.js": "text/javascript; charset=utf-8",
}
PAGES = {"/": "index.html", "/kennisbank": "kennisbank.html"}


def secured(resp: HTTPResponse) -> HTTPResponse:
    """Add the Content-Security-Policy and the other security headers."""
    for name, value in SECURITY_HEADERS.items():
        resp.headers[name] = value
    return resp


def json_response(body: Any, status: int = 200) -> HTTPResponse:
    """Return a JSON answer with the security headers."""
    return secured(response.json(body, status=status, ensure_ascii=False))


def error(message: str, status: int = 400) -> HTTPResponse:
    """Return a JSON error {"error": message}."""
    return json_response({"error": message}, status=status)


async def page(path: str) -> HTTPResponse:
    """Return one of the two HTML pages."""
    return secured(
        await response.file(
            STATIC_DIR / PAGES[path], mime_type="text/html; charset=utf-8"
        )
    )


async def static_file(request: Request, name: str) -> HTTPResponse:
    """Return a file listed in STATIC_FILES, or 404."""
    if name not in STATIC_FILES:
        return error("Niet gevonden.", status=404)
    return secured(await response.file(STATIC_DIR / name, mime_type=STATIC_FILES[name]))


async def _root_page(request: Request) -> HTTPResponse | None:
    """Request middleware: answer GET / with the chat page."""
    if request.path == "/" and request.method == "GET":
        return await page("/")
    return None


async def _kennisbank_page(request: Request) -> HTTPResponse:
    """Route handler of /kennisbank."""
    return await page("/kennisbank")


class SiteBlueprint(Blueprint):
    """A channel blueprint that also mounts the chat page at / and /kennisbank."""

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        """Register the channel's routes, then the two pages at the site's root."""
        super().register(app, options)
        app.add_route(_kennisbank_page, "/kennisbank", methods=["GET"])
        app.register_middleware(_root_page, "request")
