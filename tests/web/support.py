"""Helpers for the website tests: server processes, free ports, viewports."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT = 20


@dataclass(frozen=True)
class Site:
    """Where the test servers listen, and their private settings."""

    base_url: str
    database: Path
    staff_token: str
    var_dir: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start_process(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop_processes(*processes: subprocess.Popen) -> None:
    """Ask every process to stop, then wait for each (kill after STOP_TIMEOUT)."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def wait_until_ready(
    checks: dict[str, tuple[str, subprocess.Popen, Path]], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    pending = dict(checks)
    while pending:
        for name, (url, process, log) in list(pending.items()):
            if _ready(url):
                del pending[name]
            elif process.poll() is not None:
                pytest.fail(f"The {name} server stopped:\n{_tail(log)}")
        if pending and time.monotonic() > deadline:
            names = ", ".join(pending)
            logs = "\n".join(_tail(log) for _, _, log in pending.values())
            pytest.fail(f"No answer from {names} within {timeout:.0f} s:\n{logs}")
        time.sleep(1)


def set_viewport(driver: object, width: int, height: int = 800) -> None:
    """Emulate a viewport (headless windows cannot be narrower than ~500 px)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": height,
            "deviceScaleFactor": 1,
            "mobile": width < 600,
        },
    )
