"""PNG figures for sweep reports (matplotlib, Agg: no display needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..outcome import OUTCOME_LABELS, OUTCOMES

COLOURS = {"detente_holds": "#2a9d8f", "fragile_truce": "#e9c46a", "friction_returns": "#e76f51"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def shares_figure(shares: pd.DataFrame, column: str, label: str, path: Path) -> Path:
    """Share of each outcome against one parameter, with Wilson 95 % error bars."""
    plt = _pyplot()
    values = list(dict.fromkeys(shares[column]))
    numeric = all(isinstance(v, int | float | np.number) and not isinstance(v, bool | np.bool_)
                  for v in values)
    xs = np.asarray(values, dtype=float) if numeric else np.arange(len(values))
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=110)
    for outcome in OUTCOMES:
        # reindex, not .loc: a list of booleans would be read as a mask.
        part = shares[shares["outcome"] == outcome].set_index(column).reindex(values)
        y = part["share"].to_numpy(float)
        # Clipped: rounding can leave -1e-17 where an interval touches 0 % or 100 %.
        err = np.clip(np.vstack([y - part["ci_low"].to_numpy(float),
                                 part["ci_high"].to_numpy(float) - y]), 0, None)
        ax.errorbar(xs, y, yerr=err, marker="o", capsize=3, color=COLOURS[outcome],
                    label=OUTCOME_LABELS[outcome])
    if not numeric:
        ax.set_xticks(xs, [str(v).lower() for v in values])
    ax.set_xlabel(label)
    ax.set_ylabel("share of runs (95% Wilson interval)")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def heatmap_figure(share: pd.DataFrame, mean_index: pd.DataFrame, row_label: str,
                   col_label: str, path: Path) -> Path:
    """Two panels over a two-key grid: share of 'détente holds' and the mean détente index."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), dpi=110)
    for ax, table, title, fmt in ((axes[0], share, "share of runs: détente holds", "{:.0%}"),
                                  (axes[1], mean_index, "mean détente index (last weeks)", "{:.2f}")):
        data = table.to_numpy(float)
        image = ax.imshow(data, cmap="viridis", vmin=0, vmax=1, aspect="auto", origin="lower")
        ax.set_xticks(range(table.shape[1]), [_tick(v) for v in table.columns])
        ax.set_yticks(range(table.shape[0]), [_tick(v) for v in table.index])
        ax.set_xlabel(col_label)
        ax.set_ylabel(row_label)
        ax.set_title(title, fontsize=10)
        for (i, j), value in np.ndenumerate(data):
            if np.isfinite(value):
                ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=8,
                        color="white" if value < 0.6 else "black")
        fig.colorbar(image, ax=ax, fraction=0.046)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def sobol_figure(indices: pd.DataFrame, output: str, path: Path) -> Path:
    """First-order and total Sobol indices with their bootstrap 95 % intervals."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=110)
    xs = np.arange(len(indices))
    ax.bar(xs - 0.2, indices["S1"], 0.4, yerr=indices["S1_conf"], capsize=3,
           label="first order S1", color="#457b9d")
    ax.bar(xs + 0.2, indices["ST"], 0.4, yerr=indices["ST_conf"], capsize=3,
           label="total ST", color="#e63946")
    ax.set_xticks(xs, indices["parameter"], rotation=20)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_ylabel(f"Sobol index of {output}")
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _tick(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
