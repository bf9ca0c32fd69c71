from assistant.evaluate import Report, Result, Turn, normalised, topic_of


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
