from pathlib import Path

import pytest
import spacy

BUILT = Path(__file__).resolve().parents[2] / "build" / "spacy_nl"


@pytest.fixture(scope="module")
def nlp():
    assert BUILT.exists(), "run `make spacy` first (make test does)"
    return spacy.load(BUILT)


def test_split_compound_becomes_one_token_with_canonical_lemma(nlp):
    doc = nlp("wordt stamcel therapie vergoed")
    assert [t.lemma_ for t in doc] == ["worden", "stamceltherapie", "vergoeden"]


def test_abbreviations_share_the_lemma_of_the_full_term(nlp):
    assert nlp("hsct")[0].lemma_ == nlp("stamceltransplantatie")[0].lemma_


def test_subject_entities_carry_their_subject(nlp):
    doc = nlp("mag ik navelstrengbloed bewaren of is rrms beter")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("navelstrengbloed", "subject", "cordblood"),
        ("rrms", "subject", "hsct"),
    ]


def test_organisations_are_terms_not_subjects(nlp):
    doc = nlp("wat zegt de inspectie gezondheidszorg en jeugd")
    assert [(e.label_, e.ent_id_) for e in doc.ents] == [("term", "igj")]


def test_dutch_lookup_lemmas(nlp):
    assert [t.lemma_ for t in nlp("stamcellen risico's")] == ["stamcel", "risico"]
