"""The plain-Python graph runner gives what Rasa's dask runner gives."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from assistant.server.graph_runner import SequentialGraphRunner

CALLS: list[str] = []


class Add(GraphComponent):
    """Adds its inputs and its configured constant."""

    @classmethod
    def create(cls, config: dict, **_: Any) -> Add:
        return cls(config)

    def __init__(self, config: dict) -> None:
        self.k = config["k"]

    def add(self, a: int, b: int = 0) -> int:
        CALLS.append(f"add{self.k}")
        return a + b + self.k


def node(k: int, **needs: str) -> SchemaNode:
    return SchemaNode(needs, Add, "create", "add", {"k": k})


SCHEMA = GraphSchema(
    {
        "one": node(1, a="x"),
        "two": node(2, a="one", b="one"),
        "ten": node(10, a="one", b="two"),
        "unused": node(100, a="x"),
    }
)


def runner(cls: type[DaskGraphRunner], tmp_path) -> DaskGraphRunner:
    context = ExecutionContext(graph_schema=SCHEMA, model_id="m")
    return cls.create(SCHEMA, LocalModelStorage(tmp_path), context)


@pytest.mark.parametrize("targets", [["ten"], ["two", "one"], None])
def test_same_results_as_dask(tmp_path, targets):
    dask = runner(DaskGraphRunner, tmp_path).run({"x": 5}, targets)
    plain = runner(SequentialGraphRunner, tmp_path).run({"x": 5}, targets)
    assert plain == dask


def test_each_node_runs_once_and_only_what_the_targets_need(tmp_path):
    CALLS.clear()
    assert runner(SequentialGraphRunner, tmp_path).run({"x": 5}, ["ten"]) == {
        "ten": 6 + 14 + 10
    }
    assert sorted(CALLS) == ["add1", "add10", "add2"]


def test_an_input_named_like_a_node_value_is_refused(tmp_path):
    with pytest.raises(GraphRunError):
        runner(SequentialGraphRunner, tmp_path).run({"x": "one"}, ["one"])


def test_a_missing_input_fails_as_in_rasa(tmp_path):
    with pytest.raises(GraphRunError):
        runner(SequentialGraphRunner, tmp_path).run({}, ["one"])
    with pytest.raises(GraphRunError):
        runner(DaskGraphRunner, tmp_path).run({}, ["one"])


def test_the_first_run_in_a_process_is_logged_once(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(SequentialGraphRunner, "announced", False)  # restored after
    caplog.set_level(logging.INFO, logger="assistant.server.graph_runner")
    plain = runner(SequentialGraphRunner, tmp_path)
    plain.run({"x": 5}, ["one"])
    plain.run({"x": 5}, ["two"])
    runner(SequentialGraphRunner, tmp_path).run({"x": 5}, ["ten"])
    runner(DaskGraphRunner, tmp_path).run({"x": 5}, ["ten"])
    assert caplog.messages == ["SequentialGraphRunner runs the prediction graphs"]
