"""Instruments, and the translator from postures to instrument changes.

Units and bounds:
- ``tariff_headline``: % points of the 2025 tariff layers on the other side's goods, 0..200
  (2025 peak: 145 U.S., 125 China). The state variable for welfare is the PIIE trade-weighted
  average, derived by :func:`piie_average` (2025 peak 126.5 U.S.); its stated upper bound is
  the average at a 200 % headline (about 163 %).
- ``tech_curbs``: index 0..1, the weighted sum of named measures (each 0..1).
- China's rare-earth controls: ``controls_active``, ``controlled_elements``, ``approval_rate``
  (share 0..1), ``review_weeks`` (0..52; 45 working days = 9), ``licence_kind``.
- U.S. ``diversification``: support index 0..1 (price floors, equity, offtake).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .calendar import CN_MEASURES, US_MEASURES
from .params import LICENCE_KINDS, LICENCE_RANK, TARIFF_MAX
from .strategies import Posture

__all__ = ["LICENCE_KINDS", "TARIFF_MAX", "CurbMeasures", "Instruments", "Steps", "Terms",
           "translate", "within_terms"]
#: Weeks of supply one approved licence covers (single: one shipment; temporary: the 6-month
#: licences of 2 June 2025; general: the one-year licences of December 2025).
LICENCE_WEEKS = {"single": 8, "temporary": 26, "general": 52}

# Weights of the named measures in each side's tech-curb index (sum to 1). The U.S. list is the
# set China named on 2 June 2025 (AI-chip guidance, EDA halt, visas) plus entity listings.
US_MEASURE_WEIGHTS = dict(zip(US_MEASURES, (0.35, 0.20, 0.25, 0.20), strict=True))
CN_MEASURE_WEIGHTS = dict(zip(CN_MEASURES, (0.40, 0.30, 0.30), strict=True))
# Every measure's weight: the two sides' measures have different names.
MEASURE_WEIGHTS = US_MEASURE_WEIGHTS | CN_MEASURE_WEIGHTS

# PIIE average (on top of the pre-2025 base) at given headline rates. U.S.: 14 May 2025
# (30 % headline -> 51.1 % average) and early May (145 % -> 126.5 %), from Bown's chart; China:
# 10 % headline -> 32.6 %. Beyond the last point the last slope continues (exemptions widen
# as rates rise, so the average grows more slowly than the headline).
_PIIE_POINTS = {
    "us": ((0.0, 0.0), (30.0, 30.3), (145.0, 105.7)),
    "cn": ((0.0, 0.0), (10.0, 11.6), (125.0, 105.0)),
}


def piie_average(side: str, headline: float, base: float) -> float:
    """Trade-weighted average tariff (%) for a headline layer on top of ``base``."""
    points = _PIIE_POINTS[side]
    # Plain Python: this runs several times a week and np.interp on scalars costs 10x more.
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if headline <= x1:
            # max(headline, x0) written out (max keeps the first unless the second is larger)
            return base + y0 + (y1 - y0) * ((x0 if x0 > headline else headline) - x0) / (x1 - x0)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    return base + y1 + (y1 - y0) / (x1 - x0) * (headline - x1)


class CurbMeasures(dict):
    """The named measures of one side's tech-curb index (name -> level 0..1), with the index
    itself kept as ``index``: it is read about ten times a week and changes only when a
    measure is set, so every change to the levels works it out again. Built like a dict."""

    __slots__ = ("index",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._reindex()

    def _reindex(self) -> None:
        self.index = sum([MEASURE_WEIGHTS[m] * level for m, level in self.items()])

    def __setitem__(self, name: str, level: float) -> None:
        # The one change made every week (raise, ease): set and reindex without the
        # general wrapper's argument packing.
        dict.__setitem__(self, name, level)
        self._reindex()


def _reindexing(change):  # a dict method that changes the levels, then the index
    def changed(self, *args, **kwargs):
        result = change(self, *args, **kwargs)
        self._reindex()
        return result
    changed.__name__ = change.__name__
    return changed


for _change in ("__delitem__", "__ior__", "update", "pop", "popitem", "setdefault", "clear"):
    setattr(CurbMeasures, _change, _reindexing(getattr(dict, _change)))
del _change


@dataclass
class Instruments:
    """One government's instruments (China's rare-earth fields are unused for the U.S.).

    ``measures`` is kept as a :class:`CurbMeasures` (a plain dict given is wrapped), so
    ``tech_curbs`` is read without summing the measures again.
    """

    side: str
    tariff_headline: float = 0.0
    tariff_base: float = 20.8
    measures: dict[str, float] = field(default_factory=dict)
    diversification: float = 0.0
    controls_active: bool = False
    controlled_elements: tuple[str, ...] = ()
    approval_rate: float = 1.0
    review_weeks: float = 9.0
    licence_kind: str = "single"
    _average_headline: float | None = field(default=None, repr=False, compare=False)
    _average_base: float | None = field(default=None, repr=False, compare=False)
    _average: float = field(default=0.0, repr=False, compare=False)
    _above_base: float = field(default=0.0, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.measures, CurbMeasures):
            self.measures = CurbMeasures(self.measures)

    @classmethod
    def with_curb_index(cls, side: str, index: float, **kwargs) -> Instruments:
        names = US_MEASURES if side == "us" else CN_MEASURES
        return cls(side=side, measures={m: float(index) for m in names}, **kwargs)

    @property
    def weights(self) -> dict[str, float]:
        return US_MEASURE_WEIGHTS if self.side == "us" else CN_MEASURE_WEIGHTS

    @property
    def tech_curbs(self) -> float:
        return self.measures.index  # type: ignore[attr-defined]

    @property
    def tariff_average(self) -> float:
        # Read about six times a week, changed rarely: the last answer holds while the
        # headline and base are the ones it was worked out from.
        if (self.tariff_headline != self._average_headline
                or self.tariff_base != self._average_base):
            self._work_out_average()
        return self._average

    @property
    def tariff_above_base(self) -> float:
        """``tariff_average`` minus ``tariff_base`` (what welfare and pressure read), kept
        with the average."""
        if (self.tariff_headline != self._average_headline
                or self.tariff_base != self._average_base):
            self._work_out_average()
        return self._above_base

    def _work_out_average(self) -> None:
        headline = self._average_headline = self.tariff_headline
        base = self._average_base = self.tariff_base
        average = self._average = piie_average(self.side, headline, base)
        self._above_base = average - base

    def hostility(self) -> tuple[float, float, float, float, int]:
        """A tuple that rises with every hostile change (used to spot a breach)."""
        return (self.tariff_headline, self.tech_curbs, -self.approval_rate, self.review_weeks,
                int(self.controls_active))

    def raise_curbs(self, amount: float) -> None:
        # The least-used measure is tightened first: a new front, as in May 2025.
        # The first by (level, name), as min with that key (tuples compare without a call);
        # min(1.0, level) written out. A measure already at the ceiling is left as it is.
        measures = self.measures
        level, name = min([(level, m) for m, level in measures.items()])
        raised = level + amount
        raised = raised if raised < 1.0 else 1.0
        if raised != level:
            measures[name] = raised

    def ease_curbs(self, amount: float) -> None:
        # max(0.0, level) written out; a measure already at 0 is left as it is.
        measures = self.measures
        level, name = max([(level, m) for m, level in measures.items()])
        eased = level - amount
        eased = eased if eased > 0.0 else 0.0
        if eased != level:
            measures[name] = eased

    def cap_curbs(self, cap: float) -> None:
        limit, measures, eased = cap + 1e-9, self.measures, 0
        while measures.index > limit and eased < 20:
            self.ease_curbs(0.25)
            eased += 1

    def set_tariff(self, headline: float) -> None:
        # min(TARIFF_MAX, max(0.0, headline)) written out: builtin calls cost more here.
        headline = headline if headline > 0.0 else 0.0
        self.tariff_headline = float(headline if headline < TARIFF_MAX else TARIFF_MAX)


@dataclass(frozen=True, slots=True)
class Terms:
    """What an agreement binds each side to."""

    us_tariff_cap: float
    cn_tariff_cap: float
    approval_floor: float
    review_cap: float
    curb_cap: float
    licence_kind: str = "temporary"


@dataclass(frozen=True, slots=True)
class Steps:
    """How far one posture moves the instruments (per side, from the scenario)."""

    escalation: float
    retaliation: float


def translate(inst: Instruments, posture: Posture, terms: Terms | None, steps: Steps) -> None:
    """Move ``inst`` for one week's executed posture.

    Cooperative postures bring the instruments within an agreement's terms (or hold them when
    there is none); breaches push them past the terms, so that ground truth about compliance
    and the instruments can never disagree.
    """
    # Runs for both sides every week: every min and max is written out (``x if x < c else c``
    # is min(c, x) and ``x if x > c else c`` is max(c, x), exactly, NaN included).
    china = inst.side == "cn"
    if posture.complies:
        if terms is not None:
            _meet_terms(inst, terms, china)
        if posture is _CONCEDE:
            inst.set_tariff(inst.tariff_headline - steps.retaliation)
            inst.ease_curbs(0.25)
            if china:
                # Once every application is approved, a further concession lifts the licence
                # requirement itself, so controls are reversible like every other instrument.
                rate = inst.approval_rate
                if inst.controls_active and rate >= 1.0:
                    inst.controls_active = False
                rate += 0.15
                inst.approval_rate = rate if rate < 1.0 else 1.0
                review = inst.review_weeks - 2.0
                inst.review_weeks = review if review > 2.0 else 2.0
                inst.licence_kind = _next_kind(inst.licence_kind)
            else:
                support = inst.diversification + 0.1
                inst.diversification = support if support < 1.0 else 1.0
        return
    big = posture is _ESCALATE
    inst.set_tariff(inst.tariff_headline + (steps.escalation if big else steps.retaliation))
    inst.raise_curbs(0.5 if big else 0.25)
    if china:
        if big:
            inst.controls_active = True
        if inst.controls_active:
            rate = inst.approval_rate - (0.3 if big else 0.1)
            inst.approval_rate = rate if rate > 0.0 else 0.0
            review = inst.review_weeks + (4.0 if big else 1.0)
            inst.review_weeks = review if review < 52.0 else 52.0
    else:
        support = inst.diversification + (0.2 if big else 0.05)
        inst.diversification = support if support < 1.0 else 1.0
    if terms is not None:
        _breach_terms(inst, terms, china)


def within_terms(inst: Instruments, terms: Terms) -> bool:
    """Ground truth: do this side's instruments keep the agreement's terms?"""
    tol = 1e-9
    if inst.side == "us":
        return (inst.tariff_headline <= terms.us_tariff_cap + tol
                and inst.measures.index <= terms.curb_cap + tol)
    return (inst.tariff_headline <= terms.cn_tariff_cap + tol
            and (not inst.controls_active
                 or (inst.approval_rate >= terms.approval_floor - tol
                     and inst.review_weeks <= terms.review_cap + tol)))


def _meet_terms(inst: Instruments, terms: Terms, china: bool) -> None:
    # Runs for both sides every week of an agreement: min and max are written out
    # (x if x < y else y is min(y, x), exactly), and a term left already met is not set again.
    cap = terms.cn_tariff_cap if china else terms.us_tariff_cap
    headline = inst.tariff_headline
    inst.set_tariff(cap if cap < headline else headline)
    if china:
        if terms.approval_floor > inst.approval_rate:
            inst.approval_rate = terms.approval_floor
        if terms.review_cap < inst.review_weeks:
            inst.review_weeks = terms.review_cap
        if LICENCE_RANK[inst.licence_kind] < LICENCE_RANK[terms.licence_kind]:
            inst.licence_kind = terms.licence_kind
    else:
        inst.cap_curbs(terms.curb_cap)


def _breach_terms(inst: Instruments, terms: Terms, china: bool) -> None:
    # A breach that left every term intact would be invisible to any monitor; make it
    # material on the instrument each side's accusers watched in 2025.
    if china:
        if inst.approval_rate >= terms.approval_floor:
            inst.controls_active = True
            rate = terms.approval_floor - 0.15
            inst.approval_rate = rate if rate > 0.0 else 0.0  # max(0.0, rate)
    elif inst.measures.index <= terms.curb_cap:
        inst.raise_curbs(0.5)


_CONCEDE, _ESCALATE = Posture.CONCEDE, Posture.ESCALATE


def _next_kind(kind: str) -> str:
    return LICENCE_KINDS[min(LICENCE_RANK[kind] + 1, len(LICENCE_KINDS) - 1)]
