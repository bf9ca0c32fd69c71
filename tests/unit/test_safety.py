import pytest

from assistant.safety import is_emergency


@pytest.mark.parametrize(
    "text",
    [
        "ik heb 39 graden koorts na mijn stamceltransplantatie",
        "Hoge KOORTS sinds de chemo",
        "ik ben erg benauwd",
        "ik krijg geen lucht",
        "ik denk aan zelfmoord",
        "ik wil niet meer leven",
        "ik wil er een einde aan maken",
        "pijn op de borst na hsct",
    ],
)
def test_recognises_emergencies(text):
    assert is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "wat zijn de risico's van stamceltherapie",
        "mag ik navelstrengbloed bewaren",
        "stikstof wordt gebruikt om stamcellen in te vriezen",
        "hoe lang leven mensen met ms",
    ],
)
def test_leaves_ordinary_questions_alone(text):
    assert not is_emergency(text)
