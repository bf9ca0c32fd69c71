"""Pictures of the evaluation: headline bars, per-topic accuracy, confusion matrix."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from tools.evaluation.compare import Model, confusion, per_topic  # noqa: E402

COLOURS = ("#1f6f8b", "#d8843c")


def _headline(ours: Model, base: Model) -> tuple[list[str], list[list[float]]]:
    """Return the headline measures' names and each model's values (in %)."""
    names = ["topic accuracy", "wrong content", "fallback"]
    values = []
    for model in (ours, base):
        report = model.report
        row = [report.accuracy, report.wrong_content_rate, report.fallback_rate]
        if ours.cv and base.cv and model.cv:
            row.append(model.cv.macro_f1)
        values.append([v * 100 for v in row])
    if len(values[0]) == 4 and ours.cv:
        names.append(f"CV macro F1 ({ours.cv.folds}-fold)")
    return names, values


def comparison_chart(ours: Model, base: Model, path: Path) -> None:
    """Draw the headline measures and the per-topic accuracy of both models."""
    names, values = _headline(ours, base)
    a, b = per_topic(ours.report), per_topic(base.report)
    topics = sorted(a, key=lambda k: (a[k][1] / a[k][0], k))
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(11, 4 + 0.28 * len(topics)),
        gridspec_kw={"height_ratios": [1, 3.2]},
    )
    x = np.arange(len(names))
    for i, (model, row) in enumerate(zip((ours, base), values, strict=True)):
        offset = x + (i - 0.5) * 0.38
        bars = top.bar(offset, row, 0.38, label=model.label, color=COLOURS[i])
        top.bar_label(bars, fmt="%.1f", fontsize=8)
    top.set_xticks(x, names)
    top.set_ylabel("%")
    top.set_ylim(0, 110)
    top.set_title("Held-out set: this project vs Rasa's default pipeline")
    top.legend(loc="upper right", fontsize=8)
    y = np.arange(len(topics))
    for i, (label, counts) in enumerate(((ours.label, a), (base.label, b))):
        shares = [100 * counts[k][1] / counts[k][0] for k in topics]
        bottom.barh(y + (i - 0.5) * 0.4, shares, 0.4, color=COLOURS[i], label=label)
    bottom.set_yticks(y, [f"{k} (n={a[k][0]})" for k in topics], fontsize=8)
    bottom.invert_yaxis()  # worst topic of this project first
    bottom.legend(loc="lower left", fontsize=8)
    bottom.set_xlim(0, 100)
    bottom.set_xlabel("topic accuracy, % of turns")
    bottom.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def confusion_matrix(model: Model, path: Path) -> None:
    """Draw the confusion matrix (rows: topic asked, columns: topic given)."""
    counts = confusion(model.report)
    asked = sorted({a for a, _ in counts})
    given = asked + sorted({g for _, g in counts} - set(asked))
    matrix = np.zeros((len(asked), len(given)), dtype=float)
    for (a, g), n in counts.items():
        matrix[asked.index(a), given.index(g)] = n
    shares = matrix / matrix.sum(axis=1, keepdims=True)
    fig, ax = plt.subplots(figsize=(4 + 0.3 * len(given), 3 + 0.3 * len(asked)))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for (i, j), n in np.ndenumerate(matrix):
        if n:
            colour = "white" if shares[i, j] > 0.6 else "black"
            ax.text(j, i, int(n), ha="center", va="center", fontsize=7, color=colour)
    ax.set_xticks(range(len(given)), given, rotation=90, fontsize=7)
    ax.set_yticks(range(len(asked)), asked, fontsize=7)
    ax.set_xlabel("topic given")
    ax.set_ylabel("topic asked (first expected)")
    ax.set_title(f"Confusion matrix, {model.label}: `{Path(model.path).name}`")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
