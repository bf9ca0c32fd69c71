"""Per-message work that Rasa 3.6 repeats on every turn, prepared once at start-up.

`install()` applies each speed-up; none changes what the assistant answers.

- Action server responses: Rasa checks every response of the action server with
  `jsonschema.validate`, which first checks the (large) events schema itself against
  the JSON Schema meta-schema, on every call: about 17 ms per custom action on this
  machine. Here the validator is built and the schema checked once; a valid response
  costs about 0.5 ms, and an invalid one still gets Rasa's own error message.
- Prediction graphs: run by `assistant.graph_runner.SequentialGraphRunner` instead
  of through dask (see there).

`assistant.server` calls `install()` before Rasa starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_INSTALLED: set[str] = set()


def prepared_validator(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """Check a JSON schema once; return a fast `is_valid` for instances of it."""
    from jsonschema import validators

    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema).is_valid


def fast_action_result_validation() -> None:
    """Validate action server responses with a validator prepared once."""
    if "action_result" in _INSTALLED:
        return
    from rasa.core.actions.action import RemoteAction

    is_valid = prepared_validator(RemoteAction.action_response_format_spec())
    full_check = RemoteAction._validate_action_result

    def validate(self: RemoteAction, result: dict[str, Any]) -> bool:
        """Return True for a valid response; let Rasa report an invalid one."""
        return True if is_valid(result) else full_check(self, result)

    RemoteAction._validate_action_result = validate
    _INSTALLED.add("action_result")


def sequential_graph_runs() -> None:
    """Let the model loader build `SequentialGraphRunner`s."""
    import rasa.core.processor

    from assistant.graph_runner import SequentialGraphRunner

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner


def install() -> None:
    """Apply every speed-up."""
    fast_action_result_validation()
    sequential_graph_runs()
