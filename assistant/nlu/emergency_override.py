"""Rasa NLU components of the safety layer: the crisis override and the scope guard.

Both run after the intent classifier and the FallbackClassifier. The scope guard sends
near misses (another disease, another pregnancy topic, someone living abroad) to
`out_of_scope` or `other_country` instead of a curated answer that shares words. The
crisis override comes last: a crisis found by the lexicon or the crisis classifier
(assistant/nlu/crisis.py) becomes the `emergency` intent, whatever else the
message says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.content.catalogue import (
    NOT_IN_SOURCES,
    PERSONAL_ADVICE,
    subject_of_topic,
)
from assistant.content.domain_terms import is_subject_name, named_subjects
from assistant.content.topic_resolution import is_curated
from assistant.nlu import stored
from assistant.nlu.crisis import (
    DEFAULT_THRESHOLD,
    DEFAULT_TRAINING_DATA,
    CrisisClassifier,
    CrisisDetector,
    train_classifier,
)
from assistant.nlu.scope_guard import (
    OTHER_COUNTRY,
    names_another_country,
    names_only_a_subject,
    redirect,
)
from assistant.nlu.small_talk import closing_intent

EMERGENCY_INTENT = "emergency"
FALLBACK_INTENT = "nlu_fallback"
ABROAD_INTENT = "ask_abroad"
CHOOSE_SUBJECT_INTENT = "choose_subject"
_MODEL_FILE = "crisis_classifier.joblib"
# Not curated, wrong for another condition: "Bedoelt u ...?", "ask your neurologist",
# "my sources say nothing about it"
_GUARDED_TOO = frozenset({FALLBACK_INTENT, PERSONAL_ADVICE, NOT_IN_SOURCES})


def set_top_intent(message: Message, name: str) -> None:
    """Make `name` the message's intent with full confidence, keeping the ranking."""
    top = {"name": name, "confidence": 1.0}
    ranking = [
        r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name
    ]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)


def demote(message: Message, name: str) -> None:
    """Drop intent `name`: the prediction becomes unsure ("Bedoelt u ...?")."""
    ranking = [
        r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name
    ]
    unsure = {"name": FALLBACK_INTENT, "confidence": 1.0}
    message.set(INTENT, unsure, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def subject_spans(message: Message) -> list[tuple[int, int]]:
    """Return where the message names a subject itself ("ms", not "spms")."""
    return [
        (int(e["start"]), int(e["end"]))
        for e in message.get(ENTITIES) or []
        if e.get("entity") == "subject" and is_subject_name(e.get("value"))
    ]


def names_the_other_subject(message: Message, intent: str) -> bool:
    """Tell whether a message names one subject and the intent is another's topic."""
    named = named_subjects(message.get(ENTITIES) or [])
    topic_subject = subject_of_topic(intent)
    return len(named) == 1 and topic_subject is not None and topic_subject not in named


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class ScopeGuard(GraphComponent):
    """Turns a content intent into out_of_scope / other_country for near misses.

    A message that only names one of our subjects ("voor ms") is a choice of subject,
    and one that only thanks or says goodbye ("oké bedankt doei") is that, whatever
    the classifier made of them. A topic of the other subject than the one a message
    names becomes unsure ("Bedoelt u ...?").
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ScopeGuard:
        """Create the component (it has no state)."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave training data unchanged."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Redirect near misses, unsure too; keep `other_country` for who is abroad."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name") or ""
            target = redirect(message.get(TEXT))
            closing = closing_intent(message.get(TEXT))
            if names_only_a_subject(message.get(TEXT), subject_spans(message)):
                set_top_intent(message, CHOOSE_SUBJECT_INTENT)
            elif closing:
                set_top_intent(message, closing)
            elif names_the_other_subject(message, intent):
                demote(message, intent)  # "ik heb ms ..." -> a cord-blood topic?
            elif intent == OTHER_COUNTRY and target != OTHER_COUNTRY:
                if names_another_country(message.get(TEXT)):
                    set_top_intent(message, ABROAD_INTENT)  # "opslaan in België?"
                else:
                    demote(message, OTHER_COUNTRY)  # no sign of living abroad
            elif target and (is_curated(intent) or intent in _GUARDED_TOO):
                set_top_intent(message, target)  # not ours: no "Bedoelt u ...?"
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class EmergencyOverride(GraphComponent):
    """Sets the intent to `emergency` with full confidence when a crisis is found."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the crisis training data file and the classifier's threshold."""
        return {
            "crisis_data": str(DEFAULT_TRAINING_DATA),
            "threshold": DEFAULT_THRESHOLD,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: CrisisClassifier | None = None,
    ) -> None:
        """Create the component around a (possibly untrained) crisis classifier."""
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.detector = CrisisDetector(classifier)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmergencyOverride:
        """Create an untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Train the crisis classifier on the crisis data file and store it."""
        path = Path(self.config["crisis_data"])
        classifier = train_classifier(path, float(self.config["threshold"]))
        self.detector = CrisisDetector(classifier)
        stored.save(self.model_storage, self.resource, _MODEL_FILE, classifier.model)
        return self.resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmergencyOverride:
        """Load the trained crisis classifier; without one, the lexicon still works."""
        model = stored.load(model_storage, resource, _MODEL_FILE)
        classifier = None
        if model is not None:
            classifier = CrisisClassifier(float(config["threshold"]), model)
        return cls(config, model_storage, resource, classifier)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave training data unchanged."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Override the predicted intent of every message that signals a crisis."""
        for message in messages:
            if self.detector.is_crisis(message.get(TEXT)):
                set_top_intent(message, EMERGENCY_INTENT)
        return messages
