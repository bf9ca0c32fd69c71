from datetime import datetime

from rasa_sdk.executor import CollectingDispatcher

from actions.helpline import ActionHelpline
from assistant.content.opening_hours import AMSTERDAM


async def helpline_message(moment, tracker_for, domain):
    dispatcher = CollectingDispatcher()
    events = await ActionHelpline(clock=lambda: moment).run(
        dispatcher, tracker_for("helpline"), domain
    )
    assert events == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_helpline"
    return message


async def test_open_on_a_weekday_morning(tracker_for, domain):
    monday_ten = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
    message = await helpline_message(monday_ten, tracker_for, domain)
    assert message["open_status"] == "De telefoonlijn is nu open."


async def test_closed_on_saturday_says_when_it_opens(tracker_for, domain):
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=AMSTERDAM)
    message = await helpline_message(saturday, tracker_for, domain)
    assert "gesloten" in message["open_status"]
    assert (
        "U kunt op maandag 30 november vanaf 8.30 uur weer bellen."
        in message["open_status"]
    )


def test_helpline_response_has_the_placeholder(domain):
    assert "{open_status}" in domain["responses"]["utter_helpline"][0]["text"]
