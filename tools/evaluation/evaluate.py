"""Runs the evaluation sets through a trained model and reports answer quality.

Usage: python -m tools.evaluation.evaluate [--model models/assistant.tar.gz]
       [--baseline models/baseline.tar.gz] [--folds 5] [--no-baseline] [--out reports]

Writes reports/acceptance.md (this model) and reports/eval.md: this model and the
default-pipeline baseline (baseline/config.yml, trained here when stale) side by side,
with the NLU cross-validation macro F1 of both and the pictures eval*.png. With
--no-baseline, reports/eval.md covers this model alone, as before.

The sets are SETS below (the blind sets of tests/eval/blind/ first). Every message
starts a new conversation; every conversation is played turn by turn. The answer's
topic is the name of the first response the assistant gives (`utter_<topic>`). The
model runs in this process with the patches the server ships
(`assistant.server.rasa_patches`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import shutil
import sys
import tempfile
import uuid
from datetime import date
from pathlib import Path

import yaml

from assistant.content import catalogue
from assistant.content.suggestions import payload_topic
from assistant.server import rasa_patches
from assistant.server.launcher import action_timeout
from tools.evaluation.results import (
    BLIND_TEXT,
    NO_ANSWER,
    THRESHOLDS,
    Report,
    Result,
    Turn,
)
from tools.stack import running_action_server

ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = ROOT / "tests" / "eval"
BASELINE_NAME = "baseline"
FALLBACK = "nlu_fallback"
BLIND_DIR = EVAL_DIR / "blind"
# (report name, title, messages file, conversations file): the blind final set first.
SETS = (
    (
        "blind-final4",
        "Blind realistic set, final 4 (written blind on 2 December 2026 by a writer "
        "who saw only the catalogue and the sources; misses are reported without "
        "their texts)",
        BLIND_DIR / "final4.yml",
        None,
    ),
    (
        "blind-final3",
        "Blind realistic set, final 3 (written blind on 2 December 2026; misses are "
        "reported without their texts; its crisis misses were read on 2 December)",
        BLIND_DIR / "final3.yml",
        None,
    ),
    (
        "blind-final2",
        "Blind realistic set, final 2 (written blind on 2 December 2026; misses are "
        "reported without their texts, so that reading this report keeps it blind)",
        BLIND_DIR / "final2.yml",
        None,
    ),
    (
        "blind-final",
        "Blind realistic set, final 1 (written blind; its misses were printed with "
        "their texts in this report and read on 2 December 2026: seen since)",
        BLIND_DIR / "final.yml",
        None,
    ),
    (
        "blind-dev",
        "Blind realistic set, dev (written blind; its misses guided development: seen)",
        BLIND_DIR / "dev.yml",
        None,
    ),
    (
        "heldout-old",
        "Old held-out set (seen: it guided the training data)",
        EVAL_DIR / "messages.yml",
        EVAL_DIR / "conversations.yml",
    ),
    ("acceptance", "Acceptance questions (seen)", EVAL_DIR / "acceptance.yml", None),
)
# Sets whose reports name their misses by topic only, never by text.
KEPT_BLIND = frozenset({"blind-final2", "blind-final3", "blind-final4"})


def normalised(text: str) -> str:
    """Lower-case a message and drop punctuation, to compare it with others."""
    return " ".join(re.sub(r"[^\w ]", " ", text.lower()).split())


def training_texts(data_dir: Path = ROOT / "data" / "nlu") -> set[str]:
    """Return the normalised texts of all NLU training examples."""
    texts = set()
    for path in data_dir.glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in item.get("examples", "").splitlines():
                texts.add(normalised(line.strip().removeprefix("- ")))
    return texts


def load_turns(
    messages: Path, conversations: Path | None
) -> tuple[list[Turn], list[list[Turn]]]:
    """Load single messages and multi-turn conversations (from one or two files)."""
    seen = training_texts()

    def turn(item: dict, style: str, conversation: str | None = None) -> Turn:
        text = item["text"]
        return Turn(
            text,
            tuple(item["expect"]),
            conversation,
            normalised(text) in seen,
            item.get("style", style),
        )

    data = yaml.safe_load(messages.read_text(encoding="utf-8"))
    singles = [turn(m, "short") for m in data.get("messages") or []]
    if conversations is not None:
        data = yaml.safe_load(conversations.read_text(encoding="utf-8"))
    dialogues = [
        [turn(t, "conversation", c["name"]) for t in c["turns"]]
        for c in data.get("conversations") or []
    ]
    return singles, dialogues


def topic_of(utter_action: str | None) -> str:
    """Return the topic of the response given, or NO_ANSWER when there was none."""
    return catalogue.topic_of(utter_action) or NO_ANSWER


def top_confidence(parse_data: dict) -> float:
    """Return the confidence of the best intent other than `nlu_fallback`."""
    ranking = parse_data.get("intent_ranking") or [parse_data.get("intent") or {}]
    scores = [r.get("confidence") or 0.0 for r in ranking if r.get("name") != FALLBACK]
    return max(scores, default=0.0)


def kennisbank_topics(agent, parse_data: dict) -> tuple[str, ...]:  # noqa: ANN001
    """Return the topics the kennisbank search shows for a message's intent ranking."""
    from web.knowledge import search

    ranking = parse_data.get("intent_ranking") or []
    results = search(ranking, agent.domain.responses, {})
    return tuple(a["topic"] for r in results for a in r["answers"])


async def answer(agent, sender: str, text: str) -> Result:  # noqa: ANN001
    """Send one message; return the first response's topic, confidence and search."""
    from rasa.shared.core.events import BotUttered, UserUttered

    await agent.handle_text(text, sender_id=sender)
    tracker = await agent.processor.get_tracker(sender)
    events = list(tracker.events)
    last_user = max(i for i, e in enumerate(events) if isinstance(e, UserUttered))
    parse_data = events[last_user].parse_data
    topic, offered = NO_ANSWER, tuple[str, ...]()
    for event in events[last_user:]:
        if isinstance(event, BotUttered):
            topic = topic_of(event.metadata.get("utter_action"))
            buttons = (event.data or {}).get("buttons") or []
            offered = tuple(payload_topic(str(b.get("payload"))) for b in buttons)
            break
    search = kennisbank_topics(agent, parse_data)
    return Result(Turn(text, ()), topic, top_confidence(parse_data), search, offered)


async def evaluate(
    model: Path,
    action_url: str,
    messages: Path = EVAL_DIR / "messages.yml",
    conversations: Path | None = EVAL_DIR / "conversations.yml",
) -> Report:
    """Play the whole evaluation set against a model and collect the answers."""
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # as `rasa run` would; no debug flood
    endpoints = AvailableEndpoints(action=EndpointConfig(url=action_url))
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    singles, dialogues = load_turns(messages, conversations)
    report = Report()
    for dialogue in [[turn] for turn in singles] + dialogues:
        sender = uuid.uuid4().hex
        for turn in dialogue:
            got = await answer(agent, sender, turn.text)
            report.results.append(
                Result(turn, got.topic, got.confidence, got.kennisbank, got.offered)
            )
    return report


def markdown(report: Report, model: Path, title: str, examples: bool = True) -> str:
    """Render a report as Markdown; without `examples`, misses name topics only."""
    unseen = report.unseen
    lines = [
        f"# {title}, {date.today().isoformat()}",
        "",
        f"Model: `{shown(model)}`. {len(report.results)} turns, of which "
        f"{len(unseen.results)} are not also training examples.",
        "",
        "| measure | all turns | turns not in training data |",
        "|---|---|---|",
        f"| topic accuracy | {report.accuracy:.1%} | {unseen.accuracy:.1%} |",
        f"| wrong-content rate | {report.wrong_content_rate:.1%} "
        f"| {unseen.wrong_content_rate:.1%} |",
        f"| fallback rate | {report.fallback_rate:.1%} "
        f"| {unseen.fallback_rate:.1%} |",
        f"| right answer, or the right topic offered as a button "
        f"| {report.answered_or_offered:.1%} | {unseen.answered_or_offered:.1%} |",
        f'| "Bedoelt u ...?" turns with the right topic among the buttons '
        f"| {report.suggest_hit_rate:.1%} | {unseen.suggest_hit_rate:.1%} |",
        "",
        "## Per style",
        "",
        "*Kennisbank top 3*: an expected topic is among the staff search's best three.",
        "",
        "| style | turns | right | right or offered | wrong content | fallback "
        "| kennisbank top 3 |",
        "|---|---|---|---|---|---|---|",
        *style_rows(report),
        "",
        "## Fallback threshold",
        "",
        "What a higher `FallbackClassifier` threshold would have given on this set",
        "(turns whose best intent scored below it fall back):",
        "",
        "| threshold | accuracy | wrong content | fallback |",
        "|---|---|---|---|",
        *[
            f"| {t:.2f} | {at.accuracy:.1%} | {at.wrong_content_rate:.1%} "
            f"| {at.fallback_rate:.1%} |"
            for t in THRESHOLDS
            for at in [report.at_threshold(t)]
        ],
        "",
        "## Misses (expected → given)",
        "",
        "| expected | given | count | example |",
        "|---|---|---|---|",
    ]
    texts = {
        ("/".join(r.turn.expect), r.topic): r.turn.text
        for r in report.results
        if not r.right
    }
    for (expected, given), count in report.misses().most_common():
        example = texts[(expected, given)].replace("|", "/") if examples else BLIND_TEXT
        lines.append(f"| {expected} | {given} | {count} | {example} |")
    return "\n".join(lines) + "\n"


def style_rows(report: Report) -> list[str]:
    """Return one Markdown row per style: turns, accuracy, wrong content, fallback."""
    return [
        f"| {style} | {len(part.results)} | {part.accuracy:.1%} "
        f"| {part.answered_or_offered:.1%} "
        f"| {part.wrong_content_rate:.1%} | {part.fallback_rate:.1%} "
        f"| {part.kennisbank_top3():.1%} |"
        for style, part in report.by_style().items()
    ]


def shown(path: Path) -> str:
    """Return a path relative to the project when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def copied(model: Path, folder: Path) -> Path:
    """Copy a model into a folder (the original may be retrained meanwhile)."""
    target = folder / model.name
    shutil.copy(model, target)
    return target


def compare(args: argparse.Namespace, url: str, work: Path) -> None:
    """Evaluate this project's model and the baseline on every set; write eval.md."""
    from tools import training
    from tools.evaluation import compare as eval_compare
    from tools.evaluation import crossval
    from tools.evaluation import plot as eval_plot

    baseline_config = ROOT / "baseline" / "config.yml"
    if training.is_stale(baseline_config, args.baseline.parent, BASELINE_NAME):
        print("Training the default-pipeline baseline (stale or missing)...")
        training.train(baseline_config, args.baseline.parent, BASELINE_NAME)
    reports: dict[str, list[Report]] = {}
    models = []
    for label, model, config, results in (
        ("this project", args.model, ROOT / "config.yml", "cross-validation"),
        ("baseline", args.baseline, baseline_config, "cross-validation-baseline"),
    ):
        local = copied(model, work)
        reports[label] = [
            asyncio.run(evaluate(local, url, messages, conversations))
            for _, _, messages, conversations in SETS
        ]
        cv = None
        if args.folds:
            out = args.results / results
            cv = crossval.cross_validate(config, out, args.folds)
        models.append(eval_compare.Model(label, shown(model), reports[label][0], cv))
    ours, base = models
    sets = [
        (name, title, a, b)
        for (name, title, _, _), a, b in zip(
            SETS, reports["this project"], reports["baseline"], strict=True
        )
    ]
    images = ["eval.png", "eval-confusion.png", "eval-confusion-baseline.png"]
    eval_plot.comparison_chart(ours, base, args.out / images[0])
    eval_plot.confusion_matrix(ours, args.out / images[1])
    eval_plot.confusion_matrix(base, args.out / images[2])
    description = (
        f"The details below are for the first set ({SETS[0][1]}, "
        f"{shown(SETS[0][2])}), played one new conversation per message and turn by "
        "turn for its conversations, "
    )
    text = eval_compare.summary(sets, date.today()) + eval_compare.markdown(
        ours, base, images, date.today(), description, SETS[0][0] not in KEPT_BLIND
    ).replace("# Held-out evaluation", "## Details: held-out evaluation", 1)
    (args.out / "eval.md").write_text(text, encoding="utf-8")
    print(text)


def main(argv: list[str] | None = None) -> int:
    """Evaluate the model (and the baseline) and write the reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models/assistant.tar.gz")
    parser.add_argument(
        "--baseline", type=Path, default=ROOT / "models" / f"{BASELINE_NAME}.tar.gz"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument("--results", type=Path, default=ROOT / "results")
    parser.add_argument(
        "--folds", type=int, default=5, help="cross-validation folds (0: none)"
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="only this model, as before"
    )
    args = parser.parse_args(argv)
    args.model, args.baseline = args.model.resolve(), args.baseline.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    # the runtime that ships: Rasa with the project's patches
    with tempfile.TemporaryDirectory() as work, running_action_server(
        Path(work) / "actions"
    ) as actions, rasa_patches.installed(action_timeout(os.environ)):
        url = actions.url + "/webhook"
        model = copied(args.model, Path(work))
        for name, title, messages, conversations in SETS:
            report = asyncio.run(evaluate(model, url, messages, conversations))
            text = markdown(report, args.model, title, name not in KEPT_BLIND)
            (args.out / f"{name}.md").write_text(text, encoding="utf-8")
            print(text)
        if not args.no_baseline:
            compare(args, url, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
