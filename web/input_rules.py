"""The input rules of the public channels (web and REST), as pure functions.

One place for what a public message may be, shared by `web.channel` and `web.rest`:

- the body must be a JSON object in UTF-8 sent as `application/json`, at most
  MAX_BODY_BYTES; the sender 8-64 letters, digits, '-' or '_'; the message a string;
- control characters are removed (newlines and tabs become spaces) and the text is
  NFC-normalised; empty or whitespace-only is refused;
- a leading '/' is removed, so NLU always reads plain text, unless the text is exactly
  a button payload the bot offered in its last message (Rasa would otherwise read
  "/intent{...}" as that intent with confidence 1.0 and set its entities as slots);
- more than MAX_MESSAGE_LENGTH characters are cut to that limit, and the reply says so.

Every refusal is an `InputError` with an HTTP status and a Dutch message.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_LENGTH = 1000  # characters NLU reads; longer messages are cut
MAX_BODY_BYTES = 2 * 1024 * 1024  # a 100 000-character message fits, even escaped
COMMAND_PREFIX = "/"
_SENDER = re.compile(r"[A-Za-z0-9_-]{8,64}")
_KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d", "\u200e", "\u200f"}  # ZWNJ/ZWJ, LRM/RLM

TRUNCATED_NOTICE = (
    f"Uw bericht was langer dan {MAX_MESSAGE_LENGTH} tekens. Ik heb alleen de eerste "
    f"{MAX_MESSAGE_LENGTH} tekens gelezen. Stel gerust een kortere vraag."
)


class InputError(Exception):
    """A request the channel refuses, with its HTTP status and a Dutch message."""

    def __init__(self, message: str, status: int = 400) -> None:
        """Create the error with the message for the user and the HTTP status."""
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CleanText:
    """A message as NLU may read it, and whether it was cut to the limit."""

    text: str
    truncated: bool


def valid_sender(sender: Any) -> bool:
    """Tell whether a sender id is a string of 8-64 letters, digits, '-' or '_'."""
    return isinstance(sender, str) and bool(_SENDER.fullmatch(sender))


def parse_body(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """Return the JSON object of a request body, or raise InputError (4xx)."""
    media_type, _, parameters = (content_type or "").partition(";")
    if media_type.strip().lower() != "application/json":
        raise InputError("Stuur het bericht als JSON (application/json).", 415)
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", parameters, re.IGNORECASE)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise InputError("Stuur het bericht in UTF-8.", 415)
    if len(raw) > MAX_BODY_BYTES:
        raise InputError("Het verzoek is te groot.", 413)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("Het bericht is geen geldige UTF-8-tekst.") from None
    try:
        body = json.loads(decoded)
    except (ValueError, RecursionError):
        raise InputError("Het verzoek is geen geldige JSON.") from None
    if not isinstance(body, dict):
        raise InputError("Verwacht: een JSON-object {sender, message}.")
    return body


def sender_of(body: dict[str, Any]) -> str:
    """Return the body's valid sender id, or raise InputError."""
    sender = body.get("sender")
    if not valid_sender(sender):
        raise InputError(
            "Ongeldige of ontbrekende afzender (sender): gebruik 8 tot 64 letters, "
            "cijfers, '-' of '_'."
        )
    return str(sender)


def message_of(body: dict[str, Any]) -> str:
    """Return the body's message as a string, or raise InputError."""
    text = body.get("message")
    if not isinstance(text, str):
        raise InputError("Het bericht (message) ontbreekt of is geen tekst.")
    return text


def strip_control_characters(text: str) -> str:
    """Remove control, surrogate and invisible format characters; tabs/newlines→space.

    Zero-width (non-)joiners and the left-to-right/right-to-left marks stay: emoji
    sequences and right-to-left text need them.
    """
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r\v\f\x85\u2028\u2029":
            kept.append(" ")
        elif category in ("Cc", "Cs") or (
            category == "Cf" and char not in _KEPT_FORMAT_CHARACTERS
        ):
            continue
        elif char in ("\ufffe", "\uffff"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


def without_command_prefix(text: str) -> str:
    """Remove leading slashes (and the spaces between them) from a text."""
    stripped = text.strip()
    while stripped.startswith(COMMAND_PREFIX):
        stripped = stripped[len(COMMAND_PREFIX) :].strip()
    return stripped


def needs_offered_payloads(text: str) -> bool:
    """Tell whether the text starts with '/', so the offered buttons must be known."""
    return strip_control_characters(text).strip().startswith(COMMAND_PREFIX)


def clean_message(text: str, offered_payloads: Collection[str] = ()) -> CleanText:
    """Return the text NLU may read: see the module docstring for the rules.

    Raises:
        InputError: when nothing readable is left (empty, spaces, only slashes).
    """
    text = unicodedata.normalize("NFC", strip_control_characters(text)).strip()
    if text in offered_payloads:
        return CleanText(text, truncated=False)
    text = without_command_prefix(text)
    if not text:
        raise InputError("Het bericht is leeg. Typ uw vraag.")
    if len(text) <= MAX_MESSAGE_LENGTH:
        return CleanText(text, truncated=False)
    return CleanText(text[:MAX_MESSAGE_LENGTH].rstrip(), truncated=True)
