import asyncio
import time

import pytest

from assistant.privacy import deidentify as deidentify_module
from assistant.privacy.deidentify import deidentify, deidentify_async

PERSONAL = (
    "Ik ben Jan Jansen, mijn BSN is 111222333 en mijn nummer is 06-12345678. "
    "Mail naar jan.jansen@example.nl. Ik woon op de Kerkstraat 12, 3511 AB Utrecht "
    "en ben geboren op 12-03-1985."
)


@pytest.mark.parametrize(
    "secret",
    [
        "Jan",
        "Jansen",
        "111222333",
        "12345678",
        "jan.jansen",
        "Kerkstraat",
        "3511 AB",
        "12-03-1985",
    ],
)
def test_personal_data_is_replaced(secret):
    assert secret not in deidentify(PERSONAL)


def test_tags_say_what_was_removed():
    text = deidentify(PERSONAL)
    for tag in (
        "[PERSOON-1]",
        "[BSN-1]",
        "[TELEFOONNUMMER-1]",
        "[EMAILADRES-1]",
        "[DATUM-1]",
    ):
        assert tag in text


@pytest.mark.parametrize(
    "question",
    [
        "mag ik navelstrengbloed laten bewaren bij Stamcelbank Nederland",
        "wordt stamceltherapie bij MS vergoed door de zorgverzekeraar?",
        "wat zegt de NVOG over het standpunt van 10 juli 2025",
    ],
)
def test_questions_without_personal_data_stay_readable(question):
    assert deidentify(question).split()[:3] == question.split()[:3]


def test_empty_text_is_returned_as_is():
    assert deidentify("") == ""
    assert deidentify("   ") == "   "


async def test_the_async_call_runs_off_the_event_loop(monkeypatch):
    slow_calls = []

    def slow(text):
        slow_calls.append(text)
        time.sleep(0.3)
        return "schoon"

    monkeypatch.setattr(deidentify_module, "deidentify_here", slow)
    ticks = 0

    async def tick():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(tick())
    assert await deidentify_async("Een tekst die nog niet de-geïdentificeerd is") == (
        "schoon"
    )
    ticker.cancel()
    assert slow_calls and ticks >= 10  # the loop went on meanwhile


def test_a_text_goes_through_deduce_once_and_is_not_kept(deduce_calls):
    text = "Ik ben Piet Pietersen, wordt dat vergoed? (eenmaal)"
    assert deidentify(text) == deidentify(text)
    assert len(deduce_calls) == 1
    kept = repr(vars(deidentify_module._RECENT))
    assert "Pietersen" not in kept and deidentify(text) in kept
