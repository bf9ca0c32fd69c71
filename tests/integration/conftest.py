"""Fixtures of the integration tests."""

from __future__ import annotations

import pytest

from assistant.privacy import deidentify


@pytest.fixture
def deduce_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Return the texts that go through deduce in this process, as they do."""
    calls: list[str] = []
    here = deidentify.deidentify_here

    def counted(text: str) -> str:
        calls.append(text)
        return here(text)

    monkeypatch.setattr(deidentify, "deidentify_here", counted)
    return calls
