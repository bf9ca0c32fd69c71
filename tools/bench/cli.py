"""`python -m bench`: this project's servers and the baseline's, driven in one run.

Usage: python -m tools.bench [--users 1,8,32] [--seconds 60] [--messages 3000]
       [--profile-seconds 20] [--train-time auto|measure|skip]
       [--project-env KEY=VALUE ...] [--out reports]

Steps: train the baseline when stale; time `rasa train --force` for both configs
(auto: use the record of a timed training of the current inputs when there is one);
start both stacks of servers one after the other (cold start to first answer); warm
up; run each number of users against both servers, alternating which goes first;
profile each Rasa server with py-spy under 8 users and this project's start-up;
stop; write reports/bench.md, reports/bench.png and results/bench/ (raw figures and
py-spy stacks). --project-env tries a server setting (e.g. TensorFlow threads) on
this project's servers only; the report says so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import shutil
import sys
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from tqdm import tqdm

from tools import training
from tools.bench import machine, profile, servers
from tools.bench.load import run_level
from tools.bench.plot import latency_plot
from tools.bench.report import ServerResult, TrainingTime, markdown
from tools.bench.scenarios import load_sessions
from tools.bench.stats import Sample, summarise

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
BASELINE_CONFIG = ROOT / "baseline" / "config.yml"
PROFILE_USERS = 8


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,8,32", help="levels, comma-separated")
    parser.add_argument("--seconds", type=float, default=60, help="max s per level")
    parser.add_argument("--messages", type=int, default=3000, help="max per level")
    parser.add_argument("--warmup", type=int, default=20, help="messages per server")
    parser.add_argument("--profile-seconds", type=float, default=20)
    parser.add_argument(
        "--train-time", choices=("auto", "measure", "skip"), default="auto"
    )
    parser.add_argument(
        "--project-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment of this project's servers (to try a setting)",
    )
    parser.add_argument(
        "--project-endpoints",
        type=Path,
        default=ROOT / "endpoints.yml",
        help="endpoints.yml of this project's servers (to try another tracker store)",
    )
    parser.add_argument(
        "--project-server",
        default="assistant.server",
        help="module that runs this project's Rasa server (as scripts/run.sh does)",
    )
    parser.add_argument(
        "--baseline-server",
        default="rasa",
        help="module that runs the baseline's Rasa server (stock Rasa by default)",
    )
    parser.add_argument("--model", type=Path, default=MODELS / "assistant.tar.gz")
    parser.add_argument("--baseline", type=Path, default=MODELS / "baseline.tar.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument("--results", type=Path, default=ROOT / "results" / "bench")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    return parser.parse_args(argv)


def training_time(
    config: Path, name: str, mode: str, work: Path
) -> TrainingTime | None:
    """Return the training time of a config: recorded, timed now, or None."""
    if mode == "skip":
        return None
    record = training.read_record(MODELS, name)
    if mode == "auto" and record and not training.is_stale(config, MODELS, name):
        return TrainingTime(record.seconds, f"recorded {record.finished[:10]}")
    out = work / "train"
    log = work / f"train-{name}.log"
    print(f"Timing `rasa train --force` with {shown(config)} for {name} (log: {log})")
    record = training.train(config, out, name, log=log)
    shutil.rmtree(out, ignore_errors=True)
    return TrainingTime(record.seconds, "timed in this run")


def drive(
    stack: servers.Stack, users: int, sessions: list, args: argparse.Namespace
) -> list[Sample]:
    """Run one level against one server with a progress bar; return its samples."""
    with tqdm(
        total=args.messages,
        desc=f"{stack.name:>9} {users:>2} users",
        unit="msg",
        mininterval=0.5,
    ) as bar:
        deadline = time.perf_counter() + args.seconds

        def tick(_: Sample) -> None:
            bar.update()
            left = max(deadline - time.perf_counter(), 0)
            bar.set_postfix_str(f"{left:.0f} s left", refresh=False)

        return asyncio.run(
            run_level(
                stack.base_url, users, sessions, args.messages, args.seconds, tick
            )
        )


def profiled(
    stack: servers.Stack, sessions: list, args: argparse.Namespace, results: Path
):
    """Profile the Rasa server with py-spy while PROFILE_USERS users talk to it."""
    out = results / f"profile-{stack.name}.txt"
    spy = profile.record(stack.rasa.pid, args.profile_seconds, out)
    time.sleep(0.5)
    asyncio.run(
        run_level(
            stack.base_url, PROFILE_USERS, sessions, 10**6, args.profile_seconds
        )
    )
    spy.wait(timeout=args.profile_seconds + 60)
    return profile.read(out) if out.exists() else None


def shown(path: Path) -> str:
    """Return a path relative to the project when it is inside it."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def project_env(args: argparse.Namespace) -> dict[str, str]:
    """Return the --project-env settings as a dict."""
    return dict(item.split("=", 1) for item in args.project_env)


def start_profile(args: argparse.Namespace) -> profile.Profile | None:
    """Start this project's servers once more, under py-spy until the first answer."""
    out = args.results / "profile-start-assistant.txt"
    print("Profiling a start of this project's servers...")
    stack = servers.start(
        "assistant-profiled",
        args.model,
        args.work,
        extra_env=project_env(args),
        profile_to=out,
        endpoints=args.project_endpoints,
        server_module=args.project_server,
    )  # started and answered: stop it at once
    servers.stop(stack)
    return profile.read(out) if out.exists() else None


def contenders(args: argparse.Namespace) -> list[tuple[str, Path, str, Path]]:
    """Return label, config, model name and model file of both contenders."""
    return [
        ("this project", ROOT / "config.yml", "assistant", args.model),
        ("baseline", BASELINE_CONFIG, "baseline", args.baseline),
    ]


def measure(
    args: argparse.Namespace, levels: list[int], sessions: list, notes: list[str]
) -> tuple[list[servers.Stack], dict, dict, dict]:
    """Start both stacks, drive every level, profile; return what was measured."""
    stacks: list[servers.Stack] = []
    samples: dict[tuple[str, int], list[Sample]] = {}
    profiles: dict[str, profile.Profile | None] = {}
    try:
        for label, _, name, model in contenders(args):
            print(f"Starting the servers of {label} ({model.name})...")
            ours = name == "assistant"
            stack = servers.start(
                name,
                model,
                args.work,
                extra_env=project_env(args) if ours else {},
                endpoints=args.project_endpoints if ours else ROOT / "endpoints.yml",
                server_module=args.project_server if ours else args.baseline_server,
            )
            print(f"  first answer {stack.cold_start:.1f} s after start")
            stacks.append(stack)
            asyncio.run(run_level(stack.base_url, 1, sessions, args.warmup, 120))
        for i, users in enumerate(levels):
            for stack in stacks if i % 2 == 0 else stacks[::-1]:
                samples[(stack.name, users)] = drive(stack, users, sessions, args)
        if args.profile_seconds > 0 and profile.available():
            for stack in stacks:
                print(f"Profiling {stack.name} for {args.profile_seconds:.0f} s...")
                profiles[stack.name] = profiled(stack, sessions, args, args.results)
        elif args.profile_seconds > 0:
            notes.append("py-spy is not installed (`.venv/bin/pip install py-spy`).")
        peaks = {
            s.name: {role: servers.memory_kb(pid) for role, pid in s.pids().items()}
            for s in stacks
        }
    finally:
        for stack in stacks:
            servers.stop(stack)
    if args.profile_seconds > 0 and profile.available():
        profiles["start"] = start_profile(args)
    return stacks, samples, profiles, peaks


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write the report."""
    args = parse_args(argv)
    levels = [int(u) for u in args.users.split(",") if u.strip()]
    started = datetime.now()
    host = machine.describe()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    args.results.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    if training.is_stale(BASELINE_CONFIG, MODELS, "baseline"):
        print("Training the default-pipeline baseline (stale or missing)...")
        training.train(BASELINE_CONFIG, MODELS, "baseline")
    times = {
        name: training_time(config, name, args.train_time, args.work)
        for _, config, name, _ in contenders(args)
    }
    sessions = load_sessions()
    stacks, samples, profiles, peaks = measure(args, levels, sessions, notes)
    results = [
        ServerResult(
            label=label,
            model=shown(model),
            cold_start=stack.cold_start,
            listening=stack.listening,
            actions_start=stack.actions_start,
            levels={u: summarise(samples[(name, u)], u) for u in levels},
            rss_after_start=stack.rss_after_start,
            peak_rss=peaks[name],
            training=times[name],
            profile=profiles.get(name),
            start_profile=profiles.get("start") if name == "assistant" else None,
        )
        for (label, _, name, model), stack in zip(contenders(args), stacks, strict=True)
    ]
    command = shlex.join(argv if argv is not None else sys.argv[1:])
    settings = {
        "users": args.users,
        "per level at most": f"{args.messages} messages or {args.seconds:.0f} s",
        "warm-up": f"{args.warmup} messages per server",
        "conversations": f"{len(sessions)} (tests/eval texts), a new sender each",
        "endpoint": "POST /webhooks/web/message",
        "rate limits": "off (RATE_LIMIT_SENDER=0, RATE_LIMIT_IP=0)",
        "extra environment of this project's servers": (
            ", ".join(args.project_env) or "none"
        ),
        "endpoints of this project's servers": shown(args.project_endpoints),
        "this project's Rasa server": f"python -m {args.project_server} run",
        "the baseline's Rasa server": f"python -m {args.baseline_server} run",
        "command": f"`{f'python -m tools.bench {command}'.strip()}`",
    }
    latency_plot(results, args.out / "bench.png")
    text = markdown(results, host, settings, "bench.png", started, notes)
    (args.out / "bench.md").write_text(text, encoding="utf-8")
    raw = {r.label: asdict(r) for r in results}
    (args.results / "summary.json").write_text(
        json.dumps(raw, indent=2, default=str), encoding="utf-8"
    )
    print(text)
    return 0
