"""The record: observed 2025 values from the facts file, each with its date and section.

``../shared/facts/rare-earth-2025.md`` is the only data source; every constant here is copied
from it with the section it came from, so the report can cite each comparison.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REPLAY = "rare-earth-2025-replay"
BASELINE = "rare-earth-2025"
START = dt.date(2025, 1, 6)  # Monday of week 1 in both scenarios (checked at run time)


#: Observations dated before this day form the fitting group (parameters may be set from
#: them); the rest form the test group. The end of June 2025 splits the year after Geneva,
#: the accusations and the London framework, and before the lapse date, the September
#: licence figures and Busan: the first half of the standoff is used to set the model, the
#: second to test it.
CUTOFF = dt.date(2025, 7, 1)


def week_of(date: dt.date | str, start: dt.date = START) -> int:
    """The model week (1-based) a date falls in, the rule ``CalendarEvent.week`` uses."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return (date - start).days // 7 + 1



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
    def fitting(self) -> bool:
        """Dated before :data:`CUTOFF`: in the group parameters may be set from."""
        return dt.date.fromisoformat(self.date) < CUTOFF

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


@dataclass(frozen=True)
class ParameterSource:
    """A scenario value (or model constant) set by hand from a dated observation.

    Nothing in the calibration is fitted by an optimiser; these are the values a person set
    from the facts file. A comparison with an observation listed here is in-sample.
    """

    parameter: str
    value: str
    key: str  # the key of the observation in the record, or a name for one the report only cites
    observation: str
    date: str
    source: str

    @property
    def fitting(self) -> bool:
        return dt.date.fromisoformat(self.date) < CUTOFF


PARAMETER_SOURCES: tuple[ParameterSource, ...] = (
    ParameterSource("us.tariff_base, cn.tariff_base", "20.8, 21", "us_avg", "PIIE averages on 20 January",
                    "2025-01-20", "facts §1.1"),
    ParameterSource("us.escalation_step", "50", "eo14259", "EO 14259: +50 points", "2025-04-08", "facts §1.1"),
    ParameterSource("firms.buffer_weeks", "10", BUFFER.key, "inventory of 2-3 months (Tradium)", BUFFER.date,
                    BUFFER.source),
    ParameterSource("firms.jit_buffer_weeks", "3", JIT.key, "just-in-time buffers of 2-4 weeks", JIT.date, JIT.source),
    ParameterSource("replay: licences from 4 Apr, approval_rate", "0.25", CLEPA.key, "CLEPA: a quarter granted",
                    CLEPA.date, CLEPA.source),
    ParameterSource("market.MOOD_SHOCKS agreement", "+3.3", GENEVA_SP.key, "S&P 500 on the Geneva statement",
                    GENEVA_SP.date, GENEVA_SP.source),
    ParameterSource("truce.weeks, truce.snapback_share", "13, 0.21", "geneva_statement",
                    "Geneva: 24 of 115 points suspended for 90 days", "2025-05-12", "facts §1.1"),
    ParameterSource("market.price_china", "60", PRICES[1].key, "NdPr inside China when the MP floor was set",
                    PRICES[1].date, PRICES[1].source),
    ParameterSource("replay: licences 1 Sep and 9 Oct controls, approval_rate", "0.25", EU_CHAMBER.key,
                    "EU Chamber: fewer than a quarter approved", EU_CHAMBER.date, EU_CHAMBER.source),
    ParameterSource("replay: licences 1 Sep, review_weeks", "9", "review_45", "'most still within 45 working days'",
                    "2025-09-30", "facts §1.2, §2.4 (Reuters)"),
    ParameterSource("market.MOOD_SHOCKS escalation", "-2.7", OCT_SP.key, "S&P 500 on the +100 % threat", OCT_SP.date,
                    OCT_SP.source),
    ParameterSource("us.hawkishness, cn.hawkishness (baseline)", "0.02", "escalation_count",
                    "about one unscripted escalation per side in the whole year", "2025-12-31", "facts §1.1, §1.3"),
)
