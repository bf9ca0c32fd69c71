"""A second opinion for "Bedoelt u ...?": the intents whose examples look most alike.

DIET reads a long message as one whole, so the words that carry its question can drown
in the story around it. This ranker compares the message's character n-grams with
every training example and ranks intents by their closest example. It never decides
an answer: its ranking (`lexical_ranking` in the parse data) only helps choose the
buttons offered when the classifier is unsure (assistant/content/suggestions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.content.suggestions import LEXICAL_RANKING
from assistant.nlu import stored

_INDEX_FILE = "lexical_index.joblib"
# Intents no button can stand for: never worth a place in the ranking.
_SKIPPED = frozenset({"nlu_fallback", "emergency"})


@dataclass
class LexicalIndex:
    """Character n-gram TF-IDF vectors of the training examples, with their intents.

    `matrix` holds one column per example (features x examples), so that scoring a
    message is one sparse row times the matrix.
    """

    intents: list[str] = field(default_factory=list)
    vectorizer: Any = None
    matrix: Any = None

    def fit(self, texts: list[str], intents: list[str]) -> LexicalIndex:
        """Index the examples (texts[i] is an example of intents[i])."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
        )
        self.matrix = self.vectorizer.fit_transform(texts).T.tocsr()
        self.intents = list(intents)
        return self

    def rank(self, text: str, limit: int = 10) -> list[dict[str, Any]]:
        """Return up to `limit` intents, best first, scored by their closest example."""
        if self.vectorizer is None or not text.strip():
            return []
        scores = (self.vectorizer.transform([text]) @ self.matrix).toarray().ravel()
        best: dict[str, float] = {}
        for row in scores.argsort()[::-1]:
            if scores[row] <= 0.0 or len(best) == limit:
                break
            best.setdefault(self.intents[row], round(float(scores[row]), 4))
        return [{"name": name, "confidence": score} for name, score in best.items()]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class LexicalRanker(GraphComponent):
    """Adds `lexical_ranking` to each message; leaves the predicted intent alone."""

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, index: LexicalIndex
    ) -> None:
        """Create the component around an index (empty until trained)."""
        self.model_storage = model_storage
        self.resource = resource
        self.index = index

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LexicalRanker:
        """Create an untrained component."""
        return cls(model_storage, resource, LexicalIndex())

    def train(self, training_data: TrainingData) -> Resource:
        """Index every intent example and store the index with the model."""
        examples = [
            (m.get(TEXT), m.get(INTENT))
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT) not in _SKIPPED
        ]
        self.index = LexicalIndex().fit(
            [text for text, _ in examples], [intent for _, intent in examples]
        )
        stored.save(self.model_storage, self.resource, _INDEX_FILE, self.index)
        return self.resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LexicalRanker:
        """Load the trained index; without one the ranking stays empty."""
        index = stored.load(model_storage, resource, _INDEX_FILE) or LexicalIndex()
        return cls(model_storage, resource, index)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave training data unchanged."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Rank intents by look-alike examples for every message."""
        for message in messages:
            ranking = self.index.rank(message.get(TEXT) or "")
            message.set(LEXICAL_RANKING, ranking, add_to_output=True)
        return messages
