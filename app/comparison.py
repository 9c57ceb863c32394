"""The end screen's comparison: the player's path beside the 2025 replay.

The replay (``rare-earth-2025-replay``) plays the record's dated moves through the model: its
tariffs are scripted from the record, while its détente index and welfare are what the model
makes of those moves. Every label says which is which (:data:`REPLAY_SOURCES`).

The two runs are lined up by calendar date, never by week number: a game that starts on
31 March sets its week 1 beside the replay's week of 31 March (the replay starts on
6 January). Scores are compared over the weeks both runs cover.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass, field

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from negotiate import run
from negotiate.errors import NegotiateError

from . import state as st
from .charts import BLACK, GREY, RENDER_LOCK, SIDE_COLOURS, week_ticks

#: Where each replay figure comes from, in the words the page uses beside it.
REPLAY_SOURCES = ("the 2025 replay: its tariffs are scripted from the record; its détente "
                  "index and welfare are the model's outputs on the record's moves")


def week_offset(game_start: dt.date, replay_start: dt.date) -> int:
    """Game week = replay week + this offset (both count weeks from their own Monday)."""
    return round((replay_start - game_start).days / 7)


def monday(start: dt.date, week: int) -> dt.date:
    return start + dt.timedelta(weeks=week - 1)


def day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


@dataclass(frozen=True, slots=True)
class Row:
    """One calendar week on the game's axis, with the replay's values that week."""

    week: int  # on the game's axis
    date: dt.date
    replay: dict[str, float]
    ours: dict[str, float] | None  # None for weeks the game has not played


COLUMNS = ("us_tariff", "cn_tariff", "detente_index", "us_welfare", "cn_welfare")


@dataclass
class ReplayComparison:
    available: bool
    caption: str
    png: bytes = b""
    scores: dict[str, float] = field(default_factory=dict)  # replay, over the shared weeks
    game_scores: dict[str, float] = field(default_factory=dict)  # the game, same weeks
    span: str = ""
    rows: list[Row] = field(default_factory=list)

    @classmethod
    def build(cls, game: st.PlayGame) -> ReplayComparison:
        if st.REPLAY_SCENARIO not in st.scenario_names():
            return cls(False, f"The replay of the real 2025 moves ({st.REPLAY_SCENARIO}) is not "
                              "installed, so there is nothing to compare with yet.")
        try:
            replay = run(st.REPLAY_SCENARIO, seed=game.seed).model
        except NegotiateError as exc:
            return cls(False, f"The 2025 replay could not be run: {st.message(exc)}")
        scenario = game.model.scenario
        rows = aligned_rows(game.model.datacollector.model_vars, replay.datacollector.model_vars,
                            scenario.start, replay.scenario.start, scenario.weeks)
        shared = [r for r in rows if r.ours is not None]
        if not shared:
            first, last = replay.scenario.start, monday(replay.scenario.start, replay.scenario.weeks)
            return cls(False, f"The 2025 replay covers {day(first)} to {day(last)}; your game's "
                              "weeks fall outside it, so there is nothing to compare.")
        span = f"{day(shared[0].date)} to {day(shared[-1].date)} ({len(shared)} weeks)"
        scores = {side: sum(r.replay[f"{side}_welfare"] for r in shared) / len(shared) for side in ("us", "cn")}
        game_scores = {side: sum(r.ours[f"{side}_welfare"] for r in shared) / len(shared)  # type: ignore[index]
                       for side in ("us", "cn")}
        last = shared[-1]
        ours = last.ours or {}
        caption = (f"Solid: your game; dotted: {REPLAY_SOURCES}. Lined up by date. "
                   f"Compared over the same weeks, {span}. In the week of {day(last.date)}: "
                   f"détente index {ours['detente_index']:.2f} against {last.replay['detente_index']:.2f}; "
                   f"U.S. tariff {ours['us_tariff']:.0f}% against {last.replay['us_tariff']:.0f}%; "
                   f"China tariff {ours['cn_tariff']:.0f}% against {last.replay['cn_tariff']:.0f}%.")
        png = _figure(game.model.datacollector.model_vars, rows, scenario.weeks, scenario.start)
        return cls(True, caption, png, scores, game_scores, span, rows)

    def table_html(self) -> str:
        """The chart's numbers by date, for readers who cannot see the chart."""
        body = []
        for r in self.rows:
            ours = r.ours
            mine = (f"<td>{ours['us_tariff']:.0f}%</td><td>{ours['cn_tariff']:.0f}%</td>"
                    f"<td>{ours['detente_index']:.2f}</td>") if ours else '<td colspan="3">not played</td>'
            body.append(f'<tr data-week="{r.week}" data-date="{r.date.isoformat()}" '
                        f'data-replay-us-tariff="{r.replay["us_tariff"]:g}">'
                        f"<td>{html.escape(day(r.date))}</td><td>{r.week}</td>"
                        f"<td>{r.replay['us_tariff']:.0f}%</td><td>{r.replay['cn_tariff']:.0f}%</td>"
                        f"<td>{r.replay['detente_index']:.2f}</td>{mine}</tr>")
        return ("<summary>Show the comparison as a table (by date)</summary>"
                '<table class="score-table" aria-label="Your game and the 2025 replay, by date">'
                "<thead><tr><th>Week of</th><th>Game week</th><th>2025 U.S. tariff (record)</th>"
                "<th>2025 China tariff (record)</th><th>Replay détente (model)</th><th>Your U.S. tariff</th>"
                "<th>Your China tariff</th><th>Your détente</th></tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>")


def aligned_rows(ours: dict, theirs: dict, game_start: dt.date, replay_start: dt.date,
                 game_weeks: int) -> list[Row]:
    """The replay's weeks that fall inside the game's calendar, on the game's week axis."""
    offset = week_offset(game_start, replay_start)
    played = {w: i for i, w in enumerate(ours.get("week", []))}
    rows = []
    for i, replay_week in enumerate(theirs["week"]):
        week = replay_week + offset
        if not 1 <= week <= game_weeks:
            continue
        mine = None
        if week in played:
            mine = {c: float(ours[c][played[week]]) for c in COLUMNS}
        rows.append(Row(week, monday(game_start, week), {c: float(theirs[c][i]) for c in COLUMNS}, mine))
    return rows


def _figure(ours: dict, rows: list[Row], weeks: int, start: dt.date) -> bytes:
    x = [r.week for r in rows]
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
            left.plot(x, [r.replay[f"{side}_tariff"] for r in rows], color=colour, linestyle=":",
                      marker="o", markevery=4, markersize=3.5, markerfacecolor="white",
                      label=f"{name} tariff, 2025 record (scripted)")
        left.set_title("Headline tariffs (%)", fontsize=10, loc="left")
        right.plot(ours["week"], ours["detente_index"], color=BLACK, linewidth=2.2, label="your game")
        right.plot(x, [r.replay["detente_index"] for r in rows], color=GREY, linestyle=":", marker="o",
                   markevery=4, markersize=3.5, markerfacecolor="white",
                   label="2025 replay (model output)")
        right.set_ylim(0, 1.05)
        right.set_title("Détente index", fontsize=10, loc="left")
        # Legends under the axes: inside, they hid the 2025 tariff peak.
        left.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, frameon=False)
        right.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, frameon=False)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.34, top=0.9, wspace=0.18)
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
