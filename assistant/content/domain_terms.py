"""The domain's term groups: canonical lemmas and which subject a term signals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.content.catalogue import SUBJECTS

TERMS_FILE = Path(__file__).with_name("domain_terms.yml")


@dataclass(frozen=True)
class TermGroup:
    """Spellings of one domain term, its canonical lemma and optional subject."""

    lemma: str
    terms: tuple[str, ...]
    subject: str | None = None


@lru_cache(maxsize=1)
def term_groups(path: Path = TERMS_FILE) -> tuple[TermGroup, ...]:
    """Load the term groups from the YAML file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
    return tuple(
        TermGroup(
            lemma=g["lemma"],
            terms=tuple(t.lower() for t in g["terms"]),
            subject=g.get("subject"),
        )
        for g in raw
    )


def subject_of(value: str | None) -> str | None:
    """Return the subject id (one of SUBJECTS) a slot value or term points to."""
    if not value:
        return None
    text = " ".join(value.lower().split())
    if text in SUBJECTS:
        return text
    for group in term_groups():
        if group.subject and (text == group.lemma or text in group.terms):
            return group.subject
    return None


# The groups whose terms name a subject itself, not a kind of MS or an organisation.
_SUBJECT_NAMES = frozenset({"stamceltherapie", "ms", "navelstrengbloed"})


def is_subject_name(value: str | None) -> bool:
    """Tell whether a term names one of our subjects ("ms", "hsct"; not "spms")."""
    text = " ".join((value or "").lower().split())
    return "vereniging" not in text and any(
        group.lemma in _SUBJECT_NAMES and text in group.terms for group in term_groups()
    )


def named_subjects(entities: Iterable[Mapping[str, Any]]) -> set[str]:
    """Return the subjects that a message's `subject` entities name themselves."""
    return {
        subject
        for e in entities
        if e.get("entity") == "subject" and is_subject_name(e.get("value"))
        for subject in [subject_of(e.get("value"))]
        if subject
    }
