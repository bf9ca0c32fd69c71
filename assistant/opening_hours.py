"""Opening hours of the MS Vereniging helpline: open now, or when it opens next."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

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


def now_in_amsterdam() -> datetime:
    """Return the current time in Europe/Amsterdam."""
    return datetime.now(AMSTERDAM)


def is_open(moment: datetime) -> bool:
    """Tell whether the helpline is open at the given moment."""
    local = moment.astimezone(AMSTERDAM)
    return local.weekday() in WORKDAYS and OPENS <= local.time() < CLOSES


def next_opening(moment: datetime) -> datetime:
    """Return the next moment the helpline opens after the given (closed) moment."""
    local = moment.astimezone(AMSTERDAM)
    day = local.date()
    if local.weekday() in WORKDAYS and local.time() < OPENS:
        return datetime.combine(day, OPENS, AMSTERDAM)
    day += timedelta(days=1)
    while day.weekday() not in WORKDAYS:
        day += timedelta(days=1)
    return datetime.combine(day, OPENS, AMSTERDAM)


def status_text(moment: datetime) -> str:
    """Describe in Dutch whether the helpline is open now or when it opens next."""
    if is_open(moment):
        return "De telefoonlijn is nu open."
    local = moment.astimezone(AMSTERDAM)
    opening = next_opening(moment)
    if opening.date() == local.date():
        when = "vandaag"
    elif opening.date() == local.date() + timedelta(days=1):
        when = "morgen"
    else:
        when = f"op {DAY_NAMES[opening.weekday()]}"
    return f"De telefoonlijn is nu gesloten. U kunt weer bellen {when} vanaf 8.30 uur."
