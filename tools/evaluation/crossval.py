"""NLU cross-validation (`rasa test nlu --cross-validation`) and its macro F1.

A run writes intent_report.json to its output folder; its "macro avg" F1 is what the
evaluation report quotes. A finished run is kept with a stamp of the inputs'
fingerprint (tools.training), so it is repeated only when config, domain, data or
the pipeline code changed, or the number of folds.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tools.training import RASA, ROOT, fingerprint, input_files

STAMP = "inputs.sha256"


@dataclass(frozen=True)
class CrossValidation:
    """Intent scores of one cross-validation run (accumulated over the folds)."""

    folds: int
    macro_f1: float
    weighted_f1: float
    accuracy: float
    out: Path


def read_scores(out: Path, folds: int) -> CrossValidation:
    """Read the macro and weighted F1 and the accuracy from intent_report.json."""
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    return CrossValidation(
        folds=folds,
        macro_f1=float(report["macro avg"]["f1-score"]),
        weighted_f1=float(report["weighted avg"]["f1-score"]),
        accuracy=float(report.get("accuracy", 0.0)),
        out=out,
    )


def stamp_of(config: Path, folds: int, root: Path = ROOT) -> str:
    """Return the stamp of a run: the inputs' fingerprint and the number of folds."""
    return f"{fingerprint(input_files(config, root), root)} folds={folds}\n"


def is_current(out: Path, config: Path, folds: int, root: Path = ROOT) -> bool:
    """Tell whether `out` holds a finished run for exactly these inputs."""
    stamp = out / STAMP
    return (
        (out / "intent_report.json").exists()
        and stamp.exists()
        and stamp.read_text(encoding="utf-8") == stamp_of(config, folds, root)
    )


def cross_validate(
    config: Path, out: Path, folds: int = 5, root: Path = ROOT
) -> CrossValidation:
    """Run the cross-validation unless a current run is kept; return its scores."""
    if not is_current(out, config, folds, root):
        (out / STAMP).unlink(missing_ok=True)
        command = [str(RASA), "test", "nlu", "--cross-validation"]
        command += ["--folds", str(folds), "--config", str(config)]
        command += ["--nlu", str(root / "data"), "--domain", str(root / "domain.yml")]
        command += ["--out", str(out)]
        subprocess.run(command, cwd=root, check=True)
        (out / STAMP).write_text(stamp_of(config, folds, root), encoding="utf-8")
    return read_scores(out, folds)
