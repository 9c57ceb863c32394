"""Each comparison of model and record, with the label that says what it can show.

A comparison can only test the model when the model's number comes out of the simulated
dynamics. The labels say where each number comes from:

- *input*: a scenario value or model constant set from (or equal to) the observation;
- *scripted*: a dated calendar event puts it there;
- *by construction*: a formula over inputs and scripted values gives it;
- *endogenous*: the simulated firms, queues, prices or governments produce it.

Only endogenous comparisons with an observation count towards agreement, and each
comparison falls in the fitting or the test group by the date of its observation
(:data:`~negotiate.calibration.record.CUTOFF`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from .record import (
    BUFFER,
    CLEPA,
    CONTROLS,
    CUTOFF,
    EU_CHAMBER,
    EUROPE_VS_CHINA,
    EXTENDED,
    GENEVA_SP,
    JIT,
    LAPSE,
    OCT_SP,
    PARAMETER_SOURCES,
    PRICES,
    SEP_EXPORTS,
    START,
    week_of,
)

LABELS = {
    "input": "a scenario value or model constant set from, or equal to, the observation",
    "scripted": "a dated calendar event puts the value there",
    "by construction": "a formula over inputs and scripted values gives it",
    "endogenous": "the simulated firms, queues, prices or governments produce it",
}


@dataclass(frozen=True)
class Comparison:
    """One row of the summary: record beside model, with its label and the reason for it."""

    series: str
    record: str
    model: str
    verdict: str
    agrees: bool | None  # None: no observation to agree or disagree with
    label: str
    reason: str
    date: str | None  # the observation's date; None when there is no observation
    key: str | None = None  # the observation's key in the record, to find parameters set from it

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"label {self.label!r}; allowed: {', '.join(LABELS)}")

    @property
    def group(self) -> str:
        """``fitting`` (observed before the cutoff), ``test`` (on or after it) or ``none``."""
        if self.date is None:
            return "none"
        return "fitting" if dt.date.fromisoformat(self.date) < CUTOFF else "test"

    @property
    def in_sample(self) -> bool:
        """A parameter was set by hand from this comparison's own observation."""
        return self.key is not None and any(p.key == self.key for p in PARAMETER_SOURCES)

    @property
    def counts(self) -> bool:
        """Counted in the summary: endogenous and with an observation."""
        return self.label == "endogenous" and self.agrees is not None


def band_text(t: tuple[float, float, float], fmt: str = "{:.2f}", pct: bool = False) -> str:
    """``median [p5, p95]`` (or one number when the band is a point); ``n/a`` for no value."""
    med, lo, hi = t
    if any(math.isnan(v) for v in t):
        return "n/a"
    f = (lambda v: f"{100 * v:.0f} %") if pct else (lambda v: fmt.format(v))
    if abs(hi - lo) < 1e-12:
        return f(med)
    return f"{f(med)} [{f(lo)}, {f(hi)}]"


def date_of_week(week: float) -> str:
    if math.isnan(week):
        return "never"
    return (START + dt.timedelta(weeks=int(week) - 1)).strftime("%d %b")


def within(value: float, lo: float, hi: float) -> bool:
    return lo - 1e-9 <= value <= hi + 1e-9


def verdict(agree: bool) -> str:
    return "**agrees**" if agree else "**disagrees**"


def direction_verdict(observed: float, model: tuple[float, float, float]) -> tuple[str, bool]:
    """For counterparts that measure a related but narrower quantity: sign first, then size.

    Agreement in direction only is reported but does not count as agreement.
    """
    med, lo, hi = model
    if math.isnan(med) or (med < 0) != (observed < 0):
        return "**disagrees** (direction)", False
    if within(observed, lo, hi):
        return "**agrees**", True
    return "**direction agrees**, size " + ("smaller" if abs(med) < abs(observed) else "larger"), False


def runout_window() -> tuple[int, int]:
    """Weeks 2-3 months after No. 18: the run-out the buffer observation implies."""
    return week_of(CONTROLS + dt.timedelta(days=61)), week_of(CONTROLS + dt.timedelta(days=91))


def comparisons(rm: dict[str, Any], truce_weeks: int) -> list[Comparison]:
    """Every comparison of the replay's measures ``rm`` with the record, labelled."""
    rows: list[Comparison] = []
    add = rows.append
    checks = rm["tariff_checks"]
    for fitting in (True, False):
        part = "to May" if fitting else "November (Busan)"
        exact = [(o, v) for k, o, v in checks if k in ("us_tariff", "cn_tariff") and o.fitting == fitting]
        ok = all(abs(v - o.low) < 1e-9 for o, v in exact)
        add(Comparison(f"Headline tariffs, both sides, {part}", ", ".join(f"{o.text()} on {o.date}" for o, _ in exact),
                       ", ".join(f"{v:g} %" for _, v in exact), verdict(ok), ok, "scripted",
                       "the replay's calendar sets each headline rate on its date; a check of the scenario file",
                       exact[0][0].date))
        avg = [(o, v) for k, o, v in checks if k.endswith("average") and o.fitting == fitting]
        close = [abs(v - o.low) <= 2.5 for o, v in avg]
        add(Comparison(f"PIIE average tariffs, {part}", ", ".join(f"{o.low:g}" for o, _ in avg),
                       ", ".join(f"{v:.1f}" for _, v in avg), f"{sum(close)} of {len(close)} within 2.5 points",
                       all(close), "by construction",
                       "`policy.piie_average` maps the scripted headline rates through the PIIE points themselves",
                       avg[0][0].date))
    ok = within(CLEPA.low, *rm["clepa_granted"][1:])
    add(Comparison("Licences: share of requests granted by 4 Jun (CLEPA)", "~25 %",
                   band_text(rm["clepa_granted"], pct=True), verdict(ok), ok, "endogenous",
                   "the approval rate of decided files is an input, but the share of requests granted also "
                   "depends on the simulated review queue (files still pending)", CLEPA.date, CLEPA.key))
    add(Comparison("Licences: share approved of those decided, Apr-4 Jun", "(no observed counterpart)",
                   band_text(rm["clepa_decided"], pct=True), "n/a", None, "input",
                   "the replay's scripted approval rate of 25 %, drawn per decided file", None))
    ok = rm["sep_granted"][0] < EU_CHAMBER.high
    add(Comparison("Licences: share of requests granted by end Sep (EU Chamber)", "< 25 %",
                   band_text(rm["sep_granted"], pct=True), verdict(ok), ok, "endogenous",
                   "cumulative grants over requests come out of the simulated queue under the scripted rates",
                   EU_CHAMBER.date, EU_CHAMBER.key))
    ok = within(rm["cover_normal_pre"][0], BUFFER.low, BUFFER.high)
    add(Comparison("Inventory cover before No. 18, normal buffers", BUFFER.text(),
                   band_text(rm["cover_normal_pre"], "{:.1f} wk"), verdict(ok), ok, "input",
                   "firms hold their `firms.buffer_weeks` target before the controls", BUFFER.date,
                   BUFFER.key))
    ok = within(rm["cover_jit_pre"][0], JIT.low, JIT.high)
    add(Comparison("Inventory cover before No. 18, JIT firms", JIT.text(), band_text(rm["cover_jit_pre"], "{:.1f} wk"),
                   verdict(ok), ok, "input", "firms hold their `firms.jit_buffer_weeks` target before the controls",
                   JIT.date, JIT.key))
    lo, hi = runout_window()
    ok = within(rm["normal_runout"][0], lo, hi)
    add(Comparison("Normal-buffer firms run short (output > 5 % below demand)",
                   f"implied {date_of_week(lo)}-{date_of_week(hi)} (2-3 months after 4 Apr)",
                   f"week {band_text(rm['normal_runout'], '{:.0f}')} ({date_of_week(rm['normal_runout'][0])})",
                   verdict(ok), ok, "by construction",
                   "the window is derived from the same 2-3 month buffer fact that sets `firms.buffer_weeks`",
                   BUFFER.date))
    add(Comparison("First shortfall (> 1 % of demand unmet)", "no dated observation in the facts",
                   f"week {band_text(rm['flow_first_short'], '{:.0f}')} ({date_of_week(rm['flow_first_short'][0])})",
                   "no data", None, "endogenous", "licence queues and buffers drawn down by the simulated firms",
                   None))
    text, ok = direction_verdict(SEP_EXPORTS.low, rm["sep_china_mm"])
    add(Comparison("China's deliveries, Sep vs Aug", "-31 % m/m (exports)", band_text(rm["sep_china_mm"], pct=True),
                   text, ok, "endogenous",
                   "deliveries to the modelled firms under the scripted licence regime; only the direction is "
                   "comparable (the record counts all rare-earth exports)", SEP_EXPORTS.date))
    jul, nov = rm["price_china"][1], rm["price_china"][2]
    ok = abs(jul[0] - PRICES[1].low) <= 5
    add(Comparison("NdPr inside China, Jul", "~$60/kg", band_text(jul, "${:.0f}"), verdict(ok), ok, "input",
                   "`Market.update` holds the inside-China price at `market.price_china`, set from this quote",
                   PRICES[1].date, PRICES[1].key))
    ok = within(nov[0], PRICES[2].low, PRICES[2].high)
    add(Comparison("NdPr inside China, Nov-Dec", "$76-84/kg", band_text(nov, "${:.0f}"), verdict(ok), ok, "input",
                   "`Market.update` holds the inside-China price at `market.price_china` all year", PRICES[2].date))
    ok = within(EUROPE_VS_CHINA, *rm["contract_vs_china_jul"][1:])
    add(Comparison("Outside-China contract vs inside China, Jul", "Europe ~5 % below China",
                   band_text(rm["contract_vs_china_jul"], pct=True), verdict(ok), ok, "by construction",
                   "the contract price is the Chinese price times (1 + `market.contract_premium`)", PRICES[1].date))
    ok = abs(rm["news_geneva"][0] - GENEVA_SP.low) <= 1.0
    add(Comparison("Geneva: news in the week of 12 May", "S&P +3.26 % on the day",
                   band_text(rm["news_geneva"], "{:+.2f}"), verdict(ok), ok, "input",
                   "`market.MOOD_SHOCKS` sets an agreement's shock from this day's S&P move", GENEVA_SP.date,
                   GENEVA_SP.key))
    ok = abs(rm["news_oct"][0] - OCT_SP.low) <= 1.0
    add(Comparison("10 Oct: news in the week of the threat", "S&P -2.71 % on the day",
                   band_text(rm["news_oct"], "{:+.2f}"), verdict(ok), ok, "input",
                   "`market.MOOD_SHOCKS` sets an escalation's shock from this day's S&P move", OCT_SP.date,
                   OCT_SP.key))
    ag, ext, lapse = rm["agreement_weeks"], rm["extension_weeks"], rm["lapse_weeks"]
    lapse_week = (ag[0] + truce_weeks) if ag else math.nan
    ok = lapse_week == week_of(LAPSE)
    add(Comparison("90-day lapse date of Geneva", f"12 Aug (week {week_of(LAPSE)})",
                   f"week {lapse_week} ({date_of_week(lapse_week)})", verdict(ok), ok, "by construction",
                   "the scripted signature week plus `truce.weeks` (13, the statement's 90 days)", LAPSE.isoformat()))
    ok = ext[:1] == [week_of(EXTENDED)] and not lapse
    add(Comparison("Extension", "11 Aug, to 10 Nov", f"week(s) {ext}; lapses {lapse or 'none'}", verdict(ok), ok,
                   "scripted", "the calendar's 11 August extension event", EXTENDED.isoformat()))
    gaps = [a - ag[0] for a in rm["accusation_weeks"]] if ag else []
    ok = bool(gaps) and all(1 <= g <= 4 for g in gaps)
    add(Comparison("Accusations after the truce", "30 May and 2 Jun (2-3 weeks)", f"{gaps} weeks after",
                   verdict(ok), ok, "scripted", "the calendar's dated accusation events", "2025-05-30"))
    return rows


def endogenous_agreement(rows: list[Comparison], group: str | None = None) -> tuple[int, int]:
    """(agreeing, counted) over the endogenous comparisons with an observation, optionally
    only those of one group (``fitting`` or ``test``)."""
    counted = [r for r in rows if r.counts and (group is None or r.group == group)]
    return sum(1 for r in counted if r.agrees), len(counted)
