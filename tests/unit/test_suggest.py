from datetime import datetime

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.helpline import ActionSomethingElse
from actions.suggest import SOMETHING_ELSE, ActionSuggestTopics
from assistant.content.opening_hours import AMSTERDAM


def unsure(ranking, slots=None, lexical=()) -> Tracker:
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={
            "text": "iets vaags",
            "intent": {"name": "nlu_fallback", "confidence": 0.6},
            "intent_ranking": [
                {"name": "nlu_fallback", "confidence": 0.6},
                *({"name": n, "confidence": c} for n, c in ranking),
            ],
            "lexical_ranking": [{"name": n, "confidence": c} for n, c in lexical],
            "entities": [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await ActionSuggestTopics().run(dispatcher, tracker, domain)
    assert events == []  # no answer given, so no topic or subject is set
    [message] = dispatcher.messages
    return message


async def test_offers_the_likely_topics_with_their_questions(domain):
    tracker = unsure([("hsct_referral", 0.4), ("hsct_candidates", 0.3)])
    message = await run(tracker, domain)
    assert message["response"] == "utter_suggest"
    assert message["buttons"] == [
        {"title": "Hoe word ik aangemeld?", "payload": "/hsct_referral"},
        {"title": "Wie komt ervoor in aanmerking?", "payload": "/hsct_candidates"},
        SOMETHING_ELSE,
    ]


async def test_the_look_alike_ranking_fills_the_second_place(domain):
    tracker = unsure(
        [("hsct_what_is", 0.3), ("hsct_candidates", 0.2)],
        lexical=[("helpline", 0.4), ("hsct_what_is", 0.3)],
    )
    message = await run(tracker, domain)
    assert [b["payload"] for b in message["buttons"]] == [
        "/hsct_what_is",
        "/helpline",
        "/hsct_candidates",
        SOMETHING_ELSE["payload"],
    ]
    assert message["buttons"][1]["title"] == "Hoe bereik ik de MS Vereniging?"


async def test_a_follow_up_uses_the_subject_of_the_conversation(domain):
    tracker = unsure([("ask_who_decides", 0.5)], slots={"subject": "cordblood"})
    message = await run(tracker, domain)
    assert message["buttons"][0] == {
        "title": "Waarom mag bewaren niet meer?",
        "payload": '/ask_why{"subject":"cordblood"}',
    }


async def test_an_unsure_follow_up_is_asked_about_and_its_slots_put_back(domain):
    """The policy asked instead of answering: the intent's slot values are undone."""
    tracker = Tracker(
        sender_id="test",
        slots={"subject": "hsct", "last_topic": "hsct_policy"},
        latest_message={
            "text": "wanneer was die uitspraak?",
            "intent": {"name": "hsct_policy", "confidence": 0.8},
            "intent_ranking": [
                {"name": "hsct_policy", "confidence": 0.8},
                {"name": "cordblood_guideline", "confidence": 0.1},
            ],
            "entities": [],
        },
        events=[
            {"event": "user", "text": "waarom mag het niet meer?"},
            {"event": "slot", "name": "subject", "value": "cordblood"},
            {"event": "slot", "name": "last_topic", "value": "cordblood_why"},
            {"event": "user", "text": "wanneer was die uitspraak?"},
            {"event": "slot", "name": "subject", "value": "hsct"},
            {"event": "slot", "name": "last_topic", "value": "hsct_policy"},
        ],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = await ActionSuggestTopics().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_suggest"
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[:2] == ["/hsct_policy", "/cordblood_guideline"]
    assert events == [
        SlotSet("last_topic", "cordblood_why"),
        SlotSet("subject", "cordblood"),
    ]


async def test_with_nothing_likely_it_says_honestly_it_does_not_know(domain):
    message = await run(unsure([("greet", 0.3)]), domain)
    assert message["response"] == "utter_fallback"
    assert "buttons" not in message or not message["buttons"]


async def test_something_else_gives_the_helpline_with_today_s_hours(
    tracker_for, domain
):
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=AMSTERDAM)
    dispatcher = CollectingDispatcher()
    action = ActionSomethingElse(clock=lambda: saturday)
    assert action.name() == "action_something_else"
    await action.run(dispatcher, tracker_for("something_else"), domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_something_else"
    assert "U kunt op maandag 30 november" in message["open_status"]
    assert "{open_status}" in domain["responses"]["utter_something_else"][0]["text"]
