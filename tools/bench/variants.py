"""Speed changes to config.yml, each with its accuracy: nothing traded silently.

Usage: python -m tools.bench.variants [--only NAME ...] [--out reports]

Each variant is config.yml with one change. It is trained with a timed
`rasa train --force` into var/variants/<name>/, then, in a fresh process (so that
TensorFlow settings in the environment apply), it answers the held-out set in-process:
topic accuracy, wrong-content and fallback rates, and the time per message of the
in-process Agent (NLU, policies, actions; no HTTP, in-memory tracker; the faster of
two passes). Rasa runs as `python -m assistant.server run` serves it: with the
project's changes to its internals (`assistant.server.rasa_patches`, installed
before the model loads, with the server's ACTION_TIMEOUT). The figures go to
results/variants/<name>.json and, all together, to reports/variants.md. config.yml
itself is never changed.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from assistant.server import rasa_patches
from assistant.server.launcher import action_timeout
from tools import training
from tools.bench.stats import percentile
from tools.evaluation.evaluate import (
    EVAL_DIR,
    THRESHOLDS,
    Report,
    Result,
    answer,
    load_turns,
)
from tools.stack import running_action_server

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "variants"
RESULTS = ROOT / "results" / "variants"
PASSES = 2  # time the held-out set twice; keep the faster pass
Config = dict


def _component(config: Config, name: str) -> dict:
    """Return the pipeline entry of a component by name (KeyError when absent)."""
    for component in config["pipeline"]:
        if component["name"] == name:
            return component
    raise KeyError(f"config.yml has no {name}")


def _set(name: str, **values: object) -> Callable[[Config], None]:
    """Return a patch that sets options of one component."""
    return lambda config: _component(config, name).update(values)


def _logistic_regression(config: Config) -> None:
    """Replace DIET by scikit-learn's logistic regression."""
    index = config["pipeline"].index(_component(config, "DIETClassifier"))
    config["pipeline"][index] = {"name": "LogisticRegressionClassifier"}


def _both(*patches: Callable[[Config], None]) -> Callable[[Config], None]:
    """Return a patch that applies several patches in turn."""

    def patch(config: Config) -> None:
        for one in patches:
            one(config)

    return patch


LOW_FALLBACK = _set("FallbackClassifier", threshold=0.3)
NO_TRANSFORMER = _set("DIETClassifier", number_of_transformer_layers=0)


# name: (what changes, patch, extra environment of the measuring process)
VARIANTS: dict[str, tuple[str, Callable[[Config], None], dict[str, str]]] = {
    "current": ("config.yml as it is", lambda config: None, {}),
    "tf-1-thread": (
        "config.yml; TensorFlow inter/intra-op threads 1 (environment)",
        lambda config: None,
        {
            "TF_INTER_OP_PARALLELISM_THREADS": "1",
            "TF_INTRA_OP_PARALLELISM_THREADS": "1",
        },
    ),
    "diet-no-transformer": (
        "DIETClassifier number_of_transformer_layers: 0",
        NO_TRANSFORMER,
        {},
    ),
    "diet-no-transformer-fb-0.3": (
        "DIETClassifier number_of_transformer_layers: 0; FallbackClassifier "
        "threshold: 0.3 (see the sweep for higher thresholds)",
        _both(NO_TRANSFORMER, LOW_FALLBACK),
        {},
    ),
    "diet-1-layer-128": (
        "DIETClassifier number_of_transformer_layers: 1, transformer_size: 128",
        _set("DIETClassifier", number_of_transformer_layers=1, transformer_size=128),
        {},
    ),
    "diet-30-epochs": (
        "DIETClassifier epochs: 30",
        _set("DIETClassifier", epochs=30),
        {},
    ),
    "logistic-regression": (
        "LogisticRegressionClassifier instead of DIETClassifier",
        _logistic_regression,
        {},
    ),
    "logistic-regression-fb-0.3": (
        "LogisticRegressionClassifier instead of DIETClassifier; FallbackClassifier "
        "threshold: 0.3 (see the sweep for higher thresholds)",
        _both(_logistic_regression, LOW_FALLBACK),
        {},
    ),
}


def variant_config(name: str, source: Path = ROOT / "config.yml") -> Config:
    """Return config.yml with the variant's change applied."""
    config = copy.deepcopy(yaml.safe_load(source.read_text(encoding="utf-8")))
    VARIANTS[name][1](config)
    return config


def trained(name: str) -> tuple[Path, float]:
    """Train the variant unless trained from the same inputs; return model, seconds."""
    if name != "current" and variant_config(name) == variant_config("current"):
        return trained("current")  # only the environment differs
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.yml"
    config.write_text(yaml.safe_dump(variant_config(name), sort_keys=False), "utf-8")
    if training.is_stale(config, folder, "model"):
        print(f"Training variant {name} (log: {folder / 'train.log'})...")
        training.train(config, folder, "model", log=folder / "train.log")
    record = training.read_record(folder, "model")
    return folder / "model.tar.gz", record.seconds if record else float("nan")


async def measure(model: Path, action_url: str) -> tuple[Report, list[float]]:
    """Answer the held-out set in-process; return the answers and each turn's time."""
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.log_utils import configure_structlog
    from rasa.utils.tensorflow.environment import setup_tf_environment

    setup_tf_environment()  # TF_*_PARALLELISM_THREADS, as `rasa run` does
    configure_structlog(logging.WARNING)  # as `rasa run`; debug logs cost time
    endpoints = AvailableEndpoints(action=EndpointConfig(url=action_url))
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    singles, dialogues = load_turns(
        EVAL_DIR / "messages.yml", EVAL_DIR / "conversations.yml"
    )
    await answer(agent, "warm-up-sender", "hallo")
    passes = []
    for _ in range(PASSES):
        report, seconds = Report(), []
        for dialogue in [[turn] for turn in singles] + dialogues:
            sender = uuid.uuid4().hex
            for turn in dialogue:
                started = time.perf_counter()
                given = await answer(agent, sender, turn.text)
                seconds.append(time.perf_counter() - started)
                report.results.append(Result(turn, given.topic, given.confidence))
        passes.append((report, seconds))
    # The machine is shared: the faster pass is the one less disturbed.
    return passes[0][0], min((s for _, s in passes), key=sum)


def measure_one(name: str, model: Path, train_seconds: float) -> dict:
    """Measure one trained variant in this process; write and return its figures."""
    timeout = action_timeout(os.environ)
    with running_action_server(WORK / name) as actions, rasa_patches.installed(timeout):
        report, seconds = asyncio.run(measure(model, actions.url + "/webhook"))
    figures = {
        "name": name,
        "change": VARIANTS[name][0],
        "train_seconds": train_seconds,
        "accuracy": report.accuracy,
        "wrong_content": report.wrong_content_rate,
        "fallback": report.fallback_rate,
        "unseen_accuracy": report.unseen.accuracy,
        "turns": len(report.results),
        "ms_mean": 1000 * sum(seconds) / len(seconds),
        "ms_p50": 1000 * percentile(seconds, 50),
        "ms_p95": 1000 * percentile(seconds, 95),
        "model_mb": model.stat().st_size / 1e6,
        "threshold": _component(variant_config(name), "FallbackClassifier")[
            "threshold"
        ],
        "sweep": [
            [t, at.accuracy, at.wrong_content_rate, at.fallback_rate]
            for t in THRESHOLDS
            for at in [report.at_threshold(t)]
        ],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2), "utf-8")
    return figures


def markdown(rows: list[dict], today: date) -> str:
    """Render reports/variants.md."""
    lines = [
        f"# Speed changes to config.yml, with their accuracy, {today.isoformat()}",
        "",
        "Each variant changes one thing in config.yml (config.yml itself is not "
        "changed). Accuracy on the held-out set (tests/eval), in-process time per "
        "message (Agent.handle_text: NLU, policies, actions over HTTP, in-memory "
        "tracker; Rasa patched as the server runs it, "
        "assistant/server/rasa_patches.py), training time of `rasa train --force` "
        "on this machine, as it was loaded at the time. Run with "
        "`python -m tools.bench.variants`.",
        "",
        "| variant | change | accuracy | wrong content | fallback | ms/message mean "
        "| p50 | p95 | training | model |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['change']} | {r['accuracy']:.1%} "
            f"| {r['wrong_content']:.1%} | {r['fallback']:.1%} | {r['ms_mean']:.1f} "
            f"| {r['ms_p50']:.1f} | {r['ms_p95']:.1f} | {r['train_seconds']:.0f} s "
            f"| {r['model_mb']:.0f} MB |"
        )
    lines += [
        "",
        "## Fallback threshold sweep",
        "",
        "Accuracy / wrong content / fallback had the `FallbackClassifier` threshold "
        "been higher than the variant's own (turns whose best intent scored below it "
        "fall back; approximate for later turns of a conversation).",
        "",
        "| variant | " + " | ".join(f"{t:.1f}" for t in THRESHOLDS) + " |",
        "|---|" + "---|" * len(THRESHOLDS),
    ]
    for r in rows:
        cells = [
            f"{a:.1%} / {w:.1%} / {f:.1%}" if t >= r.get("threshold", 0) - 1e-9 else "-"
            for t, a, w, f in r.get("sweep", [])
        ]
        lines.append(f"| {r['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Train and measure the variants one after the other; write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(VARIANTS))
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: one variant
    args = parser.parse_args(argv)
    if args.measure:
        model, seconds = trained(args.measure)
        measure_one(args.measure, model, seconds)
        return 0
    for name in args.only or list(VARIANTS):
        try:
            variant_config(name)
        except KeyError as missing:
            print(f"Skipping variant {name}: {missing}")
            continue
        env = {**os.environ, **VARIANTS[name][2]}
        command = [sys.executable, "-m", "tools.bench.variants", "--measure", name]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
    rows = [
        json.loads((RESULTS / f"{name}.json").read_text("utf-8"))
        for name in VARIANTS
        if (RESULTS / f"{name}.json").exists()
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    text = markdown(rows, date.today())
    (args.out / "variants.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
