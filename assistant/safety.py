"""Recognises emergencies by fixed patterns, so they never depend on a classifier."""

from __future__ import annotations

import re

# Acute danger: fever, breathing problems, chest pain, fainting, suicidal thoughts.
_EMERGENCY_PATTERNS = (
    r"\bkoorts",
    r"\b(hoge )?temperatuur van (3[89]|4[0-2])",
    r"\b(3[89]|4[0-2])([.,]\d)? ?graden",
    r"\bbenauwd",
    r"\bkortademig",
    r"\bademnood",
    r"\bgeen (lucht|adem)\b",
    r"\b(moeilijk|slecht|nauwelijks) (adem|lucht)",
    r"\bstik(ken)?\b",
    r"\bpijn (op|in) (de|mijn) borst",
    r"\bflauw ?gevallen",
    r"\bbewusteloos",
    r"\bzelfmoord",
    r"\bsu[iï]cid",
    r"\bniet meer (verder )?(willen |wil )?leven",
    r"\bwil (niet meer leven|dood)",
    r"\bdood (willen|wil|gaan)\b",
    r"\b(een )?einde? aan (mijn leven|maken|het leven)",
    r"\bmezelf (iets )?aan ?(te )?doen",
    r"\bvan kant maken",
    r"\bzelfdoding",
)
_EMERGENCY = re.compile("|".join(_EMERGENCY_PATTERNS))


def is_emergency(text: str | None) -> bool:
    """Tell whether a message describes acute symptoms or suicidal thoughts."""
    if not text:
        return False
    return bool(_EMERGENCY.search(" ".join(text.lower().split())))
