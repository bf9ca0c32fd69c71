import json
from datetime import date

from tools import training
from tools.evaluation import crossval
from tools.evaluation.compare import Model, confusion, markdown, per_topic
from tools.evaluation.crossval import CrossValidation, read_scores
from tools.evaluation.evaluate import Report, Result, Turn


def result(expect, topic, text="x"):
    return Result(Turn(text, tuple(expect)), topic)


def models():
    ours = Report(
        [
            result(["hsct_effect"], "hsct_effect"),
            result(["hsct_risks"], "hsct_risks"),
            result(["out_of_scope", "fallback"], "fallback"),
        ]
    )
    base = Report(
        [
            result(["hsct_effect"], "hsct_risks", "werkt het"),
            result(["hsct_risks"], "hsct_risks"),
            result(["out_of_scope", "fallback"], "hsct_effect", "het weer"),
        ]
    )
    cv = CrossValidation(5, 0.9, 0.91, 0.92, None)
    base_cv = CrossValidation(5, 0.8, 0.81, 0.82, None)
    return Model("this project", "a", ours, cv), Model("baseline", "b", base, base_cv)


def test_per_topic_and_confusion():
    ours, base = models()
    assert per_topic(base.report)["hsct_effect"] == (1, 0)
    assert per_topic(ours.report)["out_of_scope"] == (1, 1)
    assert confusion(base.report)[("hsct_effect", "hsct_risks")] == 1


def test_markdown_has_both_columns_and_the_pairs():
    ours, base = models()
    text = markdown(ours, base, ["eval.png"], date(2026, 1, 2))
    assert "2026-01-02" in text
    assert "| topic accuracy (all turns, n=3) | 100.0% | 33.3% | +66.7 pt |" in text
    assert "| wrong-content rate (all turns, n=3) | 0.0% | 66.7% | -66.7 pt |" in text
    assert "macro F1 | 0.900 | 0.800 | +0.100 |" in text
    assert "| hsct_effect | hsct_risks | 0 | 1 | werkt het |" in text
    assert "![eval.png](eval.png)" in text


def test_a_set_kept_blind_shows_no_message_texts():
    ours, base = models()
    text = markdown(ours, base, ["eval.png"], date(2026, 1, 2), examples=False)
    assert "| hsct_effect | hsct_risks | 0 | 1 | (text left out" in text
    assert "werkt het" not in text and "het weer" not in text


def test_read_scores(tmp_path):
    report = {
        "accuracy": 0.9,
        "macro avg": {"f1-score": 0.85},
        "weighted avg": {"f1-score": 0.88},
    }
    (tmp_path / "intent_report.json").write_text(json.dumps(report))
    scores = read_scores(tmp_path, 5)
    assert (scores.macro_f1, scores.weighted_f1, scores.accuracy) == (0.85, 0.88, 0.9)


def project(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "nlu.yml").write_text("nlu: []\n")
    (tmp_path / "domain.yml").write_text("version: '3.1'\n")
    config = tmp_path / "config.yml"
    config.write_text("pipeline: []\n")
    return config


def test_fingerprint_follows_the_inputs(tmp_path):
    config = project(tmp_path)
    files = training.input_files(config, tmp_path)
    before = training.fingerprint(files, tmp_path)
    assert before == training.fingerprint(files, tmp_path)
    (tmp_path / "data" / "nlu.yml").write_text("nlu: [x]\n")
    assert training.fingerprint(files, tmp_path) != before


def test_code_inputs_only_when_the_config_names_them(tmp_path):
    config = project(tmp_path)
    (tmp_path / "assistant" / "nlu").mkdir(parents=True)
    (tmp_path / "assistant" / "nlu" / "emergency_override.py").write_text("")
    (tmp_path / "assistant" / "nlu" / "crisis.py").write_text("")
    assert len(training.input_files(config, tmp_path)) == 3
    config.write_text("pipeline: [{name: assistant.nlu.emergency_override.X}]\n")
    assert len(training.input_files(config, tmp_path)) == 5


def test_the_makefile_reads_the_inputs_from_the_training_module():
    makefile = (training.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m tools.training --inputs" in makefile
    listed = training.input_files(training.ROOT / "config.yml")
    assert training.ROOT / "assistant" / "nlu" / "crisis.py" in listed
    assert training.ROOT / "build" / "spacy_nl" / "meta.json" in listed


def test_stale_without_model_or_with_other_inputs(tmp_path):
    config = project(tmp_path)
    out = tmp_path / "models"
    out.mkdir()
    assert training.is_stale(config, out, "m", tmp_path)
    (out / "m.tar.gz").write_bytes(b"")
    stamp = training.fingerprint(training.input_files(config, tmp_path), tmp_path)
    record = {
        "name": "m",
        "config": "c",
        "fingerprint": stamp,
        "seconds": 1.0,
        "finished": "2026-01-01T00:00:00+00:00",
    }
    training.record_path(out, "m").write_text(json.dumps(record))
    assert not training.is_stale(config, out, "m", tmp_path)
    assert training.read_record(out, "m").seconds == 1.0
    config.write_text("pipeline: [changed]\n")
    assert training.is_stale(config, out, "m", tmp_path)


def test_cross_validation_is_current_only_for_the_same_inputs(tmp_path):
    config = project(tmp_path)
    out = tmp_path / "cv"
    out.mkdir()
    (out / "intent_report.json").write_text("{}")
    assert not crossval.is_current(out, config, 5, tmp_path)
    (out / crossval.STAMP).write_text(crossval.stamp_of(config, 5, tmp_path))
    assert crossval.is_current(out, config, 5, tmp_path)
    assert not crossval.is_current(out, config, 3, tmp_path)
