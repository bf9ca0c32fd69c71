"""Splits answer text into plain text and links, allowing only safe link schemes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# A markdown link [label](target), or a bare http(s)/mailto/tel address.
_LINK = re.compile(
    r"\[(?P<label>[^\]\n]+)\]\((?P<target>[^)\s]+)\)"
    r"|(?P<bare>(?:https?://|mailto:|tel:)[^\s<>\"]+)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)'\""


def safe_href(target: str) -> str | None:
    """Return the link target when its scheme is http, https, mailto or tel."""
    if not target or any(ch.isspace() or ord(ch) < 0x20 for ch in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    if parts.scheme.lower() in ("mailto", "tel") and not parts.path:
        return None
    return target


def text_parts(text: str) -> list[dict[str, str]]:
    """Split text into parts: {"text"} for plain text, {"text", "href"} for links.

    A link with a scheme that is not allowed stays plain text, exactly as written.
    """
    parts: list[dict[str, str]] = []
    position = 0
    for match in _LINK.finditer(text):
        if match.group("bare"):
            target = match.group("bare").rstrip(_TRAILING)
            label, end = target, match.start() + len(target)
        else:
            target, label, end = match.group("target"), match.group("label"), None
        href = safe_href(target)
        if href is None:
            continue
        _append_text(parts, text[position : match.start()])
        parts.append({"text": label, "href": href})
        position = end if end is not None else match.end()
    _append_text(parts, text[position:])
    return parts


def _append_text(parts: list[dict[str, str]], text: str) -> None:
    """Append plain text, merging it with a plain part before it."""
    if not text:
        return
    if parts and "href" not in parts[-1]:
        parts[-1] = {"text": parts[-1]["text"] + text}
    else:
        parts.append({"text": text})
