from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import ActionAnswerInContext


def subject_entity(value):
    return [{"entity": "subject", "value": value}]


async def run(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerInContext().run(dispatcher, tracker, domain)
    return [m["response"] for m in dispatcher.messages], events


async def test_follow_up_uses_the_subject_of_the_conversation(tracker_for, domain):
    tracker = tracker_for(
        "ask_reimbursement", slots={"subject": "hsct", "last_topic": "hsct_what_is"}
    )
    responses, events = await run(tracker, domain)
    assert responses == ["utter_hsct_reimbursement"]
    assert SlotSet("last_topic", "hsct_reimbursement") in events
    assert SlotSet("pending_question", None) in events


async def test_subject_named_in_the_message_wins(tracker_for, domain):
    tracker = tracker_for(
        "ask_abroad",
        slots={"subject": "hsct"},
        entities=subject_entity("navelstreng bloed"),
    )
    responses, events = await run(tracker, domain)
    assert responses == ["utter_cordblood_export"]
    assert SlotSet("subject", "cordblood") in events


async def test_why_after_storage_answer(tracker_for, domain):
    tracker = tracker_for(
        "ask_why",
        slots={"subject": "cordblood", "last_topic": "cordblood_own_storage"},
    )
    responses, _ = await run(tracker, domain)
    assert responses == ["utter_cordblood_why"]


async def test_no_subject_asks_which_one_and_remembers_the_question(
    tracker_for, domain
):
    responses, events = await run(tracker_for("ask_reimbursement"), domain)
    assert responses == ["utter_clarify"]
    assert events == [SlotSet("pending_question", "ask_reimbursement")]


async def test_choice_after_clarify_answers_the_pending_question(tracker_for, domain):
    tracker = tracker_for(
        "choose_subject",
        slots={"pending_question": "ask_abroad", "subject": "hsct"},
        entities=subject_entity("hsct"),
    )
    responses, events = await run(tracker, domain)
    assert responses == ["utter_hsct_abroad"]
    assert SlotSet("pending_question", None) in events


async def test_choice_without_a_recognised_subject_asks_again(tracker_for, domain):
    tracker = tracker_for("choose_subject", slots={"pending_question": "ask_why"})
    responses, events = await run(tracker, domain)
    assert responses == ["utter_clarify"]
    assert events == [SlotSet("pending_question", "ask_why")]


async def test_gap_in_the_sources_is_said_honestly(tracker_for, domain):
    tracker = tracker_for("ask_reimbursement", slots={"subject": "cordblood"})
    responses, events = await run(tracker, domain)
    assert responses == ["utter_not_in_sources"]
    assert not any(e["name"] == "last_topic" for e in events)
