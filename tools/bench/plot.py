"""The bench's picture: latency percentiles and throughput per number of users."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import (  # noqa: E402
    FixedLocator,
    FuncFormatter,
    NullFormatter,
)

from tools.bench.report import ServerResult  # noqa: E402

COLOURS = ("#1f6f8b", "#d8843c")
LATENCY_TICKS = (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
STYLES = {"p50": ":", "p95": "-", "p99": "--"}


def latency_plot(results: list[ServerResult], path: Path) -> None:
    """Draw p50/p95/p99 latency and messages/s against concurrent users."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for colour, result in zip(COLOURS, results, strict=False):
        users = sorted(result.levels)
        for name, style in STYLES.items():
            values = [getattr(result.levels[u], name) * 1000 for u in users]
            left.plot(
                users,
                values,
                style,
                marker="o",
                color=colour,
                label=f"{result.label} {name}",
            )
        right.plot(
            users,
            [result.levels[u].rate for u in users],
            "-",
            marker="o",
            color=colour,
            label=result.label,
        )
    for ax in (left, right):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("concurrent users")
        ax.grid(alpha=0.3)
        ticks = sorted({u for r in results for u in r.levels})
        ax.set_xticks(ticks, [str(t) for t in ticks])
    left.set_yscale("log")
    left.yaxis.set_major_locator(FixedLocator(LATENCY_TICKS))
    left.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    left.yaxis.set_minor_formatter(NullFormatter())
    left.set_ylabel("latency, ms (log)")
    left.set_title("Latency per message")
    left.legend(fontsize=7, ncol=2)
    right.set_ylabel("answered messages/s")
    right.set_ylim(bottom=0)
    right.set_title("Throughput (one Rasa process each)")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
