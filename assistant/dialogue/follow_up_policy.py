"""A Rasa policy that asks "Bedoelt u ...?" instead of guessing a follow-up's topic.

It runs beside the RulePolicy with a higher priority and predicts nothing, except:
after a curated answer, a curated intent below `threshold` gets
`action_suggest_topics` (the rules would have answered it), and that action is
followed by listening. Right after the crisis answer it predicts nothing: the crisis
rules decide (`action_answer_after_crisis`). The decision is
`assistant.dialogue.unsure_follow_up`.
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.content.domain_terms import named_subjects
from assistant.dialogue.unsure_follow_up import (
    FOLLOW_UP_THRESHOLD,
    asks_instead,
    slot_before_latest_message,
)

SUGGEST_ACTION = "action_suggest_topics"
CRISIS_ANSWER = "utter_emergency"
LAST_TOPIC_SLOT = "last_topic"


def answer_before_latest_message(tracker: DialogueStateTracker) -> str | None:
    """Return the last action before the latest user message other than listening."""
    seen_user = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            seen_user = True
        elif seen_user and isinstance(event, ActionExecuted):
            if event.action_name != ACTION_LISTEN_NAME:
                return event.action_name
    return None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT],
    is_trainable=False,
)
class UnsureFollowUpPolicy(Policy):
    """Offers the likely topics of an unsure follow-up instead of one answer."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the confidence a follow-up needs, and a priority above the rules'."""
        return {"threshold": FOLLOW_UP_THRESHOLD, "priority": RULE_POLICY_PRIORITY + 1}

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Learn nothing: the policy has no state."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Predict asking about an unsure follow-up, then listening, or nothing."""
        probabilities = self._default_predictions(domain)
        action = self._next_action(tracker)
        if action:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    def _next_action(self, tracker: DialogueStateTracker) -> str | None:
        """Return the action this policy insists on, if any."""
        if tracker.latest_action_name == SUGGEST_ACTION:
            return ACTION_LISTEN_NAME
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        if answer_before_latest_message(tracker) == CRISIS_ANSWER:
            return None  # the crisis rules decide what follows the crisis answer
        message = tracker.latest_message
        intent = message.intent if message else {}
        named = bool(named_subjects(message.entities if message else []))
        events = [event.as_dict() for event in tracker.events]
        previous = slot_before_latest_message(events, LAST_TOPIC_SLOT)
        confidence = float(intent.get("confidence") or 0.0)
        threshold = float(self.config["threshold"])
        if asks_instead(intent.get("name"), confidence, previous, named, threshold):
            return SUGGEST_ACTION
        return None
