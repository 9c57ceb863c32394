"""Designs and seeds: layout, determinism, and one-sentence errors for bad requests."""

from __future__ import annotations

import numpy as np
import pytest

from negotiate.errors import NegotiateError
from negotiate.sweep.design import build_design
from negotiate.sweep.seeds import run_seed, split_run_id
from negotiate.sweep.store import MAX_POINTS, MAX_RUNS


def test_grid_is_the_full_product_first_key_slowest():
    d = build_design(grid=["noise.perception=0.0,0.1", "truce.monitoring=true,false",
                           "us.strategy=tft,grim"])
    assert d.kind == "grid"
    assert len(d) == 8
    assert d.points[0] == (0.0, True, "tft")
    assert d.points[1] == (0.0, True, "grim")
    assert d.points[-1] == (0.1, False, "grim")


def test_grid_values_are_coerced_to_the_key_type():
    d = build_design(grid={"truce.weeks": [4, 8.0], "noise.perception": [0, 0.5]})
    assert [type(v) for v in d.points[0]] == [int, float]


def test_lhs_hits_every_stratum_once_and_depends_only_on_the_root():
    d = build_design(lhs=["noise.perception=0:0.5", "truce.monitoring_factor=0.2:1"],
                     samples=10, root=7)
    values = np.array(d.points)
    for column, (lo, hi) in zip(values.T, [(0, 0.5), (0.2, 1.0)], strict=True):
        strata = np.floor((column - lo) / (hi - lo) * 10).astype(int)
        assert sorted(strata) == list(range(10))
    assert build_design(lhs=["noise.perception=0:0.5", "truce.monitoring_factor=0.2:1"],
                        samples=10, root=7).points == d.points
    assert build_design(lhs=["noise.perception=0:0.5", "truce.monitoring_factor=0.2:1"],
                        samples=10, root=8).points != d.points


def test_lhs_rounds_whole_number_keys():
    d = build_design(lhs={"truce.weeks": (4, 26)}, samples=8)
    assert all(isinstance(p[0], int) and 4 <= p[0] <= 26 for p in d.points)


def test_sobol_has_n_times_2d_plus_2_points_in_saltelli_order():
    from SALib.sample import sobol

    d = build_design(sobol=["noise.perception=0:0.3", "truce.monitoring_factor=0:1",
                            "us.hawkishness=0:0.5"], samples=8, root=3)
    assert len(d) == 8 * (2 * 3 + 2)
    expected = sobol.sample(d.sobol_problem(), 8, calc_second_order=True, seed=3)
    np.testing.assert_array_equal(np.array(d.points), expected)


def test_no_design_is_one_point():
    d = build_design()
    assert d.kind == "single" and d.points == ((),)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"grid": ["nosuch.key=1,2"]}, ["--grid", "nosuch.key", "unknown key"]),
    ({"grid": ["noise.perception=0.1,0.9"]}, ["noise.perception", "out of range", "0 to 0.5"]),
    ({"grid": ["noise.perception=0.1,0.1"]}, ["repeats", "distinct"]),
    ({"grid": ["noise.perception"]}, ["KEY=V1,V2"]),
    ({"grid": ["us.strategy=tft,nosuch"]}, ["unknown strategy"]),
    ({"grid": ["title=a,b"]}, ["cannot be swept"]),
    ({"lhs": ["noise.perception=0.3:0.1"], "samples": 4}, ["LO 0.3 is not below HI 0.1"]),
    ({"lhs": ["noise.perception=0.1:0.1"], "samples": 4}, ["not below"]),
    ({"lhs": ["noise.perception=0:0.9"], "samples": 4}, ["leaves the bounds", "0 to 0.5"]),
    ({"lhs": ["us.strategy=0:1"], "samples": 4}, ["--lhs", "us.strategy", "not numeric"]),
    ({"lhs": ["truce.monitoring=0:1"], "samples": 4}, ["not numeric", "--grid"]),
    ({"lhs": ["noise.perception=a:b"], "samples": 4}, ["is not a number"]),
    ({"lhs": ["noise.perception=0.1"], "samples": 4}, ["LO:HI"]),
    ({"lhs": ["noise.perception=0:0.1"]}, ["--samples", "required"]),
    ({"sobol": ["noise.perception=0:0.1"], "samples": 12}, ["power of two"]),
    ({"grid": ["noise.perception=0.1"], "lhs": ["noise.execution=0:0.1"], "samples": 4},
     ["one design kind"]),
    ({"grid": ["noise.perception=0.1"], "samples": 4}, ["--samples", "only applies"]),
])
def test_bad_designs_fail_with_one_clear_sentence(kwargs, words):
    with pytest.raises(NegotiateError) as info:
        build_design(**kwargs)
    message = str(info.value)
    assert "\n" not in message and "allowed" in message
    for word in words:
        assert word in message


HUNDRED = ",".join(str(i / 1000) for i in range(100))


@pytest.mark.parametrize(("kwargs", "what", "limit"), [
    ({"lhs": ["us.trust=0:1"], "samples": 10**12}, f"{10**12:,} points", MAX_POINTS),
    ({"grid": [f"{key}={HUNDRED}" for key in ("noise.perception", "us.trust", "cn.trust",
                                               "us.hawkishness")]}, f"{10**8:,} points", MAX_POINTS),
    ({"sobol": ["us.trust=0:1", "cn.trust=0:1"], "samples": 2**18}, f"{6 * 2**18:,} points",
     MAX_POINTS),
    ({"reps": 10**23}, f"{10**23:,} runs", MAX_RUNS),
    ({"grid": ["us.trust=0.1,0.2"], "reps": MAX_RUNS // 2 + 1}, f"{2 * (MAX_RUNS // 2 + 1):,} runs",
     MAX_RUNS),
], ids=["lhs-1e12", "grid-1e8", "sobol", "reps-1e23", "just-over"])
def test_a_design_over_the_size_limits_is_refused_before_its_points_are_made(kwargs, what, limit):
    # Without the bounds these allocate terabytes, lay out 10**8 points or run for ever.
    with pytest.raises(NegotiateError) as info:
        build_design(**kwargs)
    message = str(info.value)
    assert what in message and f"at most {limit:,}" in message
    # Replications are not laid out: millions of runs of a few points are a sweep.
    assert build_design(grid=["us.trust=0.1,0.2"], reps=MAX_RUNS // 2).kind == "grid"
    assert MAX_RUNS >= 10**9


def test_run_seeds_are_spawned_by_point_and_replication():
    expected = np.random.SeedSequence(42, spawn_key=(3, 5)).generate_state(1, np.uint64)[0]
    assert run_seed(42, 3, 5) == int(expected) & ((1 << 63) - 1)
    # the same as spawning children of children
    child = np.random.SeedSequence(42).spawn(4)[3].spawn(6)[5]
    assert run_seed(42, 3, 5) == int(child.generate_state(1, np.uint64)[0]) & ((1 << 63) - 1)
    seeds = {run_seed(42, p, r) for p in range(50) for r in range(50)}
    assert len(seeds) == 2500
    assert run_seed(43, 3, 5) != run_seed(42, 3, 5)
    assert split_run_id(17, 5) == (3, 2)
