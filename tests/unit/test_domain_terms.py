import pytest

from assistant.content.domain_terms import subject_of, term_groups


@pytest.mark.parametrize(
    ("value", "subject"),
    [
        ("hsct", "hsct"),
        ("cordblood", "cordblood"),
        ("Stamcel  Therapie", "hsct"),
        ("RRMS", "hsct"),
        ("navelstreng bloed", "cordblood"),
        ("Stamcelbank Nederland", "cordblood"),
        ("igj", None),
        ("iets anders", None),
        (None, None),
    ],
)
def test_subject_of(value, subject):
    assert subject_of(value) == subject


def test_every_term_belongs_to_one_group():
    seen: dict[str, str] = {}
    for group in term_groups():
        for term in group.terms:
            assert (
                term not in seen
            ), f"{term!r} is in {seen.get(term)} and {group.lemma}"
            seen[term] = group.lemma


def test_named_subjects_are_those_a_message_names_itself():
    from assistant.content.domain_terms import named_subjects

    def entity(value: str) -> dict:
        return {"entity": "subject", "value": value}

    assert named_subjects([entity("MS"), entity("navelstreng bloed")]) == {
        "hsct",
        "cordblood",
    }
    assert named_subjects([entity("spms"), entity("MS Vereniging")]) == set()
    assert named_subjects([{"entity": "other", "value": "ms"}]) == set()
