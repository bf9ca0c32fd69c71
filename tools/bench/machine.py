"""What the machine is: cores, memory, CPU model, load and the software versions."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path


@dataclass(frozen=True)
class Machine:
    """The figures of the machine a bench ran on."""

    cores: int
    memory_gb: float
    cpu: str
    load: tuple[float, float, float]
    python: str
    versions: dict[str, str]


def _meminfo_gb() -> float:
    """Return the total memory in GB from /proc/meminfo."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def _cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    """Return an installed package's version, or '-'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def describe() -> Machine:
    """Describe this machine now."""
    return Machine(
        cores=os.cpu_count() or 0,
        memory_gb=_meminfo_gb(),
        cpu=_cpu_model(),
        load=os.getloadavg(),
        python=platform.python_version(),
        versions={p: _version(p) for p in ("rasa", "tensorflow", "sanic", "aiohttp")},
    )
