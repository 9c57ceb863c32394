"""The détente index and the three-way outcome: one definition for CLI, app, sweeps, debrief.

Détente index D in [0, 1], each week, a weighted mean of components each in [0, 1]:

=============  ======  =====================================================================
component      weight  definition
=============  ======  =====================================================================
tariffs        0.25    1 - mean headline layer of the two sides / 145 (the 2025 U.S. peak)
flow           0.20    share of firms' magnet demand met this week (rare-earth flow)
curbs          0.10    1 - mean tech-curb index of the two sides
trust          0.20    mean trust of the two governments in each other
calm           0.15    1 - public accusations in the last 4 weeks / 4
cooperation    0.10    share of the last 4 weeks in which both sides complied
=============  ======  =====================================================================

In ``classic`` mode there are no instruments or firms: D uses trust 0.4, calm 0.3 and
cooperation 0.3.

Outcome at the end of a run, with ``window`` = outcome.window_weeks, thresholds from the
scenario:

- ``detente_holds``: mean D over the last ``window`` weeks >= hold threshold, no snapback in
  the last ``quiet_weeks`` weeks, and either an agreement is in force or both sides complied
  in at least 3/4 of the window;
- ``friction_returns``: mean D < friction threshold, or a snapback in the last ``quiet_weeks``
  weeks with no agreement in force;
- ``fragile_truce``: everything else.
"""

from __future__ import annotations

from dataclasses import dataclass

OUTCOMES = ("detente_holds", "fragile_truce", "friction_returns")
OUTCOME_LABELS = {
    "detente_holds": "Détente holds",
    "fragile_truce": "Fragile truce",
    "friction_returns": "Friction returns",
}
TRADE_WEIGHTS = {"tariffs": 0.25, "flow": 0.20, "curbs": 0.10, "trust": 0.20, "calm": 0.15,
                 "cooperation": 0.10}
CLASSIC_WEIGHTS = {"trust": 0.4, "calm": 0.3, "cooperation": 0.3}
TARIFF_SCALE = 145.0
RECENT = 4


def detente_index(*, classic: bool, us_headline: float = 0.0, cn_headline: float = 0.0,
                  flow: float = 1.0, us_curbs: float = 0.0, cn_curbs: float = 0.0,
                  trust: float, accusations_recent: int, cooperation_recent: float) -> float:
    if classic:
        return classic_index(trust, accusations_recent, cooperation_recent)
    tariff_level = (us_headline + cn_headline) / 2.0 / TARIFF_SCALE
    tariffs = 1.0 - (tariff_level if tariff_level < 1.0 else 1.0)  # min(1.0, level), exactly
    curbs = 1.0 - (us_curbs + cn_curbs) / 2.0
    if 0 <= accusations_recent <= 2 * RECENT:
        calm = _CALM[accusations_recent]
    else:
        calm = _calm(accusations_recent)
    return trade_index(tariffs, flow, curbs, trust, calm, cooperation_recent)


# The weights in the order the components are summed (the table above), read once: the
# index is scored every week, and a classic game may run 100,000 weeks.
_W_TRUST, _W_CALM, _W_COOP = (CLASSIC_WEIGHTS[k] for k in ("trust", "calm", "cooperation"))
_T_TARIFFS, _T_FLOW, _T_CURBS, _T_TRUST, _T_CALM, _T_COOP = (
    TRADE_WEIGHTS[k] for k in ("tariffs", "flow", "curbs", "trust", "calm", "cooperation"))


def _calm(accusations_recent: int) -> float:
    return 1.0 - min(1.0, accusations_recent / RECENT)


# The calm component for each count of accusations in RECENT weeks (both sides: at most two
# a week), and the classic index's calm term, worked out once by the same expressions.
_CALM = tuple(_calm(n) for n in range(2 * RECENT + 1))
_CLASSIC_CALM = tuple(_W_CALM * calm for calm in _CALM)


def classic_index(trust: float, accusations_recent: int, cooperation: float) -> float:
    """D of the classic game from mean trust, accusations in the last ``RECENT`` weeks and
    the share of those weeks in which both complied."""
    if 0 <= accusations_recent <= 2 * RECENT:
        calm_term = _CLASSIC_CALM[accusations_recent]
    else:
        calm_term = _W_CALM * _calm(accusations_recent)
    # sum(): CPython's compensated float sum, not a + b + c (the digits differ).
    return float(sum((_W_TRUST * trust, calm_term, _W_COOP * cooperation)))


def trade_index(tariffs: float, flow: float, curbs: float, trust: float, calm: float,
                cooperation: float) -> float:
    """D of the trade game from its components (each in [0, 1])."""
    return float(sum((_T_TARIFFS * tariffs, _T_FLOW * flow, _T_CURBS * curbs, _T_TRUST * trust,
                      _T_CALM * calm, _T_COOP * cooperation)))


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str
    reason: str
    mean_index: float

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.kind]


def classify(index_history: list[float], *, week: int, agreement_in_force: bool,
             snapback_weeks: list[int], cooperation_window: float, hold: float,
             friction: float, window: int, quiet_weeks: int) -> Outcome:
    recent = index_history[-window:] if index_history else [0.0]
    mean = sum(recent) / len(recent)
    recent_snap = any(w > week - quiet_weeks for w in snapback_weeks)
    if recent_snap and not agreement_in_force:
        return Outcome("friction_returns", "the truce lapsed and tariffs snapped back", mean)
    if mean < friction:
        return Outcome("friction_returns",
                       f"the détente index averaged {mean:.2f} over the last {len(recent)} weeks, "
                       f"below {friction:.2f}", mean)
    calm = agreement_in_force or cooperation_window >= 0.75
    if mean >= hold and not recent_snap and calm:
        why = "an agreement is in force" if agreement_in_force else "both sides kept complying"
        return Outcome("detente_holds",
                       f"the index averaged {mean:.2f} (at least {hold:.2f}) and {why}", mean)
    if recent_snap:
        reason = "a snapback in the last weeks was patched by a new agreement"
    elif mean < hold:
        reason = f"the index averaged {mean:.2f}, between {friction:.2f} and {hold:.2f}"
    else:
        reason = "no agreement is in force and breaches continue"
    return Outcome("fragile_truce", reason, mean)
