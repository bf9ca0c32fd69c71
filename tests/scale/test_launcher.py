"""The cluster launcher cleans up after itself, also when start-up fails."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tools.scale import cluster as launcher
from tools.stack import StartError


def processes_mentioning(text: str) -> list[str]:
    """Return the command lines of running processes that contain `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        if entry.name.isdigit() and text in command:
            found.append(command)
    return found


def test_a_failed_start_stops_what_was_started_and_removes_the_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folders: list[str] = []
    make = tempfile.mkdtemp

    def recorded(**kwargs: str) -> str:
        folders.append(make(**kwargs))
        return folders[-1]

    monkeypatch.setattr(launcher.tempfile, "mkdtemp", recorded)
    # The launcher refuses CORS_ORIGINS='*': the Rasa server stops at once, after
    # PostgreSQL, Redis and the action server have started.
    with pytest.raises(StartError, match="Rasa server 0 stopped"):
        with launcher.cluster(servers=1, settings={"CORS_ORIGINS": "*"}):
            pytest.fail("the cluster must not start")
    [folder] = folders
    assert not Path(folder).exists()
    assert processes_mentioning(folder) == []
