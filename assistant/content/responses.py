"""Reads curated answers and their source lines from the Rasa domain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

SOURCE_PREFIX = "Bron:"
DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"


def load_responses(path: Path = DOMAIN_FILE) -> dict[str, list[dict[str, Any]]]:
    """Load the `responses` section of a domain file."""
    domain = yaml.safe_load(path.read_text(encoding="utf-8"))
    return domain.get("responses") or {}


def response_text(responses: Mapping[str, Any], name: str) -> str:
    """Return the text of the first variant of a response, or '' when it is missing."""
    variants = responses.get(name) or []
    return str(variants[0].get("text", "")) if variants else ""


def checked_date(responses: Mapping[str, Any], name: str) -> date | None:
    """Return the day a response was last checked against its sources, if recorded."""
    variants = responses.get(name) or []
    metadata = (variants[0].get("metadata") or {}) if variants else {}
    checked = metadata.get("checked")
    return date.fromisoformat(str(checked)) if checked else None


def source_line(text: str) -> str | None:
    """Return the 'Bron: ...' line of an answer, or None when it cites no source."""
    for line in text.splitlines():
        if line.strip().startswith(SOURCE_PREFIX):
            return line.strip()
    return None


def body(text: str) -> str:
    """Return an answer without its source line."""
    return "\n".join(
        line for line in text.splitlines() if not line.strip().startswith(SOURCE_PREFIX)
    ).strip()
