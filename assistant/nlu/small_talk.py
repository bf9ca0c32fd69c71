"""Recognises a message that only thanks, acknowledges or says goodbye.

"oke", "oké bedankt doei", "top, dank je wel!", "ok helder, doei": short and made of
a few dozen words, but with so many spellings that the classifier is unsure of them.
A message of nothing but such words (and no question) is `thanks`, or `goodbye` when
it takes leave.
"""

from __future__ import annotations

import re

THANKS = "thanks"
GOODBYE = "goodbye"

_THANKS_WORDS = frozenset(
    "ok oke oké okay okee okeej okidoki oki prima top toppie topper super mooi fijn "
    "helder duidelijk begrepen snap dank bedankt bedankd dankje dankjewel dankuwel "
    "danku dankjwel thanks thank thx tx ty merci mercikes merciekes cheers "
    "perfect geweldig nice cool chill kei tof goed".split()
)
_GOODBYE_WORDS = frozenset(
    "doei doeg daag dagdag doeidoei ziens bye byebye ciao houdoe salut adieu "
    "tabee groetjes groeten later weekend avond".split()
)
# Words that may stand beside them ("dank je wel voor de uitleg", "tot ziens hoor").
_FILLER = frozenset(
    "je jij jullie u wel hoor dan zo nou heel erg veel vele hartelijk hartstikke "
    "voor de het een uitleg info informatie hulp antwoord antwoorden moeite ik weet "
    "genoeg al even nog alvast ja en fijne prettige middag dag tot "
    "is dat was wat aan hier heb echt zeker nee nogmaals you so much very for"
    "".split()
)
_WORD = re.compile(r"[a-zà-ÿ]+")


def closing_intent(text: str | None) -> str | None:
    """Return 'thanks' or 'goodbye' for a message of only such words, else None."""
    if not text or "?" in text:
        return None
    words = _WORD.findall(text.lower())
    if not words or len(words) > 10:
        return None
    if any(w not in _THANKS_WORDS | _GOODBYE_WORDS | _FILLER for w in words):
        return None
    if any(w in _GOODBYE_WORDS for w in words):
        return GOODBYE
    if any(w in _THANKS_WORDS for w in words):
        return THANKS
    return None
