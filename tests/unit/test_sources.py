from rasa_sdk.executor import CollectingDispatcher

from actions.sources import ActionLastSource


async def sources_message(tracker, domain):
    dispatcher = CollectingDispatcher()
    assert await ActionLastSource().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_sources"
    return message


async def test_names_the_source_of_the_last_answer(tracker_for, domain):
    tracker = tracker_for("sources", slots={"last_topic": "cordblood_donation"})
    message = await sources_message(tracker, domain)
    assert message["last_source"] == (
        "Mijn laatste antwoord komt uit: "
        "NVOG-standpunt Opslaan navelstrengbloed, 10 juli 2025\n"
    )


async def test_without_an_earlier_answer_only_lists_the_sources(tracker_for, domain):
    message = await sources_message(tracker_for("sources"), domain)
    assert message["last_source"] == ""
