import json

from assistant.content.suggestions import payload_for, payload_topic, suggest


def ranking(*pairs):
    return [{"name": name, "confidence": conf} for name, conf in pairs]


def test_offers_the_best_content_topics_in_order():
    found = suggest(
        ranking(
            ("nlu_fallback", 0.6),
            ("hsct_referral", 0.4),
            ("greet", 0.2),
            ("hsct_candidates", 0.2),
            ("hsct_centres", 0.1),
            ("hsct_risks", 0.05),
        )
    )
    assert found == ["hsct_referral", "hsct_candidates", "hsct_centres"]


def test_a_context_question_is_resolved_with_the_subject():
    found = suggest(ranking(("ask_who_decides", 0.5)), subject="cordblood")
    assert found == ["cordblood_why"]


def test_without_a_subject_a_context_question_offers_both_subjects():
    found = suggest(ranking(("ask_abroad", 0.5)))
    assert found == ["hsct_abroad", "cordblood_export"]


def test_gaps_in_the_sources_are_never_offered():
    assert suggest(ranking(("ask_duration", 0.5)), subject="hsct") == []


def test_noise_is_not_offered():
    assert suggest(ranking(("hsct_risks", 0.01))) == []


def test_payloads_lead_to_exactly_the_topic():
    assert payload_for("hsct_referral") == "/hsct_referral"
    intent, entities = payload_for("cordblood_why").split("{", 1)
    assert intent == "/ask_why"
    assert json.loads("{" + entities) == {"subject": "cordblood"}


def test_payload_topics_are_the_topics_the_buttons_lead_to():
    assert payload_topic("/hsct_referral") == "hsct_referral"
    assert payload_topic('/ask_why{"subject":"cordblood"}') == "cordblood_why"
    assert payload_topic('/ask_abroad{"subject":"hsct"}') == "hsct_abroad"


def test_look_alikes_fill_the_places_after_the_classifier_s_best_guess():
    found = suggest(
        ranking(("hsct_what_is", 0.3), ("hsct_ms_type", 0.2), ("hsct_risks", 0.1)),
        lexical=ranking(("hsct_referral", 0.5), ("greet", 0.4), ("hsct_centres", 0.3)),
    )
    assert found == ["hsct_what_is", "hsct_referral", "hsct_centres"]


def test_look_alikes_alone_offer_nothing():
    assert (
        suggest(ranking(("hsct_risks", 0.01)), lexical=ranking(("hsct_risks", 0.9)))
        == []
    )


def test_the_helpline_and_the_sources_can_be_offered():
    found = suggest(ranking(("helpline", 0.4), ("sources", 0.3), ("scope", 0.2)))
    assert found == ["helpline", "sources"]


def test_topics_of_the_subject_the_message_names_go_first():
    found = suggest(
        ranking(
            ("cordblood_donation", 0.3), ("hsct_candidates", 0.2), ("helpline", 0.1)
        ),
        named_subject="hsct",
    )
    assert found == ["hsct_candidates", "helpline", "cordblood_donation"]
