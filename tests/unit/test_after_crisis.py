"""The answer right after the crisis answer: a topic only when its subject is named."""

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import ActionAnswerAfterCrisis


def follow_up(intent: str, entities: list[dict]) -> Tracker:
    return Tracker(
        sender_id="test",
        slots={},
        latest_message={
            "text": "...",
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(tracker: Tracker, domain: dict) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerAfterCrisis().run(dispatcher, tracker, domain)
    return events, dispatcher.messages


async def test_without_a_subject_named_the_crisis_answer_comes_again(domain):
    events, messages = await run(follow_up("hsct_abroad_trouble", []), domain)
    assert [m["response"] for m in messages] == ["utter_emergency"]
    assert events == [SlotSet("last_topic", None)]


async def test_a_question_that_names_its_subject_is_answered(domain):
    entity = {"entity": "subject", "value": "stamceltherapie"}
    events, messages = await run(follow_up("hsct_referral", [entity]), domain)
    assert [m["response"] for m in messages] == ["utter_hsct_referral"]
    assert events == []


async def test_a_subject_alone_does_not_make_small_talk_a_topic(domain):
    entity = {"entity": "subject", "value": "ms"}
    _, messages = await run(follow_up("greet", [entity]), domain)
    assert [m["response"] for m in messages] == ["utter_emergency"]
