import asyncio
import math

import pytest

from tools.bench import load, scenarios
from tools.bench.profile import bucket_of, parse
from tools.bench.profile import summarise as profile_summary
from tools.bench.report import (
    ServerResult,
    TrainingTime,
    level_rows,
    memory_rows,
    targets,
)
from tools.bench.servers import children, memory_kb
from tools.bench.stats import Sample, percentile, summarise


def test_percentile_interpolates_like_numpy():
    values = [1.0, 2.0, 3.0, 4.0]
    assert percentile(values, 50) == 2.5
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile([5.0], 95) == 5.0
    assert math.isnan(percentile([], 50))


def test_summarise_counts_errors_and_rate_over_wall_time():
    samples = [
        Sample(0.0, 0.5),
        Sample(0.5, 0.5),
        Sample(1.0, 1.0, "HTTP 500"),
    ]
    summary = summarise(samples, users=1)
    assert summary.messages == 3
    assert summary.errors == 1
    assert summary.error_kinds == {"HTTP 500": 1}
    assert summary.seconds == 2.0
    assert summary.rate == 1.0  # two answered in two seconds
    assert summary.p50 == 0.5


def test_answer_error_kinds():
    assert load.answer_error(200, {"messages": [{"response": "utter_x"}]}) is None
    assert load.answer_error(503, {}) == "HTTP 503"
    assert load.answer_error(200, {"messages": []}) == "no answer"
    degraded = {"messages": [{"response": "utter_action_unavailable"}]}
    assert load.answer_error(200, degraded) == "utter_action_unavailable"


def test_only_loopback_targets():
    load.check_loopback("http://127.0.0.1:5999")
    load.check_loopback("http://localhost:5999")
    with pytest.raises(ValueError):
        load.check_loopback("http://10.0.0.1:5005")
    with pytest.raises(ValueError):
        load.check_loopback("http://example.org")


def test_sender_ids_are_valid_for_the_channel():
    from web.input_rules import valid_sender

    assert valid_sender(load.sender_id())


def test_budget_stops_at_count():
    budget = load.Budget(max_messages=2, max_seconds=60)
    assert [budget.take() for _ in range(3)] == [True, True, False]
    assert not load.Budget(max_messages=5, max_seconds=0).take()


def test_run_level_is_bounded_by_count(aiohttp_server_url):
    samples = asyncio.run(
        load.run_level(aiohttp_server_url, 3, [("a", "b"), ("c",)], 7, 30)
    )
    assert len(samples) == 7
    assert all(s.error is None for s in samples)


@pytest.fixture
def aiohttp_server_url():
    """A tiny loopback server that answers like the web channel."""
    import threading

    from aiohttp import web

    async def message(request):
        body = await request.json()
        return web.json_response(
            {"messages": [{"response": f"echo {body['message']}"}]}
        )

    app = web.Application()
    app.router.add_post(load.MESSAGE_PATH, message)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.run_until_complete(runner.cleanup())
    loop.close()


def test_sessions_group_by_subject():
    messages = [
        {"text": "hoi", "expect": ["greet"]},
        {"text": "wat is hsct", "expect": ["hsct_what_is"]},
        {"text": "hoe werkt hsct", "expect": ["hsct_procedure"]},
        {"text": "navelstreng bewaren", "expect": ["cordblood_own_storage"]},
        {"text": "wbmv?", "expect": ["wbmv_what_is"]},
        {"text": "dank", "expect": ["thanks"]},
        {"text": "weer", "expect": ["out_of_scope", "fallback"]},
    ]
    groups = scenarios.by_kind(messages)
    assert groups["hsct"] == ["wat is hsct", "hoe werkt hsct"]
    assert groups["cordblood"] == ["navelstreng bewaren", "wbmv?"]
    assert groups["greet"] == ["hoi"] and groups["closing"] == ["dank"]
    made = scenarios.made_sessions(groups, 20, seed=1)
    assert made == scenarios.made_sessions(groups, 20, seed=1)
    assert all(2 <= len(s) <= 4 for s in made)


def test_eval_sessions_load():
    sessions = scenarios.load_sessions(made=5)
    assert len(sessions) >= 15
    assert all(isinstance(t, str) and t for s in sessions for t in s)


RAW = """\
<module> (rasa:8);handle (rasa/core/processor.py:10);predict (tensorflow/x.py:3) 6
<module> (rasa:8);save (assistant/privacy/tracker_store.py:5);deid (deduce/y.py:1) 3
<module> (rasa:8);save (assistant/privacy/tracker_store.py:5);copy (copy.py:2) 1
run (threading.py:1);_worker (concurrent/futures/thread.py:2) 50
garbage
"""


def test_profile_buckets_by_innermost_known_frame():
    stacks = parse(RAW.splitlines())
    assert len(stacks) == 3
    assert bucket_of(stacks[0][0]) == "TensorFlow"
    assert bucket_of(stacks[1][0]) == "de-identification (deduce)"
    assert bucket_of(stacks[2][0]) == "SQL tracker store"
    result = profile_summary(stacks)
    assert result.samples == 10
    assert result.buckets[0] == ("TensorFlow", 0.6)
    assert ("save (assistant/privacy/tracker_store.py)", 0.4) in result.inclusive
    assert all(not name.startswith("<module>") for name, _ in result.inclusive)
    assert result.self_time[0] == ("predict (tensorflow/x.py)", 0.6)


def _result(label, rate, p95, errors=0, rss_kb=800 * 1024, train=100.0):
    summary = summarise([Sample(0, p95)] * 2, 8)
    fast = summary.__class__(**{**summary.__dict__, "rate": rate, "p95": p95})
    slow_errors = fast.__class__(**{**fast.__dict__, "errors": errors})
    return ServerResult(
        label=label,
        model="m",
        cold_start=20.0,
        listening=18.0,
        actions_start=2.0,
        levels={8: slow_errors, 32: slow_errors},
        peak_rss={"Rasa server": rss_kb, "action server": 1},
        training=TrainingTime(train, "timed"),
    )


def test_targets_are_ratios_against_the_baseline():
    ours = _result("ours", rate=100, p95=0.1)
    base = _result("base", rate=40, p95=0.3)
    verdicts = {t.measure: t.met for t in targets(ours, base)}
    assert verdicts["messages/s per Rasa process at 32 users"] is True
    assert verdicts["p95 latency at 8 users"] is True
    assert verdicts["errors, all levels"] is True
    assert verdicts["Rasa server peak RSS"] is True
    slow = _result("ours", rate=50, p95=0.2, errors=1, train=300)
    verdicts = {t.measure: t.met for t in targets(slow, base)}
    assert verdicts["messages/s per Rasa process at 32 users"] is False
    assert verdicts["p95 latency at 8 users"] is False
    assert verdicts["errors, all levels"] is False
    assert verdicts["training time (`rasa train --force`)"] is False
    assert len(level_rows([ours, base])) == 4


def test_memory_of_this_process():
    import os

    assert memory_kb(os.getpid()) > 0
    assert memory_kb(os.getpid(), "VmRSS") > 0


def test_memory_lists_every_process_and_their_sum():
    ours = _result("ours", rate=100, p95=0.1, rss_kb=1024 * 1024)
    ours.peak_rss["child 1 of the Rasa server (de-identifier)"] = 1024 * 1024
    rows = memory_rows([ours])
    assert any("de-identifier" in row and "1024 MB" in row for row in rows)
    assert rows[-1].startswith("| ours | **all processes** |")
    assert rows[-1].endswith("| 2048 MB |")


def test_children_of_a_process():
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import os

        assert child.pid in children(os.getpid())
    finally:
        child.kill()
        child.wait()
