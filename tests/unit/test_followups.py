"""Follow-up buttons and the welcome buttons: each leads to exactly its answer."""

import pytest

from assistant.content.catalogue import is_content_topic, topic_of
from assistant.content.suggestions import payload_for, payload_topic


def topic_of_payload(payload: str) -> str:
    """Return the topic a domain button's payload (braces escaped) leads to."""
    return payload_topic(payload.replace("{{", "{").replace("}}", "}"))


def content_responses(domain):
    return {
        topic_of(name): variants[0]
        for name, variants in domain["responses"].items()
        if is_content_topic(topic_of(name))
    }


def test_every_content_answer_has_a_plain_question_label(domain):
    for topic, variant in content_responses(domain).items():
        question = (variant.get("metadata") or {}).get("question", "")
        assert question.endswith("?"), topic


def test_every_content_answer_offers_two_or_three_next_questions(domain):
    for topic, variant in content_responses(domain).items():
        buttons = variant.get("buttons") or []
        assert 1 <= len(buttons) <= 3, topic
        if topic != "wbmv_what_is":  # only one related answer exists there
            assert len(buttons) >= 2, topic


def test_a_follow_up_button_is_labelled_with_its_answer_s_question(domain):
    answers = content_responses(domain)
    for name, variants in domain["responses"].items():
        for button in variants[0].get("buttons") or []:
            if button["payload"].startswith("/choose_subject"):
                continue
            target = topic_of_payload(button["payload"])
            assert target in answers, (name, button)
            assert target != topic_of(name), name
            assert button["title"] == answers[target]["metadata"]["question"], name
            expected = payload_for(target).replace(" ", "")
            assert button["payload"].replace("{{", "{").replace("}}", "}") == expected


@pytest.mark.parametrize(
    "topic",
    [
        "hsct_what_is",
        "hsct_effect",
        "hsct_risks",
        "hsct_reimbursement",
        "hsct_referral",
        "cordblood_own_storage",
        "cordblood_donation",
        "cordblood_why",
    ],
)
def test_the_welcome_offers_the_most_asked_questions(domain, topic):
    buttons = domain["responses"]["utter_greet"][0]["buttons"]
    assert topic in {topic_of_payload(b["payload"]) for b in buttons}
