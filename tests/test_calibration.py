"""``negotiate calibrate``: the report is written, follows the runs, and the replay keeps the record."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from negotiate import calibration as cal
from negotiate.cli import main
from negotiate.errors import NegotiateError
from negotiate.model import TradeModel
from negotiate.scenario import load_scenario

FIGURES = ("tariffs", "licences_inventory", "supply", "prices", "mood", "baseline_story")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("cal")
    return cal.calibrate(seeds=3, out=out)


@pytest.fixture(scope="module")
def replay() -> cal.RunRecord:
    return cal.run_one(cal.REPLAY, seed=1)


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


def test_replay_tariff_path_matches_the_dated_record(replay: cal.RunRecord) -> None:
    us, cn = replay.weekly["us_tariff"], replay.weekly["cn_tariff"]
    week = cal.week_of
    assert us[week("2025-04-09") - 1] == 145.0 and cn[week("2025-04-10") - 1] == 125.0
    assert us[week("2025-04-02") - 1] == 20.0  # before the ladder
    assert us[week("2025-05-14") - 1] == 30.0 and cn[week("2025-05-14") - 1] == 10.0
    # The Busan cut takes effect on 10 Nov, not at the 30 Oct meeting.
    assert us[week("2025-11-03") - 1] == 30.0 and us[week("2025-11-10") - 1] == 20.0
    avg = replay.weekly["us_tariff_average"]
    assert avg[week("2025-05-14") - 1] == pytest.approx(51.1)
    assert avg[week("2025-05-05") - 1] == pytest.approx(126.5)
    assert replay.weekly["cn_tariff_average"][week("2025-05-14") - 1] == pytest.approx(32.6)


def test_replay_truce_lapses_on_12_august_unless_extended(replay: cal.RunRecord) -> None:
    lapse = cal.week_of("2025-08-12")
    assert cal.event_weeks(replay, "agreement")[0] == cal.week_of("2025-05-12")
    assert cal.event_weeks(replay, "extension") == [cal.week_of("2025-08-11")] == [lapse]
    assert cal.event_weeks(replay, "lapse") == []
    assert replay.weekly["agreement_in_force"][lapse:].all()
    # Without the 11 August extension the scripted governments do not extend: snapback that week.
    sc = load_scenario(cal.REPLAY, seed=1)
    sc.events = tuple(e for e in sc.events if e.kind != "extension")
    model = TradeModel(sc)
    while model.week < lapse:
        model.step()
    assert model.truces.lapse_weeks == [lapse] and model.truces.snapback_weeks == [lapse]
    assert model.us.tariff_headline == 30.0 + 24.0 and model.cn.tariff_headline == 10.0 + 24.0


def test_licence_shares_count_pending_requests() -> None:
    weekly = {k: [0.0] * 4 for k in cal.SERIES}
    weekly["applied"] = [10.0, 10.0, 0.0, 0.0]
    weekly["approved"] = [0.0, 0.0, 2.0, 1.0]
    weekly["denied"] = [0.0, 0.0, 1.0, 0.0]
    run = cal.RunRecord(0, {k: np.asarray(v) for k, v in weekly.items()}, None, {})
    granted, decided = cal.licence_shares(run, 1, 4)
    assert granted == pytest.approx(3 / 20) and decided == pytest.approx(3 / 4)


def test_wilson_interval() -> None:
    lo, hi = cal.wilson(0, 100)
    assert lo == 0.0 and 0.03 < hi < 0.04
    lo, hi = cal.wilson(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)


def test_story_reads_2025_from_the_replay(replay: cal.RunRecord) -> None:
    s = cal.story(replay)
    assert s["escalation"] == cal.week_of("2025-04-09")
    assert s["truce"] == cal.week_of("2025-05-12")
    assert s["accusation"] == cal.week_of("2025-05-30")
    assert s["call_or_talks"] == cal.week_of("2025-06-02")  # the 5 June call falls in that week
    # The replay's second agreement is Busan (November), not a June framework: the chain stops.
    assert math.isnan(s["framework"]) and math.isnan(s["extension"])


def test_report_numbers_come_from_the_runs(small: dict, tmp_path: Path) -> None:
    text, rm, bm = small["text"], small["replay"], small["baseline"]
    assert cal._q(rm["clepa_granted"], pct=True) in text
    assert cal._q(rm["cover_normal_pre"], "{:.1f} wk") in text
    chain = bm["steps"][-1]
    assert f"**{chain['chain']} of {bm['n']} seeds" in text
    # Change an input and the report follows: a shorter normal buffer shows up in the table.
    other = cal.calibrate(seeds=2, out=tmp_path, replay_overrides={"firms.buffer_weeks": 6.0})
    assert other["replay"]["cover_normal_pre"][0] == pytest.approx(6.0, abs=0.01)
    assert "6.0 wk" in other["text"] and "6.0 wk" not in text.split("## How to reproduce")[0]
