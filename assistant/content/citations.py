"""Reads the citable sources from ../shared/sources/README.md and checks citations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_DATE = re.compile(
    r"\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|"
    r"september|oktober|november|december) \d{4}"
)
_UNDATED = ("zonder datum", "na december 2022")
_PARENTHESES = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Source:
    """One citable document: its title as the README gives it, and its date."""

    title: str
    date: str | None  # None for an undated document


def _normalise(text: str) -> str:
    """Drop quotes, brackets and punctuation so that titles compare on their words."""
    text = _PARENTHESES.sub(" ", text.replace('"', " ").replace("“", " "))
    return " ".join(re.findall(r"\w+", text.lower()))


def listed_sources(readme: str) -> list[Source]:
    """Return every document the sources README lists in its table."""
    found = []
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not re.search(r"\.(txt|md)$", cells[0]):
            continue
        titles, dates = cells[1].split(";"), cells[2].split(";")
        for i, title in enumerate(titles):
            date = _DATE.search(dates[i] if i < len(dates) else "")
            found.append(Source(title.strip(), date.group(0) if date else None))
    return found


def cited_documents(source_line: str) -> list[str]:
    """Split a 'Bron: a; b' line into the documents it cites."""
    return [
        c.strip() for c in source_line.removeprefix("Bron:").split(";") if c.strip()
    ]


def matching_source(citation: str, sources: list[Source]) -> Source | None:
    """Return the listed source a citation names with its right date, or None."""
    cited = _normalise(citation)
    for source in sources:
        if not cited.startswith(_normalise(source.title)):
            continue
        if source.date is None and any(u in citation for u in _UNDATED):
            return source
        if source.date is not None and source.date in citation:
            return source
    return None


def readme_path(shared: Path) -> Path:
    """Return the path of the sources README under a shared/ folder."""
    return shared / "sources" / "README.md"
