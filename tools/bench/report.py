"""The bench report (reports/bench.md): both servers side by side, and the targets."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from tools.bench.machine import Machine
from tools.bench.profile import Profile
from tools.bench.stats import Summary

GB = 1024**2  # kB per GB


@dataclass(frozen=True)
class TrainingTime:
    """How long `rasa train --force` took, and where the figure comes from."""

    seconds: float
    source: str


@dataclass
class ServerResult:
    """Everything measured for one model's servers."""

    label: str
    model: str
    cold_start: float
    listening: float
    actions_start: float
    levels: dict[int, Summary] = field(default_factory=dict)
    rss_after_start: dict[str, int] = field(default_factory=dict)
    peak_rss: dict[str, int] = field(default_factory=dict)
    training: TrainingTime | None = None
    profile: Profile | None = None
    start_profile: Profile | None = None


@dataclass(frozen=True)
class Target:
    """One goal of the issue: its measure, the two values, the limit and the verdict."""

    measure: str
    ours: str
    base: str
    goal: str
    met: bool | None


def _ms(seconds: float) -> str:
    """Format seconds as milliseconds."""
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.0f} ms"


def _ratio(a: float, b: float) -> float:
    """Return a / b (nan when it has no meaning)."""
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def targets(ours: ServerResult, base: ServerResult) -> list[Target]:
    """Check the issue's targets (ratios in the same run, absolute goals)."""
    rows = []
    most = max(ours.levels)
    if most in base.levels:
        a, b = ours.levels[most].rate, base.levels[most].rate
        r = _ratio(a, b)
        rows.append(
            Target(
                f"messages/s per Rasa process at {most} users",
                f"{a:.1f}",
                f"{b:.1f}",
                f"≥ 2× baseline (now {r:.2f}×)",
                r >= 2,
            )
        )
    if 8 in ours.levels and 8 in base.levels:
        a, b = ours.levels[8].p95, base.levels[8].p95
        r = _ratio(a, b)
        rows.append(
            Target(
                "p95 latency at 8 users",
                _ms(a),
                _ms(b),
                f"≤ 0.5× baseline (now {r:.2f}×)",
                r <= 0.5,
            )
        )
    errors = [sum(s.errors for s in r.levels.values()) for r in (ours, base)]
    rows.append(
        Target("errors, all levels", str(errors[0]), str(errors[1]), "0", not errors[0])
    )
    rss = [r.peak_rss.get("Rasa server", 0) / GB for r in (ours, base)]
    rows.append(
        Target(
            "Rasa server peak RSS",
            f"{rss[0]:.2f} GB",
            f"{rss[1]:.2f} GB",
            "≤ 1.2 GB",
            rss[0] <= 1.2,
        )
    )
    rows.append(
        Target(
            "cold start to first answer",
            f"{ours.cold_start:.1f} s",
            f"{base.cold_start:.1f} s",
            "≤ 25 s",
            ours.cold_start <= 25,
        )
    )
    times = [r.training.seconds if r.training else math.nan for r in (ours, base)]
    rows.append(
        Target(
            "training time (`rasa train --force`)",
            "-" if math.isnan(times[0]) else f"{times[0] / 60:.1f} min",
            "-" if math.isnan(times[1]) else f"{times[1] / 60:.1f} min",
            "≤ 4 min",
            None if math.isnan(times[0]) else times[0] <= 240,
        )
    )
    return rows


def _verdict(met: bool | None) -> str:
    """Render a target's verdict."""
    return {True: "yes", False: "**no**", None: "not measured"}[met]


def level_rows(results: list[ServerResult]) -> list[str]:
    """Return one row per server and level."""
    rows = []
    for users in sorted({u for r in results for u in r.levels}):
        for result in results:
            s = result.levels.get(users)
            if s is None:
                continue
            kinds = ", ".join(f"{k}: {n}" for k, n in sorted(s.error_kinds.items()))
            rows.append(
                f"| {users} | {result.label} | {s.messages} | {s.errors}"
                f"{f' ({kinds})' if kinds else ''} | {s.seconds:.0f} s "
                f"| {s.rate:.1f} | {_ms(s.p50)} | {_ms(s.p95)} | {_ms(s.p99)} "
                f"| {_ms(s.mean)} | {_ms(s.worst)} |"
            )
    return rows


def memory_rows(results: list[ServerResult]) -> list[str]:
    """Return RSS after start and peak RSS per process."""
    rows = []
    for r in results:
        roles = list(dict.fromkeys([*r.rss_after_start, *r.peak_rss]))
        rows += [
            f"| {r.label} | {role} | {r.rss_after_start.get(role, 0) / 1024:.0f} MB "
            f"| {r.peak_rss.get(role, 0) / 1024:.0f} MB |"
            for role in roles
        ]
        rows.append(
            f"| {r.label} | **all processes** | "
            f"{sum(r.rss_after_start.values()) / 1024:.0f} MB | "
            f"{sum(r.peak_rss.values()) / 1024:.0f} MB |"
        )
    return rows


def start_rows(results: list[ServerResult]) -> list[str]:
    """Return start-up and training figures per model."""
    rows = []
    for r in results:
        training = (
            f"{r.training.seconds:.0f} s ({r.training.source})" if r.training else "-"
        )
        rows.append(
            f"| {r.label} | {r.actions_start:.1f} s | {r.listening:.1f} s "
            f"| {r.cold_start:.1f} s | {training} |"
        )
    return rows


def top_costs(result: ServerResult, count: int = 5) -> list[str]:
    """Return the biggest costs of serving as bullets: subsystems, then functions."""
    p = result.profile
    if p is None:
        return []
    subsystems = ", ".join(f"{name} {share:.0%}" for name, share in p.buckets[:count])
    functions = ", ".join(f"`{name}` {share:.0%}" for name, share in p.self_time[:3])
    return [
        f"- {result.label}: {subsystems}.",
        f"- {result.label}, innermost functions: {functions}.",
    ]


def profile_lines(result: ServerResult, start: bool = False) -> list[str]:
    """Return the profile tables of one server (or why there are none)."""
    p = result.start_profile if start else result.profile
    what = "start-up" if start else "serving"
    if p is None:
        return [f"No {what} profile of {result.label} (py-spy missing or off).", ""]
    lines = [
        f"### {result.label}, {what}: {p.samples} samples",
        "",
        "| subsystem (innermost frame) | share of samples |",
        "|---|---|",
        *[f"| {name} | {share:.1%} |" for name, share in p.buckets],
        "",
        "| function, inclusive | share |",
        "|---|---|",
        *[f"| `{name}` | {share:.1%} |" for name, share in p.inclusive],
        "",
        "| function, self | share |",
        "|---|---|",
        *[f"| `{name}` | {share:.1%} |" for name, share in p.self_time],
        "",
    ]
    return lines


def markdown(
    results: list[ServerResult],
    machine: Machine,
    settings: dict[str, str],
    image: str,
    when: datetime,
    notes: list[str],
) -> str:
    """Render reports/bench.md."""
    ours, base = results
    load = ", ".join(f"{x:.2f}" for x in machine.load)
    versions = ", ".join(f"{k} {v}" for k, v in machine.versions.items())
    lines = [
        f"# Speed, memory and scale: this project against Rasa's default pipeline, "
        f"{when:%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine.cores} cores ({machine.cpu}), {machine.memory_gb:.1f} GB "
        f"memory; load average at the start {load}. Python {machine.python}, "
        f"{versions}.",
        "",
        "Models: "
        + "; ".join(f"{r.label} `{r.model}`" for r in results)
        + " (baseline/config.yml: `rasa init`'s default pipeline and policies, "
        "same domain and data, served as a team starting from `rasa init` would: "
        "stock `python -m rasa run`, with this project's channel, action server and "
        "de-identifying tracker store; this project's server is its launcher "
        "`python -m assistant.server run`, as `make run` starts it).",
        "",
        "Settings: " + "; ".join(f"{k} {v}" for k, v in settings.items()) + ".",
        "",
        "## Targets",
        "",
        f"| measure | {ours.label} | {base.label} | goal | met |",
        "|---|---|---|---|---|",
        *[
            f"| {t.measure} | {t.ours} | {t.base} | {t.goal} | {_verdict(t.met)} |"
            for t in targets(ours, base)
        ],
        "",
        f"![latency and throughput]({image})",
        "",
        "## Load levels",
        "",
        "Closed loop: each simulated user sends the next turn as soon as the answer is "
        "in. Messages/s counts answered messages over the level's wall time. Latency "
        "is of answered messages.",
        "",
        "| users | server | messages | errors | time | messages/s | p50 | p95 | p99 "
        "| mean | max |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *level_rows(results),
        "",
        "## Start-up, training and memory",
        "",
        "| model | action server ready | Rasa server listening | first answer "
        "(cold start) | training |",
        "|---|---|---|---|---|",
        *start_rows(results),
        "",
        "| model | process | RSS at first answer | peak RSS (VmHWM) |",
        "|---|---|---|---|",
        *memory_rows(results),
        "",
        "## Where the time goes (py-spy on the running Rasa server)",
        "",
        "Top costs, share of the busy samples:",
        "",
        *[line for result in results for line in top_costs(result)],
        "",
        "Sampled while 8 users talk to it. *Subsystem* counts each sample once, by "
        "its innermost frame in a known library or module; *inclusive* counts a "
        "function when it is anywhere on the stack (entry points in ≥ 97 % of samples "
        "left out); *self* counts the innermost Python frame (native work inside it "
        "included).",
        "",
        *[line for result in results for line in profile_lines(result)],
        "## Where the start-up time goes (py-spy from start to first answer)",
        "",
        "A separate start of this project's servers after the measurements, sampled "
        "from the moment the Rasa server process starts until it answers its first "
        "message (sampling slows the start; the cold start above is without it). "
        "Imports show as the `<module>` of the package imported.",
        "",
        *profile_lines(ours, start=True),
    ]
    if notes:
        lines += ["## Notes", "", *[f"- {note}" for note in notes], ""]
    return "\n".join(lines)
