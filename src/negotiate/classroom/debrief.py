"""The debrief: timeline by seat, the main charts, the class beside 2025, scores, questions, export.

"Debriefing is the most important part of a simulation" (Crookall 2023; facts §4.3). The
questions follow the DATA sequence (Describe -> Analyse -> Transfer -> Apply) and quote this
class's own numbers, so the discussion starts from what happened in the room.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .seats import PLAYING_SEATS, SEATS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .rooms import Room

REAL_SCENARIO = "rare-earth-2025-replay"
REAL_SEED = 0  # the 2025 path is one run of the replay
# Model log kinds worth a line in the timeline (ai_move is already in each seat's row).
TIMELINE_KINDS = ("accusation", "posture", "agreement", "extension", "lapse", "snapback", "call",
                  "injected", "calendar", "consultation", "talks_failed", "licence_decisions",
                  "plant_stoppage")
EXPORT_FORMATS = ("csv", "parquet")
# Kinds whose "real" and "perceived" answer a question (was there a breach; was it seen).
# On a posture, "real" only says whether the move complied: the columns stay blank there.
TRUTH_KINDS = ("accusation", "consultation")
KIND_WORDS = {"move": "student move", "ai_move": "AI move", "talks_failed": "talks failed",
              "licence_decisions": "licence decisions", "plant_stoppage": "plant stoppage"}


def timeline(room: Room) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for r in room.rows:
        rows.append({"turn": r["turn"], "date": r["date"], "seat": r["seat_title"],
                     "kind": "move" if r["source"] == "student" else "ai_move",
                     "what": r["decision_text"], "real": None, "perceived": None})
    events = room.model.event_table()
    for e in events.itertuples():
        if e.kind not in TIMELINE_KINDS:
            continue
        seat = SEATS[e.actor].title if e.actor in SEATS else e.actor
        truth = e.kind in TRUTH_KINDS
        rows.append({"turn": int(e.week), "date": e.date, "seat": seat, "kind": e.kind,
                     "what": e.details, "real": _flag(e.real) if truth else None,
                     "perceived": _flag(e.perceived) if truth else None})
    for o in room.offers:
        from ..negotiation import Offer

        rows.append({"turn": o["turn"], "date": room.model.log.date_of(o["turn"]),
                     "seat": SEATS[o["side"]].title, "kind": f"offer ({o['status']})",
                     "what": Offer(**o["offer"]).describe(), "real": None, "perceived": None})
    frame = pd.DataFrame(rows, columns=["turn", "date", "seat", "kind", "what", "real", "perceived"])
    order = {"injected": 0, "calendar": 1, "move": 2, "ai_move": 2}
    frame["_o"] = frame["kind"].map(lambda k: order.get(k, 3))
    frame = frame.sort_values(["turn", "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)
    frame["kind"] = frame["kind"].map(lambda k: KIND_WORDS.get(k, k.replace("_", " ")))
    return frame


def _flag(value: Any) -> bool | None:
    return None if pd.isna(value) else bool(value)


def accusations(room: Room) -> pd.DataFrame:
    events = room.model.event_table()
    acc = events[events["kind"] == "accusation"].copy()
    acc["verdict"] = acc["real"].map(lambda r: "real breach" if r else "FALSE: perceived only")
    acc["actor"] = acc["actor"].map(lambda a: SEATS[a].title if a in SEATS else a)
    return acc[["week", "date", "actor", "details", "verdict"]].reset_index(drop=True)


SCORE_GROUPS = {"Delegations": ("government",), "Firms and suppliers": ("firm", "magnet", "supplier")}
SCORE_COLUMNS = ["rank", "seat", "played by", "score", "turns played"]


def scores(room: Room) -> dict[str, pd.DataFrame]:
    """Scores ranked within each group (delegations and firms score on different scales).

    Only seats students played are ranked; seats the AI played all game are listed below
    them, unranked, so 500 points from an AI firm never sits above a student.
    """
    frame = pd.DataFrame(room.rows)
    out: dict[str, pd.DataFrame] = {}
    for group, kinds in SCORE_GROUPS.items():
        seats = [s for s in PLAYING_SEATS if SEATS[s].kind in kinds]
        if frame.empty:
            out[group] = pd.DataFrame(columns=SCORE_COLUMNS)
            continue
        part = frame[frame["seat"].isin(seats)]
        last = part.groupby("seat").tail(1).set_index("seat")
        played = part[part["source"] == "student"].groupby("seat").size()
        names = {s: sorted({n for cell in part.loc[part["seat"] == s, "students"] for n in
                            str(cell).split(", ") if n}) for s in last.index}
        rows = [{"seat": SEATS[s].title,
                 "played by": ", ".join(names[s]) if played.get(s, 0) else "AI",
                 "score": round(float(last.at[s, "score_total"]), 1),
                 "turns played": int(played.get(s, 0))} for s in last.index]
        humans = sorted((r for r in rows if r["played by"] != "AI"), key=lambda r: -r["score"])
        ai = sorted((r for r in rows if r["played by"] == "AI"), key=lambda r: -r["score"])
        for rank, r in enumerate(humans, 1):
            r["rank"] = str(rank)
        for r in ai:
            r["rank"] = "AI"
        out[group] = pd.DataFrame(humans + ai, columns=SCORE_COLUMNS)
    return out


@functools.lru_cache(maxsize=1)
def real_path() -> pd.DataFrame | None:
    """The 2025 replay's weekly path, or None if that scenario is not available."""
    try:
        from ..runner import run

        return run(REAL_SCENARIO, seed=REAL_SEED).model_table
    except Exception:  # the replay scenario is optional: the debrief works without it
        return None


def class_vs_real(room: Room) -> pd.DataFrame | None:
    real = real_path()
    if real is None or not room.model.steps:
        return None
    ours = room.model.model_table()
    cols = ["date", "us_tariff", "cn_tariff", "rare_earth_flow", "detente_index"]
    merged = ours[cols].merge(real[cols], on="date", how="left", suffixes=("_class", "_2025"))
    return merged


def questions(room: Room) -> list[tuple[str, str]]:
    """Three DATA questions, filled in with this class's numbers."""
    acc = accusations(room)
    n_acc = len(acc)
    n_false = int((acc["verdict"] != "real breach").sum()) if n_acc else 0
    if n_acc:
        describe = (f"Your class made {_count(n_acc, 'accusation')}; {n_false} had no breach behind "
                    f"{'it' if n_acc == 1 else 'them'} (perceived only). "
                    f"{'Take it' if n_acc == 1 else 'Pick one'}: what did the accusing delegation "
                    "see, and what had actually happened that week?")
    else:
        describe = ("Your class made no accusations. What did each delegation see of the other's "
                    "moves, and why did neither accuse?")
    table = room.model.model_table() if room.model.steps else None
    if table is not None and len(table):
        low = table.loc[table["rare_earth_flow"].idxmin()]
        if round(100 * low["rare_earth_flow"]) < 100:  # below full demand as the sentence shows it
            flow_text = (f"Rare-earth flow fell to {100 * low['rare_earth_flow']:.0f} % of demand in "
                         f"the week of {low['date']}, with U.S. tariffs at {low['us_tariff']:.0f} % "
                         f"and China's at {low['cn_tariff']:.0f} %. Which seats' decisions, in which "
                         "turns, moved that number?")
        else:
            last = table.iloc[-1]
            flow_text = (f"Rare-earth flow never fell: firms got 100 % of the rare earths they needed "
                         f"in every week played, and tariffs ended at {last['us_tariff']:.0f} % (U.S.) "
                         f"and {last['cn_tariff']:.0f} % (China). Which seats' decisions, in which "
                         "turns, kept it there?")
    else:
        flow_text = "No week has been played yet."
    return [
        ("Describe", describe),
        ("Analyse", f"{flow_text} Compare with 2025, when about 25 % of auto-supplier licences were "
                    f"approved (CLEPA, June 2025). {_agreements_question(len(room.model.truces.history))}"),
        ("Transfer and apply", "In 2025 the Geneva truce drew accusations within three weeks, "
                               "mostly over non-tariff moves (licence slow-walking; chip guidance, "
                               "EDA curbs, visas). Name another chokepoint that could be used the "
                               "same way (chips, Nexperia, graphite), and write one clause you would "
                               "add to the next agreement to keep it from unravelling."),
    ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _agreements_question(signed: int) -> str:
    if signed == 0:
        return "No agreement was signed in your game: what kept the delegations from one?"
    if signed == 1:
        return "One agreement was signed in your game: why did it hold or fail?"
    return f"{signed} agreements were signed in your game: why did they hold or fail?"


@dataclass(frozen=True)
class Chart:
    """A debrief chart and its text alternative: what the lines show, in numbers, for a
    screen reader and for anyone who cannot see the image."""

    title: str
    figure: Figure
    alt: str
    note: str = ""  # shown under the image: where the numbers come from


def _path(values: Any, unit: str, digits: int = 0) -> str:
    """'from 20% to 45% (highest 60% at turn 3)' for one line of a chart."""
    v = [float(x) for x in values]
    top = max(range(len(v)), key=v.__getitem__)
    return (f"from {v[0]:.{digits}f}{unit} to {v[-1]:.{digits}f}{unit} "
            f"(highest {v[top]:.{digits}f}{unit} at turn {top + 1})")


# What each 2025 line in "Class vs 2025" is: (legend words, calibration label). The replay
# scripts both governments from the dated calendar, so its tariffs are the record's rates;
# its flow and détente index come out of the model (there is no weekly record of either).
REAL_SERIES = {
    "us_tariff": ("2025 record", "scripted"),
    "cn_tariff": ("2025 record", "scripted"),
    "rare_earth_flow": ("2025 replay, model output", "endogenous"),
    "detente_index": ("2025 replay, model output", "endogenous"),
}


def real_series_note() -> str:
    """Where each 2025 line comes from, in the calibration report's words."""
    from ..calibration.comparisons import LABELS

    return (f"Dashed lines are 2025. Tariffs: the record's headline rates, which the "
            f"{REAL_SCENARIO} scenario replays (scripted: {LABELS['scripted']}). Rare-earth flow "
            f"and the détente index: what the model produces when it replays 2025 (one run, seed "
            f"{REAL_SEED}), not observations "
            f"(endogenous: {LABELS['endogenous']}); the 2025 record in this project has no weekly figure for either.")


def _turn_axis(ax: Any) -> None:
    """Turns are whole numbers: no 1.5 on the axis."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def figures(room: Room) -> list[Chart]:
    """The main charts (matplotlib, built without pyplot so threads do not share state)."""
    from matplotlib.figure import Figure

    if not room.model.steps:
        return []
    table = room.model.model_table()
    x = list(range(1, len(table) + 1))
    out = []

    fig = Figure(figsize=(6, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(x, table["us_tariff"], label="U.S. on China", color="#1f4e9c")
    ax.plot(x, table["cn_tariff"], label="China on U.S.", color="#c0392b")
    ax.set(xlabel="turn", ylabel="headline tariff (%)", title="Tariffs")
    _turn_axis(ax)
    ax.legend(loc="best", fontsize=8)
    span = f"turns 1 to {len(x)}"
    out.append(Chart("Tariffs", fig,
                     f"Line chart of headline tariffs over {span}: U.S. on China "
                     f"{_path(table['us_tariff'], '%')}; China on U.S. {_path(table['cn_tariff'], '%')}."))

    fig = Figure(figsize=(6, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(x, 100 * table["rare_earth_flow"], label="rare-earth flow (% of demand met)", color="#2e7d32")
    ax.set(xlabel="turn", ylabel="% of demand", ylim=(0, 105), title="Rare earths reaching firms")
    _turn_axis(ax)
    ax2 = ax.twinx()
    ax2.plot(x, table["inventory_weeks"], label="inventory cover (weeks)", color="#8d6e63", ls="--")
    ax2.set_ylabel("weeks of cover")
    fig.legend(loc="lower left", fontsize=8)
    flow = 100 * table["rare_earth_flow"]
    low = int(flow.to_numpy().argmin())
    out.append(Chart("Rare-earth flow", fig,
                     f"Line chart over {span}: rare earths reaching firms went from "
                     f"{flow.iloc[0]:.0f}% to {flow.iloc[-1]:.0f}% of demand (lowest {flow.iloc[low]:.0f}% "
                     f"at turn {low + 1}); inventory cover (dashed) "
                     f"{_path(table['inventory_weeks'], ' weeks', 1)}."))

    fig = Figure(figsize=(6, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(x, table["detente_index"], color="#6a1b9a", label="détente index")
    acc = room.model.event_table()
    acc = acc[acc["kind"] == "accusation"]
    for e in acc.itertuples():
        ax.axvline(int(e.week), color="#c0392b" if e.real else "#f39c12", lw=1, ls=":" if not e.real else "-")
    ax.set(xlabel="turn (lines: accusations; dotted = false)", ylabel="index", ylim=(0, 1),
           title="Détente and accusations")
    _turn_axis(ax)
    real = sorted({int(e.week) for e in acc.itertuples() if e.real})
    false = sorted({int(e.week) for e in acc.itertuples() if not e.real})
    marks = (f"{len(acc)} accusation(s) marked: real at turns {', '.join(map(str, real)) or 'none'}; "
             f"false at turns {', '.join(map(str, false)) or 'none'}") if len(acc) else "no accusations"
    out.append(Chart("Détente and accusations", fig,
                     f"Line chart of the détente index (0 to 1) over {span}, "
                     f"{_path(table['detente_index'], '', 2)}; {marks}."))

    both = class_vs_real(room)
    if both is not None and both["detente_index_2025"].notna().any():
        out.append(_class_vs_2025(both, x, span))
    return out


def _class_vs_2025(both: pd.DataFrame, x: list[int], span: str) -> Chart:
    """Tariffs, rare-earth flow and the détente index: the class (solid) beside 2025 (dashed)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 7), layout="constrained")
    tariffs, flow, detente = fig.subplots(3, 1, sharex=True)
    for col, name, colour in (("us_tariff", "U.S.", "#1f4e9c"), ("cn_tariff", "China", "#c0392b")):
        tariffs.plot(x, both[f"{col}_class"], color=colour, label=f"{name} tariff: class")
        tariffs.plot(x, both[f"{col}_2025"], color=colour, ls="--",
                     label=f"{name} tariff: {REAL_SERIES[col][0]}")
    tariffs.set(ylabel="headline tariff (%)", title="Your class beside 2025: tariffs")
    flow.plot(x, 100 * both["rare_earth_flow_class"], color="#2e7d32", label="flow: class")
    flow.plot(x, 100 * both["rare_earth_flow_2025"], color="#2e7d32", ls="--",
              label=f"flow: {REAL_SERIES['rare_earth_flow'][0]}")
    flow.set(ylabel="% of demand met", ylim=(0, 105), title="Rare-earth flow")
    detente.plot(x, both["detente_index_class"], color="#6a1b9a", label="détente: class")
    detente.plot(x, both["detente_index_2025"], color="#6a1b9a", ls="--",
                 label=f"détente: {REAL_SERIES['detente_index'][0]}")
    detente.set(xlabel="turn", ylabel="index", ylim=(0, 1), title="Détente index")
    for ax in (tariffs, flow, detente):
        ax.legend(loc="best", fontsize=7)
        _turn_axis(ax)
    last = both.dropna(subset=[f"{c}_2025" for c in REAL_SERIES]).iloc[-1:]
    compare = "; ".join(
        f"at turn {i + 1} the class had U.S. tariff {r.us_tariff_class:.0f}%, China tariff "
        f"{r.cn_tariff_class:.0f}%, flow {100 * r.rare_earth_flow_class:.0f}% and détente "
        f"{r.detente_index_class:.2f}; 2025 had U.S. {r.us_tariff_2025:.0f}% and China "
        f"{r.cn_tariff_2025:.0f}% (record), flow {100 * r.rare_earth_flow_2025:.0f}% and détente "
        f"{r.detente_index_2025:.2f} (model replay)"
        for i, r in zip(last.index, last.itertuples(), strict=True))
    note = real_series_note()
    return Chart("Class vs 2025", fig,
                 "Line charts of the class's headline tariffs, rare-earth flow and détente index "
                 f"(solid) beside 2025 (dashed) over {span}: "
                 f"{compare or 'no 2025 figures for these weeks'}. {note}", note)


def debrief_data(room: Room) -> dict[str, Any]:
    return {"code": room.code, "status": room.status, "resolved": room.resolved,
            "timeline": timeline(room), "accusations": accusations(room), "scores": scores(room),
            "class_vs_real": class_vs_real(room), "questions": questions(room),
            "outcome": room.model.current_outcome() if room.model.steps else None,
            "messages": list(room.messages)}


def export_frame(room: Room) -> pd.DataFrame:
    """One row per seat per turn, with the room's settings so files from many rooms stack."""
    frame = pd.DataFrame(room.rows)
    if frame.empty:
        return frame
    frame.insert(0, "seed", room.config.seed)
    frame.insert(0, "scenario", room.config.scenario)
    frame.insert(0, "room", room.code)
    return frame


# A spreadsheet runs a cell that starts with one of these as a formula (and tab/CR can hide
# the start); OWASP's advice is to prefix such cells with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells only (numbers stay numbers, so -3.5 is still a number)."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    return out


def export_bytes(room: Room, fmt: str) -> bytes:
    from ..errors import NegotiateError

    if fmt not in EXPORT_FORMATS:
        raise NegotiateError(f"export format {fmt!r} is unknown; allowed: {', '.join(EXPORT_FORMATS)}")
    frame = export_frame(room)
    buffer = io.BytesIO()
    if fmt == "csv":
        safe_for_spreadsheets(frame).to_csv(buffer, index=False)
    else:
        frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
