import contextlib
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.server import rasa_patches
from tools.bench import variants
from tools.bench.variants import VARIANTS, markdown, variant_config


def names(config):
    return [c["name"] for c in config["pipeline"]]


@pytest.fixture(autouse=True)
def needs_diet_and_fallback():
    present = names(variant_config("current"))
    if not {"DIETClassifier", "FallbackClassifier"} <= set(present):
        pytest.skip("config.yml no longer has DIETClassifier and FallbackClassifier")


def test_current_is_config_yml_unchanged():
    import yaml

    from tools.bench.variants import ROOT

    assert variant_config("current") == yaml.safe_load(
        (ROOT / "config.yml").read_text()
    )


def test_each_variant_changes_one_thing():
    current = variant_config("current")
    for name in VARIANTS:
        config = variant_config(name)
        assert config["policies"] == current["policies"]
        assert len(config["pipeline"]) == len(current["pipeline"])


def test_logistic_regression_replaces_diet():
    config = variant_config("logistic-regression")
    assert "DIETClassifier" not in names(config)
    assert "LogisticRegressionClassifier" in names(config)


def test_diet_options():
    config = variant_config("diet-no-transformer")
    diet = next(c for c in config["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["number_of_transformer_layers"] == 0


def test_markdown_row():
    row = {
        "name": "x",
        "change": "y",
        "accuracy": 0.95,
        "wrong_content": 0.01,
        "fallback": 0.02,
        "ms_mean": 12.34,
        "ms_p50": 10.0,
        "ms_p95": 20.0,
        "train_seconds": 100.0,
        "model_mb": 12.0,
    }
    text = markdown([row], date(2026, 1, 1))
    assert (
        "| x | y | 95.0% | 1.0% | 2.0% | 12.3 | 10.0 | 20.0 | 100 s | 12 MB |" in text
    )


def test_low_fallback_variants_set_the_threshold():
    config = variant_config("logistic-regression-fb-0.3")
    fallback = next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")
    assert fallback["threshold"] == 0.3
    assert "LogisticRegressionClassifier" in names(config)


def test_sweep_shows_only_thresholds_at_or_above_the_variants():
    row = {
        "name": "x",
        "change": "y",
        "accuracy": 0.9,
        "wrong_content": 0.0,
        "fallback": 0.1,
        "ms_mean": 1.0,
        "ms_p50": 1.0,
        "ms_p95": 1.0,
        "train_seconds": 1.0,
        "model_mb": 1.0,
        "threshold": 0.6,
        "sweep": [[0.5, 0.9, 0.0, 0.1], [0.6, 0.9, 0.0, 0.1]],
    }
    text = markdown([row], date(2026, 1, 1))
    assert "| x | - | 90.0% / 0.0% / 10.0% |" in text


class Measured(Exception):
    """Stops measure_one once the measurement has started."""


def test_variants_are_measured_with_the_rasa_patches_of_the_server(monkeypatch):
    seen: list[dict[str, str]] = []

    async def measure(model, action_url):
        seen.append(rasa_patches.applied())
        raise Measured

    monkeypatch.setattr(variants, "measure", measure)
    actions = SimpleNamespace(url="http://127.0.0.1:9")
    monkeypatch.setattr(
        variants, "running_action_server", lambda work: contextlib.nullcontext(actions)
    )
    monkeypatch.setenv("ACTION_TIMEOUT", "4")
    try:
        with pytest.raises(Measured):
            variants.measure_one("current", Path("model.tar.gz"), 1.0)
    finally:
        rasa_patches.uninstall()
    assert seen == [
        {
            "action timeout": "action timeout 4.0 s",
            "response validator": "response validator",
            "event-class cache": "event-class cache",
            "graph runner": "graph runner SequentialGraphRunner",
        }
    ]
    assert rasa_patches.applied() == {}  # undone after the measurement


def test_the_report_says_rasa_was_patched():
    assert "assistant/server/rasa_patches.py" in markdown([], date(2026, 1, 1))
