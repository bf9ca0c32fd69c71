from datetime import datetime, timezone

import pytest

from assistant.opening_hours import AMSTERDAM, is_open, next_opening, status_text


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
    assert "vandaag vanaf 8.30" in status_text(at(24, 7))
    assert "morgen vanaf 8.30" in status_text(at(24, 20))
    assert "op maandag vanaf 8.30" in status_text(at(28, 11))


def test_utc_input_is_read_in_amsterdam_time():
    # 07:45 UTC on a winter Monday is 08:45 in Amsterdam.
    assert is_open(datetime(2026, 11, 23, 7, 45, tzinfo=timezone.utc))
