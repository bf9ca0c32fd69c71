from pathlib import Path

from tools.evaluation.evaluate import (
    KEPT_BLIND,
    SETS,
    Report,
    Result,
    Turn,
    markdown,
    normalised,
    payload_topic,
    topic_of,
)


def result(expect, topic, confidence=1.0, seen=False):
    return Result(Turn("x", tuple(expect), in_training_data=seen), topic, confidence)


def test_topic_of_response_names():
    assert topic_of("utter_hsct_effect") == "hsct_effect"
    assert topic_of("utter_faq/hsct_effect") == "hsct_effect"
    assert topic_of(None) == "no_answer"


def test_rates():
    report = Report(
        [
            result(["hsct_effect"], "hsct_effect"),
            result(["hsct_effect"], "hsct_risks"),  # wrong content
            result(["hsct_effect"], "fallback"),  # honest, not wrong
            result(["out_of_scope", "fallback"], "out_of_scope"),
        ]
    )
    assert report.accuracy == 0.5
    assert report.wrong_content_rate == 0.25
    assert report.fallback_rate == 0.25
    assert report.misses()[("hsct_effect", "hsct_risks")] == 1


def test_higher_threshold_turns_unsure_answers_into_fallback():
    report = Report([result(["hsct_effect"], "hsct_risks", confidence=0.55)])
    assert report.at_threshold(0.5).wrong_content_rate == 1.0
    assert report.at_threshold(0.6).results[0].topic == "fallback"


def test_unseen_drops_training_examples():
    report = Report([result(["greet"], "greet", seen=True), result(["x"], "y")])
    assert len(report.unseen.results) == 1


def test_normalised():
    assert normalised("Wordt HSCT vergoed??") == "wordt hsct vergoed"


def test_suggestions_count_as_offered_not_as_answered():
    offered = Result(
        Turn("x", ("hsct_referral",), style="long"),
        "suggest",
        offered=("hsct_referral", "something_else"),
    )
    missed = Result(Turn("y", ("hsct_risks",), style="short"), "suggest", offered=())
    report = Report([offered, missed, result(["greet"], "greet")])
    assert report.accuracy == 1 / 3
    assert report.wrong_content_rate == 0.0  # a question back is never wrong content
    assert report.answered_or_offered == 2 / 3
    assert report.suggest_hit_rate == 0.5
    assert set(report.by_style()) == {"long", "short"}


def test_kennisbank_top3_and_payload_topics():
    hit = Result(
        Turn("x", ("hsct_referral",)), "fallback", kennisbank=("hsct_referral",)
    )
    assert Report([hit, result(["x"], "y")]).kennisbank_top3() == 0.5
    assert payload_topic("/hsct_referral") == "hsct_referral"
    assert payload_topic('/ask_why{"subject":"cordblood"}') == "cordblood_why"


def test_the_final_set_is_reported_without_its_texts():
    missed = Result(Turn("een geheime vraag", ("hsct_risks",)), "hsct_effect")
    report = Report([missed])
    kept = markdown(report, Path("m.tar.gz"), "t", examples=False)
    shown = markdown(report, Path("m.tar.gz"), "t")
    assert "| hsct_risks | hsct_effect | 1 | (text left out" in kept
    assert "een geheime vraag" not in kept and "een geheime vraag" in shown
    assert SETS[0][0] in KEPT_BLIND and SETS[0][2].exists()
