"""Opening hours of the MS Vereniging helpline: open now, or when it opens next.

The line is open Monday to Friday, 8.30 to 17.00, except on Dutch public holidays,
which come from the maintained `holidays` calendar (NL), not from a list of our own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OPENS = time(8, 30)
CLOSES = time(17, 0)
WORKDAYS = range(0, 5)  # Monday to Friday
DAY_NAMES = (
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
)
MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@lru_cache(maxsize=8)
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    """Return the Dutch public holidays of a year, with Dutch names."""
    return holidays.country_holidays("NL", years=year, language="nl")


def holiday_name(day: date) -> str | None:
    """Return the name of the Dutch public holiday on a day, or None."""
    return _dutch_holidays(day.year).get(day)


def now_in_amsterdam() -> datetime:
    """Return the current time in Europe/Amsterdam."""
    return datetime.now(AMSTERDAM)


def _is_working_day(day: date) -> bool:
    """Tell whether the helpline works on a day (a weekday that is no holiday)."""
    return day.weekday() in WORKDAYS and holiday_name(day) is None


def is_open(moment: datetime) -> bool:
    """Tell whether the helpline is open at the given moment."""
    local = moment.astimezone(AMSTERDAM)
    return _is_working_day(local.date()) and OPENS <= local.time() < CLOSES


def next_opening(moment: datetime) -> datetime:
    """Return the next moment the helpline opens after the given (closed) moment."""
    local = moment.astimezone(AMSTERDAM)
    day = local.date()
    if _is_working_day(day) and local.time() < OPENS:
        return datetime.combine(day, OPENS, AMSTERDAM)
    day += timedelta(days=1)
    while not _is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, OPENS, AMSTERDAM)


def _when(opening: date, today: date) -> str:
    """Say in Dutch when a day is, seen from today."""
    if opening == today:
        return "vandaag"
    if opening == today + timedelta(days=1):
        return "morgen"
    name = DAY_NAMES[opening.weekday()]
    return f"op {name} {opening.day} {MONTH_NAMES[opening.month - 1]}"


def status_text(moment: datetime) -> str:
    """Describe in Dutch whether the helpline is open now or when it opens next."""
    if is_open(moment):
        return "De telefoonlijn is nu open."
    local = moment.astimezone(AMSTERDAM)
    holiday = holiday_name(local.date())
    closed = (
        f"De telefoonlijn is vandaag gesloten (feestdag: {holiday})."
        if holiday
        else "De telefoonlijn is nu gesloten."
    )
    when = _when(next_opening(moment).date(), local.date())
    return f"{closed} U kunt {when} vanaf 8.30 uur weer bellen."
