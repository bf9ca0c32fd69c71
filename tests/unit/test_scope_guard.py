from pathlib import Path

import pytest
import yaml

from assistant.content.domain_terms import is_subject_name
from assistant.nlu.scope_guard import (
    names_another_country,
    names_only_a_subject,
    redirect,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    [
        "helpt stamceltherapie ook bij diabetes type 1",
        "kan je stamcellen uit de melktanden van mijn zoon laten bewaren?",
        "hoe verzorg ik de navelstreng van mijn pasgeboren baby",
        "is laat afnavelen beter voor mijn baby",
        "stamceltherapie bij ALS, kan dat?",
        "werken stamcellen ook tegen epilepsie bij kinderen",
        "een kliniek spuit stamcellen uit vet in je gezicht, werkt dat",
        "kan ik mijn eicellen laten invriezen in het ziekenhuis",
        "helpt een stamceltransplantatie bij een versleten meniscus",
        "ik wil bloed doneren, waar moet ik heen?",
    ],
)
def test_near_misses_are_out_of_scope(text):
    assert redirect(text) == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "ik woon in gent, mag ik daar navelstrengbloed bewaren",
        "wij wonen in Kortrijk, kan hij hier in België zo'n transplantatie krijgen",
        "ik ben naar spanje verhuisd, kan ik hier stamceltherapie krijgen",
        "mijn dochter, die sinds vorig jaar in Antwerpen woont, heeft ms: wat nu?",
        "wij gaan in maart bevallen in Gent, kunnen we navelstrengbloed bewaren?",
    ],
)
def test_living_abroad_is_another_country(text):
    assert redirect(text) == "other_country"


@pytest.mark.parametrize(
    "text",
    [
        "mag ik het navelstrengbloed in België laten opslaan?",
        "wordt stamceltherapie bij ms vergoed",
        "navelstrengbloed bewaren voor als ons kind later leukemie krijgt",
        "als ik het goed begrijp mag bewaren niet meer",
        "moet ik met ocrevus stoppen als we ivf gaan doen",
        "mag ik het bloed doneren in plaats van bewaren?",
    ],
)
def test_our_questions_stay_ours(text):
    assert redirect(text) is None


def test_a_country_named_without_living_there():
    assert names_another_country("mag ik het in België laten opslaan?")
    assert not names_another_country("mag ik het in Nederland laten opslaan?")


def test_no_training_example_of_ours_is_sent_away():
    ours = [
        line.strip().removeprefix("- ")
        for path in (ROOT / "data" / "nlu").glob("*.yml")
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
        if item.get("intent") not in (None, "out_of_scope", "other_country")
        for line in item["examples"].splitlines()
        if line.strip()
    ]
    assert len(ours) > 1000
    assert [text for text in ours if redirect(text) == "out_of_scope"] == []


def _guarded(text: str, intent: str, entities: tuple[dict, ...] = ()) -> str:
    """Run one message with the given predicted intent through the scope guard."""
    from rasa.shared.nlu.training_data.message import Message

    from assistant.nlu.emergency_override import ScopeGuard

    ranking = [{"name": intent, "confidence": 0.5}]
    message = Message(
        data={"text": text, "intent": ranking[0], "intent_ranking": ranking}
    )
    message.set("entities", list(entities))
    return ScopeGuard().process([message])[0].get("intent")["name"]


def _subject(value: str) -> dict:
    return {"entity": "subject", "value": value, "start": 0, "end": len(value)}


def test_a_topic_of_the_other_subject_than_the_message_names_is_unsure():
    text = "ik heb ms en wil stamcellen maar mijn neuroloog doet moeilijk"
    assert _guarded(text, "cordblood_donation", (_subject("ms"),)) == "nlu_fallback"
    assert _guarded(text, "hsct_referral", (_subject("ms"),)) == "hsct_referral"
    both = (_subject("ms"), _subject("navelstrengbloed"))
    assert _guarded(
        "ik heb ms, mag ik navelstrengbloed bewaren", "cordblood_own_storage", both
    ) == ("cordblood_own_storage")
    club = (_subject("ms vereniging"),)
    assert (
        _guarded("weet de ms vereniging het", "cordblood_why", club) == "cordblood_why"
    )


@pytest.mark.parametrize("text", ["oké bedankt doei", "top, dank je wel"])
def test_guard_takes_only_thanks_or_goodbye_for_that(text):
    assert _guarded(text, "nlu_fallback") in ("thanks", "goodbye")


@pytest.mark.parametrize(
    "intent", ["hsct_what_is", "nlu_fallback", "personal_advice", "not_in_sources"]
)
def test_guard_sends_near_misses_away_also_when_unsure(intent):
    text = "werken stamcellen uit buikvet tegen rimpels?"
    assert _guarded(text, intent) == "out_of_scope"


@pytest.mark.parametrize("intent", ["nlu_fallback", "personal_advice"])
def test_guard_leaves_a_question_of_ours_alone(intent):
    assert (
        _guarded("ik heb MS en migraine, moet ik stoppen met mijn pillen", intent)
        == intent
    )


@pytest.mark.parametrize(
    ("text", "spans", "only"),
    [
        ("voor ms", [(5, 7)], True),
        ("Ik bedoel navelstrengbloed graag", [(10, 26)], True),
        ("HSCT", [(0, 4)], True),
        ("en bij ms?", [(7, 9)], False),  # "en ... ?": a follow-up question
        ("wordt het vergoed voor ms", [(23, 25)], False),
        ("voor ms", [], False),
    ],
)
def test_a_message_that_only_names_a_subject(text, spans, only):
    assert names_only_a_subject(text, spans) is only


def test_only_the_subject_names_count():
    assert is_subject_name("MS") and is_subject_name("stamcel therapie")
    assert is_subject_name("navelstreng bloed")
    assert not is_subject_name("spms") and not is_subject_name("MS Vereniging")


def test_guard_takes_a_bare_subject_for_a_choice_of_subject():
    from rasa.shared.nlu.training_data.message import Message

    from assistant.nlu.emergency_override import ScopeGuard

    top = {"name": "out_of_scope", "confidence": 0.9}
    entity = {"entity": "subject", "value": "ms", "start": 5, "end": 7}
    message = Message(
        data={"text": "voor ms", "intent": top, "intent_ranking": [top]},
    )
    message.set("entities", [entity])
    assert ScopeGuard().process([message])[0].get("intent")["name"] == "choose_subject"
