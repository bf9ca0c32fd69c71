"""Per-message work that Rasa 3.6 repeats on every turn, prepared once at start-up.

`install()` applies each speed-up; none changes what the assistant answers.

- Action server responses: Rasa checks every response of the action server with
  `jsonschema.validate`, which first checks the (large) events schema itself against
  the JSON Schema meta-schema, on every call: about 17 ms per custom action on this
  machine. Here the validator is built and the schema checked once; a valid response
  costs about 0.5 ms, and an invalid one still gets Rasa's own error message.
- Events read from the tracker store: Rasa finds each event's class by walking all
  subclasses of `Event` (with `inspect.isabstract` on each) for every event of every
  conversation it reads; here each type name is looked up once.
- Prediction graphs: run by `assistant.server.graph_runner.SequentialGraphRunner`
  instead of through dask (see there).

`python -m assistant.server` calls `install()` before Rasa starts.
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


def cached_event_types() -> None:
    """Look up the class of an event type name once, then from a dict."""
    if "event_types" in _INSTALLED:
        return
    from rasa.shared.core.events import Event

    find = Event.resolve_by_type
    known: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        """Return the event class of `type_name` (see Event.resolve_by_type)."""
        if type_name not in known:
            found = find(type_name, default)
            if found is None or found is default:
                return found  # unknown names keep Rasa's answer and error
            known[type_name] = found
        return known[type_name]

    Event.resolve_by_type = staticmethod(resolve_by_type)
    _INSTALLED.add("event_types")


def sequential_graph_runs() -> None:
    """Let the model loader build `SequentialGraphRunner`s."""
    import rasa.core.processor

    from assistant.server.graph_runner import SequentialGraphRunner

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner


def install() -> None:
    """Apply every speed-up."""
    fast_action_result_validation()
    cached_event_types()
    sequential_graph_runs()
