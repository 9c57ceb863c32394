"""``negotiate calibrate``: the report is written, follows the runs, and the replay keeps the record."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from negotiate import calibration as cal
from negotiate.calibration import comparisons as cmp
from negotiate.calibration import measures, record, runs
from negotiate.cli import main
from negotiate.errors import NegotiateError
from negotiate.model import TradeModel
from negotiate.scenario import load_scenario
from negotiate.sweep import stats

FIGURES = ("tariffs", "licences_inventory", "supply", "prices", "mood", "baseline_story")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("cal")
    return cal.calibrate(seeds=3, out=out)


@pytest.fixture(scope="module")
def replay() -> runs.RunRecord:
    return runs.run_one(record.REPLAY, seed=1)


def test_command_writes_report_and_readable_figures(tmp_path: Path) -> None:
    assert main(["calibrate", "--seeds", "2", "--out", str(tmp_path), "--quiet"]) == 0
    report = tmp_path / "calibration.md"
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Calibration")
    for name in FIGURES:
        png = tmp_path / "figures" / "calibration" / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert png.stat().st_size > 10_000, name  # a real plot, not an empty canvas
        assert f"figures/calibration/{name}.png" in text


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_bad_seeds_is_one_clear_line(value: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["calibrate", "--seeds", value, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "--seeds" in err and "allowed" in err
    assert not (tmp_path / "calibration.md").exists()


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    with pytest.raises(NegotiateError, match="--out"):
        cal.calibrate(seeds=1, out=target)


def test_an_empty_out_is_refused_not_read_as_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "calibration.md").write_text("someone's own notes")
    with pytest.raises(NegotiateError, match="--out is empty"):
        cal.calibrate(seeds=1, out="")
    assert [p.name for p in tmp_path.iterdir()] == ["calibration.md"]
    assert (tmp_path / "calibration.md").read_text() == "someone's own notes"


def test_replay_tariff_path_matches_the_dated_record(replay: runs.RunRecord) -> None:
    us, cn = replay.weekly["us_tariff"], replay.weekly["cn_tariff"]
    week = record.week_of
    assert us[week("2025-04-09") - 1] == 145.0 and cn[week("2025-04-10") - 1] == 125.0
    assert us[week("2025-04-02") - 1] == 20.0  # before the ladder
    assert us[week("2025-05-14") - 1] == 30.0 and cn[week("2025-05-14") - 1] == 10.0
    # The Busan cut takes effect on 10 Nov, not at the 30 Oct meeting.
    assert us[week("2025-11-03") - 1] == 30.0 and us[week("2025-11-10") - 1] == 20.0
    avg = replay.weekly["us_tariff_average"]
    assert avg[week("2025-05-14") - 1] == pytest.approx(51.1)
    assert avg[week("2025-05-05") - 1] == pytest.approx(126.5)
    assert replay.weekly["cn_tariff_average"][week("2025-05-14") - 1] == pytest.approx(32.6)


def test_replay_truce_lapses_on_12_august_unless_extended(replay: runs.RunRecord) -> None:
    lapse = record.week_of("2025-08-12")
    assert measures.event_weeks(replay, "agreement")[0] == record.week_of("2025-05-12")
    assert measures.event_weeks(replay, "extension") == [record.week_of("2025-08-11")] == [lapse]
    assert measures.event_weeks(replay, "lapse") == []
    assert replay.weekly["agreement_in_force"][lapse:].all()
    # Without the 11 August extension the scripted governments do not extend: snapback that week.
    sc = load_scenario(record.REPLAY, seed=1)
    sc.events = tuple(e for e in sc.events if e.kind != "extension")
    model = TradeModel(sc)
    while model.week < lapse:
        model.step()
    assert model.truces.lapse_weeks == [lapse] and model.truces.snapback_weeks == [lapse]
    assert model.us.tariff_headline == 30.0 + 24.0 and model.cn.tariff_headline == 10.0 + 24.0


def test_licence_shares_count_pending_requests() -> None:
    weekly = {k: [0.0] * 4 for k in runs.SERIES}
    weekly["applied"] = [10.0, 10.0, 0.0, 0.0]
    weekly["approved"] = [0.0, 0.0, 2.0, 1.0]
    weekly["denied"] = [0.0, 0.0, 1.0, 0.0]
    run = runs.RunRecord(0, {k: np.asarray(v) for k, v in weekly.items()}, None, {})
    granted, decided = measures.licence_shares(run, 1, 4)
    assert granted == pytest.approx(3 / 20) and decided == pytest.approx(3 / 4)


def test_one_wilson_interval_and_its_rule_at_n_zero() -> None:
    assert measures.wilson is stats.wilson  # the calibration keeps no copy of its own
    lo, hi = stats.wilson(0, 100)
    assert lo == 0.0 and 0.03 < hi < 0.04
    lo, hi = stats.wilson(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)
    # No trials, no interval: nan, never a (0, 1) that would read as a measurement.
    assert all(math.isnan(x) for x in stats.wilson(0, 0))


def test_story_reads_2025_from_the_replay(replay: runs.RunRecord) -> None:
    s = measures.story(replay)
    assert s["escalation"] == record.week_of("2025-04-09")
    assert s["truce"] == record.week_of("2025-05-12")
    assert s["accusation"] == record.week_of("2025-05-30")
    assert s["call_or_talks"] == record.week_of("2025-06-02")  # the 5 June call falls in that week
    # The replay's second agreement is Busan (November), not a June framework: the chain stops.
    assert math.isnan(s["framework"]) and math.isnan(s["extension"])


def test_report_numbers_come_from_the_runs(small: dict, tmp_path: Path) -> None:
    text, rm, bm = small["text"], small["replay"], small["baseline"]
    assert cmp.band_text(rm["clepa_granted"], pct=True) in text
    assert cmp.band_text(rm["cover_normal_pre"], "{:.1f} wk") in text
    chain = bm["steps"][-1]
    assert f"**{chain['chain']} of {bm['n']} seeds" in text
    # Change an input and the report follows: a shorter normal buffer shows up in the table.
    other = cal.calibrate(seeds=2, out=tmp_path, replay_overrides={"firms.buffer_weeks": 6.0,
                                                                     "firms.buffer_spread": 0.0})
    assert other["replay"]["cover_normal_pre"][0] == pytest.approx(6.0, abs=0.01)
    assert "6.0 wk" in other["text"] and "6.0 wk" not in text.split("## How to reproduce")[0]


def test_every_comparison_is_labelled_and_only_endogenous_agreement_counts(small: dict) -> None:
    rows = cmp.comparisons(small["replay"], load_scenario(record.REPLAY).truce_weeks)
    assert {r.label for r in rows} == set(cmp.LABELS)  # all four labels are in use
    assert all(r.reason and r.label in cmp.LABELS for r in rows)
    by_series = {r.series: r for r in rows}
    # Rows the model cannot fail on its own are not endogenous, whatever their verdict.
    assert by_series["Headline tariffs, both sides, to May"].label == "scripted"
    assert by_series["Inventory cover before No. 18, normal buffers"].label == "input"
    assert by_series["90-day lapse date of Geneva"].label == "by construction"
    assert by_series["Licences: share of requests granted by 4 Jun (CLEPA)"].label == "endogenous"
    agreeing_inputs = [r for r in rows if r.agrees and r.label != "endogenous"]
    assert agreeing_inputs  # there is something the count must leave out
    endogenous = [r for r in rows if r.label == "endogenous" and r.agrees is not None]
    agree, counted = cmp.endogenous_agreement(rows)
    assert counted == len(endogenous) and agree == sum(1 for r in endogenous if r.agrees)
    assert agree < sum(1 for r in rows if r.agrees)
    assert f"**Endogenous agreement: {agree} of {counted} comparisons.**" in small["text"]
    for r in rows:
        assert f"| *{r.label}*" in small["text"] and r.reason in small["text"]


def test_fitting_and_test_groups_split_at_the_cutoff(small: dict) -> None:
    rows = cmp.comparisons(small["replay"], load_scenario(record.REPLAY).truce_weeks)
    for r in rows:
        if r.date is None:
            assert r.group == "none"
        else:
            assert (r.group == "fitting") == (r.date < record.CUTOFF.isoformat())
    groups = {r.group for r in rows}
    assert groups == {"fitting", "test", "none"}
    text = small["text"]
    fitting, test = text.index("### Fitting group"), text.index("### Test group")
    assert fitting < text.index("Licences: share of requests granted by 4 Jun (CLEPA)") < test
    assert test < text.index("China's deliveries, Sep vs Aug")
    for group in ("fitting", "test"):
        agree, counted = cmp.endogenous_agreement(rows, group)
        assert f"endogenous agreement {agree} of {counted}" in text
    # Honest about what was set from which observation, and in which group it lies.
    for p in record.PARAMETER_SOURCES:
        assert p.date in text and (p.fitting == (p.date < record.CUTOFF.isoformat()))
    clepa = next(r for r in rows if r.key == record.CLEPA.key)
    assert clepa.in_sample  # the April approval rate was set from CLEPA's own figure
    sep = next(r for r in rows if r.series.startswith("China's deliveries"))
    assert not sep.in_sample


def test_sensitivity_skips_a_variant_that_is_the_scenario_itself() -> None:
    from negotiate.calibration import cli

    own = load_scenario(record.BASELINE).params()["us.hawkishness"]
    labels = [extra["us.hawkishness"] for _, extra in cli.sensitivity_variants()]
    assert own not in labels and labels  # the scenario's own value is the "as is" row
    moved = [extra["us.hawkishness"] for _, extra in cli.sensitivity_variants({"us.hawkishness": 0.3,
                                                                              "cn.hawkishness": 0.3})]
    assert sorted(moved) == sorted(extra["us.hawkishness"] for _, extra in cli.SENSITIVITY)
