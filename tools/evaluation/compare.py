"""The side-by-side evaluation report: this project's model against the baseline.

Pure functions over `tools.evaluation.evaluate.Report`s, rendered as Markdown for
reports/eval.md. A turn's topic, for the per-topic figures, is its first expected id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from tools.evaluation.crossval import CrossValidation
from tools.evaluation.results import BLIND_TEXT, THRESHOLDS, Report


@dataclass(frozen=True)
class Model:
    """One evaluated model: its label, file, held-out results and cross-validation."""

    label: str
    path: str
    report: Report
    cv: CrossValidation | None = None


def topic(expect: tuple[str, ...]) -> str:
    """Return the topic a turn is counted under: its first expected id."""
    return expect[0] if expect else "?"


def per_topic(report: Report) -> dict[str, tuple[int, int]]:
    """Return, per topic, the number of turns and the number answered right."""
    turns: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for result in report.results:
        key = topic(result.turn.expect)
        turns[key] += 1
        right[key] += result.right
    return {key: (turns[key], right[key]) for key in sorted(turns)}


def confusion(report: Report) -> Counter[tuple[str, str]]:
    """Count (topic asked, topic given) over all turns, right ones included."""
    return Counter((topic(r.turn.expect), r.topic) for r in report.results)


def _pct(value: float) -> str:
    """Format a share as a percentage with one decimal."""
    return f"{value:.1%}"


def _points(ours: float, theirs: float) -> str:
    """Format the difference of two shares in percentage points."""
    return f"{(ours - theirs) * 100:+.1f} pt"


def headline_rows(ours: Model, base: Model) -> list[str]:
    """Return the Markdown rows of the headline measures, both models side by side."""
    rows = []
    for scope, pick in (("all turns", lambda r: r), ("unseen", lambda r: r.unseen)):
        a, b = pick(ours.report), pick(base.report)
        for name, attr in (
            ("topic accuracy", "accuracy"),
            ("wrong-content rate", "wrong_content_rate"),
            ("fallback rate", "fallback_rate"),
        ):
            x, y = getattr(a, attr), getattr(b, attr)
            rows.append(
                f"| {name} ({scope}, n={len(a.results)}) | {_pct(x)} | {_pct(y)} "
                f"| {_points(x, y)} |"
            )
    if ours.cv and base.cv:
        for name, attr in (("macro F1", "macro_f1"), ("weighted F1", "weighted_f1")):
            x, y = getattr(ours.cv, attr), getattr(base.cv, attr)
            rows.append(
                f"| NLU {ours.cv.folds}-fold cross-validation {name} "
                f"| {x:.3f} | {y:.3f} | {x - y:+.3f} |"
            )
    return rows


def per_topic_rows(ours: Model, base: Model) -> list[str]:
    """Return per-topic rows: turns, misses of each model, worst first."""
    a, b = per_topic(ours.report), per_topic(base.report)
    keys = sorted(a, key=lambda k: (-(a[k][0] - a[k][1]), -(b[k][0] - b[k][1]), k))
    return [
        f"| {k} | {a[k][0]} | {a[k][0] - a[k][1]} | {b[k][0] - b[k][1]} |" for k in keys
    ]


def confusion_rows(
    ours: Model, base: Model, limit: int = 40, examples: bool = True
) -> list[str]:
    """Return both models' confusion pairs (wrong answers), most frequent first."""
    a, b = ours.report.misses(), base.report.misses()
    texts = {
        ("/".join(r.turn.expect), r.topic): r.turn.text
        for model in (base, ours)
        for r in model.report.results
        if not r.right
    }
    pairs = sorted(set(a) | set(b), key=lambda p: (-(a[p] + b[p]), -a[p], p))
    rows = []
    for pair in pairs[:limit]:
        example = texts[pair].replace("|", "/") if examples else BLIND_TEXT
        rows.append(f"| {pair[0]} | {pair[1]} | {a[pair]} | {b[pair]} | {example} |")
    if len(pairs) > limit:
        rows.append(f"| … {len(pairs) - limit} more pairs | | | | |")
    return rows


def threshold_rows(report: Report) -> list[str]:
    """Return what a higher fallback threshold would have given."""
    return [
        f"| {t:.2f} | {_pct(at.accuracy)} | {_pct(at.wrong_content_rate)} "
        f"| {_pct(at.fallback_rate)} |"
        for t in THRESHOLDS
        for at in [report.at_threshold(t)]
    ]


SET_DESCRIPTION = (
    "Both models answer the same held-out set (tests/eval/messages.yml, one new "
    "conversation per message, and tests/eval/conversations.yml, turn by turn), "
)


def summary_rows(sets: list[tuple[str, str, Report, Report]]) -> list[str]:
    """Return one row per evaluation set: both models' accuracy, wrong, fallback."""
    return [
        f"| {title} | {len(a.results)} | {_pct(a.accuracy)} / {_pct(b.accuracy)} "
        f"| {_pct(a.answered_or_offered)} / {_pct(b.answered_or_offered)} "
        f"| {_pct(a.wrong_content_rate)} / {_pct(b.wrong_content_rate)} "
        f"| {_pct(a.fallback_rate)} / {_pct(b.fallback_rate)} |"
        for _, title, a, b in sets
    ]


def style_rows(ours: Report, base: Report) -> list[str]:
    """Return one row per style: both models' accuracy and wrong-content rates."""
    a, b = ours.by_style(), base.by_style()
    return [
        f"| {style} | {len(a[style].results)} "
        f"| {_pct(a[style].accuracy)} / {_pct(b[style].accuracy)} "
        f"| {_pct(a[style].wrong_content_rate)} / {_pct(b[style].wrong_content_rate)} "
        f"| {_pct(a[style].kennisbank_top3())} / {_pct(b[style].kennisbank_top3())} |"
        for style in a
    ]


def summary(sets: list[tuple[str, str, Report, Report]], today: date) -> str:
    """Render the overview of every evaluation set and the blind set's styles."""
    first = sets[0]
    return "\n".join(
        [
            f"# Answer quality: this project against Rasa's default pipeline, "
            f"{today.isoformat()}",
            "",
            "Each cell: this project / baseline (`rasa init`'s default pipeline, "
            "trained on the same domain and data). *Wrong* is a curated answer on a "
            'topic that was not asked; *fallback* the honest "I don\'t know"; *right '
            'or offered*: answered right, or the right topic offered as a "Bedoelt u '
            '...?" button.',
            "",
            "| set | turns | right | right or offered | wrong content | fallback |",
            "|---|---|---|---|---|---|",
            *summary_rows(sets),
            "",
            f"## {first[1]}: per style",
            "",
            "*Kennisbank top 3*: an expected topic is among the staff search's three "
            "best results.",
            "",
            "| style | turns | right | wrong content | kennisbank top 3 |",
            "|---|---|---|---|---|",
            *style_rows(first[2], first[3]),
            "",
        ]
    )


def markdown(
    ours: Model,
    base: Model,
    images: list[str],
    today: date,
    description: str = SET_DESCRIPTION,
    examples: bool = True,
) -> str:
    """Render the side-by-side report; without `examples`, no message texts."""
    lines = [
        f"# Held-out evaluation: this project against Rasa's default pipeline, "
        f"{today.isoformat()}",
        "",
        f"- **{ours.label}**: `{ours.path}` (config.yml)",
        f"- **{base.label}**: `{base.path}` (baseline/config.yml: `rasa init`'s "
        "default pipeline and policies, trained on the same domain and data)",
        "",
        description
        + "with the project's action server. *Wrong content* is a curated answer on a "
        'topic that was not asked; *fallback* is the honest "I don\'t know". '
        "*Unseen* leaves out turns whose text is also a training example.",
        "",
        f"| measure | {ours.label} | {base.label} | difference |",
        "|---|---|---|---|",
        *headline_rows(ours, base),
        "",
        *[f"![{name}]({name})" for name in images],
        "",
        "## Per-topic misses",
        "",
        "Turns counted under their first expected topic; worst first.",
        "",
        f"| topic | turns | misses {ours.label} | misses {base.label} |",
        "|---|---|---|---|",
        *per_topic_rows(ours, base),
        "",
        "## Confusion pairs (expected → given)",
        "",
        f"| expected | given | {ours.label} | {base.label} | example |",
        "|---|---|---|---|---|",
        *confusion_rows(ours, base, examples=examples),
        "",
        f"## Fallback threshold ({ours.label})",
        "",
        "What a higher `FallbackClassifier` threshold would have given on this set",
        "(turns whose best intent scored below it fall back):",
        "",
        "| threshold | accuracy | wrong content | fallback |",
        "|---|---|---|---|",
        *threshold_rows(ours.report),
        "",
    ]
    return "\n".join(lines)
