"""No secrets in git: configuration holds none, and where they live is ignored."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = re.compile(r"token|secret|password|jwt|api_key|private", re.IGNORECASE)
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


def secret_values(node: object, path: str = "") -> list[str]:
    """Return the paths of secret-looking keys that hold a literal value."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            literal = value not in (None, "") and not str(value).startswith("${")
            if SECRET_KEY.search(str(key)) and literal and not isinstance(value, dict):
                found.append(where)
            found += secret_values(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += secret_values(value, f"{path}[{i}]")
    return found


@pytest.mark.parametrize("name", ["credentials.yml", "endpoints.yml"])
def test_configuration_holds_no_secret(name: str) -> None:
    config = yaml.safe_load((ROOT / name).read_text(encoding="utf-8")) or {}
    assert secret_values(config) == []


# The channels a user can reach; anything else must not be configured.
PUBLIC_CHANNELS = {"web.rest.RestChannel", "web.channel.WebChannel"}


def unchecked_channels(channels: dict) -> list[str]:
    """Return the configured channels that are neither ours nor JWT-checked socketio."""
    found = []
    for name, settings in (channels or {}).items():
        if name == "socketio":
            if not (settings or {}).get("jwt_key") or not settings.get("jwt_method"):
                found.append(name)
        elif name not in PUBLIC_CHANNELS:
            found.append(name)
    return found


def test_only_our_channels_or_a_jwt_checked_socketio_are_configured() -> None:
    channels = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert set(channels) <= PUBLIC_CHANNELS
    assert unchecked_channels(channels) == []


def test_the_channel_check_refuses_socketio_without_a_jwt_and_other_channels() -> None:
    assert unchecked_channels({"socketio": {"user_message_evt": "x"}}) == ["socketio"]
    assert unchecked_channels({"socketio": None}) == ["socketio"]
    assert unchecked_channels({"rest": None}) == ["rest"]
    jwt = {"jwt_key": "${JWT_KEY}", "jwt_method": "HS256"}
    assert unchecked_channels({"socketio": jwt, "web.rest.RestChannel": None}) == []


def test_the_secret_scanner_finds_literal_secrets() -> None:
    assert secret_values({"a": {"auth_token": "abc", "password": "${PW}"}}) == [
        "a.auth_token"
    ]


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_no_file_for_git_holds_a_private_key_and_secret_places_are_ignored() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    if listed.returncode != 0:
        pytest.skip("not a git work tree")
    files = [ROOT / name for name in listed.stdout.splitlines()]
    assert not [f for f in files if f.name == ".env" or f.suffix in (".pem", ".key")]
    for path in files:
        if path.is_file() and path.stat().st_size < 2_000_000:
            assert not PRIVATE_KEY.search(path.read_text(errors="ignore")), path
    for place in ("var/tracker.db", "var/web.sqlite", "var/log/rasa.log", ".env"):
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", place], cwd=ROOT, timeout=30
        )
        assert ignored.returncode == 0, f"{place} is not git-ignored"
