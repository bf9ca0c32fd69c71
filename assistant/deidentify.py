"""De-identifies Dutch free text with `deduce` before anything is stored or logged.

The deduce 3.0.4 wheel lacks its `base_config.json`, and 3.0.6 conflicts with Rasa's
`regex` pin, so the project ships its own configuration (`deduce_config.json`, written
for the annotators 3.0.4 has) and passes it in.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

CONFIG_FILE = Path(__file__).with_name("deduce_config.json")
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _deduce():  # noqa: ANN202 - deduce has no type stubs
    """Build the Deduce instance once (it loads large lookup lists)."""
    from deduce import Deduce

    return Deduce(load_base_config=False, config=str(CONFIG_FILE))


def warm_up() -> None:
    """Load deduce's lookup lists now rather than on the first message."""
    deidentify("Warm-up")


def deidentify(text: str) -> str:
    """Replace names, BSNs, phone numbers, e-mail, addresses, dates and places by tags.

    Example: "Ik ben Jan Jansen, bel 06-12345678" → "Ik ben [PERSOON-1], bel
    [TELEFOONNUMMER-1]".
    """
    if not text or not text.strip():
        return text
    with _LOCK:
        return _deduce().deidentify(text).deidentified_text
