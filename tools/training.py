"""Trains a model with `rasa train`, timed, and records how long it took.

Usage: python -m tools.training [--config config.yml] [--name assistant]
       [--out models] [--if-stale | --inputs]

The model is written to <out>/<name>.tar.gz and a record to <out>/<name>.train.json:
the training time in seconds and a fingerprint of what went in (config, domain.yml,
data/ and the project's NLU code). With --if-stale nothing is trained when the model
exists and the fingerprint is unchanged; `make eval` and `make bench` train the
default-pipeline baseline (baseline/config.yml) this way. With --inputs it prints
the files a training of the config reads, one per line: the Makefile's list of what
makes the model stale. Standard library only, so any Python 3 can print it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv" / "bin" / "rasa"
# Besides the config, domain and data: what a config's own components load, by the
# text in the config that names them (a folder: every Python file in it).
CODE_INPUTS = {
    "assistant.nlu.": ("assistant/nlu",),
    "assistant.dialogue.": ("assistant/dialogue",),
    "build/spacy_nl": ("build/spacy_nl/meta.json",),
}


@dataclass(frozen=True)
class TrainingRecord:
    """How one model was trained: its inputs' fingerprint and the time it took."""

    name: str
    config: str
    fingerprint: str
    seconds: float
    finished: str


def input_files(config: Path, root: Path = ROOT) -> list[Path]:
    """Return the files a training reads: config, domain, data and pipeline code."""
    files = [config, root / "domain.yml", *sorted((root / "data").rglob("*.yml"))]
    text = config.read_text(encoding="utf-8")
    for marker, names in CODE_INPUTS.items():
        if marker in text:
            for name in names:
                path = root / name
                files += sorted(path.glob("*.py")) if path.is_dir() else [path]
    return files


def fingerprint(files: Iterable[Path], root: Path = ROOT) -> str:
    """Return a SHA-256 over the files' paths (relative to root) and contents."""
    digest = hashlib.sha256()
    base = root.resolve()
    for path in files:
        full = path.resolve()
        name = full.relative_to(base) if full.is_relative_to(base) else full
        digest.update(str(name).encode() + b"\0" + full.read_bytes() + b"\0")
    return digest.hexdigest()


def record_path(out: Path, name: str) -> Path:
    """Return where the training record of model `name` is kept."""
    return out / f"{name}.train.json"


def read_record(out: Path, name: str) -> TrainingRecord | None:
    """Return the training record of model `name`, or None when there is none."""
    path = record_path(out, name)
    if not path.exists():
        return None
    try:
        return TrainingRecord(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None


def is_stale(config: Path, out: Path, name: str, root: Path = ROOT) -> bool:
    """Tell whether model `name` is missing or was trained from other inputs."""
    record = read_record(out, name)
    if not (out / f"{name}.tar.gz").exists() or record is None:
        return True
    return record.fingerprint != fingerprint(input_files(config, root), root)


def train(
    config: Path, out: Path, name: str, root: Path = ROOT, log: Path | None = None
) -> TrainingRecord:
    """Run `rasa train --force` for the config; return and write the timed record."""
    files = input_files(config, root)
    command = [
        str(RASA),
        "train",
        "--config",
        str(config),
        "--domain",
        str(root / "domain.yml"),
        "--data",
        str(root / "data"),
        "--out",
        str(out),
        "--fixed-model-name",
        name,
        "--force",
    ]
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if log is None:
        subprocess.run(command, cwd=root, check=True)
    else:
        with log.open("wb") as output:
            subprocess.run(
                command, cwd=root, check=True, stdout=output, stderr=subprocess.STDOUT
            )
    seconds = time.perf_counter() - started
    record = TrainingRecord(
        name=name,
        config=str(config),
        fingerprint=fingerprint(files, root),
        seconds=round(seconds, 1),
        finished=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    record_path(out, name).write_text(
        json.dumps(asdict(record), indent=2) + "\n", encoding="utf-8"
    )
    return record


def main(argv: list[str] | None = None) -> int:
    """Train (or, with --if-stale, train only when needed) and print the time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    parser.add_argument("--name", default="assistant")
    parser.add_argument("--out", type=Path, default=ROOT / "models")
    parser.add_argument("--if-stale", action="store_true")
    parser.add_argument("--inputs", action="store_true", help="list the inputs")
    args = parser.parse_args(argv)
    config = args.config if args.config.is_absolute() else ROOT / args.config
    if args.inputs:
        print("\n".join(str(p.relative_to(ROOT)) for p in input_files(config)))
        return 0
    if args.if_stale and not is_stale(config, args.out, args.name):
        print(f"{args.out / args.name}.tar.gz is up to date.")
        return 0
    record = train(config, args.out, args.name)
    print(f"Trained {args.out / args.name}.tar.gz in {record.seconds:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
