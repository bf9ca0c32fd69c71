"""Measures the B1 limits of curated answers: short sentences, short text."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_AVERAGE_SENTENCE_WORDS = 12
MAX_SENTENCE_WORDS = 20
MAX_ANSWER_WORDS = 110

_LIST_MARKER = re.compile(r"^\s*(?:\d+\.|[-*•])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[.!?]$")
_WORD = re.compile(r"[\w'’()-]*\w[\w'’()-]*")
_PLACEHOLDER = re.compile(r"\{\w+\}")


@dataclass(frozen=True)
class Readability:
    """Word and sentence counts of an answer."""

    words: int
    sentences: tuple[int, ...]

    @property
    def average_sentence_words(self) -> float:
        """Average number of words per sentence."""
        return self.words / len(self.sentences) if self.sentences else 0.0


def sentences(text: str) -> list[str]:
    """Split an answer into sentences; each line and each list item stands alone."""
    found: list[str] = []
    for line in text.splitlines():
        line = _LIST_MARKER.sub("", _PLACEHOLDER.sub("", line)).strip()
        found += [s.strip() for s in _SENTENCE_END.split(line) if s and s.strip()]
    return found


def measure(text: str) -> Readability:
    """Count words per sentence in an answer body (without its source line)."""
    counts = tuple(len(_WORD.findall(s)) for s in sentences(text))
    counts = tuple(c for c in counts if c)
    return Readability(words=sum(counts), sentences=counts)


def problems(text: str) -> list[str]:
    """List the B1 limits an answer body breaks, in words a writer can act on."""
    result = measure(text)
    found = []
    if result.words > MAX_ANSWER_WORDS:
        found.append(f"{result.words} words (max {MAX_ANSWER_WORDS})")
    if result.average_sentence_words > MAX_AVERAGE_SENTENCE_WORDS:
        found.append(
            f"average sentence {result.average_sentence_words:.1f} words "
            f"(max {MAX_AVERAGE_SENTENCE_WORDS})"
        )
    for sentence in sentences(text):
        if len(_WORD.findall(sentence)) > MAX_SENTENCE_WORDS:
            found.append(f"sentence over {MAX_SENTENCE_WORDS} words: {sentence!r}")
    return found
