"""Shared fixtures and the test layers.

Each folder under tests/ is a layer and marks its tests with its name (registered in
pyproject.toml): unit, integration, server, browser, scale. The real servers' `site`
fixture lives in tests/servers.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.servers"]
LAYERS = ("unit", "integration", "server", "browser", "scale")
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def catalogue() -> list[dict[str, Any]]:
    path = SHARED / "content" / "topics.yml"
    assert path.exists(), f"content catalogue not found at {path} (set SHARED_DIR)"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]


@pytest.fixture(scope="session")
def sources_readme() -> str:
    return (SHARED / "sources" / "README.md").read_text(encoding="utf-8")


def make_tracker(
    intent: str,
    text: str = "",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    """Build a tracker whose latest message has the given intent and entities."""
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def tracker_for():
    return make_tracker


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its layer: the folder under tests/ it lives in."""
    for item in items:
        parts = Path(item.fspath).relative_to(ROOT / "tests").parts
        if len(parts) > 1 and parts[0] in LAYERS:
            item.add_marker(parts[0])
