"""The command line contract: `negotiate run`, `negotiate scenarios`."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from negotiate.errors import NegotiateError, ScenarioError

from .helpers import assert_one_line_error, negotiate, negotiate_here

SUMMARY_KEYS = {"scenario", "seed", "weeks", "outcome", "detente_index", "accusations",
                "false_accusations", "snapbacks", "mean_payoff", "cooperation_share"}


def test_run_json_has_the_contract_keys():
    proc = negotiate("run", "rare-earth-2025", "--seed", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= SUMMARY_KEYS
    assert data["scenario"] == "rare-earth-2025" and data["seed"] == 1 and data["weeks"] == 52
    assert data["outcome"] in {"detente_holds", "fragile_truce", "friction_returns"}
    assert 0.0 <= data["detente_index"] <= 1.0
    for key in ("accusations", "false_accusations", "mean_payoff"):
        assert set(data[key]) == {"us", "cn"}
    for side in ("us", "cn"):
        assert 0 <= data["false_accusations"][side] <= data["accusations"][side]
    assert 0.0 <= data["cooperation_share"] <= 1.0


def test_run_text_summary_names_outcome_and_false_accusations():
    proc = negotiate("run", "rare-earth-2025", "--seed", "2")
    assert proc.returncode == 0, proc.stderr
    assert "Outcome:" in proc.stdout and "Accusations:" in proc.stdout and "false" in proc.stdout


def test_run_out_writes_parquet_and_csv_tables(tmp_path):
    proc = negotiate("run", "rare-earth-2025", "--seed", "3", "--weeks", "20", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    for name in ("model", "agents", "governments", "events"):
        parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
        csv = pd.read_csv(tmp_path / f"{name}.csv")
        assert len(parquet) == len(csv)
        assert (parquet["seed"] == 3).all()
    model = pd.read_parquet(tmp_path / "model.parquet")
    assert list(model["week"]) == list(range(1, 21))
    agents = pd.read_parquet(tmp_path / "agents.parquet")
    assert len(agents) == 20 * 100  # 100 firms in the baseline, 20 weeks


def test_set_overrides_take_effect():
    proc = negotiate("run", "classic-ipd", "--set", "us.strategy=alld", "--set", "cn.strategy=alld",
                     "--set", "noise.execution=0", "--weeks", "50", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["params"]["us.strategy"] == "alld"
    assert data["cooperation_share"] == 0.0
    assert data["mean_payoff"] == {"us": 1.0, "cn": 1.0}  # P = 1 every week


def test_scenarios_lists_every_builtin_with_title_and_weeks():
    proc = negotiate("scenarios")
    assert proc.returncode == 0
    for name in ("rare-earth-2025", "rare-earth-2025-replay", "classic-ipd", "classroom-short",
                 "no-geneva", "london-monitoring", "fast-diversification", "hawkish-us",
                 "generous-china"):
        assert name in proc.stdout


def test_scenarios_check_accepts_good_and_rejects_bad(tmp_path):
    from negotiate.scenario import available_scenarios

    good = [str(p) for p in available_scenarios().values()]
    assert negotiate("scenarios", "--check", *good).returncode == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\nweeks = 0\n')
    proc = negotiate("scenarios", "--check", good[0], str(bad))
    assert_one_line_error(proc, "bad.toml", "weeks")


@pytest.mark.parametrize("args, needles", [
    (["run", "rare-earth-2025", "--seed", "x"], ["--seed"]),
    (["run", "rare-earth-2025", "--seed", "-1"], ["--seed"]),
    (["run", "rare-earth-2025", "--seed", "18446744073709551616"], ["--seed", "9223372036854775807"]),
    (["sweep", "classroom-short", "--seed", "18446744073709551616", "--out", "never"],
     ["--seed", "9223372036854775807"]),
    (["run", "rare-earth-2025", "--set", "weeks=bogus", "--weeks", "2"], ["--set", "weeks", "bogus"]),
    (["run", "rare-earth-2025", "--weeks", "0"], ["--weeks", "allowed"]),
    (["run", "rare-earth-2025", "--weeks", "-5"], ["--weeks"]),
    (["run", "rare-earth-2025", "--set", "us.strategy=bogus"], ["us.strategy", "tft"]),
    (["run", "rare-earth-2025", "--set", "noise.perception=nan"], ["noise.perception"]),
    (["run", "rare-earth-2025", "--set", "noise.perception=inf"], ["noise.perception"]),
    (["run", "rare-earth-2025", "--set", "noise.perception=0.9"], ["noise.perception", "0.5"]),
    (["run", "rare-earth-2025", "--set", "nonsense=1"], ["nonsense", "allowed"]),
    (["run", "rare-earth-2025", "--set", "us.tariff_headline"], ["KEY=VALUE"]),
    (["run", "rare-earth-2025", "--set", "firms.count=ten"], ["firms.count"]),
    (["run", "no-such-scenario"], ["no-such-scenario", "allowed"]),
    (["run"], ["SCENARIO"]),
    (["frobnicate"], ["frobnicate"]),
    (["run", "classroom-short", "--out", ""], ["--out is empty", "allowed"]),
    (["run", "classroom-short", "--force"], ["--force", "--out"]),
])
def test_bad_flags_get_one_line_and_exit_2(args, needles):
    assert_one_line_error(negotiate_here(*args), *needles)


def test_bad_flags_in_a_real_process_are_one_line_too():
    assert_one_line_error(negotiate("run", "rare-earth-2025", "--seed", "18446744073709551616"),
                          "--seed", "9223372036854775807")
    assert_one_line_error(negotiate("frobnicate"), "frobnicate")


def test_a_run_too_big_to_hold_is_refused_before_it_starts(tmp_path):
    proc = negotiate("run", "rare-earth-2025", "--weeks", "1000000", "--out", str(tmp_path / "big"))
    assert_one_line_error(proc, "collect.firms", "at most")
    assert not (tmp_path / "big").exists()


def test_run_out_refuses_an_earlier_runs_tables_unless_forced(tmp_path):
    out = tmp_path / "tables"
    first = negotiate("run", "classroom-short", "--seed", "1", "--weeks", "3", "--out", str(out))
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    refused = negotiate("run", "classroom-short", "--seed", "2", "--weeks", "3", "--out", str(out))
    assert_one_line_error(refused, str(out), "already holds", "--force")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    forced = negotiate("run", "classroom-short", "--seed", "2", "--weeks", "3", "--out", str(out),
                       "--force")
    assert forced.returncode == 0, forced.stderr
    assert (pd.read_parquet(out / "model.parquet")["seed"] == 2).all()
    assert (pd.read_csv(out / "events.csv")["seed"] == 2).all() or len(pd.read_csv(out / "events.csv")) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


def test_run_out_onto_a_file_or_a_fifo_is_one_line_and_writes_nothing(tmp_path):
    import os

    afile = tmp_path / "afile"
    afile.write_text("keep me")
    assert_one_line_error(negotiate("run", "classroom-short", "--out", str(afile)), "afile", "folder")
    assert afile.read_text() == "keep me"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_one_line_error(negotiate("run", "classroom-short", "--out", str(fifo)), "FIFO")


def test_a_fifo_as_scenario_file_is_refused_not_waited_on(tmp_path):
    import os

    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    for args in (["run", str(fifo)], ["scenarios", "--check", str(fifo)]):
        assert_one_line_error(negotiate(*args), str(fifo), "FIFO")


def test_a_failed_write_leaves_the_earlier_run_as_it_was(tmp_path):
    import os

    from negotiate import run

    out = tmp_path / "tables"
    run("classroom-short", seed=1, weeks=2).write(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # A folder where the last temporary file must go: the write fails after the other new
    # files were written, so the earlier run's tables must come back untouched.
    (out / f".events.csv.{os.getpid()}.tmp").mkdir()
    with pytest.raises(NegotiateError, match=str(out)):
        run("classroom-short", seed=2, weeks=2).write(out, force=True)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    (out / "events.parquet").unlink()
    (out / "events.parquet").mkdir()
    with pytest.raises(NegotiateError, match="events.parquet is not a file"):
        run("classroom-short", seed=2, weeks=2).write(out, force=True)


def test_the_api_checks_like_the_cli_without_flag_names():
    from negotiate import run
    from negotiate.model import TradeModel

    for call, needles in (
        (lambda: TradeModel(rng=-1), ["rng", "0 to 9223372036854775807"]),
        (lambda: TradeModel(rng="abc"), ["rng", "'abc'"]),
        (lambda: run("classroom-short", overrides="noise.perception=0.9"),
         ["overrides", "noise.perception", "0.5"]),
        (lambda: run("classroom-short", overrides=["nonsense=1"]), ["overrides", "nonsense"]),
        (lambda: run("classroom-short", seed=2**64), ["seed", "9223372036854775807"]),
    ):
        with pytest.raises(ScenarioError) as info:
            call()
        message = str(info.value)
        assert "--" not in message, message
        for needle in needles:
            assert needle in message, (needle, message)
    assert TradeModel("classroom-short").scenario.name == "classroom-short"
    one = run("classroom-short", weeks=3, overrides="noise.perception=0.1")
    listed = run("classroom-short", weeks=3, overrides=["noise.perception=0.1"])
    assert one.summary == listed.summary and one.summary["params"]["noise.perception"] == 0.1


#: What the model's work needs and the command line's own answers (help, version, a bad
#: flag) do not: importing them takes most of a second.
HEAVY_MODULES = ("pandas", "pyarrow", "mesa", "numba", "scipy", "matplotlib", "solara", "dask")


def test_help_version_and_bad_flags_load_none_of_the_models_dependencies():
    import subprocess
    import sys

    probe = ("import sys\n"
             "from negotiate.cli import main\n"
             "for argv in (['--help'], ['--version'], ['run', 'x', '--seed', 'abc'],"
             " ['sweep', '--reps', 'x', 'rare-earth-2025'], ['tournament', '--help'],"
             " ['calibrate', '--help']):\n"
             "    try:\n"
             "        main(argv)\n"
             "    except SystemExit:\n"
             "        pass\n"
             f"print([m for m in {HEAVY_MODULES!r} if m in sys.modules])\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout


def test_the_packages_names_load_on_first_use():
    import negotiate
    from negotiate import model, runner, version

    assert negotiate.TradeModel is model.TradeModel and negotiate.run is runner.run
    assert negotiate.__version__ == version.__version__ == runner.__version__
    assert set(negotiate.__all__) <= set(dir(negotiate))
    with pytest.raises(AttributeError, match="no_such_name"):
        negotiate.no_such_name  # noqa: B018
    proc = negotiate_here("--version")
    assert proc.stdout.strip() == f"negotiate {negotiate.__version__}"


def test_a_folder_inside_a_file_is_refused_before_any_work(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    for args in (["run", "classroom-short", "--weeks", "1", "--out", str(notes / "sub")],
                 ["calibrate", "--seeds", "1", "--out", str(notes / "sub" / "deeper")],
                 ["sweep", "classroom-short", "--weeks", "1", "--out", str(notes / "sub")]):
        assert_one_line_error(negotiate_here(*args), "notes.txt is a file", "allowed")
    assert notes.read_text() == "mine" and [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_name_too_long_for_the_file_system_is_one_short_line(tmp_path):
    long_name = "a" * 300  # past the 255-byte limit of a file name
    for args in (["run", long_name], ["run", "classroom-short", "--weeks", "1", "--out", str(tmp_path / long_name)],
                 ["scenarios", "--check", str(tmp_path / f"{'b' * 6000}.toml")]):
        err = assert_one_line_error(negotiate_here(*args), "too long", "allowed")
        assert len(err) < 400, err  # the path is shortened, its length named
    assert list(tmp_path.iterdir()) == []


def test_what_a_person_typed_is_shown_literally_in_messages_and_summaries(tmp_path):
    # A terminal acts on escape sequences and a newline splits the one-line message.
    err = assert_one_line_error(negotiate_here("run", "\x1b[31mred\nline2"), "no such scenario")
    assert "\x1b" not in err and "\\x1b[31mred\\nline2" in err
    titled = tmp_path / "titled.toml"
    titled.write_text('weeks = 2\ntitle = "\\u001b[31mRED\\u202e\\nline2"\n', encoding="utf-8")
    checked = negotiate_here("scenarios", "--check", str(titled))
    assert checked.returncode == 0 and "\\x1b[31mRED\\u202e\\nline2 (2 weeks)" in checked.stdout
    summary = negotiate_here("run", str(titled))
    assert summary.returncode == 0 and "\x1b" not in summary.stdout


@pytest.mark.parametrize("text, shown", [
    ("plain words, é and 中文", "plain words, é and 中文"),
    ("\x1b[2J", "\\x1b[2J"),
    ("two\nlines\r", "two\\nlines\\r"),
    ("nul\x00bell\x07", "nul\\x00bell\\x07"),
    ("\u202eevil\u202c", "\\u202eevil\\u202c"),
    ("zero\u200bwidth", "zero\u200bwidth"),
])
def test_literal_line_escapes_only_what_a_terminal_would_act_on(text, shown):
    from negotiate.errors import literal_line

    assert literal_line(text) == shown
