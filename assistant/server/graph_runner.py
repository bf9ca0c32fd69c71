"""Runs Rasa's prediction graphs in plain Python instead of through dask.

Rasa 3.6 runs its NLU and policy graphs with `dask.get` several times per message:
each run first builds the minimal schema for its targets and a dask graph, which
cost about a tenth of the server's time under load. `SequentialGraphRunner` keeps
the nodes and their semantics (each node gets its parents' `(name, output)` pairs,
or the bare name of a parent nobody provided; inputs are `(name, value)` pairs)
and evaluates each target's parents depth-first, each node once per run.

`assistant.server.rasa_patches` makes the model loader use it. The first run in a
process logs "SequentialGraphRunner runs the prediction graphs" (INFO), so a
server's log shows that the patched runner is the one in use.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

logger = logging.getLogger(__name__)


class SequentialGraphRunner(DaskGraphRunner):
    """A `DaskGraphRunner` that evaluates the graph itself, node by node."""

    announced: ClassVar[bool] = False  # the first run in this process was logged

    def run(
        self,
        inputs: dict[str, Any] | None = None,
        targets: list[str] | None = None,
    ) -> dict[str, Any]:
        """Run the graph for `targets` (default: the schema's targets)."""
        if not SequentialGraphRunner.announced:
            SequentialGraphRunner.announced = True
            logger.info("SequentialGraphRunner runs the prediction graphs")
        nodes = self._graph_schema.nodes
        results: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema."
                )
            results[name] = (name, value)

        def evaluate(name: str) -> Any:
            """Return the output of a node, an input, or the bare name."""
            if name not in results:
                if name not in nodes:
                    return name
                parents = [evaluate(parent) for parent in nodes[name].needs.values()]
                results[name] = self._instantiated_nodes[name](*parents)
            return results[name]

        try:
            outputs = [evaluate(t) for t in targets or self._graph_schema.target_names]
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(outputs)
