"""``negotiate calibrate``: the 2025 replay against the record, and the baseline's story.

Runs ``rare-earth-2025-replay`` (governments scripted from the dated calendar; firms, licence
queues, inventories, prices and mood endogenous) over N seeds and sets the model's bands
(median and 5-95 % over seeds) beside every observed number in
``../shared/facts/rare-earth-2025.md`` that the model has a counterpart for. It then runs the
free-play baseline ``rare-earth-2025`` over the same seeds and counts how often its event
log tells 2025's story (escalation -> truce -> accusations within weeks -> call or talks ->
framework -> extension). It writes ``<out>/calibration.md`` and
``<out>/figures/calibration/*.png``.

Every number in the report is computed here from the runs; the only constants are the
observed values in :data:`RECORD` (copied from the facts file, with their sources), so a
change in the model or a scenario shows up in the report the next time it is generated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import NegotiateError

REPLAY = "rare-earth-2025-replay"
BASELINE = "rare-earth-2025"
START = dt.date(2025, 1, 6)  # Monday of week 1 in both scenarios (checked at run time)
FIGURE_DIR = Path("figures") / "calibration"
MAX_SEEDS = 100_000
# Weekly series recorded per run (model attributes, plus a few computed from the firm panel).
SERIES = (
    "us_tariff", "cn_tariff", "us_tariff_average", "cn_tariff_average", "approval_rate",
    "inventory_weeks", "cover_normal", "cover_jit", "flow_normal", "flow_jit", "rare_earth_flow", "price_china",
    "price_contract", "price_spot", "market_mood", "news", "supply_china", "applied",
    "approved", "denied", "agreement_in_force",
)


def week_of(date: dt.date | str, start: dt.date = START) -> int:
    """The model week (1-based) a date falls in, the rule ``CalendarEvent.week`` uses."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return (date - start).days // 7 + 1


# ---------------------------------------------------------------------------------------------
# The record: observed values from ../shared/facts/rare-earth-2025.md (the only data source)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Observation:
    """One observed number (or range) on a date, with the facts-file section and source."""

    key: str
    date: str
    low: float
    high: float
    unit: str
    what: str
    source: str

    @property
    def week(self) -> int:
        return week_of(self.date)

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2.0

    def text(self) -> str:
        if self.low == self.high:
            return f"{self.low:g}{self.unit}"
        return f"{self.low:g}-{self.high:g}{self.unit}"


RECORD: dict[str, list[Observation]] = {
    "us_tariff_average": [
        Observation("us_avg", "2025-01-20", 20.8, 20.8, " %", "PIIE average U.S. tariff on Chinese goods",
                    "facts §1.1, PIIE chart (Bown)"),
        Observation("us_avg", "2025-04-21", 124.1, 124.1, " %", "PIIE average, April to early May",
                    "facts §1.1, PIIE"),
        Observation("us_avg", "2025-05-05", 126.5, 126.5, " %", "PIIE peak, early May",
                    "facts §1.1, PIIE"),
        Observation("us_avg", "2025-05-14", 51.1, 51.1, " %", "PIIE average after Geneva",
                    "facts §1.1, PIIE"),
        Observation("us_avg", "2025-11-03", 57.0, 57.0, " %", "average before Busan (Trump/Bessent; "
                    "PIIE series ~57)", "facts §1.1 (jiaxinkg.com; indiatoday.in) and modelling note"),
        Observation("us_avg", "2025-11-10", 47.0, 47.0, " %", "average after Busan (Trump/Bessent; "
                    "PIIE series ~47)", "facts §1.1 (jiaxinkg.com; indiatoday.in) and modelling note"),
    ],
    "cn_tariff_average": [
        Observation("cn_avg", "2025-01-20", 21.0, 21.0, " %", "PIIE average Chinese tariff on U.S. goods",
                    "facts §1.1, PIIE"),
        Observation("cn_avg", "2025-05-14", 32.6, 32.6, " %", "PIIE average for China after Geneva",
                    "facts §1.1, PIIE"),
    ],
    "us_tariff": [
        Observation("us_head", "2025-02-04", 10, 10, " %", "U.S. headline (fentanyl +10)", "facts §1.1"),
        Observation("us_head", "2025-03-04", 20, 20, " %", "U.S. headline (fentanyl 20)", "facts §1.1"),
        Observation("us_head", "2025-04-09", 145, 145, " %", "U.S. headline 145 (125 reciprocal + 20)",
                    "facts §1.1, EO 14266"),
        Observation("us_head", "2025-05-14", 30, 30, " %", "U.S. headline after Geneva (10 + 20)",
                    "facts §1.1, joint statement"),
        Observation("us_head", "2025-11-10", 20, 20, " %", "U.S. headline after Busan (10 + 10)",
                    "facts §1.1"),
    ],
    "cn_tariff": [
        Observation("cn_head", "2025-04-12", 125, 125, " %", "China headline 125", "facts §1.1"),
        Observation("cn_head", "2025-05-14", 10, 10, " %", "China headline after Geneva", "facts §1.1"),
    ],
}
CLEPA = Observation("clepa", "2025-06-04", 0.25, 0.25, "", "CLEPA: 'only a quarter' of hundreds of "
                    "auto-supplier requests granted", "facts §0, §2.4 (Reuters 4 Jun 2025)")
EU_CHAMBER = Observation("eucc", "2025-09-30", 0.0, 0.25, "", "EU Chamber: fewer than a quarter of "
                         "~140 applications approved", "facts §2.4 (Sep 2025)")
BUFFER = Observation("buffer", "2025-03-31", 8.7, 13.0, " wk", "inventory of 2-3 months (8.7-13 weeks)",
                     "facts §2.4 (Jan Giese, Tradium, via Reuters, Apr 2025)")
JIT = Observation("jit", "2025-03-31", 2.0, 4.0, " wk", "just-in-time buffers of 2-4 weeks",
                  "facts §2.4 (miningbusinessinsights, weak)")
CONTROLS = dt.date(2025, 4, 4)
TEMP_LICENCES = dt.date(2025, 6, 2)
SEP_EXPORTS = Observation("sep", "2025-09-30", -0.31, -0.31, "", "China's RE exports -31 % m/m in "
                          "September", "facts §1.2 (ckhq.net, jointearn; Reuters)")
PRICES = [
    Observation("ndpr", "2025-01-06", 50.0, 55.0, " $/kg", "NdPr oxide inside China, fob, Apr-Jun 2024 "
                "(drawn at week 1: the last pre-control quote in the facts)", "facts §2.5 (fastmarkets)"),
    Observation("ndpr", "2025-07-10", 60.0, 60.0, " $/kg", "NdPr inside China when the MP floor was set",
                "facts §2.5, §2.6 (stock-market.news)"),
    Observation("ndpr", "2025-11-17", 76.0, 84.0, " $/kg", "NdPr inside China, Nov-Dec 2025",
                "facts §2.5 (SMM weekly)"),
]
MP_FLOOR = 110.0  # $/kg, MP-DoD floor (facts §2.6): a U.S. policy price, not a market quote
EUROPE_VS_CHINA = -0.05  # Europe NdPr ~5 % below China, Jul 2025 (Benchmark, facts §2.5)
GENEVA_SP = Observation("geneva", "2025-05-12", 3.26, 3.26, " %", "S&P 500 on the Geneva statement",
                        "facts §2.9 (news.metal.com; cochraneeagle)")
OCT_SP = Observation("oct", "2025-10-10", -2.71, -2.71, " %", "S&P 500 on the +100 % threat",
                     "facts §2.9 (wired24; particle.news)")
GENEVA = dt.date(2025, 5, 12)
LAPSE = dt.date(2025, 8, 12)
EXTENDED = dt.date(2025, 8, 11)
ACCUSATIONS = (dt.date(2025, 5, 30), dt.date(2025, 6, 2))
CALL = dt.date(2025, 6, 5)
LONDON = dt.date(2025, 6, 9)


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------
@dataclass
class RunRecord:
    """What one seed left behind: weekly series and its event log."""

    seed: int
    weekly: dict[str, np.ndarray]
    events: Any  # pandas DataFrame
    summary: dict[str, Any]


def run_one(name: str, seed: int, overrides: dict[str, Any] | None = None) -> RunRecord:
    """Run one scenario week by week, recording the series the report needs.

    Steps ``TradeModel`` directly (the same loop as :func:`negotiate.run`) because licence
    applications, decisions and per-group inventory cover are read from the firm panel
    each week and are not model reporters.
    """
    from .model import TradeModel
    from .runner import summarise
    from .scenario import load_scenario

    values = {"collect.firms": False, **(overrides or {})}
    scenario = load_scenario(name, values, seed=seed)
    if scenario.start != START:
        raise NegotiateError(f"{name} starts on {scenario.start}; calibrate needs {START} "
                             "(the week numbers of the record)")
    model = TradeModel(scenario)
    firms = model.firms
    jit = firms.buffer_weeks < scenario.firms_buffer_weeks
    rows: dict[str, list[float]] = {k: [] for k in SERIES}
    decay = scenario.market_mood_decay
    while model.running:
        mood_before = model.market.mood
        model.step()
        cover = firms.inventory
        for key in ("us_tariff", "cn_tariff", "us_tariff_average", "cn_tariff_average",
                    "approval_rate", "inventory_weeks", "rare_earth_flow", "price_china",
                    "price_contract", "price_spot", "market_mood"):
            rows[key].append(float(getattr(model, key)))
        # Demand-weighted cover of each buffer group: what "2-3 months" and "2-4 weeks" describe.
        rows["cover_normal"].append(float(cover[~jit].sum() / firms.demand[~jit].sum()) if (~jit).any() else np.nan)
        rows["cover_jit"].append(float(cover[jit].sum() / firms.demand[jit].sum()) if jit.any() else np.nan)
        made = firms.production * firms.demand
        rows["flow_normal"].append(float(made[~jit].sum() / firms.demand[~jit].sum()) if (~jit).any() else np.nan)
        rows["flow_jit"].append(float(made[jit].sum() / firms.demand[jit].sum()) if jit.any() else np.nan)
        # This week's news alone (the mood index carries last weeks' decayed news too).
        rows["news"].append(model.market.mood - decay * mood_before)
        rows["supply_china"].append(firms.supply_china)
        rows["applied"].append(firms.applied)
        rows["approved"].append(firms.approved)
        rows["denied"].append(firms.denied)
        rows["agreement_in_force"].append(float(model.truces.current is not None))
    weekly = {k: np.asarray(v, dtype=float) for k, v in rows.items()}
    return RunRecord(seed, weekly, model.event_table(), summarise(model))


def run_many(name: str, seeds: Sequence[int], overrides: dict[str, Any] | None = None,
             progress: Callable[[str], None] | None = None) -> list[RunRecord]:
    out = []
    for i, seed in enumerate(seeds):
        out.append(run_one(name, seed, overrides))
        if progress and ((i + 1) % 25 == 0 or i + 1 == len(seeds)):
            progress(f"{name}: {i + 1}/{len(seeds)} seeds")
    return out


def stack(runs: list[RunRecord], key: str) -> np.ndarray:
    """seeds x weeks array of one series."""
    return np.vstack([r.weekly[key] for r in runs])


def band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and 5-95 % band over seeds (axis 0); weeks with no value in any seed stay nan."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return (np.nanmedian(values, axis=0), np.nanpercentile(values, 5, axis=0),
                np.nanpercentile(values, 95, axis=0))


def quantiles(values: Sequence[float]) -> tuple[float, float, float]:
    arr = np.asarray([v for v in values if v is not None and not np.isnan(v)], dtype=float)
    if arr.size == 0:
        return (math.nan, math.nan, math.nan)
    return (float(np.median(arr)), float(np.percentile(arr, 5)), float(np.percentile(arr, 95)))


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a binomial share (95 % by default)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


# ---------------------------------------------------------------------------------------------
# Replay measures (each a model counterpart of an observation)
# ---------------------------------------------------------------------------------------------
def _weeks(lo: int, hi: int) -> slice:
    """Weeks lo..hi inclusive as an index into weekly arrays (week 1 at index 0)."""
    return slice(lo - 1, hi)


def licence_shares(run: RunRecord, first: int, last: int) -> tuple[float, float]:
    """(granted / requested, approved / decided) for applications in weeks first..last.

    CLEPA's and the EU Chamber's figures are shares of requests granted (pending ones count
    against), while the scenario's ``approval_rate`` is the chance that a decided application
    is approved: the two differ by the share still in review.
    """
    w = run.weekly
    sl = _weeks(first, last)
    requested, approved, denied = w["applied"][sl].sum(), w["approved"][sl].sum(), w["denied"][sl].sum()
    granted = approved / requested if requested else math.nan
    decided = approved / (approved + denied) if approved + denied else math.nan
    return granted, decided


def first_week(values: np.ndarray, test: Callable[[np.ndarray], np.ndarray]) -> float:
    hits = np.flatnonzero(test(values))
    return float(hits[0] + 1) if hits.size else math.nan


def event_weeks(run: RunRecord, kind: str, actor: str | None = None) -> list[int]:
    e = run.events
    mask = e["kind"] == kind
    if actor is not None:
        mask &= e["actor"] == actor
    return [int(w) for w in e.loc[mask, "week"]]


def replay_measures(runs: list[RunRecord]) -> dict[str, Any]:
    """Every replay number the report quotes, as (median, p5, p95) over seeds or exact values."""
    controls = week_of(CONTROLS)
    clepa_w, sep_w = CLEPA.week, EU_CHAMBER.week
    m: dict[str, Any] = {"seeds": len(runs)}
    grants = [licence_shares(r, controls, clepa_w) for r in runs]
    m["clepa_granted"] = quantiles([g for g, _ in grants])
    m["clepa_decided"] = quantiles([d for _, d in grants])
    sep = [licence_shares(r, controls, sep_w) for r in runs]
    m["sep_granted"] = quantiles([g for g, _ in sep])
    m["sep_decided"] = quantiles([licence_shares(r, week_of("2025-09-01"), sep_w)[1] for r in runs])
    m["pending_at_clepa"] = quantiles([1.0 - (r.weekly["approved"][_weeks(controls, clepa_w)].sum()
                                              + r.weekly["denied"][_weeks(controls, clepa_w)].sum())
                                       / max(1.0, r.weekly["applied"][_weeks(controls, clepa_w)].sum())
                                       for r in runs])
    pre = controls - 1  # the last week before the controls bit
    m["cover_normal_pre"] = quantiles([r.weekly["cover_normal"][pre - 1] for r in runs])
    m["cover_jit_pre"] = quantiles([r.weekly["cover_jit"][pre - 1] for r in runs])
    m["cover_all_pre"] = quantiles([r.weekly["inventory_weeks"][pre - 1] for r in runs])
    m["flow_first_short"] = quantiles([first_week(r.weekly["rare_earth_flow"], lambda v: v < 0.99)
                                       for r in runs])
    m["flow_first_10"] = quantiles([first_week(r.weekly["rare_earth_flow"], lambda v: v < 0.90)
                                    for r in runs])
    m["first_stoppage"] = quantiles([min(event_weeks(r, "plant_stoppage"), default=math.nan)
                                     for r in runs])
    m["flow_min"] = quantiles([float(r.weekly["rare_earth_flow"].min()) for r in runs])
    m["flow_min_week"] = quantiles([float(np.argmin(r.weekly["rare_earth_flow"]) + 1) for r in runs])
    # "Run out" = the group's output first falls more than 5 % short of its demand.
    m["normal_runout"] = quantiles([first_week(r.weekly["flow_normal"], lambda v: v < 0.95) for r in runs])
    m["jit_runout"] = quantiles([first_week(r.weekly["flow_jit"], lambda v: v < 0.95) for r in runs])
    aug, sepw = _weeks(week_of("2025-08-04"), week_of("2025-08-31")), _weeks(week_of("2025-09-01"),
                                                                            week_of("2025-09-28"))
    m["sep_china_mm"] = quantiles([r.weekly["supply_china"][sepw].mean() / r.weekly["supply_china"][aug].mean() - 1
                                   for r in runs])
    for key, obs in (("price_china", PRICES), ("price_contract", PRICES), ("price_spot", PRICES)):
        m[key] = [quantiles([r.weekly[key][o.week - 1] for r in runs]) for o in obs]
    jul = PRICES[1].week - 1
    m["contract_vs_china_jul"] = quantiles([r.weekly["price_contract"][jul] / r.weekly["price_china"][jul] - 1
                                            for r in runs])
    m["spot_peak"] = quantiles([float(r.weekly["price_spot"].max()) for r in runs])
    m["spot_over_contract_peak"] = quantiles([float((r.weekly["price_spot"] / r.weekly["price_contract"]).max())
                                              for r in runs])
    m["news_geneva"] = quantiles([r.weekly["news"][GENEVA_SP.week - 1] for r in runs])
    m["news_oct"] = quantiles([r.weekly["news"][OCT_SP.week - 1] for r in runs])
    first = runs[0]
    # Governments are scripted, so the tariff path, the truce dates and the accusations are the
    # same in every seed; these are read from each run and checked to be identical.
    for key in ("us_tariff", "cn_tariff", "us_tariff_average", "cn_tariff_average"):
        arr = stack(runs, key)
        m[f"{key}_identical"] = bool(np.all(arr == arr[0]))
        m[key] = arr[0]
    m["tariff_checks"] = [(key, o, float(first.weekly[key][o.week - 1])) for key, obs in RECORD.items()
                          for o in obs]
    m["agreement_weeks"] = event_weeks(first, "agreement")
    m["extension_weeks"] = event_weeks(first, "extension")
    m["lapse_weeks"] = event_weeks(first, "lapse")
    m["accusation_weeks"] = sorted(event_weeks(first, "accusation"))
    m["accusations_real"] = [bool(x) for x in first.events.loc[first.events["kind"] == "accusation", "real"]]
    in_force = stack(runs, "agreement_in_force")
    m["in_force_at_lapse"] = float(in_force[:, week_of(LAPSE) - 1].mean())
    return m


# ---------------------------------------------------------------------------------------------
# Baseline story
# ---------------------------------------------------------------------------------------------
STEPS = ("escalation", "truce", "accusation", "call_or_talks", "framework", "extension")
STEP_TEXT = {
    "escalation": "both headline tariffs at least 50 points above week 1 before week 16",
    "truce": "an agreement signed within 13 weeks after the escalation",
    "accusation": "a public accusation 1-4 weeks after that agreement",
    "call_or_talks": "a leaders' call or a round of talks 0-4 weeks after that accusation",
    "framework": "a further agreement signed 0-8 weeks after that accusation",
    "extension": "the truce is next extended rather than lapsing, and no snapback by week 33",
}
RECORD_WEEKS = {
    "escalation": week_of("2025-04-09"),
    "truce": week_of(GENEVA),
    "accusation": week_of(ACCUSATIONS[0]),
    "call_or_talks": week_of(CALL),
    "framework": week_of(LONDON),
    "extension": week_of(EXTENDED),
}


def story(run: RunRecord) -> dict[str, float]:
    """The week of each step of 2025's pattern in one run's event log (nan: did not happen).

    Each step must follow the one before it, so the last step reached is the length of the
    chain this seed tells.
    """
    w, e = run.weekly, run.events
    out = dict.fromkeys(STEPS, math.nan)
    up_us = w["us_tariff"] >= w["us_tariff"][0] + 50
    up_cn = w["cn_tariff"] >= w["cn_tariff"][0] + 50
    esc = first_week(up_us & up_cn, lambda v: v)
    if math.isnan(esc) or esc >= 16:
        return out
    out["escalation"] = esc
    agreements = event_weeks(run, "agreement")
    truce = next((a for a in agreements if esc <= a <= esc + 13), None)
    if truce is None:
        return out
    out["truce"] = truce
    acc = next((a for a in sorted(event_weeks(run, "accusation")) if truce < a <= truce + 4), None)
    if acc is None:
        return out
    out["accusation"] = acc
    talk_kinds = {"call", "talks", "offer", "talks_failed"}
    talks = sorted(int(x) for x in e.loc[e["kind"].isin(talk_kinds), "week"])
    talks += [a for a in agreements if a > truce]  # an agreement reached at talks is a round
    call = min((t for t in talks if acc <= t <= acc + 4), default=None)
    if call is None:
        return out
    out["call_or_talks"] = call
    framework = next((a for a in agreements if a > truce and acc <= a <= acc + 8), None)
    if framework is None:
        return out
    out["framework"] = framework
    ends = sorted([(x, "extension") for x in event_weeks(run, "extension") if x >= framework]
                  + [(x, "lapse") for x in event_weeks(run, "lapse") if x >= framework])
    snapped = any(x <= 33 for x in event_weeks(run, "snapback"))
    if ends and ends[0][1] == "extension" and not snapped:
        out["extension"] = ends[0][0]
    return out


def baseline_measures(runs: list[RunRecord]) -> dict[str, Any]:
    stories = [story(r) for r in runs]
    n = len(runs)
    rows = []
    for i, step in enumerate(STEPS):
        chain = sum(1 for s in stories if all(not math.isnan(s[x]) for x in STEPS[: i + 1]))
        weeks = [s[step] for s in stories if not math.isnan(s[step])]
        rows.append({"step": step, "chain": chain, "share": chain / n, "wilson": wilson(chain, n),
                     "median_week": float(np.median(weeks)) if weeks else math.nan,
                     "record_week": RECORD_WEEKS[step]})
    first_ag = [min(event_weeks(r, "agreement"), default=math.nan) for r in runs]
    outcomes = [r.summary["outcome"] for r in runs]
    pre = sum(1 for a in first_ag if not math.isnan(a) and a < RECORD_WEEKS["escalation"])
    any_acc = [r for r in runs if event_weeks(r, "accusation")]
    april = RECORD_WEEKS["escalation"]
    no_esc = [r for r, s in zip(runs, stories, strict=True) if math.isnan(s["escalation"])]
    truce_at_april = sum(1 for r in no_esc if r.weekly["agreement_in_force"][april - 1] > 0)
    early_esc = sum(1 for r in runs if any(r.weekly[k][:april - 2].max() >= r.weekly[k][0] + 50
                                             or r.weekly[k][0] >= 50 for k in ("us_tariff", "cn_tariff")))
    false_acc = sum(r.summary["false_accusations"]["us"] + r.summary["false_accusations"]["cn"] for r in runs)
    all_acc = sum(r.summary["accusations"]["us"] + r.summary["accusations"]["cn"] for r in runs)
    return {
        "n": n,
        "steps": rows,
        "stories": stories,
        "first_agreement": quantiles(first_ag),
        "truce_before_escalation": (pre, wilson(pre, n)),
        "snapback_runs": sum(1 for r in runs if r.summary["snapbacks"] > 0),
        "outcomes": {k: outcomes.count(k) for k in ("detente_holds", "fragile_truce", "friction_returns")},
        "accusations_per_run": quantiles([r.summary["accusations"]["us"] + r.summary["accusations"]["cn"]
                                          for r in runs]),
        "false_accusation_share": false_acc / all_acc if all_acc else math.nan,
        "runs_with_accusations": len(any_acc),
        "no_escalation": len(no_esc),
        "no_escalation_truce_in_force": truce_at_april,
        "early_endogenous_escalation": early_esc,
        "flow_min": quantiles([r.summary["rare_earth_flow_min"] for r in runs]),
    }


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
def _q(t: tuple[float, float, float], fmt: str = "{:.2f}", pct: bool = False) -> str:
    med, lo, hi = t
    if any(math.isnan(v) for v in t):
        return "n/a"
    f = (lambda v: f"{100 * v:.0f} %") if pct else (lambda v: fmt.format(v))
    if abs(hi - lo) < 1e-12:
        return f(med)
    return f"{f(med)} [{f(lo)}, {f(hi)}]"


def _date_of_week(week: float) -> str:
    if math.isnan(week):
        return "never"
    return (START + dt.timedelta(weeks=int(week) - 1)).strftime("%d %b")


def _within(value: float, lo: float, hi: float) -> bool:
    return lo - 1e-9 <= value <= hi + 1e-9


def verdict(agree: bool) -> str:
    return "**agrees**" if agree else "**disagrees**"


def _direction_verdict(observed: float, model: tuple[float, float, float]) -> str:
    """For counterparts that measure a related but narrower quantity: sign first, then size."""
    med, lo, hi = model
    if math.isnan(med) or (med < 0) != (observed < 0):
        return "**disagrees** (direction)"
    if _within(observed, lo, hi):
        return "**agrees**"
    return "**direction agrees**, size " + ("smaller" if abs(med) < abs(observed) else "larger")


def write_report(path: Path, rm: dict[str, Any], bm: dict[str, Any], figures: list[Path],
                 seeds: int, replay_overrides: dict[str, Any] | None) -> str:
    from .scenario import load_scenario

    sc = load_scenario(REPLAY, replay_overrides or {})
    base = load_scenario(BASELINE)
    fig = {p.stem: f"{FIGURE_DIR.as_posix()}/{p.name}" for p in figures}
    L: list[str] = []
    add = L.append
    add("# Calibration: the 2025 replay against the record")
    add("")
    add(f"*Generated by `negotiate calibrate --seeds {seeds}` on {dt.date.today().isoformat()}; "
        "do not edit by hand, rerun the command.* Every model number below is computed from the runs "
        "(median and 5-95 % range over seeds, written `median [p5, p95]`). The observed numbers all come "
        "from `../shared/facts/rare-earth-2025.md` (section cited at each). The replay scripts both "
        "governments from the dated calendar; firms, licence queues, inventories, prices and market mood "
        "are endogenous, so only those can agree or disagree with the record by the model's own doing.")
    if replay_overrides:
        add("")
        add(f"**Overrides applied to the replay for this report:** `{replay_overrides}`.")
    add("")
    add("## Summary")
    add("")
    rows: list[tuple[str, str, str, str]] = []

    # Tariffs
    checks = rm["tariff_checks"]
    exact = [(k, o, v) for k, o, v in checks if k in ("us_tariff", "cn_tariff")]
    exact_ok = all(abs(v - o.low) < 1e-9 for _, o, v in exact)
    avg = [(k, o, v) for k, o, v in checks if k.endswith("average")]
    avg_ok = [abs(v - o.low) <= 2.5 for _, o, v in avg]
    rows.append(("Headline tariffs, both sides (dated ladder)",
                 ", ".join(f"{o.text()} on {o.date}" for _, o, _v in exact),
                 ", ".join(f"{v:g} %" for _, _o, v in exact),
                 verdict(exact_ok) + " (scripted: a check of the calendar, not of the model)"))
    rows.append(("PIIE average tariffs", ", ".join(f"{o.low:g}" for _, o, _v in avg),
                 ", ".join(f"{v:.1f}" for _, _o, v in avg),
                 f"{sum(avg_ok)} of {len(avg_ok)} within 2.5 points"))
    rows.append(("Licences: share of requests granted by 4 Jun (CLEPA)", "~25 %",
                 _q(rm["clepa_granted"], pct=True), verdict(_within(0.25, *rm["clepa_granted"][1:]))))
    rows.append(("Licences: share approved of those decided, Apr-4 Jun", "(no observed counterpart)",
                 _q(rm["clepa_decided"], pct=True), "input: scripted approval rate 25 %"))
    rows.append(("Licences: share of requests granted by end Sep (EU Chamber)", "< 25 %",
                 _q(rm["sep_granted"], pct=True), verdict(rm["sep_granted"][0] < 0.25)))
    rows.append(("Inventory cover before No. 18, normal buffers", BUFFER.text(),
                 _q(rm["cover_normal_pre"], "{:.1f} wk"),
                 verdict(_within(rm["cover_normal_pre"][0], BUFFER.low, BUFFER.high))))
    rows.append(("Inventory cover before No. 18, JIT firms", JIT.text(), _q(rm["cover_jit_pre"], "{:.1f} wk"),
                 verdict(_within(rm["cover_jit_pre"][0], JIT.low, JIT.high))))
    runout_lo, runout_hi = week_of(CONTROLS + dt.timedelta(days=61)), week_of(CONTROLS + dt.timedelta(days=91))
    rows.append(("Normal-buffer firms run short (output > 5 % below demand)", f"implied {_date_of_week(runout_lo)}-"
                 f"{_date_of_week(runout_hi)} (2-3 months after 4 Apr)",
                 f"week {_q(rm['normal_runout'], '{:.0f}')} ({_date_of_week(rm['normal_runout'][0])})",
                 verdict(_within(rm["normal_runout"][0], runout_lo, runout_hi))))
    rows.append(("First shortfall (> 1 % of demand unmet)", "no dated observation in the facts",
                 f"week {_q(rm['flow_first_short'], '{:.0f}')} ({_date_of_week(rm['flow_first_short'][0])})",
                 "no data"))
    rows.append(("China's deliveries, Sep vs Aug", "-31 % m/m (exports)", _q(rm["sep_china_mm"], pct=True),
                 _direction_verdict(SEP_EXPORTS.low, rm["sep_china_mm"])))
    nov = rm["price_china"][2]
    rows.append(("NdPr inside China, Nov-Dec", "$76-84/kg", _q(nov, "${:.0f}"),
                 verdict(_within(nov[0], 76, 84))))
    jul = rm["price_china"][1]
    rows.append(("NdPr inside China, Jul", "~$60/kg", _q(jul, "${:.0f}"), verdict(abs(jul[0] - 60) <= 5)))
    rows.append(("Outside-China contract vs inside China, Jul", "Europe ~5 % below China",
                 _q(rm["contract_vs_china_jul"], pct=True),
                 verdict(_within(EUROPE_VS_CHINA, *rm["contract_vs_china_jul"][1:]))))
    rows.append(("Geneva: news in the week of 12 May", "S&P +3.26 % on the day", _q(rm["news_geneva"], "{:+.2f}"),
                 verdict(abs(rm["news_geneva"][0] - 3.26) <= 1.0) + " (shock size is an input)"))
    rows.append(("10 Oct: news in the week of the threat", "S&P -2.71 % on the day", _q(rm["news_oct"], "{:+.2f}"),
                 verdict(abs(rm["news_oct"][0] + 2.71) <= 1.0) + " (shock size is an input)"))
    ag, ext, lapse = rm["agreement_weeks"], rm["extension_weeks"], rm["lapse_weeks"]
    lapse_week = (ag[0] + sc.truce_weeks) if ag else math.nan
    rows.append(("90-day lapse date of Geneva", f"12 Aug (week {week_of(LAPSE)})",
                 f"week {lapse_week} ({_date_of_week(lapse_week)})", verdict(lapse_week == week_of(LAPSE))))
    rows.append(("Extension", "11 Aug, to 10 Nov", f"week(s) {ext}; lapses {lapse or 'none'}",
                 verdict(ext[:1] == [week_of(EXTENDED)] and not lapse) + " (scripted)"))
    acc_gap = [a - ag[0] for a in rm["accusation_weeks"]] if ag else []
    rows.append(("Accusations after the truce", "30 May and 2 Jun (2-3 weeks)", f"{acc_gap} weeks after",
                 verdict(bool(acc_gap) and all(1 <= g <= 4 for g in acc_gap)) + " (scripted)"))
    add("| series | record | model (replay) | verdict |")
    add("|---|---|---|---|")
    for r in rows:
        add("| " + " | ".join(r) + " |")
    add("")
    steps = bm["steps"]
    last = steps[-1]
    add(f"**Free-play baseline** (`{BASELINE}`, same {bm['n']} seeds): the whole 2025 chain "
        f"escalation → truce → accusation within 4 weeks → call/talks → framework → extension appears in "
        f"**{last['chain']} of {bm['n']} seeds ({100 * last['share']:.0f} %, Wilson 95 % "
        f"{100 * last['wilson'][0]:.0f}-{100 * last['wilson'][1]:.0f} %)**. See "
        "[the baseline section](#the-free-play-baseline-against-2025s-pattern).")
    add("")

    # ----- sections
    add("## How to reproduce")
    add("")
    add("```\n.venv/bin/negotiate calibrate --seeds 100 --out docs\n```")
    add("")
    add(f"Seeds 0..{seeds - 1} of `{REPLAY}` and of `{BASELINE}`. Figures are in "
        f"`docs/{FIGURE_DIR.as_posix()}/`. The module is `src/negotiate/calibration.py`; its tests are "
        "`tests/test_calibration.py`.")
    add("")

    add("## Tariffs")
    add("")
    add(f"![tariffs]({fig.get('tariffs', '')})")
    add("")
    add("| date | quantity | record | replay | baseline median [5-95 %] |")
    add("|---|---|---|---|---|")
    for key, o, v in checks:
        add(f"| {o.date} | {o.what} | {o.text()} | {v:.1f} % | "
            f"{_q(bm_series(bm, key, o.week), '{:.1f}')} |")
    add("")
    same = all(rm[f"{k}_identical"] for k in ("us_tariff", "cn_tariff", "us_tariff_average", "cn_tariff_average"))
    add(f"- The replay's headline path is {'identical in every seed' if same else 'NOT identical across seeds'} "
        f"and {'matches' if exact_ok else 'does NOT match'} every dated headline rate in the facts "
        "(145 % / 125 % in the week of 9 April, 30 % / 10 % from Geneva, 20 % from 10 November). That is a "
        "check of the scenario file, not of the model's behaviour.")
    add("- The PIIE averages come from `policy.piie_average`, a piecewise-linear map through the PIIE points "
        "themselves (30 → 51.1, 145 → 126.5 for the U.S.; 10 → 32.6 for China), so agreement at those "
        "points is by construction. The model jumps straight to the 145 % peak in the week of 9 April "
        "(126.5); PIIE's 124.1 for April to early May reflects the week-by-week ladder 34 → 84 → 125 "
        "that one weekly step compresses.")
    add("- **Disagreement:** between Geneva and Busan the record's average rose to ~57 % while the model "
        "stays at 51.1 %, and after Busan the record is ~47 % against the model's "
        f"{rm['us_tariff_average'][week_of('2025-11-10') - 1]:.1f} %. Both cut by 10 points at Busan, but "
        "the model has no Section 232 or other non-IEEPA layers added during 2025 (facts §1.1 modelling "
        "note: Sec. 301 and 232 'sit on top'); its base is frozen at the 20 January PIIE value. "
        "Missing mechanism, not a parameter: a dated `tariff_base` change (calendar event) would fix it, "
        "but the facts do not say when and by how much the non-IEEPA layers rose.")
    add("")

    add("## Licence approvals")
    add("")
    add(f"![licences and inventory]({fig.get('licences_inventory', '')})")
    add("")
    add(f"- **CLEPA (4 June): about 25 % of requests granted.** The replay scripts China's approval "
        f"rate at 25 % from 4 April (the CLEPA number, read as the share of *decided* applications "
        f"approved). Measured like CLEPA — granted ÷ requested since 4 April — the model gives "
        f"{_q(rm['clepa_granted'], pct=True)}, because {_q(rm['pending_at_clepa'], pct=True)} of requests "
        f"are still inside the 9-week (45-working-day) review on 4 June. The share approved of those "
        f"decided is {_q(rm['clepa_decided'], pct=True)}. The record's figure is a share of requests, so "
        f"the model's counterpart {'agrees' if _within(0.25, *rm['clepa_granted'][1:]) else 'is too low'}.")
    add("  *Why:* the facts give one number and two readings of it. If CLEPA counted pending files as "
        "not granted (as 'only a quarter have been granted' of 'hundreds of requests' suggests), the "
        "decision-level approval rate must have been about 25 % ÷ (share decided) — roughly double. "
        "Either the approval rate was higher than 25 %, or reviews ran faster than the 45-working-day "
        "limit in April-May. The facts do not say which, so the scenario keeps 25 % and the gap is "
        "reported, not tuned away.")
    add(f"- **EU Chamber (September): fewer than a quarter of ~140 applications approved.** Granted ÷ "
        f"requested from 4 April to the end of September in the replay: {_q(rm['sep_granted'], pct=True)}; "
        f"share approved of decisions in September: {_q(rm['sep_decided'], pct=True)}.")
    add("  *Why:* the replay raises the approval rate to 50 % (12 June) and 60 % (27 June) on MOFCOM's "
        "words 'a certain number' and 'will review and approve'; neither number is in the facts, and "
        "the EU Chamber figure suggests European applicants saw no such rise. The model has one "
        "approval rate for all homes, so it cannot show U.S. automakers' suppliers being cleared "
        "(2 June) while European applicants stayed below a quarter — see *where model and record "
        "disagree*.")
    add("")

    add("## Inventories, shortages and stoppages")
    add("")
    add(f"![supply]({fig.get('supply', '')})")
    add("")
    add(f"- Cover in the week before No. 18: normal-buffer firms {_q(rm['cover_normal_pre'], '{:.1f}')} weeks "
        f"(record: 2-3 months = {BUFFER.low:g}-{BUFFER.high:g} weeks), just-in-time firms "
        f"{_q(rm['cover_jit_pre'], '{:.1f}')} weeks (record: 2-4 weeks, weak source). Both are the "
        f"scenario inputs `firms.buffer_weeks = {base.firms_buffer_weeks:g}` and "
        f"`firms.jit_buffer_weeks = {base.firms_jit_buffer_weeks:g}`, so agreement here only confirms "
        "that firms hold their target before the controls.")
    add(f"- The first shortfall (more than 1 % of demand unmet) comes in week "
        f"{_q(rm['flow_first_short'], '{:.0f}')} ({_date_of_week(rm['flow_first_short'][0])}), when the "
        f"just-in-time firms' output falls more than 5 % short (week {_q(rm['jit_runout'], '{:.0f}')}, "
        f"{_date_of_week(rm['jit_runout'][0])}); more than 10 % unmet from "
        f"week {_q(rm['flow_first_10'], '{:.0f}')}. The first logged plant stoppage (a firm below half "
        f"production) is in week {_q(rm['first_stoppage'], '{:.0f}')} "
        f"({_date_of_week(rm['first_stoppage'][0])}). Normal-buffer firms' output first falls more than 5 % short "
        f"in week {_q(rm['normal_runout'], '{:.0f}')} ({_date_of_week(rm['normal_runout'][0])}); the "
        f"lowest flow is {_q(rm['flow_min'], pct=True)} of demand, in week "
        f"{_q(rm['flow_min_week'], '{:.0f}')} ({_date_of_week(rm['flow_min_week'][0])}).")
    add("- The facts file dates no plant stoppage; it says shipments 'largely stopped while licences "
        "were processed' (§0) and that buffers were 2-3 months (§2.4), which implies run-out between "
        f"{_date_of_week(runout_lo)} and {_date_of_week(runout_hi)}. The 2 June temporary licences for "
        "U.S. automakers' suppliers and the 5 June call fit pain arriving in early June. The model's "
        "run-out of normal buffers "
        f"{'falls inside' if _within(rm['normal_runout'][0], runout_lo, runout_hi) else 'falls outside'} "
        "that window. Wider reporting of European plant stoppages in June is outside the facts file "
        "and is not used.")
    add(f"- **September exports −31 % m/m.** China's deliveries to the modelled firms, September vs "
        f"August: {_q(rm['sep_china_mm'], pct=True)}. The model's counterpart is deliveries to "
        "Western magnet users only (not all RE exports, which include oxides, metals and other "
        "destinations), so only the direction is comparable.")
    add("")

    add("## Prices inside and outside China")
    add("")
    add(f"![prices]({fig.get('prices', '')})")
    add("")
    pc = rm["price_china"]
    add(f"- Inside China (model, $/kg NdPr-oxide equivalent): week 1 {_q(pc[0], '{:.0f}')} "
        f"(record $50-55 in Apr-Jun 2024, the last pre-control quote), July {_q(pc[1], '{:.0f}')} "
        f"(record ~$60), Nov-Dec {_q(pc[2], '{:.0f}')} (record $76-84).")
    add("- **Disagreement (mechanism):** `market.Market.update` holds the inside-China price at "
        "`market.price_china` (it used to fall when exports were blocked; that was removed after "
        "this report showed the record's NdPr price *rose* through 2025: vbw, Nd +31.8 %, Pr +25.7 % "
        "in Q3). NdPr was not among the seven elements of No. 18; its price followed China's own "
        "supply policy (MIIT total-quantity control of 22 August, now covering imported ore) and "
        "demand, which the model does not represent, so the model stays flat where the record rose.")
    add(f"- Outside China, contract regime: {_q(rm['contract_vs_china_jul'], pct=True)} above the Chinese price in July; the record "
        "has Europe ~5 % *below* China and North America at China plus freight (Benchmark, Jul 2025). "
        "The model's contract price is the Chinese price plus `market.contract_premium = 0.05`, "
        "with no shortage premium (that lives in the spot regime).")
    add(f"- Outside China, thin spot regime: peak {_q(rm['spot_peak'], '${:.0f}')}, "
        f"{_q(rm['spot_over_contract_peak'], '{:.1f}')}× the contract price. The facts give European "
        "Dy and Tb quotes only *before* the controls bit (Dy $250-310, Tb $930-1,000, early April) and "
        "warn that standoff-era spot quotes came from thin trade (Adamas). There is no observed spot "
        "premium during the standoff to compare with, so `market.spot_premium_max = 3.0` is an "
        "uncalibrated assumption. The MP-DoD $110/kg floor is a policy price, drawn for orientation only.")
    add("")

    add("## Market mood")
    add("")
    add(f"![mood]({fig.get('mood', '')})")
    add("")
    add(f"- Week of Geneva: news {_q(rm['news_geneva'], '{:+.2f}')} equity-% points (record: S&P +3.26 % on "
        "12 May). Week of 10 October: news "
        f"{_q(rm['news_oct'], '{:+.2f}')} (record: S&P −2.71 %).")
    add("- These are **not tests**: `market.MOOD_SHOCKS` sets an agreement to +3.3 and an escalation to "
        "−2.7 from exactly these two days. What the comparison does show is aggregation: the model "
        "adds every shock in a week, so the Geneva week also carries the 13 May chip-guidance "
        "retaliation shock (−0.5). In October only the calendar's market event for the 10 October "
        "threat moves mood: the 9 October controls keep September's approval rate, and "
        "`calendar_effects._controls` adds an escalation shock only when its lexicographic "
        "`hostility()` tuple rises (newly controlled elements do not count). The facts give no "
        "weekly index moves to check the weekly sums against.")
    add("")

    add("## Truce dates and accusations")
    add("")
    add(f"- Geneva is signed in week {ag[0] if ag else 'n/a'} ({_date_of_week(ag[0]) if ag else ''}); the "
        f"13-week clock ends in week {lapse_week} — the week of 12 August, the record's lapse date. The "
        f"calendar extension (11 August) fires in week {ext[0] if ext else 'n/a'}; "
        f"{'no lapse and no snapback follow' if not lapse else 'yet a lapse is logged: ' + str(lapse)}. The "
        f"share of seeds with an agreement in force in the week of 12 August: "
        f"{100 * rm['in_force_at_lapse']:.0f} %. Without the extension event the scripted governments "
        "refuse to extend (`model._wants_extension`), and the truce lapses with snapback in that week "
        "(tested in `tests/test_calibration.py`).")
    add(f"- Accusations in the replay: weeks {rm['accusation_weeks']} ({acc_gap} weeks after Geneva; "
        "record 30 May and 2 June, 2-3 weeks after). These are scripted. The model's ground truth marks "
        f"them {['real' if x else 'not real' for x in rm['accusations_real']]}: under the Geneva terms "
        "written in the replay (approval floor 50 %, U.S. curb cap 0.3) China's 25 % approval rate and "
        "the U.S. chip/EDA/visa measures are both breaches. The facts record each side 'firmly "
        "rejecting' the other's charge; the floor and cap are the scenario author's reading of "
        "'suspend or cancel non-tariff countermeasures since April 2', not numbers in the facts.")
    add("")

    # ----- baseline
    add("## The free-play baseline against 2025's pattern")
    add("")
    add(f"![baseline]({fig.get('baseline_story', '')})")
    add("")
    add(f"`{BASELINE}` over seeds 0..{bm['n'] - 1}: the calendar scripts the tariff ladder, No. 18 and "
        "the dates of Geneva, the 5 June call, London and Stockholm; whether talks produce a truce, "
        "whether anyone accuses, and whether the truce is extended are up to the pragmatic strategies. "
        "Each step is read from the event log and must follow the step before it:")
    add("")
    add("| step | definition | seeds reaching it (chain) | Wilson 95 % | median week | 2025 week |")
    add("|---|---|---|---|---|---|")
    for row in steps:
        lo, hi = row["wilson"]
        mw = "n/a" if math.isnan(row["median_week"]) else f"{row['median_week']:.0f}"
        add(f"| {row['step']} | {STEP_TEXT[row['step']]} | {row['chain']} / {bm['n']} "
            f"({100 * row['share']:.0f} %) | {100 * lo:.0f}-{100 * hi:.0f} % | {mw} | {row['record_week']} |")
    add("")
    pre, (plo, phi) = bm["truce_before_escalation"]
    fa = bm["first_agreement"]
    add(f"- First agreement of the year: median week {fa[0]:.0f} (5-95 %: {fa[1]:.0f}-{fa[2]:.0f}); "
        f"{pre} of {bm['n']} seeds ({100 * pre / bm['n']:.0f} %, Wilson {100 * plo:.0f}-{100 * phi:.0f} %) "
        "sign one before the April escalation — a truce with nothing yet to de-escalate, which 2025 did "
        "not have.")
    add(f"- Accusations per run: {_q(bm['accusations_per_run'], '{:.0f}')}; share of all accusations with "
        f"no real breach behind them: {100 * bm['false_accusation_share']:.0f} %. Runs with a snapback: "
        f"{bm['snapback_runs']} of {bm['n']}. Outcomes: " + ", ".join(f"{k} {v}" for k, v in bm["outcomes"].items())
        + ".")
    add(f"- Lowest rare-earth flow in a run: {_q(bm['flow_min'], pct=True)} (replay: {_q(rm['flow_min'], pct=True)}).")
    add("")
    add(_baseline_reading(bm))
    add("")
    if bm.get("sensitivity"):
        add("**Sensitivity (same seeds).** The facts list every "
            "escalation of January-April 2025, and the baseline's calendar already scripts them; "
            "the record's only other unscripted escalation by each side is October's, one a year. "
            "The pragmatic strategy's `hawkishness` (scenario value "
            f"{load_scenario(BASELINE).us_hawkishness:g} a week) has no number in the facts:")
        add("")
        add("| variant | full chain | Wilson 95 % | most seeds drop at | truce before April | "
            "endogenous +50 before April |")
        add("|---|---|---|---|---|---|")
        variants = [("scenario as is", {}, bm), *bm["sensitivity"]]
        for label, extra, res in variants:
            row = res["steps"][-1]
            settings = f" `{extra}`" if extra else ""
            add(f"| {label}{settings} | {row['chain']} / {res['n']} ({100 * row['share']:.0f} %) | "
                f"{100 * row['wilson'][0]:.0f}-{100 * row['wilson'][1]:.0f} % | {_biggest_drop(res)[1]} | "
                f"{res['truce_before_escalation'][0]} | {res['early_endogenous_escalation']} |")
        add("")

    # ----- parameters
    add("## Values tuned, and values not calibrated")
    add("")
    add("Changed in this calibration (each from the facts file; cited in the TOML next to the value):")
    add("")
    add("| file | value | was | now | why (facts) |")
    add("|---|---|---|---|---|")
    for row in TUNED:
        add("| " + " | ".join(row) + " |")
    add("")
    add("Checked against the facts and left as they were: `us.tariff_base = 20.8`, `cn.tariff_base = 21` "
        "(PIIE, 20 Jan); `cn.review_weeks = 9` (45 working days); `cn.processing_share = 0.91` (IEA); "
        "`truce.weeks = 13` (90 days); `truce.snapback_share = 0.21` (24 of 115 points suspended); "
        "`us.escalation_step = 50` (EO 14259, +50) and `retaliation_step = 10` (the +10 fentanyl "
        "tranches); `firms.buffer_weeks = 10` (inside 2-3 months); `firms.jit_buffer_weeks = 3` "
        "(inside 2-4 weeks); `firms.china_share = 0.85` (84-85 % of U.S. sintered-magnet imports by "
        "value); `supply.demand_tpy = 40000` (Western demand > 40,000 t/yr); "
        "`supply.nonchina_tpy = 6000` (= 15 % of 40,000, consistent with the China share; named "
        "non-China magnet plants in the facts add up to ~2,000-3,000 t/yr at the start of 2025, so "
        "this is generous); `supply.nonchina_target_tpy = 20000` (MP 10X ~10,000 + Neo tripled ~6,000 "
        "+ VAC ~2,000 + USA Rare Earth 600); `supply.ramp_weeks = 416` (IEA ~8 years); "
        "`market.price_china = 60` (inside $50-55 in 2024, ~$60 in July 2025; the level only scales "
        "prices, since price pain is relative).")
    add("")
    add("Not calibrated, because the facts hold no number for them (behavioural or structural "
        "assumptions; results depend on them): `us/cn.trust = 0.45`, `us/cn.hawkishness` (set to "
        "0.02 a week from the record's count of about one unscripted escalation per side a year, not "
        "fitted), "
        "`forgiveness = 0.25`, `noise.perception = 0.08`, `noise.execution = 0.02`, "
        "`truce.extend_trust = 0.4`, `talks.*`, `firms.heavy_share = 0.8`, `firms.switch_rate = 0.02`, "
        "`cn.defence_approval_factor = 0.2` (the facts say military end users are denied 'in principle' "
        "under the October rules), `market.spot_premium_max = 3.0`, `market.contract_premium = 0.05`, "
        "the mood shock sizes other than agreement and escalation, and in the replay the approval "
        "rates 50 % (12 Jun), 60 % (27 Jun), 70 % (10 Nov), the Geneva approval floor 50 % "
        "and curb cap 0.3, and the tech-curb levels of each measure. Also the baseline's China tariff "
        "steps of 2 and 5 points for the narrow February and March measures (a coverage-weighted "
        "reading, not a number in the facts).")
    add("")

    # ----- disagreements
    add("## Where model and record disagree, and why")
    add("")
    for i, (title, text) in enumerate(DISAGREEMENTS, 1):
        add(f"{i}. **{title}** {text}")
    add("")
    text = "\n".join(L) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def bm_series(bm: dict[str, Any], key: str, week: int) -> tuple[float, float, float]:
    series = bm.get("series", {}).get(key)
    if series is None:
        return (math.nan, math.nan, math.nan)
    col = series[:, week - 1]
    return (float(np.median(col)), float(np.percentile(col, 5)), float(np.percentile(col, 95)))


def _biggest_drop(bm: dict[str, Any]) -> tuple[int, str]:
    """(seeds lost, step) for the step of the chain where most seeds drop out."""
    drops, prev = [], bm["n"]
    for row in bm["steps"]:
        drops.append((prev - row["chain"], row["step"]))
        prev = row["chain"]
    return max(drops)


def _baseline_reading(bm: dict[str, Any]) -> str:
    """What drives the baseline's share: written from the step where the chain loses most seeds."""
    steps = bm["steps"]
    n = bm["n"]
    biggest = _biggest_drop(bm)
    share = steps[-1]["share"]
    lines = [f"**Reading.** The chain loses most seeds at the *{biggest[1]}* step "
             f"({biggest[0]} of {n} seeds drop out there)."]
    lines.append(BASELINE_MECHANISMS.get(biggest[1], ""))
    if biggest[1] == "escalation":
        lines.append(f"Here {bm['no_escalation_truce_in_force']} of the {bm['no_escalation']} seeds without "
                     "the escalation had an agreement in force in the week of 9 April, and "
                     f"{bm['early_endogenous_escalation']} of {n} seeds saw a +50-point endogenous "
                     "escalation before April on top of the calendar's ladder.")
    if share < 0.1 or share > 0.9:
        lines.append(f"The full-pattern share ({100 * share:.0f} %) is near "
                     f"{'zero' if share < 0.1 else 'one'}; see the proposals in *where model and record "
                     "disagree*.")
    return " ".join(x for x in lines if x)


BASELINE_MECHANISMS = {
    "escalation": "The April ladder is scripted by the calendar, but in free play the pragmatic "
                  "governments also escalate on their own (with probability `hawkishness` a week when no "
                  "agreement is in force and leverage exceeds pressure), retaliate and then settle: "
                  "a truce signed before April is in force when the scripted 145 % / 125 % arrive, "
                  "and complying governments pull their tariffs back under its caps in the same week "
                  "(`policy.translate`), so the escalation never shows in the weekly record. 2025 "
                  "had no truce and no escalation beyond the dated ladder before April.",
    "truce": "A truce needs China's pressure to pass the pragmatic strategy's pain limit (0.7) or its "
             "talks threshold with talks open; after the April ladder the tariff pain term alone puts "
             "China there within a week or two, so truces come early (often week 15-16, before "
             "Geneva's week 19).",
    "accusation": "An accusation needs a perceived breach (perception noise 8 % a week) or a real one "
                  "within 4 weeks of the truce. After signing, both pragmatic governments comply with "
                  "the terms (`policy.translate` moves instruments within them); real breaches come "
                  "from execution noise, retaliation and agencies acting alone (`agency_moves`, 0.1 a "
                  "week), so a seed with no such move and no misperception in the 4 weeks after the "
                  "truce drops out here.",
    "call_or_talks": "The calendar's 5 June call and 9 June London talks catch accusations in weeks "
                     "18-23; accusations outside that window need pain-triggered talks.",
    "framework": "A second agreement needs a round of talks in which both sides' utilities clear "
                 "their reservation values; with instruments already inside the first truce's terms "
                 "there is little left to trade, and talks often fail.",
    "extension": "A new agreement restarts the 13-week clock (`model._sign`), so the first expiry "
                 "after a June framework comes in September, not on 12 August; whether it is then "
                 "extended depends on `truce.extend_trust` (trust or pressure >= 0.4).",
}

SENSITIVITY: list[tuple[str, dict[str, Any]]] = [
    ("hawkishness 0.02 (about one unscripted escalation per side per year, as in 2025)",
     {"us.hawkishness": 0.02, "cn.hawkishness": 0.02}),
    ("hawkishness 0 (only the calendar escalates)", {"us.hawkishness": 0.0, "cn.hawkishness": 0.0}),
]

# The values this calibration changed (see the TOML comments); shown in the report.
TUNED: list[tuple[str, str, str, str, str]] = [
    ("rare-earth-2025-replay.toml", "licences 1 Sep `approval_rate`", "0.45", "0.25",
     "EU Chamber, Sep 2025: fewer than a quarter of ~140 applications approved (facts §2.4); the "
     "upper end of 'fewer than a quarter', read as a decision rate like the April 25 %"),
    ("rare-earth-2025-replay.toml", "licences 1 Sep `review_weeks`", "10", "9",
     "Reuters Sep-Oct 2025: 'most still within 45 working days' (facts §1.2, §2.4); with the "
     "model's ±30 % jitter a mean of 10 weeks would put most reviews beyond 9"),
    ("rare-earth-2025-replay.toml", "Busan agreement `date`", "2025-10-30", "2025-11-10",
     "the fentanyl cut 20 → 10 took effect on 10 Nov (facts §1.1); the model applies an "
     "agreement's tariff cap on signature, so dating it 30 Oct cut the U.S. rate ten days early"),
    ("rare-earth-2025-replay.toml", "9 Oct controls `approval_rate`", "0.3", "0.25",
     "the facts give no October approval rate; keep the latest observed (EU Chamber, Sep, < 25 %). "
     "The 10 Oct S&P −2.71 % (facts §2.9) stays on the market event, and the controls event no "
     "longer adds a second −2.7 escalation shock to the same week"),
]

DISAGREEMENTS: list[tuple[str, str]] = [
    ("Inside-China price stays flat instead of rising.",
     "`src/negotiate/market.py`, `Market.update` holds `price_china` at its reference (the earlier "
     "fall with blocked exports was removed after this comparison). The record's NdPr rose (~$60 "
     "in July, $76-84 in Nov-Dec; Nd +31.8 % in Q3). Suggested change: split the index into a "
     "light-RE (NdPr) price with a China supply-policy driver (MIIT quota, 22 Aug) and a heavy-RE "
     "(Dy/Tb) price that the controls act on."),
    ("Contract prices outside China sit above the Chinese price.",
     "`Market.update` adds `market.contract_premium` (0.05, bounded at 0 and above); Benchmark "
     "(Jul 2025) has Europe ~5 % below China and North America at China plus freight. Suggested "
     "change: allow a negative premium for Europe, or a premium by home."),
    ("One approval rate for every applicant.",
     "`agents/firm.py`, `FirmPanel.step` draws approvals with one `approval_rate` (defence "
     "scaled); the record has U.S. automakers' suppliers cleared on 2 June while CLEPA (Europe, "
     "25 %) and the EU Chamber (< 25 % in September) report low approval. The replay's 50-60 % "
     "from June (not numbers in the facts) then overstates European approvals. Suggested change: "
     "approval-rate multipliers by home (as `cn.defence_approval_factor` does by sector), "
     "scriptable by a `licences` event."),
    ("'Share approved' in the record counts pending requests.",
     "CLEPA's 25 % and the EU Chamber's < 25 % are shares of requests granted, while "
     "`cn.approval_rate` is the chance that a decided application is approved. With the "
     "45-working-day review most April-May requests are still pending on 4 June, so the model's "
     "CLEPA-comparable share is about half the input. Not a bug, but a calibration choice the facts "
     "cannot settle; this report shows both measures."),
    ("Tariff averages miss the non-IEEPA layers.",
     "`policy.piie_average` adds the 2025 headline to a fixed `tariff_base`; the record's average "
     "drifted from 51.1 to ~57 % between Geneva and Busan without a change in IEEPA rates (Sec. 232 "
     "and other layers). Suggested change: a calendar event kind (or a `tariff` field) that moves "
     "`tariff_base`, once dated numbers for those layers are in the facts."),
    ("An agreement's tariff caps take effect on signature.",
     "`model._sign` sets a scripted side's tariff to the cap at once (right for Geneva, wrong for "
     "Busan, whose cut took effect 11 days later). Worked around by dating the Busan event 10 Nov; "
     "suggested change: an optional `effective` date on `agreement` events."),
    ("A new agreement restarted the truce clock (addressed).",
     "`model._sign` now keeps the lapse date when talks amend a truce in force, as the London "
     "framework kept Geneva's 12 August deadline; a scripted `agreement` event still sets its own "
     "`weeks`."),
    ("Calendar tariff events overrode free-play governments (addressed).",
     "`calendar_effects._tariff` now treats a dated `headline` as a floor for a side whose strategy "
     "moves its own instruments, so a January escalation is no longer undone in February; the "
     "April ladder during a truce still counts as a breach, as a scripted hostile move should."),
    ("Non-tariff breaches during a truce (addressed in part).",
     "In 2025 both sides' 'violations' were non-tariff moves taken during the truce (chip guidance, "
     "EDA, visas; licence slow-walking). The model now has `us/cn.agency_moves` (0.1 a week in the "
     "baseline, from about four such moves per side in some 30 truce weeks): an agency tightens a "
     "curb or slows licences below the floor on its own, a real breach logged as `agency_move`. "
     "Each lasts a week before the complying posture restores the terms, where the 2025 measures "
     "persisted for weeks."),
    ("Newly controlled elements change nothing.",
     "`Instruments.controlled_elements` is recorded but read by no mechanism: the 9 October "
     "addition of Ho, Er, Tm, Eu and Yb (No. 57) and the extraterritorial rule (No. 61) neither "
     "widen the set of firms needing licences (`FirmPanel.heavy` is fixed at start) nor, "
     "through `hostility()`, count as a hostile move. Suggested change: let each element set "
     "map to a share of firms needing licences, and include it in `hostility()`."),
    ("Shortage timing has no dated observation.",
     "The facts date no plant stoppage; the model's stoppage weeks are compared only with the "
     "2-3 month run-out implied by the buffer sizes. Dated stoppage reports would make this a "
     "real test."),
]


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------
def calibrate(seeds: int = 100, out: str | Path = "docs", *, quiet: bool = True,
              replay_overrides: dict[str, Any] | None = None,
              baseline_overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the replay and the baseline over ``seeds`` seeds; write the report and figures.

    Returns the computed measures (``replay``, ``baseline``), and the paths written
    (``report``, ``figures``). ``replay_overrides``/``baseline_overrides`` (dotted keys) exist
    so tests can check that the report follows the runs.
    """
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= MAX_SEEDS:
        raise NegotiateError(f"--seeds {seeds!r} is not allowed; allowed: a whole number from 1 to {MAX_SEEDS}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NegotiateError(f"--out {out} is a file; allowed: a folder (created if missing)")

    def say(msg: str) -> None:
        if not quiet:
            print(msg, file=sys.stderr, flush=True)

    seed_list = list(range(seeds))
    replay = run_many(REPLAY, seed_list, replay_overrides, say)
    baseline = run_many(BASELINE, seed_list, baseline_overrides, say)
    rm = replay_measures(replay)
    bm = baseline_measures(baseline)
    # Sensitivity of the baseline story to the one behavioural knob that drives its main
    # departure from 2025 (endogenous escalation before April); reported, not applied.
    bm["sensitivity"] = []
    for label, extra in SENSITIVITY:
        runs = run_many(BASELINE, seed_list, {**(baseline_overrides or {}), **extra}, say)
        bm["sensitivity"].append((label, extra, baseline_measures(runs)))
    bm["series"] = {k: stack(baseline, k) for k in ("us_tariff", "cn_tariff", "us_tariff_average",
                                                     "cn_tariff_average")}
    try:
        out.mkdir(parents=True, exist_ok=True)
        figures = make_figures(replay, baseline, rm, bm, out / FIGURE_DIR)
        report = out / "calibration.md"
        text = write_report(report, rm, bm, figures, seeds, replay_overrides)
    except OSError as exc:
        raise NegotiateError(f"cannot write to {out} ({exc.strerror}); allowed: a writable folder") from None
    say(f"wrote {report} and {len(figures)} figures in {out / FIGURE_DIR}")
    return {"replay": rm, "baseline": bm, "report": report, "figures": figures, "text": text}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``negotiate calibrate`` (cheap: parsers only; the work is imported lazily)."""
    p = sub.add_parser("calibrate", help="replay 2025 over many seeds and compare with the record",
                       description="Run rare-earth-2025-replay and the rare-earth-2025 baseline over "
                       "N seeds; write OUT/calibration.md and OUT/figures/calibration/*.png.")
    # Parsed in the handler so that a bad value is a NegotiateError like every other bad input.
    p.add_argument("--seeds", default="100", metavar="N", help="number of seeds, 1 or more (default 100)")
    p.add_argument("--out", default="docs", metavar="DIR", help="folder for the report (default docs)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(handler=calibrate_command)


def calibrate_command(args: argparse.Namespace) -> int:
    try:
        seeds = int(str(args.seeds).strip())
    except ValueError:
        raise NegotiateError(f"--seeds {args.seeds!r} is not a whole number; allowed: 1 to {MAX_SEEDS}") from None
    result = calibrate(seeds, args.out, quiet=args.quiet)
    if not args.quiet:
        chain = result["baseline"]["steps"][-1]
        print(f"{result['report']}: replay over {seeds} seeds; baseline shows 2025's full pattern "
              f"in {chain['chain']}/{seeds} seeds ({100 * chain['share']:.0f} %)")
    return 0

