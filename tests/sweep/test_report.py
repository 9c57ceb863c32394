"""`negotiate report`: outcome shares with Wilson intervals, heatmaps, Sobol indices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sweephelpers import SCENARIO

from negotiate.sweep.api import run_sweep
from negotiate.sweep.report import write_report
from negotiate.sweep.stats import wilson


def test_wilson_interval_known_values():
    assert wilson(0, 10) == pytest.approx((0.0, 0.27753), abs=1e-5)
    assert wilson(5, 10) == pytest.approx((0.23659, 0.76341), abs=1e-5)
    assert wilson(10, 10) == pytest.approx((0.72247, 1.0), abs=1e-5)
    assert wilson(81, 263) == pytest.approx((0.25529, 0.36621), abs=1e-5)  # by hand
    assert all(math.isnan(x) for x in wilson(0, 0))  # no runs, no interval


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("grid")
    run_sweep(SCENARIO, grid=["noise.perception=0.0,0.25", "truce.monitoring=true,false"],
              reps=8, seed=4, out=out, workers=2, quiet=True)
    return out


def test_grid_report_has_shares_heatmap_and_a_plain_summary_first(grid_sweep, tmp_path):
    report = write_report(grid_sweep, tmp_path)
    text = report.path.read_text()
    first_paragraph = text.split("\n\n")[1]
    assert first_paragraph == report.paragraph
    assert first_paragraph.startswith("This sweep ran 32 runs of the scenario classroom-short")
    assert "détente held in" in first_paragraph and "the worst was" in first_paragraph
    for name in ("outcomes_overall", "outcomes_by_noise_perception",
                 "outcomes_by_truce_monitoring", "heatmap_detente_holds"):
        assert (tmp_path / "tables" / f"{name}.csv").exists()
        assert (tmp_path / "tables" / f"{name}.md").read_text().count("|") > 10
    for name in ("outcomes_by_noise_perception", "heatmap_detente_holds"):
        png = (tmp_path / "figures" / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG")

    table = pd.read_parquet(grid_sweep / "summary")
    shares = pd.read_csv(tmp_path / "tables" / "outcomes_by_noise_perception.csv")
    for row in shares.itertuples():
        runs = table[np.isclose(table["param.noise.perception"], row._1)]
        k = int((runs["outcome"] == row.outcome).sum())
        assert (row.count, row.runs) == (k, len(runs))
        assert (row.ci_low, row.ci_high) == pytest.approx(wilson(k, len(runs)))
    heat = pd.read_csv(tmp_path / "tables" / "heatmap_detente_holds.csv")
    assert len(heat) == 4 and heat["runs"].eq(8).all()


def test_sobol_report_matches_salib_on_replication_means(tmp_path):
    from SALib.analyze import sobol

    out = tmp_path / "sweep"
    run_sweep(SCENARIO, sobol=["noise.perception=0:0.3", "truce.monitoring_factor=0:1"],
              samples=8, reps=2, seed=1, weeks=6, out=out, workers=2, quiet=True,
              sets=["truce.monitoring=true"])
    report = write_report(out)
    table = pd.read_parquet(out / "summary").sort_values("run_id")
    assert len(table) == 8 * (2 * 2 + 2) * 2
    means = table.groupby("point")["detente_mean"].mean().to_numpy()
    problem = {"num_vars": 2, "names": ["noise.perception", "truce.monitoring_factor"],
               "bounds": [[0, 0.3], [0, 1]]}
    expected = sobol.analyze(problem, means, calc_second_order=True, seed=1)
    indices = pd.read_csv(out / "report" / "tables" / "sobol_indices.csv")
    mine = indices[indices["output"] == "mean détente index"]
    np.testing.assert_allclose(mine["S1"], expected["S1"])
    np.testing.assert_allclose(mine["ST"], expected["ST"])
    assert set(indices["output"]) == {"mean détente index", "share of runs where détente holds"}
    assert (out / "report" / "figures" / "sobol_indices.png").exists()
    assert "Sobol analysis" in report.paragraph


def test_lhs_report_bins_the_sampled_range_and_flags_gaps_and_failures(tmp_path, monkeypatch):
    import negotiate
    import negotiate.sweep.worker as worker

    def run(scenario, seed):
        if scenario.outcome_friction_threshold > 0.5:
            raise RuntimeError("the model failed")
        return negotiate.run(scenario, seed=seed)

    monkeypatch.setattr(worker, "run", run)  # workers=1 runs the chunks in this process
    out = tmp_path / "sweep"
    run_sweep(SCENARIO, lhs=["outcome.friction_threshold=0.3:0.6"], samples=20, reps=1, seed=2,
              weeks=4, out=out, workers=1, quiet=True, chunk_size=5)
    first = sorted((out / "summary").glob("runs-*.parquet"))[0]
    first.unlink()  # as if the sweep had been killed
    report = write_report(out)
    shares = pd.read_csv(out / "report" / "tables" / "outcomes_by_outcome_friction_threshold.csv")
    assert shares["outcome.friction_threshold"].nunique() <= 5
    assert "incomplete: 5 of 20 planned runs are missing" in report.paragraph
    # runs that raised are reported as failures
    assert "runs failed with an error" in report.paragraph


@pytest.fixture(scope="module")
def plain_sweep(tmp_path_factory):
    """A sweep without a design: its report has no figures, so it is quick to write."""
    out = tmp_path_factory.mktemp("plain")
    run_sweep(SCENARIO, reps=2, weeks=1, out=out, workers=1, quiet=True)
    return out


def _contents(folder):
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def test_an_earlier_report_is_replaced_only_with_force(plain_sweep, tmp_path, capsys):
    from negotiate.cli import main
    from negotiate.errors import NegotiateError

    out = tmp_path / "rep"
    write_report(plain_sweep, out)
    (out / "tables" / "outcomes_overall.csv").write_text("edited by hand")
    before = _contents(out)
    assert main(["report", str(plain_sweep), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already holds a report (report.md)" in err, err
    assert "--force" in err
    assert _contents(out) == before
    # Without report.md the tables are still an earlier report's: named, and kept whole.
    (out / "report.md").unlink()
    before = _contents(out)
    with pytest.raises(NegotiateError, match="tables/outcomes_overall.csv"):
        write_report(plain_sweep, out)
    assert _contents(out) == before
    assert main(["report", str(plain_sweep), "--out", str(out), "--force"]) == 0
    assert "edited" not in (out / "tables" / "outcomes_overall.csv").read_text()
    assert (out / "report.md").exists()
    assert not [p for p in out.rglob(".*")]  # no staging folder or set-aside file is left


def test_an_empty_out_is_refused_not_read_as_the_current_folder(plain_sweep, tmp_path,
                                                               monkeypatch, capsys):
    from negotiate.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["report", str(plain_sweep), "--out", ""]) == 2
    assert "--out is empty" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_report_help_shows_one_percent_sign(capsys):
    from negotiate.cli import main

    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Wilson 95% intervals" in text and "%%" not in text
