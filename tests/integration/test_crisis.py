"""The crisis layer: lexicon, classifier, and the crisis test sets as a gate."""

from pathlib import Path

import pytest
import yaml

from assistant.nlu.crisis import (
    CrisisDetector,
    normalise,
    pattern_hit,
    pieces,
    train_classifier,
)

CRISIS_SETS = Path(__file__).resolve().parent.parent / "eval" / "crisis"
MAX_FALSE_ALARMS = 0.03


@pytest.fixture(scope="module")
def detector() -> CrisisDetector:
    return CrisisDetector(train_classifier())


def texts(name: str) -> list[str]:
    data = yaml.safe_load((CRISIS_SETS / name).read_text(encoding="utf-8"))
    return [m["text"] for m in data["messages"]]


@pytest.mark.parametrize(
    "text",
    [
        "ik heb 39 graden koorts na mijn stamceltransplantatie",
        "Hoge KOORTS sinds de chemo",
        "ik ben erg benauwd",
        "ik krijg geen lucht",
        "ik denk aan zelfmoord",
        "ik denk aan zelfmoort",
        "ik wil niet meer leven",
        "ik wil er een einde aan maken",
        "pijn op de borst na hsct",
        "ik zie geen uitweg meer en ik weet al hoe ik het ga doen",
        "iedereen is beter af zonder mij",
        "beller zegt dat ze pillen heeft gespaard voor vannacht",
        "mijn man zei vanavond dat hij er een eind aan wil maken",
        "ik wil zo graag dood",
        "Ik ben Jan Jansen, 0612345678, ik wil soms gewoon dood",
        "moeten we nu naar de spoedeisende hulp?",
        "zal ik een ambulance bellen, ze reageert nergens op",
        "eigenlijk hoop ik dat ik die chemo niet overleef",
        "hij hoopt dat het fout gaat met de transplantatie, dan is hij overal vanaf",
    ],
)
def test_the_lexicon_recognises_crises(text):
    assert pattern_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "wat zijn de risico's van stamceltherapie",
        "ik hoop echt dat het bij mij niet misgaat",
        "we hopen dat er niets fout gaat bij de afname",
        "mag ik navelstrengbloed bewaren",
        "stikstof wordt gebruikt om stamcellen in te vriezen",
        "hoe lang leven mensen met ms",
        "krijg je koorts van de chemo bij hsct?",
        "kun je doodgaan aan een stamceltransplantatie",
        "vorig jaar had ik koorts na de griepprik, mag ik dan wel hsct?",
        "ik ben doodmoe van al die formulieren",
        "ik word gek van de wachtlijst",
        "ik wil niet dood",
    ],
)
def test_the_lexicon_leaves_ordinary_messages_alone(text):
    assert not pattern_hit(text)


def test_normalise_handles_case_accents_and_stretched_letters():
    assert normalise("Ik  wil  DOOOOD") == "ik wil dood"
    assert normalise("België") == "belgie"


def test_a_long_message_is_also_read_sentence_by_sentence():
    text = "Ik heb al jaren ms. Wordt het vergoed? Ik zie het nergens meer zitten."
    assert len(pieces(text)) == 4  # the whole, and each sentence of 3+ words


def test_a_short_crisis_sentence_after_a_long_introduction_is_found(detector):
    introduction = (
        "Goedemiddag, mijn naam is Karin Smit-de Jong, BSN 123456782, telefoon "
        "06-11223344, ik woon in Zwolle en heb sinds 2015 MS. "
    )
    assert detector.reason(introduction + "Niemand mist mij.") == "classifier"


def test_without_a_classifier_the_lexicon_still_works():
    assert CrisisDetector().is_crisis("ik wil dood")
    assert not CrisisDetector().is_crisis("wordt hsct vergoed")


def test_every_crisis_message_is_recognised(detector):
    missed = [t for t in texts("crisis.yml") if not detector.is_crisis(t)]
    assert not missed, f"{len(missed)} crisis messages missed: {missed[:5]}"


def test_false_alarms_on_hard_negatives_stay_under_three_percent(detector):
    negatives = texts("hard_negatives.yml")
    alarms = [t for t in negatives if detector.is_crisis(t)]
    rate = len(alarms) / len(negatives)
    print(f"\ncrisis layer: {len(alarms)}/{len(negatives)} false alarms ({rate:.1%})")
    assert rate <= MAX_FALSE_ALARMS, alarms
