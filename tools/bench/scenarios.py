"""Realistic multi-turn Dutch conversations for the load generator.

All texts come from the held-out evaluation set (tests/eval/): its multi-turn
conversations as they are, and sessions made of its single messages the way patients
write: sometimes a greeting, two to four questions on one subject, sometimes thanks or
a goodbye. Speed only: which answer comes back is `make eval`'s business.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import yaml

from assistant.content.catalogue import SUBJECTS, subject_of_topic

ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = ROOT / "tests" / "eval"
Session = tuple[str, ...]


def load_yaml(path: Path) -> dict:
    """Read a YAML file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def subject_of(expect: Sequence[str]) -> str | None:
    """Return the subject of a message by its first expected topic, if it has one."""
    return subject_of_topic(expect[0]) if expect else None


def by_kind(messages: Sequence[dict]) -> dict[str, list[str]]:
    """Group message texts: per subject, and greetings, closings and the rest."""
    groups: dict[str, list[str]] = {"greet": [], "closing": [], "other": []}
    groups.update({subject: [] for subject in SUBJECTS})
    for message in messages:
        expect = message["expect"]
        kind = subject_of(expect) or (
            "greet"
            if expect[0] == "greet"
            else "closing"
            if expect[0] in ("thanks", "goodbye")
            else "other"
        )
        groups[kind].append(message["text"])
    return groups


def made_sessions(groups: dict[str, list[str]], count: int, seed: int) -> list[Session]:
    """Make `count` sessions: maybe a greeting, 2-4 questions, maybe a closing."""
    rng = random.Random(seed)
    sessions = []
    for _ in range(count):
        subject = rng.choice(list(SUBJECTS))
        turns = []
        if groups["greet"] and rng.random() < 0.4:
            turns.append(rng.choice(groups["greet"]))
        pool = groups[subject] + groups["other"][: len(groups[subject]) // 4]
        turns += rng.sample(pool, k=min(rng.randint(2, 4), len(pool)))
        if groups["closing"] and rng.random() < 0.5:
            turns.append(rng.choice(groups["closing"]))
        sessions.append(tuple(turns))
    return sessions


def load_sessions(eval_dir: Path = EVAL_DIR, made: int = 60, seed: int = 7) -> list:
    """Return the evaluation conversations and `made` sessions, shuffled."""
    conversations = [
        tuple(turn["text"] for turn in c["turns"])
        for c in load_yaml(eval_dir / "conversations.yml")["conversations"]
    ]
    groups = by_kind(load_yaml(eval_dir / "messages.yml")["messages"])
    sessions = conversations + made_sessions(groups, made, seed)
    random.Random(seed).shuffle(sessions)
    return sessions
