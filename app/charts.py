"""Matplotlib charts for the app, redrawn fast enough to follow a Step click.

Building and saving a small matplotlib figure costs 40-70 ms on these machines, so four
charts redrawn from scratch each week would blow the 150 ms budget. Each chart therefore
keeps its figure, draws the static parts (axes, ticks, titles, legend, thresholds) once
into a cached background, and each week only restores that background, draws the data
lines onto it and encodes a JPEG (about 1 ms). The background is redrawn only when
something static changes (a branch appears, the data outgrow the y axis).

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), and
every series also differs by line style or marker and is named in the legend, so no chart
relies on colour alone. Vega/Altair are avoided on purpose: they load from a CDN.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#666666"
SIDE_COLOURS = {"us": BLUE, "cn": VERMILLION}
SIDE_LABELS = {"us": "U.S.", "cn": "China"}

# Matplotlib's text and font caches are process-wide and not thread-safe; sessions render
# from different server threads, so rendering is serialised (each render is a few ms).
RENDER_LOCK = threading.Lock()
IMAGE_FORMAT = "jpeg"
# What each chart is, in words: the start of its alt text and its table caption.
CHART_ALT = {
    "tariffs": "Tariffs (left axis, %) and tech curbs (right axis, 0-1) for each side, by week",
    "supply": "Rare-earth flow and firm production (share of demand) and inventory (weeks of cover)",
    "trust": "Each side's trust in the other, with its accusations marked",
    "index": "Détente index by week, with the 'holds' and 'friction' thresholds",
    "payoff": "Running mean payoff per side, with the exact long-run values where known",
    "cooperation": "Running share of weeks in which both sides complied",
}


@dataclass(frozen=True, slots=True)
class Style:
    colour: str
    linestyle: str = "-"
    marker: str | None = None
    linewidth: float = 2.0
    markersize: float = 6.0
    fill: bool = True


class BlitChart:
    """One chart: a cached static background plus animated data artists."""

    def __init__(self, title: str, weeks: int, start: dt.date | None, *,
                 ylabel: str, ylim: tuple[float, float], right: tuple[str, tuple[float, float]] | None = None,
                 size: tuple[float, float] = (5.2, 3.1), dpi: int = 100) -> None:
        self.figure = Figure(figsize=size, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.figure.subplots_adjust(left=0.12, right=0.88 if right else 0.97, top=0.88, bottom=0.27)
        self.ax: Axes = self.figure.add_subplot()
        self.ax.set_title(title, fontsize=11, loc="left")
        self.ax.set_ylabel(ylabel, fontsize=9)
        self.ax.set_xlim(0, max(weeks, 2) + 0.5)
        self.ax.set_ylim(*ylim)
        self.ax.grid(True, color="#dddddd", linewidth=0.6)
        self.ax.tick_params(labelsize=8)
        self.right: Axes | None = None
        if right is not None:
            self.right = self.ax.twinx()
            self.right.set_ylabel(right[0], fontsize=9)
            self.right.set_ylim(*right[1])
            self.right.tick_params(labelsize=8)
        week_ticks(self.ax, weeks, start)
        self.artists: dict[str, Line2D] = {}
        self.static: list[object] = []
        self.legend_items: list[tuple[str, Style]] = []
        self.cursor = self.ax.axvline(0, color=GREY, linewidth=0.8, animated=True)
        self._background = None
        self._dirty = True

    # -------------------------------------------------------------------- set-up
    def series(self, name: str, label: str | None, style: Style, *, right: bool = False) -> None:
        ax = self.right if right and self.right is not None else self.ax
        line = Line2D([], [], color=style.colour, linestyle=style.linestyle, marker=style.marker,
                      linewidth=style.linewidth, markersize=style.markersize,
                      markerfacecolor=style.colour if style.fill else "white",
                      # A marker every few weeks tells series apart without clutter.
                      markevery=3 if style.marker and style.linestyle != "none" else None,
                      animated=True)
        ax.add_line(line)
        self.artists[name] = line
        if label:
            self.legend_items.append((label, style))
        self._dirty = True

    def drop(self, prefix: str) -> None:
        """Remove the series whose names start with ``prefix`` (e.g. a cleared branch)."""
        for name in [n for n in self.artists if n.startswith(prefix)]:
            self.artists.pop(name).remove()
        self._dirty = True

    def hline(self, y: float, label: str, colour: str = GREY, *, right: bool = False) -> None:
        ax = self.right if right and self.right is not None else self.ax
        line = ax.axhline(y, color=colour, linestyle=(0, (4, 3)), linewidth=1.1)
        text = ax.text(0.99, y, label, transform=ax.get_yaxis_transform(), ha="right",
                       va="bottom", fontsize=8, color=colour)
        self.static.extend([line, text])
        self._dirty = True

    def vline(self, x: float, label: str) -> None:
        line = self.ax.axvline(x, color=BLACK, linestyle=":", linewidth=1.2)
        text = self.ax.text(x, 0.98, f" {label}", transform=self.ax.get_xaxis_transform(),
                            ha="left", va="top", fontsize=8)
        self.static.extend([line, text])
        self._dirty = True

    def clear_static(self) -> None:
        for artist in self.static:
            artist.remove()  # type: ignore[attr-defined]
        self.static.clear()
        self._dirty = True

    def set_legend_items(self, items: list[tuple[str, Style]]) -> None:
        self.legend_items = items
        self._dirty = True

    # -------------------------------------------------------------------- data
    def set(self, name: str, x: Sequence[float], y: Sequence[float]) -> None:
        line = self.artists[name]
        line.set_data(x, y)
        ys = [v for v in y if v is not None and math.isfinite(v)]
        if ys:
            ax = line.axes
            lo, hi = ax.get_ylim()
            top = max(ys)
            if top > hi:
                ax.set_ylim(lo, _nice(top * 1.1))
                self._dirty = True

    def set_week(self, week: int) -> None:
        self.cursor.set_xdata([week, week])

    # -------------------------------------------------------------------- output
    def _draw_background(self) -> None:
        legend = self.ax.get_legend()
        if legend is not None:
            legend.remove()
        if self.legend_items:
            handles = [Line2D([], [], color=s.colour, linestyle=s.linestyle, marker=s.marker,
                              linewidth=s.linewidth, markersize=s.markersize,
                              markerfacecolor=s.colour if s.fill else "white")
                       for _, s in self.legend_items]
            self.figure.legend(handles, [label for label, _ in self.legend_items],
                               loc="lower center", ncol=min(3, len(handles)), fontsize=7.5,
                               frameon=False, bbox_to_anchor=(0.5, 0.0))
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._dirty = False

    def image(self) -> bytes:
        """This week's chart as JPEG bytes (see :data:`IMAGE_FORMAT`)."""
        with RENDER_LOCK:
            if self._dirty or self._background is None:
                for legend in list(self.figure.legends):
                    legend.remove()
                self._draw_background()
            self.canvas.restore_region(self._background)
            for line in self.artists.values():
                line.axes.draw_artist(line)
            self.ax.draw_artist(self.cursor)
            width, height = self.canvas.get_width_height()
            image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
            out = io.BytesIO()
            # JPEG at quality 95 without chroma subsampling: ~1 ms against ~8 ms for PNG, and
            # on a white chart the artefacts are invisible at this size.
            image.convert("RGB").save(out, format="jpeg", quality=95, subsampling=0)
            return out.getvalue()


def _nice(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def week_ticks(ax: Axes, weeks: int, start: dt.date | None) -> None:
    """Month names under the weeks, so a reader sees dates, not only week numbers."""
    if start is None or weeks > 160:
        ax.set_xlabel("week", fontsize=9)
        return
    ticks, labels = [], []
    every = 1 if weeks <= 30 else 2 if weeks <= 60 else 4
    seen = 0
    for week in range(1, weeks + 1):
        day = start + dt.timedelta(weeks=week - 1)
        prev = start + dt.timedelta(weeks=week - 2)
        if week == 1 or day.month != prev.month:
            if seen % every == 0:
                ticks.append(week)
                labels.append(day.strftime("%b") if day.month != 1 or week == 1 else day.strftime("%b\n%Y"))
            seen += 1
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels)
    ax.set_xlabel(f"week (week 1 = {start:%d %b %Y})", fontsize=8)


# ------------------------------------------------------------------------ chart sets
TRADE_CHARTS = ("tariffs", "supply", "trust", "index")
CLASSIC_CHARTS = ("payoff", "cooperation", "trust", "index")

ACCUSE_REAL = "^"
ACCUSE_FALSE = "x"
ACCUSE_HIDDEN = "D"


class ChartSet:
    """The four charts of one session (Explore or Play).

    ``reveal`` says whether accusations are shown as real or false: always on Explore
    (an outside observer), only on the end screen of Play (private information).
    """

    def __init__(self, *, classic: bool, weeks: int, start: dt.date | None,
                 hold: float, friction: float, reveal: bool = True,
                 player: str | None = None) -> None:
        self.classic = classic
        self.reveal = reveal
        # On Play, the other side's trust is its private state: hidden until the end.
        self.player = player
        self.weeks = weeks
        date = None if classic else start
        self.charts: dict[str, BlitChart] = {}
        if classic:
            c = self.charts["payoff"] = BlitChart("Payoff per week (running mean)", weeks, date,
                                                  ylabel="payoff", ylim=(0, 5))
            for side in ("us", "cn"):
                c.series(f"{side}", f"{SIDE_LABELS[side]} payoff",
                         Style(SIDE_COLOURS[side], "-" if side == "us" else "--"))
            c = self.charts["cooperation"] = BlitChart("Both sides complied (running share)", weeks,
                                                       date, ylabel="share of weeks", ylim=(0, 1.05))
            c.series("both", "both complied", Style(GREEN, "-"))
        else:
            c = self.charts["tariffs"] = BlitChart("Tariffs and tech curbs", weeks, date,
                                                   ylabel="headline tariff (%)", ylim=(0, 150),
                                                   right=("curb index (0-1)", (0, 1.05)))
            for side in ("us", "cn"):
                c.series(f"{side}_tariff", f"{SIDE_LABELS[side]} tariff",
                         Style(SIDE_COLOURS[side], "-" if side == "us" else "--"))
                c.series(f"{side}_curbs", f"{SIDE_LABELS[side]} curbs",
                         Style(SIDE_COLOURS[side], ":", "s" if side == "us" else "o", 1.6, 4), right=True)
            c = self.charts["supply"] = BlitChart("Rare-earth flow, production, inventory", weeks,
                                                  date, ylabel="share of demand", ylim=(0, 1.05),
                                                  right=("weeks of cover", (0, 15)))
            c.series("flow", "rare-earth flow", Style(GREEN, "-"))
            c.series("production", "firm production", Style(ORANGE, "--"))
            c.series("inventory", "inventory (weeks)", Style(PURPLE, ":", "o", 1.6, 4), right=True)
        c = self.charts["trust"] = BlitChart("Trust and accusations", weeks, date,
                                             ylabel="trust in the other side", ylim=(0, 1.08))
        for side in ("us", "cn"):
            colour = SIDE_COLOURS[side]
            c.series(f"{side}_trust", f"{SIDE_LABELS[side]} trust",
                     Style(colour, "-" if side == "us" else "--"))
            c.series(f"{side}_real", None, Style(colour, "none", ACCUSE_REAL, 0, 8))
            c.series(f"{side}_false", None, Style(colour, "none", ACCUSE_FALSE, 0, 8))
            c.series(f"{side}_hidden", None, Style(colour, "none", ACCUSE_HIDDEN, 0, 6, fill=False))
        self._trust_legend()
        c = self.charts["index"] = BlitChart("Détente index", weeks, date, ylabel="index (0-1)",
                                             ylim=(0, 1.05))
        c.series("index", "détente index", Style(BLACK, "-"))
        c.hline(hold, f"holds ≥ {hold:.2f}", GREEN)
        c.hline(friction, f"friction < {friction:.2f}", VERMILLION)
        self.branch_label = ""
        self.theory: dict[str, float] = {}

    def _trust_legend(self) -> None:
        items = [(f"{SIDE_LABELS[s]} trust", Style(SIDE_COLOURS[s], "-" if s == "us" else "--"))
                 for s in ("us", "cn") if self._shows_trust(s)]
        if self.reveal:
            items += [("accusation: real breach", Style(GREY, "none", ACCUSE_REAL, 0, 8)),
                      ("accusation: false alarm", Style(GREY, "none", ACCUSE_FALSE, 0, 8))]
        else:
            items += [("accusation (truth hidden)", Style(GREY, "none", ACCUSE_HIDDEN, 0, 6, fill=False))]
        self.charts["trust"].set_legend_items(items)

    def _shows_trust(self, side: str) -> bool:
        return self.reveal or self.player is None or side == self.player

    def set_reveal(self, reveal: bool) -> None:
        if reveal != self.reveal:
            self.reveal = reveal
            self._trust_legend()

    def set_theory(self, values: dict[str, float]) -> None:
        """Exact long-run values (classic-ipd) drawn as labelled horizontal lines."""
        if values == self.theory or not self.classic:
            return
        self.theory = values
        for name in ("payoff", "cooperation"):
            self.charts[name].clear_static()
        if "us" in values and "cn" in values and abs(values["us"] - values["cn"]) < 0.005:
            # Equal long-run payoffs (e.g. any symmetric pair): one line, one label.
            self.charts["payoff"].hline(values["us"], f"theory, both sides {values['us']:.2f}",
                                        SIDE_COLOURS["us"])
        else:
            for side in ("us", "cn"):
                if side in values:
                    self.charts["payoff"].hline(values[side],
                                                f"theory {SIDE_LABELS[side]} {values[side]:.2f}",
                                                SIDE_COLOURS[side])
        if "cc" in values:
            self.charts["cooperation"].hline(values["cc"], f"theory {values['cc']:.2f}", GREEN)

    # -------------------------------------------------------------------- branch
    def set_branch(self, week: int | None, label: str) -> None:
        """Show (or clear, with ``week=None``) a branch overlaid on every chart."""
        if label == self.branch_label and (week is None) == (not label):
            return
        self.branch_label = label
        for chart in self.charts.values():
            chart.drop("branch:")
            for artist in [a for a in chart.static if getattr(a, "_branch_marker", False)]:
                artist.remove()  # type: ignore[attr-defined]
                chart.static.remove(artist)
            chart.legend_items = [i for i in chart.legend_items if not i[0].startswith("branch")]
            if week is None:
                continue
            for name, line in list(chart.artists.items()):
                if name.endswith(("_real", "_false", "_hidden")) or name.startswith("branch:"):
                    continue
                on_right = chart.right is not None and line.axes is chart.right
                chart.series(f"branch:{name}", None,
                             Style(line.get_color(), (0, (1, 1.5)), "o", 1.4, 3.5, fill=False),
                             right=on_right)
            before = len(chart.static)
            chart.vline(week, f"branch at week {week}")
            for artist in chart.static[before:]:
                artist._branch_marker = True  # type: ignore[attr-defined]
            chart.legend_items.append(("branch (dotted, hollow)", Style(GREY, (0, (1, 1.5)), "o", 1.4, 3.5, fill=False)))
        self._dirty_all()

    def _dirty_all(self) -> None:
        for chart in self.charts.values():
            chart._dirty = True

    # -------------------------------------------------------------------- data
    def update(self, data: ChartData, branch: ChartData | None = None) -> None:
        self._fill("", data)
        if branch is not None:
            self._fill("branch:", branch)
        for chart in self.charts.values():
            chart.set_week(data.week)

    def _fill(self, prefix: str, d: ChartData) -> None:
        x = d.weeks
        charts = self.charts
        if self.classic:
            for side in ("us", "cn"):
                self._set(charts["payoff"], prefix + side, x, _running_mean(d.col(f"{side}_welfare")))
            both = [float(a and b) for a, b in zip(d.col("us_complied"), d.col("cn_complied"), strict=False)]
            self._set(charts["cooperation"], prefix + "both", x, _running_mean(both))
        else:
            for side in ("us", "cn"):
                self._set(charts["tariffs"], f"{prefix}{side}_tariff", x, d.col(f"{side}_tariff"))
                self._set(charts["tariffs"], f"{prefix}{side}_curbs", x, d.col(f"{side}_curbs"))
            self._set(charts["supply"], prefix + "flow", x, d.col("rare_earth_flow"))
            self._set(charts["supply"], prefix + "production", x, d.col("production"))
            self._set(charts["supply"], prefix + "inventory", x, d.col("inventory_weeks"))
        trust = charts["trust"]
        for side in ("us", "cn"):
            values = d.col(f"{side}_trust")
            shown = self._shows_trust(side)
            self._set(trust, f"{prefix}{side}_trust", x if shown else [], values if shown else [])
            if prefix:
                continue
            marks: dict[str, tuple[list[int], list[float]]] = {k: ([], []) for k in ("real", "false", "hidden")}
            for week, actor, real in d.accusations:
                if actor != side or not x or not x[0] <= week <= x[-1]:
                    continue
                kind = "hidden" if not self.reveal else ("real" if real else "false")
                marks[kind][0].append(week)
                marks[kind][1].append(values[week - x[0]] if x else 0.0)
            for kind, (wx, wy) in marks.items():
                trust.set(f"{side}_{kind}", wx, wy)
        self._set(charts["index"], prefix + "index", x, d.col("detente_index"))

    @staticmethod
    def _set(chart: BlitChart, name: str, x: Sequence[float], y: Sequence[float]) -> None:
        if name in chart.artists:
            chart.set(name, x, y)

    def images(self) -> dict[str, bytes]:
        return {name: chart.image() for name, chart in self.charts.items()}


@dataclass
class ChartData:
    """The columns one chart set needs, copied out of a model at one week."""

    weeks: list[int]
    columns: dict[str, list]
    accusations: list[tuple[int, str, bool | None]]

    @classmethod
    def of(cls, model, since: int = 0) -> ChartData:
        """Read straight from Mesa's DataCollector lists: a DataFrame every week would cost
        more than the step. ``since`` drops earlier weeks (a branch shows from its fork)."""
        columns = model.datacollector.model_vars
        start = max(0, since - 1)
        weeks = list(columns.get("week", []))[start:]
        accusations = [(r.week, r.actor, r.real) for r in model.log.records if r.kind == "accusation"]
        return cls(weeks, {k: list(v)[start:] for k, v in columns.items()}, accusations)

    @property
    def week(self) -> int:
        return self.weeks[-1] if self.weeks else 0

    def col(self, name: str) -> list:
        return self.columns.get(name, [])


def _running_mean(values: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for i, v in enumerate(values, start=1):
        total += float(v)
        out.append(total / i)
    return out


# ------------------------------------------------------------------------ in words
# Each chart in words, built here only: the alt text states what the chart shows now, and
# the "show as table" view carries the same series week by week (WCAG 1.1.1, 1.4.1).


def _since(data: ChartData, column: str) -> str:
    """' since week N' when the latest value has held for more than one week."""
    values = data.col(column)
    if len(values) < 2:
        return ""
    i = len(values) - 1
    while i > 0 and values[i - 1] == values[-1]:
        i -= 1
    return f" since week {data.weeks[i]}" if i < len(values) - 1 else ""


def chart_texts(data: ChartData, classic: bool, player: str | None = None,
                branch: ChartData | None = None) -> dict[str, str]:
    """One sentence per chart stating what it shows now (its alt text and caption), and one
    more for a branch's dotted path.

    With ``player`` set (Play, before the end) only what that side knows is described.
    """
    if not data.weeks:
        return {}
    out = _texts_now(data, classic, player)
    if branch is not None and branch.weeks:
        for name, text in _texts_now(branch, classic, player).items():
            out[name] += " Dotted, the branch: " + text[0].lower() + text[1:]
    return out


def _texts_now(data: ChartData, classic: bool, player: str | None) -> dict[str, str]:
    last = {k: (v[-1] if v else None) for k, v in data.columns.items()}
    week = f"Week {data.week}"
    if player is None:
        trust = (f"{week}: trust U.S. {last['us_trust']:.2f}, China {last['cn_trust']:.2f}; "
                 f"accusations U.S. {last['accusations_us']} ({last['false_accusations_us']} false), "
                 f"China {last['accusations_cn']} ({last['false_accusations_cn']} false).")
    else:
        trust = (f"{week}: your trust {last[f'{player}_trust']:.2f}; accusations U.S. "
                 f"{last['accusations_us']}, China {last['accusations_cn']} (truth shown at the end).")
    out = {"trust": trust, "index": f"{week}: détente index {last['detente_index']:.2f}."}
    if classic:
        out["payoff"] = f"{week}: payoff this week U.S. {last['us_welfare']:.1f}, China {last['cn_welfare']:.1f}."
        out["cooperation"] = f"{week}: both complied this week: {'yes' if last['us_complied'] and last['cn_complied'] else 'no'}."
    else:
        out["tariffs"] = (f"{week}: headline tariff U.S. {last['us_tariff']:.0f}%{_since(data, 'us_tariff')}, "
                          f"China {last['cn_tariff']:.0f}%{_since(data, 'cn_tariff')}; "
                          f"curbs U.S. {last['us_curbs']:.2f}, China {last['cn_curbs']:.2f}.")
        out["supply"] = (f"{week}: rare-earth flow {last['rare_earth_flow']:.0%} of demand, production "
                         f"{last['production']:.0%}, inventory {last['inventory_weeks']:.1f} weeks.")
    return out


def _fmt(value, pattern: str) -> str:
    return "" if value is None else format(value, pattern)


def chart_tables(data: ChartData, classic: bool, player: str | None = None,
                 branch: ChartData | None = None) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The data of each chart as (column headings, rows), one row per week, newest last:
    every line the chart draws, the branch's too ("(branch)" columns, empty before its fork),
    and on the trust chart the accusations it marks.

    Hides what the chart hides: on Play before the end, the other side's trust and whether
    an accusation was true.
    """
    main = _chart_columns(data, classic, player)
    twin = _chart_columns(branch, classic, player) if branch is not None else {}
    out = {}
    for name, spec in main.items():
        extra = [(f"{head} (branch)", dict(zip(branch.weeks, values, strict=False)), fmt)  # type: ignore[union-attr]
                 for head, values, fmt in twin.get(name, [])]
        heads = ["Week", *(head for head, _, _ in spec), *(head for head, _, _ in extra)]
        rows = [[str(w), *(_fmt(values[i] if i < len(values) else None, fmt) for _, values, fmt in spec),
                 *(_fmt(by_week.get(w), fmt) for _, by_week, fmt in extra)]
                for i, w in enumerate(data.weeks)]
        if name == "trust":
            heads.append("Accusations")
            said = _accusations_by_week(data, player)
            for row, w in zip(rows, data.weeks, strict=True):
                row.append(said.get(w, ""))
            if branch is not None:
                heads.append("Accusations (branch)")
                said = _accusations_by_week(branch, player)
                for row, w in zip(rows, data.weeks, strict=True):
                    row.append(said.get(w, "") if w in set(branch.weeks) else "")
        out[name] = (heads, rows)
    return out


def _chart_columns(data: ChartData, classic: bool,
                   player: str | None) -> dict[str, list[tuple[str, list, str]]]:
    """Each chart's lines as (heading, values by week, format)."""
    c = data.col
    trust = [(f"{SIDE_LABELS[s]} trust", c(f"{s}_trust"), ".2f")
             for s in ("us", "cn") if player is None or s == player]
    out = {"trust": trust, "index": [("Détente index", c("detente_index"), ".2f")]}
    if classic:
        both = [float(a and b) for a, b in zip(c("us_complied"), c("cn_complied"), strict=False)]
        out["payoff"] = [("U.S. running mean payoff", _running_mean(c("us_welfare")), ".2f"),
                         ("China running mean payoff", _running_mean(c("cn_welfare")), ".2f")]
        out["cooperation"] = [("Share of weeks both complied", _running_mean(both), ".2f")]
    else:
        out["tariffs"] = [("U.S. tariff (%)", c("us_tariff"), ".0f"),
                          ("China tariff (%)", c("cn_tariff"), ".0f"),
                          ("U.S. tech curbs (0-1)", c("us_curbs"), ".2f"),
                          ("China tech curbs (0-1)", c("cn_curbs"), ".2f")]
        out["supply"] = [("Rare-earth flow (share of demand)", c("rare_earth_flow"), ".0%"),
                         ("Firm production (share of demand)", c("production"), ".0%"),
                         ("Inventory (weeks of cover)", c("inventory_weeks"), ".1f")]
    return out


def _accusations_by_week(data: ChartData, player: str | None) -> dict[int, str]:
    """Who accused whom each week, with the truth where the chart shows it."""
    said: dict[int, list[str]] = {}
    for week, actor, real in data.accusations:
        if player is not None or real is None:
            truth = "truth hidden" if player is not None else "truth unknown"
        else:
            truth = "real breach" if real else "false alarm"
        said.setdefault(week, []).append(f"{SIDE_LABELS.get(actor, actor)} accused ({truth})")
    return {week: "; ".join(texts) for week, texts in said.items()}
