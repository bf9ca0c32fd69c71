"""On the trained model, the patched graph runner parses as Rasa's own runner does.

The model is loaded once, with the patches, as `rasa run` loads it in the server: its
runner is a SequentialGraphRunner. Every message of the evaluation sets
(tests/eval/blind/dev.yml, its messages and its conversations' turns, and
tests/eval/acceptance.yml) is parsed by that runner and by Rasa's own DaskGraphRunner
on the same loaded graph nodes (loading the model a second time would only repeat the
same node loading, for half a minute): intents, intent rankings and entities must
agree. Failures name messages by their index only: the evaluation sentences stay in
their files.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import pytest
import rasa.core.processor
import structlog
import yaml
from rasa.engine.runner.dask import DaskGraphRunner

from assistant.server import rasa_patches
from assistant.server.graph_runner import SequentialGraphRunner

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "assistant.tar.gz"
EVAL_DIR = ROOT / "tests" / "eval"
TOLERANCE = 1e-6


def evaluation_texts() -> list[str]:
    """Return each distinct text of the evaluation sets, in file order."""
    dev = yaml.safe_load((EVAL_DIR / "blind" / "dev.yml").read_text("utf-8"))
    acceptance = yaml.safe_load((EVAL_DIR / "acceptance.yml").read_text("utf-8"))
    texts = [message["text"] for message in dev["messages"]]
    texts += [turn["text"] for talk in dev["conversations"] for turn in talk["turns"]]
    texts += [message["text"] for message in acceptance["messages"]]
    return list(dict.fromkeys(texts))


async def parse_all(agent: Any, texts: list[str]) -> list[dict]:
    """Parse each text with the agent's current graph runner."""
    with structlog.testing.capture_logs():  # Rasa's debug events quote each text
        return [await agent.parse_message(text) for text in texts]


def stock_runner(runner: DaskGraphRunner) -> DaskGraphRunner:
    """Return Rasa's own runner over the same loaded nodes as `runner`."""
    stock = DaskGraphRunner.__new__(DaskGraphRunner)
    stock.__dict__.update(vars(runner))
    return stock


def outcome(parse: dict[str, Any]) -> dict[str, Any]:
    """Return what must agree: intent, intent ranking and entities."""
    return {
        "intent": parse["intent"]["name"],
        "confidence": parse["intent"]["confidence"],
        "ranking": [(r["name"], r["confidence"]) for r in parse["intent_ranking"]],
        "entities": parse["entities"],
    }


def same(a: Any, b: Any) -> bool:
    """Tell whether two parse results agree (numbers within TOLERANCE)."""
    if isinstance(a, float) or isinstance(b, float):
        return (
            isinstance(a, int | float)
            and isinstance(b, int | float)
            and (math.isclose(a, b, rel_tol=0, abs_tol=TOLERANCE))
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def differences(stock: list[dict], patched: list[dict]) -> list[tuple[int, str]]:
    """Return (message index, field) for each field on which two runs differ."""
    return [
        (index, name)
        for index, (a, b) in enumerate(zip(stock, patched, strict=True))
        for name, value in outcome(a).items()
        if not same(value, outcome(b)[name])
    ]


@pytest.fixture
def model(tmp_path: Path) -> Path:
    """Return a copy of the trained model (the original may be retrained meanwhile)."""
    assert MODEL.exists(), f"No trained model at {MODEL}: `make server` trains it."
    copy = tmp_path / "model.tar.gz"
    shutil.copy(MODEL, copy)
    return copy


def test_the_comparison_sees_a_difference() -> None:
    parse = {
        "intent": {"name": "a", "confidence": 0.9},
        "intent_ranking": [{"name": "a", "confidence": 0.9}],
        "entities": [{"entity": "e", "value": "v", "confidence_entity": 0.8}],
    }
    moved = {**parse, "intent_ranking": [{"name": "a", "confidence": 0.9 + 1e-5}]}
    renamed = {**parse, "entities": [{"entity": "f", "value": "v"}]}
    assert differences([parse], [parse]) == []
    assert differences([parse], [moved]) == [(0, "ranking")]
    assert differences([parse], [renamed]) == [(0, "entities")]


async def test_the_patched_runner_parses_the_evaluation_sets_as_rasa(
    model: Path,
) -> None:
    from rasa.core.agent import load_agent

    texts = evaluation_texts()
    assert len(texts) >= 150
    assert rasa.core.processor.DaskGraphRunner is DaskGraphRunner, "left patched"
    with rasa_patches.installed(2.0):
        agent = await load_agent(model_path=str(model))  # as `rasa run` loads it
    assert rasa.core.processor.DaskGraphRunner is DaskGraphRunner  # undone
    runner = agent.processor.graph_runner
    assert type(runner) is SequentialGraphRunner
    patched = await parse_all(agent, texts)
    agent.processor.graph_runner = stock_runner(runner)
    assert type(agent.processor.graph_runner).run is DaskGraphRunner.run
    stock = await parse_all(agent, texts)
    assert differences(stock, patched) == []
