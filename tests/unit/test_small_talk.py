"""Thanks, acknowledgements and goodbyes in every spelling; nothing else."""

from __future__ import annotations

import pytest

from assistant.nlu.small_talk import closing_intent


@pytest.mark.parametrize(
    "text",
    [
        "oke",
        "Oké, dank je wel!",
        "top, hier heb ik wat aan",
        "thx",
        "merci hoor",
        "helder",
        "ok dan weet ik genoeg",
        "heel erg bedankt voor de uitleg",
    ],
)
def test_thanks_and_acknowledgements(text: str) -> None:
    assert closing_intent(text) == "thanks"


@pytest.mark.parametrize(
    "text", ["doei", "oké bedankt doei", "ok helder, doei", "tot ziens", "fijn weekend"]
)
def test_goodbyes(text: str) -> None:
    assert closing_intent(text) == "goodbye"


@pytest.mark.parametrize(
    "text",
    [
        "dag",
        "is dat goed?",
        "ok ik bel nu het ziekenhuis, doei",
        "ja",
        "wat is dat",
        "super moe vandaag",
        "oké. ik probeer het",
        "",
        None,
    ],
)
def test_anything_else_is_left_to_the_classifier(text: str | None) -> None:
    assert closing_intent(text) is None
