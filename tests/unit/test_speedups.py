import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from assistant.server import speedups

VALID = {
    "events": [{"event": "slot", "name": "subject", "value": "hsct"}],
    "responses": [{"response": "utter_hsct_reimbursement"}],
}


def test_prepared_validator_agrees_with_jsonschema():
    is_valid = speedups.prepared_validator(RemoteAction.action_response_format_spec())
    assert is_valid(VALID)
    assert not is_valid({"events": [{"event": "no_such_event"}]})
    assert not is_valid({"events": "not a list"})


def test_installed_validation_accepts_valid_and_reports_invalid():
    speedups.install()
    speedups.install()  # twice is harmless
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(VALID) is True
    with pytest.raises(ValidationError) as problem:
        action._validate_action_result({"events": [{"event": "no_such_event"}]})
    assert "Failed to validate Action server response" in problem.value.message


def test_event_types_resolve_as_before_and_unknown_ones_still_fail():
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    speedups.install()
    for _ in range(2):  # looked up, then cached
        assert Event.resolve_by_type("user") is UserUttered
        assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("nope", default=ActionExecuted) is ActionExecuted
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("nope")
    restored = Event.from_parameters(UserUttered("hoi").as_dict())
    assert isinstance(restored, UserUttered) and restored.text == "hoi"
