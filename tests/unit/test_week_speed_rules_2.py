"""The governments' week worked out with fewer steps gives what the plain rules give."""

from __future__ import annotations

import itertools

from negotiate.policy import MEASURE_WEIGHTS, Instruments, piie_average
from negotiate.strategies import Posture


def weighted(measures: dict[str, float]) -> float:
    return sum([MEASURE_WEIGHTS[m] * level for m, level in measures.items()])


def capped_one_ease_at_a_time(inst: Instruments, cap: float) -> None:
    """The cap as the plain rule states it: ease by 0.25 while above the cap (20 at most)."""
    eased = 0
    while weighted(inst.measures) > cap + 1e-9 and eased < 20:
        inst.ease_curbs(0.25)
        eased += 1


def curbs(side: str, levels: tuple[float, ...]) -> Instruments:
    inst = Instruments.with_curb_index(side, 0.0)
    for name, level in zip(list(inst.measures), levels, strict=True):
        inst.measures[name] = level
    return inst


def test_a_cap_eases_exactly_as_one_ease_at_a_time():
    starts = {"us": [(1.0, 1.0, 0.8, 0.8), (0.25, 0.0, 0.3, 0.05), (0.7, 0.1, 0.0, 1.0)],
              "cn": [(1.0, 1.0, 1.0), (0.85, 0.3, 0.55), (0.0, 0.0, 0.0)]}
    for (side, levels), cap in itertools.product(
            [(side, levels) for side, many in starts.items() for levels in many],
            (0.0, 0.012954455650166733, 0.2, 0.5, 0.99, -1.0)):
        fast, plain = curbs(side, levels), curbs(side, levels)
        fast.cap_curbs(cap)
        capped_one_ease_at_a_time(plain, cap)
        assert list(map(repr, fast.measures.values())) == list(map(repr, plain.measures.values()))
        assert repr(fast.tech_curbs) == repr(weighted(fast.measures)) == repr(weighted(plain.measures))


def test_easing_and_raising_keep_the_index_and_the_bounds():
    inst = curbs("cn", (1.0, 0.1, 0.2))
    for _ in range(10):
        inst.raise_curbs(0.25)  # the last raises meet measures already at 1.0
        assert inst.tech_curbs == weighted(inst.measures)
    assert list(inst.measures.values()) == [1.0, 1.0, 1.0]
    for _ in range(14):
        inst.ease_curbs(0.25)
        assert inst.tech_curbs == weighted(inst.measures)
    assert list(inst.measures.values()) == [0.0, 0.0, 0.0]


def test_the_tariff_above_base_is_the_average_minus_the_base():
    inst = Instruments.with_curb_index("cn", 0.0, tariff_headline=30.0, tariff_base=21.0)
    assert inst.tariff_above_base == piie_average("cn", 30.0, 21.0) - 21.0
    inst.set_tariff(125.0)
    inst.tariff_base = 10.0  # written directly
    assert inst.tariff_above_base == piie_average("cn", 125.0, 10.0) - 10.0
    assert inst.tariff_average == piie_average("cn", 125.0, 10.0)


def test_only_retaliation_and_escalation_breach():
    assert [p for p in Posture if not p.complies] == [Posture.RETALIATE, Posture.ESCALATE]
