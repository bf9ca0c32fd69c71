"""What one evaluation run found: turns, the answers to them, and their shares."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from assistant.content.catalogue import FALLBACK, NON_CONTENT, SUGGEST

# The topic of a turn the assistant gave no response to.
NO_ANSWER = "no_answer"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# Shown instead of a missed message of a set kept blind.
BLIND_TEXT = "(text left out: the set stays blind)"
# Answers that can be unhelpful, never wrong content: no curated content, or none.
_NEVER_WRONG = NON_CONTENT | {NO_ANSWER}


@dataclass(frozen=True)
class Turn:
    """One user message with the topics that count as a right answer."""

    text: str
    expect: tuple[str, ...]
    conversation: str | None = None
    in_training_data: bool = False
    style: str = "short"


@dataclass
class Result:
    """What the assistant answered to one turn."""

    turn: Turn
    topic: str
    confidence: float = 1.0
    kennisbank: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()  # topics of the "Bedoelt u ...?" buttons

    @property
    def offered_right(self) -> bool:
        """The answer asked "Bedoelt u ...?" with an expected topic as a button."""
        return self.topic == SUGGEST and bool(set(self.turn.expect) & set(self.offered))

    @property
    def right(self) -> bool:
        """The answer is one of the expected topics."""
        return self.topic in self.turn.expect

    @property
    def wrong_content(self) -> bool:
        """A curated content answer on a topic that was not asked."""
        return not self.right and self.topic not in _NEVER_WRONG


@dataclass
class Report:
    """Aggregated results of one evaluation run."""

    results: list[Result] = field(default_factory=list)

    def rate(self, predicate) -> float:  # noqa: ANN001
        """Share of turns for which the predicate holds."""
        return sum(predicate(r) for r in self.results) / max(len(self.results), 1)

    @property
    def accuracy(self) -> float:
        """Share of turns answered with an expected topic."""
        return self.rate(lambda r: r.right)

    @property
    def wrong_content_rate(self) -> float:
        """Share of turns answered with curated content that was not asked for."""
        return self.rate(lambda r: r.wrong_content)

    @property
    def fallback_rate(self) -> float:
        """Share of turns answered with the honest fallback."""
        return self.rate(lambda r: r.topic == FALLBACK)

    @property
    def unseen(self) -> Report:
        """Only the turns whose text is not also a training example."""
        return Report([r for r in self.results if not r.turn.in_training_data])

    def at_threshold(self, threshold: float) -> Report:
        """The answers had the fallback threshold been higher (never lower)."""
        return Report(
            [
                Result(
                    r.turn,
                    FALLBACK if r.confidence < threshold else r.topic,
                    r.confidence,
                )
                for r in self.results
            ]
        )

    @property
    def answered_or_offered(self) -> float:
        """Share of turns answered right or offered the right topic as a button."""
        return self.rate(lambda r: r.right or r.offered_right)

    @property
    def suggest_hit_rate(self) -> float:
        """Of the "Bedoelt u ...?" turns, the share with an expected topic offered."""
        asked = [r for r in self.results if r.topic == SUGGEST]
        return sum(r.offered_right for r in asked) / max(len(asked), 1)

    def kennisbank_top3(self) -> float:
        """Share of turns whose expected topic is among the kennisbank's top 3."""
        return self.rate(lambda r: bool(set(r.turn.expect) & set(r.kennisbank)))

    def by_style(self) -> dict[str, Report]:
        """Split the results by the style of the turn (short, long, staff, ...)."""
        styles: dict[str, Report] = {}
        for result in self.results:
            styles.setdefault(result.turn.style, Report()).results.append(result)
        return dict(sorted(styles.items()))

    def misses(self) -> Counter[tuple[str, str]]:
        """Count (expected, given) pairs of wrong answers."""
        return Counter(
            ("/".join(r.turn.expect), r.topic) for r in self.results if not r.right
        )
