"""What the runs say: replay measures beside each observation, and the baseline's story."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..sweep.stats import wilson
from .record import (
    ACCUSATIONS,
    CALL,
    CLEPA,
    CONTROLS,
    EU_CHAMBER,
    EXTENDED,
    GENEVA,
    GENEVA_SP,
    LAPSE,
    LONDON,
    OCT_SP,
    PRICES,
    RECORD,
    week_of,
)
from .runs import RunRecord, quantiles, stack


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



def bm_series(bm: dict[str, Any], key: str, week: int) -> tuple[float, float, float]:
    series = bm.get("series", {}).get(key)
    if series is None:
        return (math.nan, math.nan, math.nan)
    col = series[:, week - 1]
    return (float(np.median(col)), float(np.percentile(col, 5)), float(np.percentile(col, 95)))


def biggest_drop(bm: dict[str, Any]) -> tuple[int, str]:
    """(seeds lost, step) for the step of the chain where most seeds drop out."""
    drops, prev = [], bm["n"]
    for row in bm["steps"]:
        drops.append((prev - row["chain"], row["step"]))
        prev = row["chain"]
    return max(drops)

