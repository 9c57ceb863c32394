"""The calibration's figures: model bands over seeds beside the dated record."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np

from .measures import RECORD_WEEKS, STEPS
from .record import (
    BUFFER,
    CLEPA,
    CONTROLS,
    EU_CHAMBER,
    GENEVA,
    GENEVA_SP,
    JIT,
    MP_FLOOR,
    OCT_SP,
    PRICES,
    RECORD,
    START,
    TEMP_LICENCES,
    Observation,
    week_of,
)
from .runs import RunRecord, band, stack

FIGURE_DIR = Path("figures") / "calibration"

def _dates(weeks: int) -> list[dt.date]:
    return [START + dt.timedelta(weeks=i) for i in range(weeks)]


def _band_plot(ax: Any, x: list[dt.date], values: np.ndarray, colour: str, label: str) -> None:
    med, lo, hi = band(values)
    ax.fill_between(x, lo, hi, color=colour, alpha=0.25, linewidth=0)
    ax.plot(x, med, color=colour, linewidth=1.8, label=f"{label} (median, 5-95 %)")


def _vline(ax: Any, date: dt.date, text: str, y: float = 0.97) -> None:
    ax.axvline(date, color="0.55", linestyle=":", linewidth=1)
    ax.text(date, y, " " + text, transform=ax.get_xaxis_transform(), fontsize=7, color="0.35",
            rotation=90, va="top", ha="left")


def _obs_points(ax: Any, obs: list[Observation], colour: str, label: str, marker: str = "o") -> None:
    for i, o in enumerate(obs):
        d = dt.date.fromisoformat(o.date)
        if o.low == o.high:
            ax.plot(d, o.low, marker, color=colour, markersize=7, markeredgecolor="black",
                    label=label if i == 0 else None, zorder=5)
        else:
            ax.errorbar(d, o.mid, yerr=[[o.mid - o.low], [o.high - o.mid]], fmt=marker, color=colour,
                        markersize=7, markeredgecolor="black", capsize=4, label=label if i == 0 else None,
                        zorder=5)


# Legends sit under the plot so they never hide a band or a dated marker.
_BELOW = {"fontsize": 7.5, "loc": "upper center", "bbox_to_anchor": (0.5, -0.09), "ncol": 1, "frameon": False}


def _month_axis(ax: Any) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    ax.grid(alpha=0.3)


def make_figures(replay: list[RunRecord], baseline: list[RunRecord], rm: dict[str, Any],
                 bm: dict[str, Any], folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    weeks = len(replay[0].weekly["us_tariff"])
    x = _dates(weeks)
    written: list[Path] = []

    def save(fig: Any, name: str) -> None:
        path = folder / name
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        written.append(path)

    # 1. Tariffs: replay (scripted) and free-play baseline against PIIE averages.
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3), sharey=True)
    for ax, side, name in ((axes[0], "us", "U.S. tariff on Chinese goods"),
                           (axes[1], "cn", "China's tariff on U.S. goods")):
        _band_plot(ax, x, stack(baseline, f"{side}_tariff_average"), "tab:orange", "free-play baseline")
        ax.plot(x, stack(replay, f"{side}_tariff_average")[0], color="tab:blue", linewidth=2,
                label="replay (scripted; same every seed)")
        _obs_points(ax, RECORD[f"{side}_tariff_average"], "black", "record (PIIE averages)")
        ax.set_title(f"{name}: trade-weighted average (%)", fontsize=10)
        _vline(ax, GENEVA, "Geneva")
        _vline(ax, dt.date(2025, 11, 10), "Busan in force")
        _month_axis(ax)
    axes[0].set_ylabel("average tariff, %")
    axes[0].legend(**_BELOW)
    save(fig, "tariffs.png")

    # 2. Licences: scripted approval rate, and the share of requests granted (CLEPA's measure).
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3))
    ax = axes[0]
    ax.step(x, stack(replay, "approval_rate")[0], where="post", color="tab:blue", linewidth=2,
            label="replay: scripted approval rate of decided applications")
    cum_share = []
    controls = week_of(CONTROLS)
    for r in replay:
        w = r.weekly
        applied = np.cumsum(np.where(np.arange(1, weeks + 1) >= controls, w["applied"], 0))
        approved = np.cumsum(np.where(np.arange(1, weeks + 1) >= controls, w["approved"], 0))
        cum_share.append(np.where(applied > 0, approved / np.maximum(applied, 1), np.nan))
    _band_plot(ax, x, np.vstack(cum_share), "tab:green", "replay: requests granted since 4 Apr")
    _obs_points(ax, [CLEPA], "black", "CLEPA, 4 Jun: ~25 % granted")
    d = dt.date.fromisoformat(EU_CHAMBER.date)
    ax.annotate("", xy=(d, 0.02), xytext=(d, 0.25), arrowprops={"arrowstyle": "->", "color": "black"})
    ax.plot(d, 0.25, "v", color="black", markersize=8, label="EU Chamber, Sep: < 25 % approved")
    ax.set_ylim(0, 1.0)
    ax.set_title("Licence approvals (share)", fontsize=10)
    _vline(ax, CONTROLS, "No. 18")
    _vline(ax, TEMP_LICENCES, "temp. licences (U.S. auto)")
    _month_axis(ax)
    ax.legend(**_BELOW)
    ax = axes[1]
    _band_plot(ax, x, stack(replay, "cover_normal"), "tab:blue", "replay: normal buffers")
    _band_plot(ax, x, stack(replay, "cover_jit"), "tab:red", "replay: just-in-time firms")
    dpre = dt.date.fromisoformat(BUFFER.date)
    ax.fill_between([x[0], dpre], BUFFER.low, BUFFER.high, color="tab:blue", alpha=0.08,
                    label="record: 2-3 months typical (Tradium)")
    ax.fill_between([x[0], dpre], JIT.low, JIT.high, color="tab:red", alpha=0.08,
                    label="record: JIT 2-4 weeks (weak source)")
    ax.set_title("Magnet inventory cover (weeks of demand)", fontsize=10)
    _vline(ax, CONTROLS, "No. 18")
    _month_axis(ax)
    ax.legend(**_BELOW)
    save(fig, "licences_inventory.png")

    # 3. Supply: share of demand met, and China's deliveries (Sep m/m).
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3))
    ax = axes[0]
    _band_plot(ax, x, stack(replay, "rare_earth_flow"), "tab:blue", "replay")
    _band_plot(ax, x, stack(baseline, "rare_earth_flow"), "tab:orange", "free-play baseline")
    runout = (CONTROLS + dt.timedelta(days=61), CONTROLS + dt.timedelta(days=91))
    ax.axvspan(*runout, color="0.5", alpha=0.15, label="2-3 months after No. 18 (implied run-out)")
    ax.set_ylim(0.4, 1.02)
    ax.set_title("Share of firms' magnet demand met (rare-earth flow)", fontsize=10)
    _vline(ax, CONTROLS, "No. 18")
    _vline(ax, TEMP_LICENCES, "temp. licences")
    _month_axis(ax)
    ax.legend(**_BELOW)
    ax = axes[1]
    _band_plot(ax, x, stack(replay, "supply_china"), "tab:blue", "replay: China's deliveries to modelled firms")
    ax.set_title("China's magnet deliveries (t/week)", fontsize=10)
    _vline(ax, CONTROLS, "No. 18")
    _vline(ax, dt.date(2025, 9, 1), "Sep: exports -31 % m/m")
    _month_axis(ax)
    ax.legend(**_BELOW)
    save(fig, "supply.png")

    # 4. Prices: two regimes against the quotes in the facts.
    fig, ax = plt.subplots(figsize=(9, 4.5))
    _band_plot(ax, x, stack(replay, "price_china"), "tab:red", "model: inside China")
    _band_plot(ax, x, stack(replay, "price_contract"), "tab:blue", "model: outside, contract")
    _band_plot(ax, x, stack(replay, "price_spot"), "tab:purple", "model: outside, thin spot")
    _obs_points(ax, PRICES, "tab:red", "record: NdPr oxide inside China")
    ax.axhline(MP_FLOOR, color="0.4", linestyle="--", linewidth=1)
    ax.text(x[1], MP_FLOOR + 2, "MP-DoD NdPr floor $110/kg (policy price, Jul)", fontsize=7.5, color="0.3")
    ax.set_ylabel("$/kg NdPr-oxide equivalent")
    ax.set_title("Rare-earth prices: two regimes (replay)", fontsize=10)
    _vline(ax, CONTROLS, "No. 18")
    _month_axis(ax)
    ax.legend(**_BELOW)
    save(fig, "prices.png")

    # 5. Market mood: this week's news against the two dated S&P moves.
    fig, ax = plt.subplots(figsize=(9, 4.2))
    _band_plot(ax, x, stack(replay, "news"), "tab:blue", "replay: this week's news")
    _band_plot(ax, x, stack(baseline, "news"), "tab:orange", "free-play baseline: this week's news")
    _obs_points(ax, [GENEVA_SP, OCT_SP], "black", "record: S&P 500 on the day", marker="D")
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.set_ylabel("equity-% points")
    ax.set_title("Market mood: news shock per week", fontsize=10)
    _month_axis(ax)
    ax.legend(**_BELOW)
    save(fig, "mood.png")

    # 6. Baseline story: how far along 2025's chain each seed gets.
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3))
    ax = axes[0]
    shares = [row["share"] for row in bm["steps"]]
    lo = [row["share"] - row["wilson"][0] for row in bm["steps"]]
    hi = [row["wilson"][1] - row["share"] for row in bm["steps"]]
    ax.bar(range(len(STEPS)), shares, yerr=[lo, hi], capsize=4, color="tab:orange")
    ax.set_xticks(range(len(STEPS)), [s.replace("_", "\n") for s in STEPS], fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of seeds (Wilson 95 %)")
    ax.set_title(f"Free-play baseline: chain of 2025's steps reached ({bm['n']} seeds)", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax = axes[1]
    for i, step in enumerate(STEPS):
        weeks_ = [s[step] for s in bm["stories"] if not math.isnan(s[step])]
        if weeks_:
            ax.scatter(weeks_, np.full(len(weeks_), i) + np.random.default_rng(i).uniform(-0.2, 0.2, len(weeks_)),
                       s=8, alpha=0.4, color="tab:orange")
        ax.plot(RECORD_WEEKS[step], i, "D", color="black", markersize=7, label="record (2025)" if i == 0 else None)
    ax.set_yticks(range(len(STEPS)), STEPS, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("week of 2025")
    ax.set_title("Week of each step (seeds that reached it)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    save(fig, "baseline_story.png")
    return written

