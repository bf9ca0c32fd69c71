"""Starts Rasa's command line with the project's safety settings.

Usage: python -m assistant.server run [arguments of `rasa run`]

What it adds to `rasa run` (other commands, e.g. `run actions`, pass unchanged):

- ACTION_TIMEOUT (seconds, default 5): how long the Rasa server waits for the action
  server (Rasa waits 300 s); set by `assistant.server.rasa_patches`.
- CORS_ORIGINS (origins separated by spaces or commas): passed as `--cors`. Unset,
  no origin is allowed; "*" is refused.
- RASA_ENABLE_API=true: the Rasa HTTP API, only with RASA_AUTH_TOKEN (`--auth-token`)
  or RASA_JWT_SECRET (`--jwt-secret`). `--enable-api` without either is refused,
  whether it comes from the environment or the arguments. The secret is added
  in-process, so it does not show in the process list.
- SANIC_BACKLOG (default 1024 here, 100 in Rasa): connections the OS queues while
  the server is busy.
- Speed (measured in reports/bench.md): TensorFlow runs each prediction on one
  thread (TF_INTER_OP_PARALLELISM_THREADS and TF_INTRA_OP_PARALLELISM_THREADS,
  default 1 here; the messages are small, and threads only fight over the cores).
- The changes to Rasa's internals (`assistant.server.rasa_patches`: the action
  timeout, the response validator, the event-class cache, the graph runner) are
  installed before Rasa starts; another Rasa version than the one they were written
  for is refused. A line on stderr names what was applied (Rasa has not set up its
  logging yet, so an INFO record would be dropped).
- The de-identifier's 1.1 GB of lookup lists load in a child process
  (`assistant.privacy.deidentify.Worker`) while Rasa loads the model, unless
  DEIDENTIFY_WORKER=false.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, MutableMapping, Sequence

from assistant.privacy import deidentify
from assistant.server import rasa_patches

DEFAULT_ACTION_TIMEOUT = 5.0
DEFAULT_BACKLOG = 1024
TF_THREADS = ("TF_INTER_OP_PARALLELISM_THREADS", "TF_INTRA_OP_PARALLELISM_THREADS")
AUTH_FLAGS = ("--auth-token", "--jwt-secret")
TRUE = ("1", "true", "yes", "on")


class LaunchError(Exception):
    """The server must not start with these settings."""


def action_timeout(env: Mapping[str, str]) -> float:
    """Return ACTION_TIMEOUT in seconds (positive), else the default."""
    raw = env.get("ACTION_TIMEOUT") or str(DEFAULT_ACTION_TIMEOUT)
    try:
        seconds = float(raw)
    except ValueError:
        message = f"ACTION_TIMEOUT must be a number of seconds: {raw!r}"
        raise LaunchError(message) from None
    if seconds <= 0:
        raise LaunchError("ACTION_TIMEOUT must be more than 0 seconds.")
    return seconds


def cors_origins(env: Mapping[str, str]) -> list[str]:
    """Return the origins of CORS_ORIGINS; refuse the wildcard."""
    origins = [o for o in re.split(r"[\s,]+", env.get("CORS_ORIGINS", "")) if o]
    if "*" in origins:
        raise LaunchError("CORS_ORIGINS='*' is refused: name the allowed origins.")
    return origins


def _has_flag(arguments: Sequence[str], flags: Sequence[str]) -> bool:
    """Tell whether any of the flags is among the arguments (also as --flag=value)."""
    return any(a in flags or a.split("=", 1)[0] in flags for a in arguments)


def serving(arguments: Sequence[str]) -> bool:
    """Tell whether the arguments run the Rasa server (not the action server)."""
    return arguments[:1] == ["run"] and arguments[1:2] != ["actions"]


def server_arguments(argv: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """Return the arguments for Rasa's CLI with the settings above applied."""
    arguments = list(argv)
    if not serving(arguments):
        return arguments
    origins = cors_origins(env)
    if origins and not _has_flag(arguments, ["--cors"]):
        arguments += ["--cors", *origins]
    if env.get("RASA_ENABLE_API", "").strip().lower() in TRUE:
        if not _has_flag(arguments, ["--enable-api"]):
            arguments.append("--enable-api")
        if not _has_flag(arguments, AUTH_FLAGS):
            if env.get("RASA_AUTH_TOKEN"):
                arguments.append(
                    f"--auth-token={env['RASA_AUTH_TOKEN']}"
                )  # may start with "-"
            elif env.get("RASA_JWT_SECRET"):
                arguments.append(f"--jwt-secret={env['RASA_JWT_SECRET']}")
    if _has_flag(arguments, ["--enable-api"]) and not _has_flag(arguments, AUTH_FLAGS):
        raise LaunchError(
            "The Rasa HTTP API needs authentication: set RASA_AUTH_TOKEN or "
            "RASA_JWT_SECRET (scripts/run.sh makes a token when unset)."
        )
    return arguments


def tune_for_serving(env: MutableMapping[str, str], timeout: float) -> None:
    """Set TensorFlow threads, patch Rasa, start the de-identifier worker."""
    for name in TF_THREADS:
        env.setdefault(name, "1")
    rasa_patches.install(timeout)
    print(f"assistant.server: {rasa_patches.summary()}", file=sys.stderr)
    if env.get("DEIDENTIFY_WORKER", "true").strip().lower() in TRUE:
        deidentify.start_worker()


def main(argv: Sequence[str] | None = None) -> None:
    """Apply the settings, then run Rasa's command line."""
    env = dict(os.environ)
    try:
        arguments = server_arguments(sys.argv[1:] if argv is None else argv, env)
        timeout = action_timeout(env)
        # Rasa listens with a backlog of 100: a burst of more simultaneous
        # connections while the event loop is busy would be dropped.
        os.environ.setdefault("SANIC_BACKLOG", str(DEFAULT_BACKLOG))
        if serving(arguments):
            tune_for_serving(os.environ, timeout)
    except (LaunchError, rasa_patches.UnsupportedRasaVersion) as problem:
        sys.exit(f"assistant.server: {problem}")
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
