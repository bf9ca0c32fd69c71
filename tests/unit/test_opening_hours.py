from datetime import datetime, timezone

import pytest

from assistant.content.opening_hours import (
    AMSTERDAM,
    is_open,
    next_opening,
    status_text,
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 in Amsterdam; 23 November 2026 is a Monday."""
    return datetime(2026, 11, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(23, 8, 29), False),
        (at(23, 8, 30), True),
        (at(23, 16, 59), True),
        (at(23, 17, 0), False),
        (at(27, 12), True),  # Friday
        (at(28, 12), False),  # Saturday
        (at(29, 12), False),  # Sunday
    ],
)
def test_is_open(moment, expected):
    assert is_open(moment) is expected


def test_next_opening_skips_the_weekend():
    assert next_opening(at(27, 18)) == at(30, 8, 30)


def test_next_opening_is_today_before_opening_time():
    assert next_opening(at(24, 7)) == at(24, 8, 30)


def test_status_texts():
    assert status_text(at(23, 10)) == "De telefoonlijn is nu open."
    assert status_text(at(24, 7)) == (
        "De telefoonlijn is nu gesloten. U kunt vandaag vanaf 8.30 uur weer bellen."
    )
    assert "U kunt morgen vanaf 8.30 uur weer bellen." in status_text(at(24, 20))
    assert "U kunt op maandag 30 november vanaf 8.30 uur weer bellen." in status_text(
        at(28, 11)
    )


def dec(day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, 12, day, hour, minute, tzinfo=AMSTERDAM)


def test_closed_on_christmas_day_and_kings_day():
    assert not is_open(dec(25, 10))  # Friday, Eerste Kerstdag
    assert not is_open(datetime(2027, 4, 27, 10, tzinfo=AMSTERDAM))  # Koningsdag
    assert not is_open(datetime(2027, 5, 6, 10, tzinfo=AMSTERDAM))  # Hemelvaartsdag
    assert is_open(datetime(2027, 4, 28, 10, tzinfo=AMSTERDAM))


def test_a_holiday_says_so_with_the_next_opening_time():
    text = status_text(dec(25, 10))
    assert text.startswith(
        "De telefoonlijn is vandaag gesloten (feestdag: Eerste Kerstdag)."
    )
    assert text.endswith("U kunt op maandag 28 december vanaf 8.30 uur weer bellen.")


def test_next_opening_skips_holidays_after_a_weekend():
    # Easter 2027: Friday 26 March 17:00 -> Monday 29 March is Tweede Paasdag.
    friday = datetime(2027, 3, 26, 17, 30, tzinfo=AMSTERDAM)
    assert next_opening(friday) == datetime(2027, 3, 30, 8, 30, tzinfo=AMSTERDAM)


def test_utc_input_is_read_in_amsterdam_time():
    # 07:45 UTC on a winter Monday is 08:45 in Amsterdam.
    assert is_open(datetime(2026, 11, 23, 7, 45, tzinfo=timezone.utc))
