"""The end screen's comparison: the player's path beside the real 2025 path (the replay)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from negotiate import run
from negotiate.errors import NegotiateError

from . import state as st
from .charts import BLACK, GREY, RENDER_LOCK, SIDE_COLOURS, week_ticks


@dataclass
class ReplayComparison:
    available: bool
    caption: str
    png: bytes = b""
    scores: dict[str, float] = field(default_factory=dict)

    @classmethod
    def build(cls, game: st.PlayGame) -> ReplayComparison:
        if st.REPLAY_SCENARIO not in st.scenario_names():
            return cls(False, f"The replay of the real 2025 moves ({st.REPLAY_SCENARIO}) is not "
                              "installed, so there is nothing to compare with yet.")
        try:
            replay = run(st.REPLAY_SCENARIO, seed=game.seed).model
        except NegotiateError as exc:
            return cls(False, f"The 2025 replay could not be run: {st.message(exc)}")
        weeks = max(game.model.week, 1)
        ours = game.model.datacollector.model_vars
        theirs = replay.datacollector.model_vars
        scores = {side: replay.government(side).welfare_total / max(replay.steps, 1)
                  for side in ("us", "cn")}
        png = _figure(ours, theirs, replay.scenario.weeks, game.model.scenario.start)
        t_end = min(weeks, len(theirs["week"])) - 1
        caption = (f"Solid: your game; dotted: the real 2025 path (replay). At week {weeks}: "
                   f"détente index {ours['detente_index'][-1]:.2f} against {theirs['detente_index'][t_end]:.2f}; "
                   f"U.S. tariff {ours['us_tariff'][-1]:.0f}% against {theirs['us_tariff'][t_end]:.0f}%.")
        return cls(True, caption, png, scores)


def _figure(ours: dict, theirs: dict, weeks: int, start) -> bytes:
    with RENDER_LOCK:
        fig = Figure(figsize=(9.0, 3.8), dpi=90)
        FigureCanvasAgg(fig)
        left, right = fig.subplots(1, 2)
        for ax in (left, right):
            ax.set_xlim(0, weeks + 0.5)
            ax.grid(True, color="#dddddd", linewidth=0.6)
            ax.tick_params(labelsize=8)
            week_ticks(ax, weeks, start)
        for side, name in (("us", "U.S."), ("cn", "China")):
            colour = SIDE_COLOURS[side]
            left.plot(ours["week"], ours[f"{side}_tariff"], color=colour, linewidth=2.2,
                      label=f"{name} tariff, your game")
            left.plot(theirs["week"], theirs[f"{side}_tariff"], color=colour, linestyle=":",
                      marker="o", markevery=4, markersize=3.5, markerfacecolor="white",
                      label=f"{name} tariff, 2025 replay")
        left.set_title("Headline tariffs (%)", fontsize=10, loc="left")
        right.plot(ours["week"], ours["detente_index"], color=BLACK, linewidth=2.2, label="your game")
        right.plot(theirs["week"], theirs["detente_index"], color=GREY, linestyle=":", marker="o",
                   markevery=4, markersize=3.5, markerfacecolor="white", label="2025 replay")
        right.set_ylim(0, 1.05)
        right.set_title("Détente index", fontsize=10, loc="left")
        # Legends under the axes: inside, they hid the 2025 tariff peak.
        left.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, frameon=False)
        right.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, frameon=False)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.34, top=0.9, wspace=0.18)
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
