"""The values the week keeps instead of working out again stay right whatever moves them."""

from __future__ import annotations

import copy
import math
import pickle
from dataclasses import replace

from negotiate import TradeModel, load_scenario
from negotiate.payoffs import PayoffScales, WeekState, pressures, welfare
from negotiate.policy import MEASURE_WEIGHTS, Instruments, piie_average


def weighted(measures: dict[str, float]) -> float:
    return sum(MEASURE_WEIGHTS[m] * level for m, level in measures.items())


def test_the_curb_index_follows_every_change_to_the_measures():
    inst = Instruments.with_curb_index("us", 0.3)
    inst.measures["chip_controls"] = 0.9  # as a calendar event sets one measure
    assert inst.tech_curbs == weighted(inst.measures)
    inst.measures.update(eda_software=1.0)
    assert inst.tech_curbs == weighted(inst.measures)
    inst.measures.pop("student_visas")
    assert inst.tech_curbs == weighted(inst.measures)
    inst.raise_curbs(0.25)
    inst.ease_curbs(0.5)
    assert inst.tech_curbs == weighted(inst.measures)
    inst.measures.clear()
    assert inst.tech_curbs == 0


def test_copies_keep_their_own_curb_index():
    inst = Instruments.with_curb_index("cn", 0.2)
    for other in (copy.deepcopy(inst), pickle.loads(pickle.dumps(inst)),
                  replace(inst, measures=dict(inst.measures))):
        other.measures["export_bans"] = 1.0
        assert other.tech_curbs == weighted(other.measures) != inst.tech_curbs
    assert inst.tech_curbs == weighted(inst.measures)


def test_the_tariff_average_follows_the_headline_however_it_is_set():
    inst = Instruments.with_curb_index("us", 0.0, tariff_headline=30.0)
    assert inst.tariff_average == piie_average("us", 30.0, inst.tariff_base)
    inst.set_tariff(145.0)
    assert inst.tariff_average == piie_average("us", 145.0, inst.tariff_base)
    inst.tariff_headline = 10.0  # written directly, not through set_tariff
    assert inst.tariff_average == piie_average("us", 10.0, inst.tariff_base)
    inst.set_tariff(1e6)
    assert inst.tariff_headline == 200.0
    inst.set_tariff(-5)
    assert inst.tariff_headline == 0.0 and isinstance(inst.tariff_headline, float)


def test_each_week_s_perception_is_that_week_s():
    model = TradeModel(load_scenario("rare-earth-2025", {"firms.count": 5, "weeks": 12}, seed=3))
    for _ in range(6):
        model.step()
    view = model.us.perception()
    assert (view.week, view.trust, view.pressure, view.their_last) == (
        model.week, model.us.trust, model.us.pressure, model.us.seen_other)
    assert view.perceived_violations_recent == list(model.us.seen_history).count(False)


def test_pressures_and_welfare_clamp_as_min_and_max_do():
    scales = PayoffScales()
    hot = WeekState(400.0, 400.0, 1.0, 1.0, 0.9, 0.95, 1.0, 3.0, 1.0, -50.0)
    p = pressures(hot, 1.0, scales)
    assert (p.us_pressure, p.cn_pressure, p.us_leverage) == (1.0, 1.0, 1.0)
    assert p.cn_leverage == 0.95
    nan = WeekState(*[math.nan] * 10)
    p = pressures(nan, 1.0, scales)  # min(1.0, nan) is 1.0; max(nan, nan) is nan
    assert (p.us_pressure, p.cn_pressure, p.us_leverage) == (1.0, 1.0, 1.0)
    assert math.isnan(p.cn_leverage)
    us, cn = welfare(hot, scales)
    assert us == 3.0 * (1.0 - 1.0) - 3.0 * 0.9 - 0.5 * 1.0 - 0.3 * 1.0
    assert cn == 0.0 - 1.5 * 1.0 - 1.0 * 1.0 - 0.3 * 1.0
