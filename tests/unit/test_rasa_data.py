"""Consistency of the Rasa data: every response is reachable, every intent answered."""

from pathlib import Path

import yaml

from assistant.content.topic_resolution import (
    CONTEXT_QUESTIONS,
    SUBJECT_DEFAULT,
    resolve,
)

ROOT = Path(__file__).resolve().parents[2]
ACTION_RESPONSES = {
    "utter_helpline",
    "utter_sources",
    "utter_clarify",
    "utter_not_in_sources",
    "utter_suggest",
    "utter_fallback",
    "utter_something_else",
}


def rule_actions():
    actions = set()
    for path in (ROOT / "data" / "rules").glob("*.yml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            actions |= {s["action"] for s in rule["steps"] if "action" in s}
    return actions


def resolved_responses():
    topics = set(SUBJECT_DEFAULT.values())
    for question in CONTEXT_QUESTIONS:
        for subject in SUBJECT_DEFAULT:
            for last in (None, "hsct_policy", "cordblood_guideline"):
                topics.add(resolve(question, subject, last).topic)
    return {f"utter_{t}" for t in topics}


def test_every_response_is_used(domain):
    used = rule_actions() | resolved_responses() | ACTION_RESPONSES
    unused = set(domain["responses"]) - used
    assert not unused


def test_every_intent_has_a_rule(domain):
    ruled = set()
    for path in (ROOT / "data" / "rules").glob("*.yml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            ruled |= {s["intent"] for s in rule["steps"] if "intent" in s}
    assert set(domain["intents"]) <= ruled


# The issue's own follow-up phrasings are tested verbatim, even if also trained on.
VERBATIM_FOLLOW_UPS = {"en wordt dat vergoed?", "waarom niet?", "en in het buitenland?"}


def test_test_stories_are_not_training_examples():
    examples = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in item.get("examples", "").splitlines():
                examples.add(line.lstrip("- ").strip().lower())
    stories = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text())
    for story in stories["stories"]:
        for step in story["steps"]:
            if "user" in step and step["user"] not in VERBATIM_FOLLOW_UPS:
                assert step["user"].strip().lower() not in examples, step["user"]
