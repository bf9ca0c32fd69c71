"""The running Rasa server has the patches to Rasa's internals and uses its runner.

The launcher names the patches it applied on stderr (the Rasa server's log); the
SequentialGraphRunner logs once, at its first run, that it runs the prediction
graphs. Rasa's own DaskGraphRunner would never write that line.
"""

from __future__ import annotations

from tests.server.support import Site, request

PROBE = {"sender": "patch-probe-0001", "message": "wat is stamceltherapie?"}
RUNNER_LINE = "assistant.server.graph_runner  - SequentialGraphRunner runs the"


def rasa_log(site: Site) -> str:
    assert site.rasa is not None
    return site.rasa.log.read_text(encoding="utf-8", errors="replace")


def test_the_launcher_applied_every_patch_before_rasa_started(site: Site) -> None:
    seconds = float(site.settings["ACTION_TIMEOUT"])
    applied = (
        "assistant.server: Rasa patches for 3.6.21 applied: "
        f"action timeout {seconds} s, response validator, event-class cache, "
        "graph runner SequentialGraphRunner\n"
    )
    log = rasa_log(site)
    assert applied in log
    assert log.index(applied) < log.index("Starting Rasa server")


def test_the_server_parses_messages_with_the_sequential_graph_runner(
    site: Site,
) -> None:
    status, _, body = request(site, "/webhooks/web/message", PROBE)
    assert status == 200, body
    assert body["messages"]
    lines = [line for line in rasa_log(site).splitlines() if RUNNER_LINE in line]
    assert lines, "Rasa's own DaskGraphRunner ran the prediction graphs"
    assert all(" INFO " in line for line in lines)
