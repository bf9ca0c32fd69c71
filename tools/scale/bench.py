"""Throughput of the scaled-out assistant with 1, 2 and 3 Rasa servers behind nginx.

    python -m tools.scale.bench [--servers 1,2,3] [--users 24] [--seconds 40]
                          [--out reports/scale.md]

Starts the cluster once with the largest number of Rasa servers
(tools/scale/cluster.py), then for each level puts a fresh nginx in front of the first N
servers and drives it with the project's load generator (tools.bench.load: simulated
users in a closed loop,
conversations from tests/eval) for a short warm-up and then `--seconds`. Rate limits
are off (all simulated users come from 127.0.0.1). Besides messages/s and latency it
records the CPU seconds each component used, which shows where the cores went.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from tools.bench.load import run_level
from tools.bench.machine import Machine, describe
from tools.bench.scenarios import load_sessions
from tools.bench.servers import memory_kb
from tools.bench.stats import Sample, Summary, summarise
from tools.scale.cluster import Cluster, cluster
from tools.scale.services import Service, start_nginx
from tools.stack import free_port

WARM_UP_SECONDS = 5.0
SETTINGS = {"RATE_LIMIT_SENDER": "0", "RATE_LIMIT_IP": "0"}
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Level:
    """The figures of one number of Rasa servers."""

    servers: int
    summary: Summary
    cpu: dict[str, float]  # CPU seconds per component during the measured run
    other: float  # CPU seconds of the rest of the machine meanwhile


def _stat(pid: int) -> tuple[int, float] | None:
    """Return (parent pid, CPU seconds) of a process from /proc, or None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def cpu_seconds(pid: int) -> float:
    """Return the CPU seconds of a process and its living children (PostgreSQL)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            stats[int(entry.name)] = stat
    total = stats.get(pid, (0, 0.0))[1]
    return total + sum(cpu for parent, cpu in stats.values() if parent == pid)


def tree_peak_kb(pid: int) -> int:
    """Return the peak RSS in kB of a process plus its children (the de-identifier)."""
    children = [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and (_stat(int(entry.name)) or (0,))[0] == pid
    ]
    return sum(memory_kb(p) for p in [pid, *children])


def machine_busy_seconds() -> float:
    """Return the CPU seconds all cores of the machine have been busy (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / TICKS


def components(c: Cluster, nginx: Service) -> dict[str, Callable[[], float]]:
    """Return a CPU-seconds reader per component of the cluster."""
    readers: dict[str, Callable[[], float]] = {
        f"Rasa server {i}": functools.partial(cpu_seconds, s.pid)
        for i, s in enumerate(c.servers)
    }
    for name, service in (
        ("action server", c.actions),
        ("PostgreSQL", c.postgres),
        ("Redis", c.redis),
        ("nginx", nginx),
    ):
        readers[name] = functools.partial(cpu_seconds, service.pid)
    readers["load generator"] = lambda: time.process_time()
    return readers


def drive(url: str, users: int, seconds: float, sessions: list, desc: str) -> list:
    """Run the load generator for `seconds` with a progress bar; return the samples."""
    with tqdm(desc=desc, unit="msg", mininterval=0.5) as bar:

        def tick(_: Sample) -> None:
            bar.update()

        return asyncio.run(run_level(url, users, sessions, 10**9, seconds, tick))


def measure_level(
    c: Cluster, servers: int, users: int, seconds: float, sessions: list
) -> Level:
    """Put nginx in front of the first `servers` servers and measure them."""
    ports = [s.port for s in c.servers[:servers]]
    nginx = start_nginx(c.folder / f"nginx-{servers}", free_port(), ports)
    try:
        url = f"http://127.0.0.1:{nginx.port}"
        drive(url, users, WARM_UP_SECONDS, sessions, f"{servers} server(s), warm-up")
        readers = components(c, nginx)
        before = {name: read() for name, read in readers.items()}
        busy = machine_busy_seconds()
        samples = drive(url, users, seconds, sessions, f"{servers} server(s)")
        cpu = {name: read() - before[name] for name, read in readers.items()}
        other = machine_busy_seconds() - busy - sum(cpu.values())
    finally:
        nginx.stop()
    return Level(servers, summarise(samples, users), cpu, max(other, 0.0))


def stored_bytes_per_conversation(c: Cluster) -> float:
    """Return PostgreSQL's bytes (table and indexes) per stored conversation."""
    import psycopg2

    with psycopg2.connect(c.database_url()) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('events'), count(DISTINCT sender_id) "
            "FROM events"
        )
        size, conversations = cursor.fetchone()
    db.close()
    return size / max(conversations, 1)


def report(
    levels: list[Level],
    machine: Machine,
    rss: list[int],
    args: argparse.Namespace,
    storage: float = 0.0,
) -> str:
    """Return reports/scale.md."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    base = levels[0].summary.rate or 1.0
    lines = [
        f"# Scale-out: throughput with {', '.join(str(x.servers) for x in levels)}"
        f" Rasa servers, {now}",
        "",
        f"Machine: {machine.cores} cores ({machine.cpu}), {machine.memory_gb:.1f} GB "
        f"memory; load average at the start "
        f"{', '.join(f'{x:.2f}' for x in machine.load)}. Python {machine.python}, "
        f"rasa {machine.versions['rasa']}.",
        "",
        "Set-up (`make scale-bench`, `python -m tools.scale.bench`): PostgreSQL "
        "tracker store, Redis lock store "
        "(assistant.server.lock_store.AtomicRedisLockStore), one "
        "action server, N Rasa servers (`python -m assistant.server run`, "
        "deploy/endpoints.production.yml), nginx round-robin in front, all on this "
        "machine's loopback. "
        f"{args.users} simulated users in a closed loop (no think time) through nginx, "
        f"{WARM_UP_SECONDS:.0f} s warm-up, then {args.seconds:.0f} s measured per "
        "level; conversations from tests/eval, a new sender each; rate limits off.",
        "",
        "| Rasa servers | messages/s | vs 1 server | p50 | p95 | p99 | errors | "
        "messages |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for level in levels:
        s = level.summary
        lines.append(
            f"| {level.servers} | {s.rate:.1f} | {s.rate / base:.2f}× | "
            f"{s.p50 * 1000:.0f} ms | {s.p95 * 1000:.0f} ms | {s.p99 * 1000:.0f} ms | "
            f"{s.errors} | {s.messages} |"
        )
    lines += [
        "",
        "## Where the cores went",
        "",
        "CPU seconds used by each component during the measured run, as a share of "
        f"the {machine.cores} cores' capacity over the run "
        f"({machine.cores} × the run's wall time).",
        "",
        "| component | " + " | ".join(f"{x.servers} server(s)" for x in levels) + " |",
        "|---|" + "---|" * len(levels),
    ]
    names = list(levels[-1].cpu)
    for name in names:
        cells = []
        for level in levels:
            capacity = machine.cores * level.summary.seconds
            used = level.cpu.get(name)
            cells.append("-" if used is None else f"{100 * used / capacity:.0f}%")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = [
        f"{100 * sum(x.cpu.values()) / (machine.cores * x.summary.seconds):.0f}%"
        for x in levels
    ]
    lines.append("| **the cluster** | " + " | ".join(totals) + " |")
    lines.append(
        "| rest of the machine (other processes, kernel work such as loopback "
        "networking) | "
        + " | ".join(
            f"{100 * x.other / (machine.cores * x.summary.seconds):.0f}%"
            for x in levels
        )
        + " |"
    )
    lines += [
        "",
        "Messages per CPU-second of the Rasa servers (the figure to size with): "
        + ", ".join(f"{x.servers} server(s) {per_rasa_second(x):.0f}" for x in levels)
        + ".",
    ]
    lines += [
        "",
        "Peak memory (RSS) of each Rasa server with its de-identifier process: "
        + ", ".join(f"{kb / 1024**2:.2f} GB" for kb in rss)
        + f". PostgreSQL holds {storage / 1024:.1f} kB per conversation (table and "
        "indexes, the bench's conversations of 2-6 turns).",
        "",
    ]
    return "\n".join(lines) + "\n" + bottleneck_note(levels, machine)


def per_rasa_second(level: Level) -> float:
    """Return the answered messages per CPU-second the Rasa servers used."""
    used = sum(v for k, v in level.cpu.items() if k.startswith("Rasa"))
    return level.summary.rate * level.summary.seconds / max(used, 1e-9)


def share(level: Level, *prefixes: str) -> float:
    """Return the part of all CPU time of a level used by the named components."""
    total = sum(level.cpu.values()) or 1e-9
    return sum(v for k, v in level.cpu.items() if k.startswith(prefixes)) / total


def bottleneck_note(levels: list[Level], machine: Machine) -> str:
    """Return the paragraph on where the next bottleneck is, from the figures."""
    best = max(levels, key=lambda x: x.summary.rate)
    speedup = best.summary.rate / (levels[0].summary.rate or 1.0)
    busy = sum(best.cpu.values()) / (machine.cores * best.summary.seconds)
    return (
        "## Where the next bottleneck is\n\n"
        f"The best level was {best.servers} Rasa server(s): "
        f"{best.summary.rate:.1f} messages/s, {speedup:.2f}× one server, with the "
        f"{machine.cores} cores {100 * busy:.0f}% busy with the cluster and "
        f"{100 * best.other / (machine.cores * best.summary.seconds):.0f}% with the "
        "rest of the machine. Of the cluster's CPU time at that "
        f"level the Rasa servers used {100 * share(best, 'Rasa'):.0f}%, the action "
        f"server {100 * share(best, 'action'):.0f}%, PostgreSQL, Redis and nginx "
        f"together {100 * share(best, 'PostgreSQL', 'Redis', 'nginx'):.0f}%, and the "
        f"load generator, which runs on the same machine, "
        f"{100 * share(best, 'load'):.0f}%. A Rasa server handles one message at a "
        "time on one core (NLU runs in its event loop), so servers beyond the number "
        "of free cores only share them: here the cores are the cap, not the "
        "database or the lock store. With more cores or machines the next limits "
        "would be, in order: CPU for NLU (add Rasa servers, about one per core); "
        "the action server (one process here; run several behind the load "
        "balancer); PostgreSQL (one small write transaction per turn, and a pool "
        "of connections per Rasa server); Redis last (a few small commands per "
        "turn).\n"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m tools.scale.bench")
    parser.add_argument("--servers", default="1,2,3", help="levels, comma-separated")
    parser.add_argument("--users", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--out", type=Path, default=Path("reports/scale.md"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure each level and write the report."""
    args = parse_args(argv)
    counts = [int(n) for n in args.servers.split(",") if n.strip()]
    machine = describe()
    sessions = load_sessions()
    print(f"Starting {max(counts)} Rasa servers (about a minute)...")
    with cluster(servers=max(counts), settings=SETTINGS) as c:
        levels = [
            measure_level(c, n, args.users, args.seconds, sessions) for n in counts
        ]
        rss = [tree_peak_kb(s.pid) for s in c.servers]
        storage = stored_bytes_per_conversation(c)
    text = report(levels, machine, rss, args, storage)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    for level in levels:
        s = level.summary
        print(
            f"{level.servers} server(s): {s.rate:.1f} messages/s, p50 "
            f"{s.p50 * 1000:.0f} ms, p95 {s.p95 * 1000:.0f} ms, {s.errors} errors"
        )
    print(f"Report: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
