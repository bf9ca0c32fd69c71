import pytest

from assistant.content.catalogue import CLARIFY, NOT_IN_SOURCES, SUBJECTS
from assistant.content.topic_resolution import CONTEXT_QUESTIONS, resolve


@pytest.mark.parametrize(
    ("question", "subject", "last_topic", "topic"),
    [
        ("ask_reimbursement", "hsct", "hsct_what_is", "hsct_reimbursement"),
        ("ask_reimbursement", "cordblood", "cordblood_donation", NOT_IN_SOURCES),
        ("ask_abroad", "hsct", "hsct_risks", "hsct_abroad"),
        ("ask_abroad", "cordblood", None, "cordblood_export"),
        ("ask_why", "cordblood", "cordblood_own_storage", "cordblood_why"),
        ("ask_why", "cordblood", None, "cordblood_why"),
        ("ask_why", "hsct", "hsct_availability_nl", "hsct_reimbursement"),
        ("ask_why", "hsct", "hsct_ms_type", NOT_IN_SOURCES),
        ("ask_why", "cordblood", "wbmv_what_is", NOT_IN_SOURCES),
        (
            "ask_netherlands",
            "cordblood",
            "cordblood_own_storage",
            "cordblood_own_storage",
        ),
        ("ask_netherlands", "hsct", "hsct_abroad", "hsct_availability_nl"),
        ("ask_who_decides", "cordblood", "cordblood_own_storage", "cordblood_why"),
        ("ask_who_decides", "hsct", "hsct_candidates", "hsct_referral"),
        ("ask_who_decides", "hsct", "hsct_reimbursement", "hsct_referral"),
        ("ask_who_decides", "hsct", "hsct_policy", "hsct_policy"),
        ("ask_where", "hsct", "hsct_what_is", "hsct_centres"),
        ("ask_where", "hsct", "hsct_abroad", "hsct_abroad"),
        ("ask_where", "cordblood", "cordblood_donation", "cordblood_donation"),
        ("ask_since_when", "cordblood", "cordblood_why", "cordblood_guideline"),
        ("ask_since_when", "hsct", "hsct_availability_nl", "hsct_availability_nl"),
        ("ask_since_when", "hsct", "hsct_effect", "hsct_reimbursement"),
        ("ask_safety", "hsct", "hsct_procedure", "hsct_risks"),
        ("ask_safety", "cordblood", "cordblood_donation", NOT_IN_SOURCES),
        ("ask_effect", "hsct", "hsct_procedure", "hsct_effect"),
        ("ask_duration", "hsct", "hsct_procedure", NOT_IN_SOURCES),
        ("ask_alternative", "cordblood", "cordblood_own_storage", "cordblood_donation"),
        # the last topic of the other subject does not steer the answer
        ("ask_who_decides", "cordblood", "hsct_reimbursement", "cordblood_why"),
        (None, "hsct", None, "hsct_what_is"),
        (None, "cordblood", None, "cordblood_own_storage"),
    ],
)
def test_resolves_question_by_subject(question, subject, last_topic, topic):
    assert resolve(question, subject, last_topic).topic == topic


def test_every_follow_up_kind_has_an_answer_or_a_gap_for_both_subjects():
    for question in CONTEXT_QUESTIONS:
        for subject in SUBJECTS:
            assert resolve(question, subject).topic


def test_a_named_subject_is_a_question_of_its_own():
    # "waarom mag navelstrengbloed niet meer?" after the Wbmv answer
    assert resolve("ask_why", "cordblood", "wbmv_what_is").topic == NOT_IN_SOURCES
    named = resolve("ask_why", "cordblood", "wbmv_what_is", subject_named=True)
    assert named.topic == "cordblood_why"


def test_unknown_subject_asks_to_clarify_and_keeps_the_question():
    resolution = resolve("ask_reimbursement", None)
    assert resolution.topic == CLARIFY
    assert resolution.pending_question == "ask_reimbursement"
    assert not resolution.is_curated_answer


def test_curated_answers_are_marked_as_such():
    assert resolve("ask_abroad", "hsct").is_curated_answer
    assert not resolve("ask_reimbursement", "cordblood").is_curated_answer
