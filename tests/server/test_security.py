"""CORS only for the configured origins, the Rasa HTTP API off, the health report."""

from __future__ import annotations

import pytest

from tests.server.support import Site, request

EVIL = "https://evil.example"


def test_cors_answers_only_the_configured_origin(site: Site) -> None:
    allowed = site.settings["CORS_ORIGINS"]
    _, head, _ = request(site, "/webhooks/web/health", headers={"Origin": allowed})
    assert head["access-control-allow-origin"] == allowed
    _, head, _ = request(site, "/webhooks/web/health", headers={"Origin": EVIL})
    assert "access-control-allow-origin" not in head


def test_a_preflight_from_another_origin_is_not_allowed(site: Site) -> None:
    headers = {
        "Origin": EVIL,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    _, head, _ = request(
        site, "/webhooks/rest/webhook", method="OPTIONS", headers=headers
    )
    assert "access-control-allow-origin" not in head


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/status"),
        ("GET", "/version"),
        ("POST", "/model/parse"),
        ("GET", "/conversations/abcdefgh1/tracker"),
        ("POST", "/conversations/abcdefgh1/tracker/events"),
        ("PUT", "/model"),
        ("GET", "/domain"),
    ],
)
def test_the_rasa_http_api_is_off(site: Site, method: str, path: str) -> None:
    body = {"text": "hallo"} if method != "GET" else None
    status, _, _ = request(site, path, body, method=method)
    assert status in (404, 405)


def test_the_channels_are_on(site: Site) -> None:
    for path in ("/webhooks/rest/", "/webhooks/web/"):
        status, _, body = request(site, path)
        assert (status, body) == (200, {"status": "ok"})


def test_health_reports_store_and_action_server(site: Site) -> None:
    status, head, body = request(site, "/webhooks/web/health")
    assert status == 200
    assert head["cache-control"] == "no-store"
    assert body == {
        "status": "ok",
        "tracker_store": "ok",
        "action_server": "ok",
        "deidentifier": "ready",
    }
