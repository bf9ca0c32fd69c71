"""The scale bench's figures and report (tools/scale/bench.py), without servers."""

from __future__ import annotations

import argparse
import os
import time

from tools.bench.machine import Machine
from tools.bench.stats import Summary
from tools.scale.bench import (
    Level,
    cpu_seconds,
    machine_busy_seconds,
    per_rasa_second,
    report,
)

MACHINE = Machine(2, 23.5, "test CPU", (1.0, 1.0, 1.0), "3.10.13", {"rasa": "3.6.21"})


def summary(rate: float, seconds: float = 40.0) -> Summary:
    return Summary(
        24, int(rate * seconds), 0, seconds, rate, 0.5, 1.0, 1.2, 0.6, 1.5, {}
    )


def level(servers: int, rate: float, rasa_cpu: float) -> Level:
    cpu = {f"Rasa server {i}": rasa_cpu / servers for i in range(servers)}
    cpu.update({"PostgreSQL": 4.0, "load generator": 2.0})
    return Level(servers, summary(rate), cpu, other=10.0)


def test_cpu_seconds_grow_with_work() -> None:
    before, busy_before = cpu_seconds(os.getpid()), machine_busy_seconds()
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.2
    assert machine_busy_seconds() - busy_before >= 0.2


def test_messages_per_rasa_cpu_second() -> None:
    # 40 msg/s for 40 s = 1600 messages on 32 CPU-seconds of the Rasa servers
    assert per_rasa_second(level(2, 40.0, 32.0)) == 50.0


def test_the_report_has_a_row_per_level_and_the_other_load() -> None:
    args = argparse.Namespace(users=24, seconds=40.0)
    levels = [level(1, 30.0, 28.0), level(2, 45.0, 40.0)]
    text = report(levels, MACHINE, [2_200_000, 2_200_000], args)
    assert "| 1 | 30.0 | 1.00× | 500 ms | 1000 ms |" in text
    assert "| 2 | 45.0 | 1.50× |" in text
    assert "networking) | 12% | 12% |" in text  # the rest of the machine: 10 s of 80
    assert "The best level was 2 Rasa server(s): 45.0 messages/s, 1.50×" in text
    assert "with the rest of the machine. Of the cluster's" in text
