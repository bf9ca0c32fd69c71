"""Every change this project makes to Rasa's internals, guarded by Rasa's version.

Each patch replaces one attribute of a Rasa module or class. The replacements rely
on private details of Rasa 3.6.21 (names imported into modules, private methods,
the runner class the model loader uses), so `install()` first refuses any Rasa
version they were not written and tested for (`SUPPORTED_RASA_VERSIONS`).

- action timeout: how long the Rasa server waits for the action server. Rasa waits
  300 s (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT, imported by name into
  rasa.core.actions.action and rasa.utils.endpoints, where it is set here).
- response validator: Rasa checks every response of the action server with
  `jsonschema.validate`, which first checks the (large) events schema itself against
  the JSON Schema meta-schema, on every call: about 17 ms per custom action on this
  machine. Here the validator is built and the schema checked once; a valid response
  costs about 0.5 ms, and an invalid one still gets Rasa's own error message
  (`RemoteAction._validate_action_result`).
- event-class cache: Rasa finds each event's class by walking all subclasses of
  `Event` (with `inspect.isabstract` on each) for every event of every conversation
  it reads; here each type name is looked up once (`Event.resolve_by_type`).
- graph runner: the model loader of `rasa.core.processor` builds
  `assistant.server.graph_runner.SequentialGraphRunner`s instead of
  `DaskGraphRunner`s (see there); it applies to models loaded after `install()`.

`install(action_timeout)` applies them all (again: harmless), `applied()` tells what
it applied, `uninstall()` puts Rasa's own objects back; `installed(action_timeout)`
does both around a block. `python -m assistant.server run` installs them before Rasa
starts, `tools.bench.variants` before it loads a model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

SUPPORTED_RASA_VERSIONS = ("3.6.21",)

# (owner, attribute) -> Rasa's own object, for every attribute patched now.
_originals: dict[tuple[Any, str], Any] = {}
# patch name -> what it set, in the order applied.
_applied: dict[str, str] = {}


class UnsupportedRasaVersion(RuntimeError):
    """The installed Rasa is not a version the patches were written for."""


def check_version(installed: str | None = None) -> None:
    """Refuse a Rasa version (default: the installed one) the patches do not know."""
    if installed is None:
        import rasa

        installed = rasa.__version__
    if installed in SUPPORTED_RASA_VERSIONS:
        return
    supported = ", ".join(SUPPORTED_RASA_VERSIONS)
    raise UnsupportedRasaVersion(
        f"Rasa {installed} is installed, but assistant/server/rasa_patches.py was "
        f"written and tested for Rasa {supported} only. Install Rasa {supported} "
        "(requirements-lock.txt), or check every patch there against the new "
        "version, run tests/unit/test_rasa_patches.py, "
        "tests/integration/test_rasa_patches_parse.py and "
        "tests/server/test_rasa_patches.py, then add it to SUPPORTED_RASA_VERSIONS."
    )


def prepared_validator(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """Check a JSON schema once; return a fast `is_valid` for instances of it."""
    from jsonschema import validators

    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema).is_valid


def _original(owner: Any, attribute: str) -> Any:
    """Return Rasa's own value of an attribute, also while it is patched."""
    return _originals.get((owner, attribute), vars(owner)[attribute])


def _replace(owner: Any, attribute: str, value: Any) -> None:
    """Set an attribute, keeping Rasa's own value to put back."""
    _originals.setdefault((owner, attribute), vars(owner)[attribute])
    setattr(owner, attribute, value)


def _action_timeout(seconds: float) -> str:
    """Make Rasa wait at most `seconds` for the action server."""
    import rasa.core.actions.action
    import rasa.utils.endpoints

    _replace(rasa.core.actions.action, "DEFAULT_REQUEST_TIMEOUT", seconds)
    _replace(rasa.utils.endpoints, "DEFAULT_REQUEST_TIMEOUT", seconds)
    return f"action timeout {seconds} s"


def _response_validator() -> str:
    """Validate action server responses with a validator prepared once."""
    from rasa.core.actions.action import RemoteAction

    is_valid = prepared_validator(RemoteAction.action_response_format_spec())
    full_check = _original(RemoteAction, "_validate_action_result")

    def validate(self: RemoteAction, result: dict[str, Any]) -> bool:
        """Return True for a valid response; let Rasa report an invalid one."""
        return True if is_valid(result) else full_check(self, result)

    _replace(RemoteAction, "_validate_action_result", validate)
    return "response validator"


def _event_class_cache() -> str:
    """Look up the class of an event type name once, then from a dict."""
    from rasa.shared.core.events import Event

    find = _original(Event, "resolve_by_type").__func__
    known: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        """Return the event class of `type_name` (see Event.resolve_by_type)."""
        if type_name not in known:
            found = find(type_name, default)
            if found is None or found is default:
                return found  # unknown names keep Rasa's answer and error
            known[type_name] = found
        return known[type_name]

    _replace(Event, "resolve_by_type", staticmethod(resolve_by_type))
    return "event-class cache"


def _graph_runner() -> str:
    """Let the model loader build `SequentialGraphRunner`s."""
    import rasa.core.processor

    from assistant.server.graph_runner import SequentialGraphRunner

    _replace(rasa.core.processor, "DaskGraphRunner", SequentialGraphRunner)
    return f"graph runner {SequentialGraphRunner.__name__}"


def install(action_timeout: float) -> None:
    """Check Rasa's version, then apply every patch (built anew from Rasa's own)."""
    check_version()
    _applied.update(
        {
            "action timeout": _action_timeout(action_timeout),
            "response validator": _response_validator(),
            "event-class cache": _event_class_cache(),
            "graph runner": _graph_runner(),
        }
    )


def applied() -> dict[str, str]:
    """Return the applied patches: name -> what it set (empty when none)."""
    return dict(_applied)


def summary() -> str:
    """Return one line naming Rasa's version and what each applied patch set."""
    import rasa

    return f"Rasa patches for {rasa.__version__} applied: " + ", ".join(
        _applied.values()
    )


def uninstall() -> None:
    """Put Rasa's own objects back, exactly; forget the patches."""
    for (owner, attribute), original in _originals.items():
        setattr(owner, attribute, original)
    _originals.clear()
    _applied.clear()


@contextmanager
def installed(action_timeout: float) -> Iterator[None]:
    """Apply every patch inside the block; put Rasa's own objects back after it."""
    install(action_timeout)
    try:
        yield
    finally:
        uninstall()
