"""The guarded changes to Rasa's internals: version check, install, uninstall."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
import rasa
import rasa.core.actions.action
import rasa.core.processor
import rasa.utils.endpoints
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from assistant.server import rasa_patches
from assistant.server.graph_runner import SequentialGraphRunner

VALID = {
    "events": [{"event": "slot", "name": "subject", "value": "hsct"}],
    "responses": [{"response": "utter_hsct_reimbursement"}],
}
INVALID = {"events": [{"event": "no_such_event"}]}
# Every attribute a patch replaces: (owner, attribute).
PATCHED = [
    (rasa.core.actions.action, "DEFAULT_REQUEST_TIMEOUT"),
    (rasa.utils.endpoints, "DEFAULT_REQUEST_TIMEOUT"),
    (RemoteAction, "_validate_action_result"),
    (Event, "resolve_by_type"),
    (rasa.core.processor, "DaskGraphRunner"),
]


def originals() -> list[object]:
    return [vars(owner)[attribute] for owner, attribute in PATCHED]


@pytest.fixture(autouse=True)
def restored() -> Iterator[None]:
    """Undo whatever a test installs, and check that nothing was left patched."""
    before = originals()
    yield
    rasa_patches.uninstall()
    assert all(a is b for a, b in zip(originals(), before, strict=True))


def test_the_installed_rasa_is_the_supported_one() -> None:
    assert rasa.__version__ in rasa_patches.SUPPORTED_RASA_VERSIONS
    assert rasa_patches.SUPPORTED_RASA_VERSIONS == ("3.6.21",)
    rasa_patches.check_version("3.6.21")
    rasa_patches.check_version()


@pytest.mark.parametrize("version", ["3.6.20", "3.7.0", "3.6.21rc1", "4.0.0", ""])
def test_another_rasa_version_is_refused_clearly(version: str) -> None:
    with pytest.raises(rasa_patches.UnsupportedRasaVersion) as refused:
        rasa_patches.check_version(version)
    message = str(refused.value)
    assert f"Rasa {version} is installed" in message
    assert "3.6.21" in message
    assert "SUPPORTED_RASA_VERSIONS" in message  # what to do


def test_install_refuses_another_version_and_patches_nothing(monkeypatch) -> None:
    before = originals()
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(rasa_patches.UnsupportedRasaVersion, match="Rasa 3.7.0"):
        rasa_patches.install(2.0)
    assert all(a is b for a, b in zip(originals(), before, strict=True))
    assert rasa_patches.applied() == {}


def test_install_replaces_each_attribute_and_uninstall_restores_it() -> None:
    before = originals()
    rasa_patches.install(2.0)
    after = originals()
    assert all(a is not b for a, b in zip(after, before, strict=True))
    assert rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT == 2.0
    assert rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT == 2.0
    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner
    rasa_patches.uninstall()
    assert all(a is b for a, b in zip(originals(), before, strict=True))
    assert rasa.core.processor.DaskGraphRunner is DaskGraphRunner
    assert rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT == 300
    assert rasa_patches.applied() == {}


def test_install_records_and_names_what_it_applied() -> None:
    rasa_patches.install(2.0)
    assert list(rasa_patches.applied()) == [
        "action timeout",
        "response validator",
        "event-class cache",
        "graph runner",
    ]
    assert rasa_patches.summary() == (
        "Rasa patches for 3.6.21 applied: action timeout 2.0 s, response validator, "
        "event-class cache, graph runner SequentialGraphRunner"
    )


def test_installing_twice_is_harmless_and_still_restores_rasas_own() -> None:
    before = originals()
    rasa_patches.install(2.0)
    rasa_patches.install(3.0)
    assert rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT == 3.0
    assert rasa_patches.applied()["action timeout"] == "action timeout 3.0 s"
    assert len(rasa_patches.applied()) == 4
    validate = vars(RemoteAction)["_validate_action_result"]
    assert inspect.getclosurevars(validate).nonlocals["full_check"] is before[2]
    resolve = vars(Event)["resolve_by_type"].__func__
    assert inspect.getclosurevars(resolve).nonlocals["find"] is before[3].__func__
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(VALID) is True
    with pytest.raises(ValidationError):
        action._validate_action_result(INVALID)
    assert Event.resolve_by_type("user") is UserUttered
    rasa_patches.uninstall()
    assert all(a is b for a, b in zip(originals(), before, strict=True))


def test_uninstall_without_install_changes_nothing() -> None:
    before = originals()
    rasa_patches.uninstall()
    assert all(a is b for a, b in zip(originals(), before, strict=True))


def test_prepared_validator_agrees_with_jsonschema() -> None:
    spec = RemoteAction.action_response_format_spec()
    is_valid = rasa_patches.prepared_validator(spec)
    assert is_valid(VALID)
    assert not is_valid(INVALID)
    assert not is_valid({"events": "not a list"})


def test_installed_validation_accepts_valid_and_reports_invalid() -> None:
    rasa_patches.install(2.0)
    action = RemoteAction("action_x", None)
    assert RemoteAction._validate_action_result.__name__ == "validate"  # patched
    assert action._validate_action_result(VALID) is True
    with pytest.raises(ValidationError) as problem:
        action._validate_action_result(INVALID)
    assert "Failed to validate Action server response" in problem.value.message


def test_event_types_resolve_as_before_and_unknown_ones_still_fail() -> None:
    rasa_patches.install(2.0)
    assert vars(Event)["resolve_by_type"].__func__.__module__ == rasa_patches.__name__
    for _ in range(2):  # looked up, then cached
        assert Event.resolve_by_type("user") is UserUttered
        assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("nope", default=ActionExecuted) is ActionExecuted
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("nope")
    restored = Event.from_parameters(UserUttered("hoi").as_dict())
    assert isinstance(restored, UserUttered) and restored.text == "hoi"
