"""Builds the project's own Dutch spaCy pipeline (no pretrained Dutch model here).

The pipeline is `spacy.blank("nl")` plus:
- a lookup lemmatizer with the Dutch tables of `spacy-lookups-data`;
- an entity ruler that tags domain terms (RRMS, navelstrengbloed, IGJ, ...);
- `merge_entities`, so a split compound such as "stamcel therapie" becomes one token;
- an attribute ruler that gives every spelling of a term its canonical lemma.

Usage: python -m assistant.nlu.spacy_pipeline OUTPUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler, EntityRuler

from assistant.content.domain_terms import term_groups

PIPELINE_NAME = "nl_stamcel_assistent"


def build_pipeline() -> Language:
    """Create and initialise the Dutch pipeline in memory."""
    nlp = spacy.blank("nl")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank Dutch + lookup lemmas + domain term rules"
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = cast(
        EntityRuler,
        nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"}),
    )
    nlp.add_pipe("merge_entities")
    attributes = cast(AttributeRuler, nlp.add_pipe("attribute_ruler"))
    nlp.initialize()

    ruler.add_patterns(
        [
            {
                "label": "subject" if group.subject else "term",
                "pattern": term,
                "id": group.subject or group.lemma,
            }
            for group in term_groups()
            for term in group.terms
        ]
    )
    for group in term_groups():
        attributes.add(
            patterns=[[{"LOWER": {"IN": list(group.terms)}}]],
            attrs={"LEMMA": group.lemma},
        )
    return nlp


def main(argv: list[str]) -> int:
    """Build the pipeline and write it to the directory given on the command line."""
    if len(argv) != 2:
        print(
            "usage: python -m assistant.nlu.spacy_pipeline OUTPUT_DIR", file=sys.stderr
        )
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(out)
    print(f"Dutch spaCy pipeline written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
