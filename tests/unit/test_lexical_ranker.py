"""The look-alike ranking that helps choose "Bedoelt u ...?" buttons."""

from assistant.nlu.lexical_ranker import LexicalIndex

EXAMPLES = [
    ("wordt stamceltherapie vergoed door de zorgverzekeraar", "hsct_reimbursement"),
    ("betaalt mijn verzekering de behandeling", "hsct_reimbursement"),
    ("in welk ziekenhuis kan ik terecht voor stamceltherapie", "hsct_centres"),
    (
        "mag ik het navelstrengbloed van mijn baby laten bewaren",
        "cordblood_own_storage",
    ),
    ("hallo", "greet"),
]


def index() -> LexicalIndex:
    return LexicalIndex().fit([t for t, _ in EXAMPLES], [i for _, i in EXAMPLES])


def test_the_intent_of_the_closest_example_comes_first():
    story = (
        "mijn man heeft al jaren ms en de medicijnen helpen niet meer, "
        "we zijn op zoek naar iets anders. vergoedt de verzekeraar stamceltherapie?"
    )
    ranking = index().rank(story)
    assert ranking[0]["name"] == "hsct_reimbursement"


def test_each_intent_appears_once_best_first():
    ranking = index().rank("navelstrengbloed bewaren in het ziekenhuis")
    names = [r["name"] for r in ranking]
    assert len(names) == len(set(names))
    scores = [r["confidence"] for r in ranking]
    assert scores == sorted(scores, reverse=True)


def test_limit_and_empty_input():
    assert len(index().rank("stamceltherapie ziekenhuis", limit=2)) <= 2
    assert index().rank("   ") == []
    assert LexicalIndex().rank("vergoed?") == []
