"""Unsure follow-ups: the decision, the slots before a message, and the policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.dialogue.follow_up_policy import UnsureFollowUpPolicy
from assistant.dialogue.unsure_follow_up import asks_instead, slot_before_latest_message

ROOT = Path(__file__).resolve().parents[2]


def test_a_curated_follow_up_below_the_threshold_is_asked_about() -> None:
    assert asks_instead("cordblood_guideline", 0.82, "cordblood_why")
    assert asks_instead("ask_who_decides", 0.7, "hsct_policy")


def test_a_sure_follow_up_a_first_question_and_small_talk_are_answered() -> None:
    assert not asks_instead("cordblood_guideline", 0.9, "cordblood_why")
    assert not asks_instead("cordblood_guideline", 0.7, None)
    assert not asks_instead("thanks", 0.5, "cordblood_why")
    assert not asks_instead("emergency", 0.5, "hsct_risks")
    assert not asks_instead(None, 0.0, "hsct_risks")


def test_a_follow_up_that_names_its_subject_is_a_question_of_its_own() -> None:
    assert not asks_instead("hsct_centres", 0.77, "hsct_risks", names_subject=True)


def test_the_slot_before_the_latest_message_is_the_one_its_intent_replaced() -> None:
    events = [
        {"event": "user", "text": "waarom mag het niet meer?"},
        {"event": "slot", "name": "last_topic", "value": "cordblood_why"},
        {"event": "bot", "text": "..."},
        {"event": "user", "text": "wanneer was die uitspraak?"},
        {"event": "slot", "name": "last_topic", "value": "cordblood_guideline"},
    ]
    assert slot_before_latest_message(events, "last_topic") == "cordblood_why"
    assert slot_before_latest_message(events, "subject") is None
    assert slot_before_latest_message(events[:2], "last_topic") is None
    restarted = [*events[:3], {"event": "restart"}, *events[3:]]
    assert slot_before_latest_message(restarted, "last_topic") is None


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture()
def policy(tmp_path: Path) -> UnsureFollowUpPolicy:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    config = UnsureFollowUpPolicy.get_default_config()
    return UnsureFollowUpPolicy.create(config, storage, Resource("p"), context)


def tracker(
    intent: str,
    confidence: float,
    before: str | None,
    entities: tuple = (),
    answer: str | None = None,
) -> DialogueStateTracker:
    """A conversation whose last message has `intent`, after an answer on `before`."""
    events = [ActionExecuted("action_listen")]
    if before:
        events += [
            UserUttered("eerste vraag", {"name": before, "confidence": 0.99}),
            SlotSet("last_topic", before),
            ActionExecuted(answer or f"utter_{before}"),
            BotUttered("antwoord"),
            ActionExecuted("action_listen"),
        ]
    events += [
        UserUttered(
            "en wanneer was dat?",
            {"name": intent, "confidence": confidence},
            list(entities),
        ),
        SlotSet("last_topic", intent),
    ]
    return DialogueStateTracker.from_events("test", events)


def predicted(policy: UnsureFollowUpPolicy, tracker, domain: Domain) -> str | None:
    """Return the action the policy insists on, or None when it predicts nothing."""
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence == 0.0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_the_policy_asks_about_an_unsure_follow_up_then_listens(policy, domain) -> None:
    unsure = tracker("cordblood_guideline", 0.82, "cordblood_why")
    assert predicted(policy, unsure, domain) == "action_suggest_topics"
    unsure.update(ActionExecuted("action_suggest_topics"))
    assert predicted(policy, unsure, domain) == "action_listen"
    assert policy.priority > 4  # above the RulePolicy, which would answer


def test_the_policy_leaves_sure_and_first_questions_to_the_rules(
    policy, domain
) -> None:
    assert (
        predicted(policy, tracker("cordblood_guideline", 0.9, "cordblood_why"), domain)
        is None
    )
    assert predicted(policy, tracker("cordblood_guideline", 0.7, None), domain) is None
    assert predicted(policy, tracker("thanks", 0.5, "cordblood_why"), domain) is None
    ms = ({"entity": "subject", "value": "ms", "start": 0, "end": 2},)
    named = tracker("hsct_centres", 0.77, "hsct_risks", ms)
    assert predicted(policy, named, domain) is None


def test_after_the_crisis_answer_the_crisis_rules_decide(policy, domain) -> None:
    crisis = tracker("hsct_abroad", 0.74, "hsct_risks", answer="utter_emergency")
    assert predicted(policy, crisis, domain) is None
