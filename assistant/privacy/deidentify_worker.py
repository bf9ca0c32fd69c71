"""The de-identifier's child process: one JSON line in, one JSON line out.

Started by `assistant.privacy.deidentify.Worker`. Loads deduce, writes
{"ready": true}, then answers each {"text": ...} line with {"text": <de-identified>}.
Exits when its input closes, i.e. when the server that started it stops.
"""

from __future__ import annotations

import json
import os
import sys

from assistant.privacy.deidentify import deidentify_here


def main() -> None:
    """Serve de-identification requests on stdin/stdout until stdin closes."""
    out = os.fdopen(os.dup(1), "wb")  # the answers; anything printed goes to stderr
    os.dup2(2, 1)
    deidentify_here("Warm-up")
    out.write(b'{"ready": true}\n')
    out.flush()
    for line in sys.stdin.buffer:
        text = json.loads(line)["text"]
        out.write(json.dumps({"text": deidentify_here(text)}).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
