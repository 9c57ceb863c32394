"""The sweep table: identical whatever the backend, worker count or chunking; every row
carries its parameters, seed and version; failures become rows."""

from __future__ import annotations

import pandas as pd
import pytest
from sweephelpers import SCENARIO

import negotiate
from negotiate.errors import NegotiateError
from negotiate.scenario import BY_KEY
from negotiate.sweep.api import load_summary, run_sweep
from negotiate.sweep.rows import TEXT_KEYS
from negotiate.sweep.seeds import run_seed

DESIGN = {"grid": ["noise.perception=0.02,0.2", "truce.monitoring=true,false"], "reps": 6,
          "seed": 2024}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return negotiate.sweep(SCENARIO, out=tmp_path_factory.mktemp("ref"), workers=1, quiet=True,
                           **DESIGN)


@pytest.mark.parametrize("how", [
    {"workers": 2, "chunk_size": 5},
    {"workers": 2, "chunk_size": 1},
    {"workers": 1, "chunk_size": 7},
    {"workers": 2, "backend": "dask", "chunk_size": 4},
], ids=["process-2-chunk5", "process-2-chunk1", "serial-chunk7", "dask-local-2"])
def test_same_table_whatever_backend_workers_or_chunking(reference, tmp_path, how):
    table = negotiate.sweep(SCENARIO, out=tmp_path, quiet=True, **DESIGN, **how)
    pd.testing.assert_frame_equal(table, reference, check_exact=True)


def test_every_row_has_its_parameters_seed_version_and_measures(reference):
    assert list(reference["run_id"]) == list(range(24))
    assert reference["error"].isna().all()
    for row in reference.itertuples():
        assert row.seed == run_seed(2024, row.point, row.rep)
    params = {c for c in reference.columns if c.startswith("param.")}
    expected = {f"param.{k}" for k in BY_KEY if k not in TEXT_KEYS and k != "events"}
    assert params == expected
    assert set(reference["version"]) == {negotiate.__version__}
    for column in ("outcome", "detente_index", "accusations_us", "false_accusations_cn",
                   "snapbacks", "mean_payoff_us", "mean_payoff_cn", "truce_lapse_week"):
        assert column in reference.columns
    first = reference.iloc[0]
    assert (first["param.noise.perception"], first["param.truce.monitoring"]) == (0.02, True)


def test_a_row_matches_a_single_run_with_the_same_seed(reference):
    row = reference.iloc[13]
    result = negotiate.run(SCENARIO, seed=int(row["seed"]), overrides={
        "noise.perception": row["param.noise.perception"],
        "truce.monitoring": bool(row["param.truce.monitoring"]), "collect.weekly": False})
    s = result.summary
    assert (s["outcome"], s["detente_index"], s["accusations"]["us"], s["mean_payoff"]["cn"]) == (
        row["outcome"], row["detente_index"], row["accusations_us"], row["mean_payoff_cn"])


def test_every_summary_key_has_a_column(reference):
    summary = negotiate.run(SCENARIO, seed=1, overrides={"collect.weekly": False}).summary
    for key, value in summary.items():
        if key == "params":
            continue
        names = [f"{key}_{sub}" for sub in value] if isinstance(value, dict) else [key]
        for name in names:
            assert name in reference.columns, f"summary key {name} is not recorded by sweeps"


def test_a_failing_run_becomes_a_row_with_its_error(tmp_path, monkeypatch):
    import negotiate.sweep.worker as worker

    def run(scenario, seed):
        if scenario.noise_perception == 0.2:
            raise RuntimeError("the model failed at noise.perception 0.2")
        return negotiate.run(scenario, seed=seed)

    monkeypatch.setattr(worker, "run", run)  # workers=1 runs the chunks in this process
    table = negotiate.sweep(SCENARIO, grid=["noise.perception=0.02,0.2"], reps=2, weeks=3,
                            out=tmp_path, workers=1, quiet=True)
    assert len(table) == 4
    good, bad = table[table["param.noise.perception"] == 0.02], \
        table[table["param.noise.perception"] == 0.2]
    assert good["error"].isna().all() and good["outcome"].notna().all()
    assert bad["outcome"].isna().all()
    assert bad["error"].str.contains("RuntimeError").all()
    assert bad["error"].str.contains("noise.perception 0.2").all()
    assert (bad["seed"] > 0).all() and (bad["param.truce.monitoring"].notna()).all()


@pytest.mark.parametrize(("design", "words"), [
    ({"grid": ["outcome.friction_threshold=0.5,0.9"]},
     ["--grid: design point 1 (outcome.friction_threshold=0.9)", "1 of 2 points"]),
    ({"lhs": ["outcome.friction_threshold=0.3:0.7"], "samples": 20},
     ["--lhs: design point", "of 20 points"]),
], ids=["grid", "lhs"])
def test_a_design_point_that_can_never_run_is_refused_before_the_sweep_starts(tmp_path, design,
                                                                               words):
    # classroom-short's outcome.hold_threshold is 0.6: a higher friction_threshold is no
    # scenario, and used to become a failed row per run of a sweep that exited 0.
    with pytest.raises(NegotiateError) as info:
        run_sweep(SCENARIO, weeks=2, out=tmp_path / "out", workers=1, quiet=True, **design)
    message = str(info.value)
    for word in [*words, "must not exceed outcome.hold_threshold", "--set"]:
        assert word in message, message
    assert not (tmp_path / "out").exists()
    # the same design is fine once the other key allows it
    run_sweep(SCENARIO, weeks=1, out=tmp_path / "ok", workers=1, quiet=True,
              sets=["outcome.hold_threshold=0.95"], **design)


def test_timeseries_adds_weekly_tables_keyed_by_run(tmp_path):
    run_sweep(SCENARIO, grid=["noise.perception=0.02,0.2"], reps=2, out=tmp_path, workers=1,
              quiet=True, timeseries=True, chunk_size=3)
    summary = load_summary(tmp_path)
    weekly = pd.read_parquet(tmp_path / "timeseries" / "model")
    assert sorted(weekly["run_id"].unique()) == [0, 1, 2, 3]
    assert weekly.groupby("run_id").size().tolist() == summary["weeks"].tolist()
    assert {"seed", "week", "detente_index"} <= set(weekly.columns)
    governments = pd.read_parquet(tmp_path / "timeseries" / "governments")
    assert set(governments["run_id"]) == {0, 1, 2, 3}


def test_no_design_runs_replications_of_the_scenario(tmp_path):
    table = negotiate.sweep(SCENARIO, reps=3, seed=9, out=tmp_path, workers=1, quiet=True,
                            weeks=3, sets=["us.strategy=tft"])
    assert len(table) == 3 and set(table["param.us.strategy"]) == {"tft"}
    assert set(table["param.weeks"]) == {3}


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"reps": 0}, ["--reps"]),
    ({"seed": -1}, ["--seed"]),
    ({"workers": 0}, ["--workers"]),
    ({"backend": "ray"}, ["--backend", "process, dask"]),
    ({"sets": ["noise.perception=0.1"], "grid": ["noise.perception=0.1,0.2"]},
     ["both fixed", "swept"]),
    ({"weeks": 0}, ["weeks"]),
    ({"reps": 10**23}, ["100,000,000,000,000,000,000,000 runs", "at most 9,999,999,999"]),
])
def test_bad_options_fail_before_anything_runs(tmp_path, kwargs, words):
    with pytest.raises(NegotiateError) as info:
        run_sweep(SCENARIO, out=tmp_path / "out", quiet=True, **kwargs)
    for word in words:
        assert word in str(info.value)
    assert not (tmp_path / "out" / "summary").exists()


@pytest.mark.parametrize(("address", "words"), [
    ("tcp://127.0.0.1:99999", ["port 99999", "from 1 to 65535"]),
    ("127.0.0.1:0", ["port 0", "from 1 to 65535"]),
    ("garbage", ["'garbage' is not HOST:PORT"]),
    ("http://127.0.0.1:8786", ["protocol 'http'"]),
    ("", ["--scheduler is empty"]),
], ids=["port-99999", "port-0", "no-port", "protocol", "empty"])
def test_an_impossible_scheduler_address_is_refused_at_once(tmp_path, address, words):
    # Before the check, a port that cannot exist was tried for 10 s (exit 1), and an empty
    # address quietly ran the sweep on local processes instead.
    with pytest.raises(NegotiateError) as info:
        run_sweep(SCENARIO, out=tmp_path / "out", quiet=True, scheduler=address)
    assert info.value.exit_code == 2
    for word in words:
        assert word in str(info.value)
    assert not (tmp_path / "out").exists()
