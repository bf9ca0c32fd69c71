import pytest

from assistant.topic_resolution import CLARIFY, NOT_IN_SOURCES, resolve


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
        (None, "hsct", None, "hsct_what_is"),
        (None, "cordblood", None, "cordblood_own_storage"),
    ],
)
def test_resolves_question_by_subject(question, subject, last_topic, topic):
    assert resolve(question, subject, last_topic).topic == topic


def test_unknown_subject_asks_to_clarify_and_keeps_the_question():
    resolution = resolve("ask_reimbursement", None)
    assert resolution.topic == CLARIFY
    assert resolution.pending_question == "ask_reimbursement"
    assert not resolution.is_curated_answer


def test_curated_answers_are_marked_as_such():
    assert resolve("ask_abroad", "hsct").is_curated_answer
    assert not resolve("ask_reimbursement", "cordblood").is_curated_answer
