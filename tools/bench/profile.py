"""Where the Rasa server's time goes: py-spy on the running process, summarised.

`record` samples a process with py-spy (collapsed stacks, `--format raw`) while the
bench drives it; `summarise` turns the stacks into three lists: time per subsystem
(by the innermost frame that belongs to one), functions by inclusive time and by
self time. py-spy is a development tool (`pip install py-spy`); without it the bench
skips this part and says so.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

VENV_PY_SPY = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "py-spy"
_FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")
# Subsystems, by a fragment of the file path; the innermost matching frame decides.
BUCKETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "de-identification (deduce)",
        ("deduce/", "docdeid/", "assistant/privacy/deidentify"),
    ),
    ("TensorFlow", ("tensorflow/", "keras/")),
    ("spaCy", ("spacy/", "thinc/")),
    ("scikit-learn / SciPy", ("sklearn/", "scipy/")),
    (
        "SQL tracker store",
        ("sqlalchemy/", "sqlite3/", "assistant/privacy/tracker_store"),
    ),
    ("Rasa policies", ("rasa/core/policies/",)),
    ("Rasa NLU components", ("rasa/nlu/", "assistant/nlu/")),
    ("Rasa features and utils", ("rasa/utils/", "rasa/shared/nlu/")),
    ("Rasa tracker and events", ("rasa/shared/core/",)),
    ("Rasa processor and actions", ("rasa/core/", "rasa/engine/")),
    ("channels (web/)", ("web/",)),
    ("HTTP server (Sanic)", ("sanic/", "httptools", "uvloop")),
    ("asyncio", ("asyncio/",)),
)
OTHER = "other"
# Innermost frames of threads that only wait (py-spy cannot always tell): left out.
IDLE = ("concurrent/futures/thread.py", "threading.py", "selectors.py", "queue.py")


@dataclass(frozen=True)
class Profile:
    """A summarised profile: sample count and the three rankings (share of samples)."""

    samples: int
    buckets: list[tuple[str, float]]
    inclusive: list[tuple[str, float]]
    self_time: list[tuple[str, float]]


def available() -> str | None:
    """Return the py-spy executable, or None when it is not installed."""
    if VENV_PY_SPY.exists():
        return str(VENV_PY_SPY)
    return shutil.which("py-spy")


def record(
    pid: int, seconds: float | None, out: Path, rate: int = 100
) -> subprocess.Popen:
    """Start py-spy on a process; it writes collapsed stacks to `out`.

    With `seconds` None it samples until stopped with SIGINT (see `finish`).
    """
    executable = available()
    if executable is None:
        raise FileNotFoundError("py-spy is not installed")
    command = [executable, "record", "--pid", str(pid), "--rate", str(rate)]
    if seconds is not None:
        command += ["--duration", str(max(1, round(seconds)))]
    command += ["--format", "raw", "--output", str(out.resolve())]
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def finish(spy: subprocess.Popen, timeout: float = 60) -> None:
    """Stop a py-spy started without a duration; it writes its output first."""
    if spy.poll() is None:
        spy.send_signal(signal.SIGINT)
    try:
        spy.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        spy.kill()
        spy.wait()


def parse(lines: Iterable[str]) -> list[tuple[list[tuple[str, str]], int]]:
    """Parse collapsed stacks ("frame;frame count"), leaving out waiting threads."""
    stacks = []
    for line in lines:
        stack, _, count = line.strip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = []
        for frame in stack.split(";"):
            match = _FRAME.match(frame)
            frames.append((match["name"], match["file"]) if match else (frame, ""))
        if frames and not frames[-1][1].endswith(IDLE):
            stacks.append((frames, int(count)))
    return stacks


def bucket_of(frames: list[tuple[str, str]]) -> str:
    """Return the subsystem of a stack: that of its innermost frame that has one."""
    for _, path in reversed(frames):
        for label, fragments in BUCKETS:
            if any(fragment in path for fragment in fragments):
                return label
    return OTHER


def label(frame: tuple[str, str]) -> str:
    """Return a frame as `function (short/path.py)`."""
    name, path = frame
    for marker in ("site-packages/", "/work/main/", "python3.10/"):
        path = path.split(marker)[-1]
    return f"{name} ({path})" if path else name


def summarise(
    stacks: list[tuple[list[tuple[str, str]], int]], top: int = 15
) -> Profile:
    """Rank subsystems, functions by inclusive time and functions by self time."""
    total = sum(count for _, count in stacks) or 1
    buckets: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    for frames, count in stacks:
        buckets[bucket_of(frames)] += count
        visible = [f for f in frames if not f[1].startswith("<frozen")]  # importlib
        for name in {label(f) for f in visible}:
            inclusive[name] += count
        if visible:
            self_time[label(visible[-1])] += count
    # Entry points (on nearly every busy stack) say nothing about where time goes.
    most = max(inclusive.values(), default=0)
    ranked = [(n, c / total) for n, c in inclusive.most_common() if c < 0.97 * most]
    return Profile(
        samples=sum(count for _, count in stacks),
        buckets=[(n, c / total) for n, c in buckets.most_common()],
        inclusive=ranked[:top],
        self_time=[(n, c / total) for n, c in self_time.most_common(top)],
    )


def read(path: Path, top: int = 15) -> Profile:
    """Summarise a py-spy raw output file."""
    return summarise(parse(path.read_text(errors="replace").splitlines()), top)
