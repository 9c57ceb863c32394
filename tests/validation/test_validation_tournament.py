"""Published qualitative findings on noisy tournaments, checked as bands, and the
``negotiate tournament`` command's handling of good and bad input."""

from __future__ import annotations

import argparse
import functools
import json

import numpy as np
import pandas as pd
import pytest

from negotiate import theory
from negotiate.errors import NegotiateError
from negotiate.ipd import ClassicGame, ScriptedMoves, play
from negotiate.strategies import CATALOGUE, Grudger, make_strategy
from negotiate.tournament import (
    DEFAULT_FIELD,
    TournamentError,
    add_tournament_parser,
    convention,
    run_tournament_command,
    tournament,
)

NOISY = [(k, e) for k in ("execution", "perception") for e in (0.01, 0.05, 0.1)]


@functools.cache
def scores(kind: str, eps: float, field: tuple[str, ...] = DEFAULT_FIELD,
           self_play: str = "include") -> dict[str, float]:
    """Mean scores of the field; the bands below use self-play included unless they say so."""
    table = tournament(list(field), noise=eps, rounds=200, reps=50, seed=2024, noise_kind=kind,
                       self_play=self_play)
    assert table.attrs["self_play"] == self_play
    return dict(zip(table["strategy"], table["mean_score"], strict=True))


def test_table_shape_and_ranking() -> None:
    table = tournament(noise=0.05, rounds=50, reps=3, seed=1)
    assert list(table.columns) == ["rank", "strategy", "mean_score", "cooperation", "wins",
                                   "matches"]
    assert sorted(table["strategy"]) == sorted(DEFAULT_FIELD)
    assert list(table["rank"]) == list(range(1, 8))
    assert table["mean_score"].is_monotonic_decreasing
    assert (table["matches"] == 7 * 3).all()
    assert table.set_index("strategy").loc["allc", "wins"] == 0  # ALLC never outscores anyone
    assert table.set_index("strategy").loc["alld", "cooperation"] < 0.1


def test_tournament_is_seeded() -> None:
    a = tournament(noise=0.1, rounds=50, reps=2, seed=5)
    b = tournament(noise=0.1, rounds=50, reps=2, seed=5)
    c = tournament(noise=0.1, rounds=50, reps=2, seed=6)
    assert a.equals(b) and not a.equals(c)


@pytest.mark.parametrize(("kind", "eps"), NOISY)
def test_gtft_beats_tft_under_noise(kind: str, eps: float) -> None:
    """Wu & Axelrod 1995 (and Molander 1985): generosity pays once there is noise."""
    sc = scores(kind, eps)
    assert sc["gtft"] > sc["tft"] + 0.02


def test_without_noise_generosity_buys_nothing() -> None:
    """The contrast that makes the previous band meaningful: with no noise TFT's
    strictness costs nothing and GTFT's generosity is exploited by ALLD."""
    sc = scores("execution", 0.0)
    assert sc["tft"] > sc["gtft"]


@pytest.mark.parametrize("eps", [0.01, 0.05, 0.1])
def test_ctft_restores_cooperation_without_being_exploited(eps: float) -> None:
    """Wu & Axelrod 1995: under execution noise contrite TFT restores mutual cooperation
    after its own errors, and ALLD gains no more from it than from TFT."""
    ctft_pair = theory.long_run(make_strategy("ctft"), make_strategy("ctft"), execution_noise=eps)
    tft_pair = theory.long_run(make_strategy("tft"), make_strategy("tft"), execution_noise=eps)
    # Each error costs about two non-CC weeks (the error, the accepted punishment), so
    # mutual cooperation holds for all but ~4-5 eps of weeks; TFT's pair sits at 1/4.
    assert ctft_pair.p_cc > 1 - 5 * eps
    assert tft_pair.p_cc == pytest.approx(0.25)
    sim = play(make_strategy("ctft"), make_strategy("ctft"), 50_000, execution_noise=eps, seed=1)
    assert sim.cc_share > 1 - 5 * eps
    vs_ctft = theory.long_run(make_strategy("alld"), make_strategy("ctft"), execution_noise=eps)
    vs_tft = theory.long_run(make_strategy("alld"), make_strategy("tft"), execution_noise=eps)
    vs_gtft = theory.long_run(make_strategy("alld"), make_strategy("gtft"), execution_noise=eps)
    # ALLD's extra take from CTFT's contrition is of the order of the error rate, and far
    # from what generosity hands it (GTFT gives ALLD T a third of the time).
    assert vs_ctft.us_payoff <= vs_tft.us_payoff + eps
    assert vs_ctft.cn_payoff >= vs_tft.cn_payoff - eps
    assert vs_ctft.us_payoff < vs_gtft.us_payoff - 0.5
    sc = scores("execution", eps)
    assert sc["ctft"] > sc["tft"]
    assert sc["ctft"] > sc["alld"] + 0.1


@pytest.mark.parametrize(("kind", "eps"), NOISY)
def test_lenient_forgiving_strategies_do_best_under_noise_with_self_play(kind: str, eps: float) -> None:
    """Fudenberg, Rand & Dreber 2012: when cooperation is sustainable and moves are noisy,
    strategies that forgive (GTFT, WSLS) outscore the strict and the unforgiving ones.

    Convention: self-play *included*, both seats scored. Each strategy's match with a copy
    of itself is where forgiving pairs keep cooperating; without it the finding reverses
    (see the next test)."""
    sc = scores(kind, eps, self_play="include")
    assert min(sc["gtft"], sc["wsls"]) > max(sc["tft"], sc["grim"], sc["alld"])


@pytest.mark.parametrize("kind", ["execution", "perception"])
def test_without_self_play_the_unforgiving_lead(kind: str) -> None:
    """The convention decides the ranking: scored only against *other* strategies, under
    noise, ALLD and GRIM take the top two places of this field (they exploit ALLC and the
    generous ones and are never exploited), while with self-play included neither leads."""
    def top(self_play: str) -> list[str]:
        table = tournament(list(DEFAULT_FIELD), noise=0.05, rounds=200, reps=10, seed=2024,
                           noise_kind=kind, self_play=self_play)
        return list(table["strategy"])

    excluded, included = top("exclude"), top("include")
    assert set(excluded[:2]) == {"alld", "grim"}
    assert included[0] not in {"alld", "grim"}
    assert "alld" in included[-2:]


def test_self_play_exclude_plays_only_other_opponents() -> None:
    names = ["tft", "alld", "allc"]
    inc = tournament(names, noise=0.0, rounds=10, reps=1, seed=1, self_play="include")
    exc = tournament(names, noise=0.0, rounds=10, reps=1, seed=1, self_play=" Exclude ")
    assert exc.attrs["self_play"] == "exclude" and inc.attrs["self_play"] == "include"
    assert (inc["matches"] == 3).all() and (exc["matches"] == 2).all()
    # Worked by hand, 10 rounds, (R, S, T, P) = (3, 0, 5, 1): ALLC meets TFT (3 a week) and
    # ALLD (0); ALLD meets TFT (5 then 1 x 9 = 14 / 10) and ALLC (5).
    ex = exc.set_index("strategy")["mean_score"]
    assert ex["allc"] == pytest.approx(1.5) and ex["alld"] == pytest.approx((1.4 + 5) / 2)
    # Self-play adds ALLC's 3 on both seats and ALLD's 1 on both seats.
    inc_s = inc.set_index("strategy")["mean_score"]
    assert inc_s["allc"] == pytest.approx((3 + 0 + 3 + 3) / 4)
    assert inc_s["alld"] == pytest.approx((1.4 + 5 + 1 + 1) / 4)


# --- grudger ----------------------------------------------------------------------------


def _responses(strategy, opponent_moves: str, *, own_error_week: int | None = None) -> str:
    """Axelrod-library style: the strategy's moves against a scripted opponent."""
    game = ClassicGame(strategy, ScriptedMoves(opponent_moves))
    rng = np.random.default_rng(0)
    return "".join("C" if game.play_week(rng, us_error=(week == own_error_week)).us_move else "D"
                   for week in range(len(opponent_moves)))


def test_grudger_is_in_the_catalogue_and_the_tournament() -> None:
    assert CATALOGUE["grudger"] is Grudger and isinstance(make_strategy("never_forgive"), Grudger)
    table = tournament("grudger,grim,alld", noise=0.0, rounds=20, reps=1, seed=1)
    assert set(table["strategy"]) == {"grudger", "grim", "alld"}


def test_grudger_against_scripted_opponents() -> None:
    g = make_strategy("grudger")
    assert _responses(g, "CCCCCC") == "CCCCCC"  # never the first to defect
    assert _responses(g, "CCDCCCCC") == "CCCDDDDD"  # one D, then D for ever
    assert _responses(g, "D" + "C" * 30) == "C" + "D" * 30  # a month of C does not reopen it
    assert _responses(g, "DDDD") == "CDDD"
    # Only the *other's* defection triggers it: its own trembled move does not (GRIM's
    # memory-one rule, by contrast, defects after its own D against a C).
    assert _responses(make_strategy("grudger"), "CCCCCC", own_error_week=1) == "CDCCCC"
    assert _responses(make_strategy("grim"), "CCCCCC", own_error_week=1) == "CDDDDD"


@pytest.mark.parametrize("eps", [0.01, 0.05, 0.1])
def test_grudger_never_forgives_where_memory_one_grim_does(eps: float) -> None:
    """A grudger pair under execution noise ends in mutual grudges; C/C then appears only
    when both tremble at once (eps^2). Memory-one GRIM returns from D/D to cooperation
    after such a double error, so its pair shows C/C far more often."""
    grudgers = theory.long_run(make_strategy("grudger"), make_strategy("grudger"), execution_noise=eps)
    grims = theory.long_run(make_strategy("grim"), make_strategy("grim"), execution_noise=eps)
    assert grudgers.p_cc == pytest.approx(eps * eps, rel=1e-9)
    assert grudgers.stationary.max() == pytest.approx(1.0)  # all mass on the mutual grudge
    assert grims.p_cc > 2 * grudgers.p_cc
    assert grims.stationary.max() < 0.99


def test_no_single_strategy_wins_everywhere() -> None:
    """Glynatsi, Knight & Harper: the best strategy depends on the environment. Every
    strategy of the field is clearly beaten (by 0.02 a week) in at least one of these."""
    envs = [("execution", 0.0), ("execution", 0.05), ("execution", 0.1),
            ("perception", 0.05), ("perception", 0.1)]
    tables = [scores(k, e) for k, e in envs]
    for name in DEFAULT_FIELD:
        assert any(sc[name] < max(sc.values()) - 0.02 for sc in tables), name
    winners = {max(sc, key=sc.get) for sc in tables}
    assert len(winners) >= 3


# --- the command ------------------------------------------------------------------------


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="negotiate")
    add_tournament_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["tournament", *argv])


def test_command_prints_ranked_table(capsys: pytest.CaptureFixture[str]) -> None:
    args = _args("--strategies", "tft,gtft,ctft,wsls,grim,allc,alld", "--noise", "0.05",
                 "--rounds", "200", "--reps", "20", "--seed", "1")
    assert args.func is run_tournament_command
    assert run_tournament_command(args) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == convention("include")  # the table says how self-play was counted
    lines = lines[:-1]
    assert lines[0].split() == ["rank", "strategy", "mean_score", "cooperation", "wins",
                                "matches"]
    assert len(lines) == 8 and lines[1].split()[0] == "1"


def test_command_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = _args("--strategies", "tft,alld,pavlov", "--noise", "0.1", "--noise-kind",
                 "perception", "--rounds", "50", "--reps", "2", "--json")
    assert run_tournament_command(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["noise_kind"] == "perception"
    assert doc["self_play"] == "include" and doc["convention"] == convention("include")
    assert [r["strategy"] for r in doc["ranking"]] != []
    assert {r["strategy"] for r in doc["ranking"]} == {"tft", "alld", "wsls"}


def test_command_states_the_exclude_convention(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_tournament_command(_args("--strategies", "tft,alld", "--rounds", "10", "--reps", "1",
                                        "--self-play", "exclude")) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == convention("exclude") and "exclude" in convention("exclude")
    assert run_tournament_command(_args("--strategies", "tft,alld", "--rounds", "10", "--reps", "1",
                                        "--self-play", "exclude", "--json")) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["self_play"] == "exclude" and doc["convention"] == convention("exclude")
    assert all(row["matches"] == 1 for row in doc["ranking"])


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (("--strategies", "tft,nosuch"), "--strategies"),
        (("--strategies", "tft"), "--strategies"),
        (("--strategies", "tft,tft_x,alld"), "--strategies"),
        (("--strategies", "tft,tit-for-tat"), "--strategies"),
        (("--strategies", "tft,human"), "--strategies"),
        (("--strategies", "tft,scripted"), "--strategies"),
        (("--noise", "0.6"), "--noise"),
        (("--noise", "-0.1"), "--noise"),
        (("--noise", "lots"), "--noise"),
        (("--noise", "nan"), "--noise"),
        (("--rounds", "0"), "--rounds"),
        (("--rounds", "2.5"), "--rounds"),
        (("--rounds", "many"), "--rounds"),
        (("--reps", "0"), "--reps"),
        (("--seed", "-1"), "--seed"),
        (("--seed", "x"), "--seed"),
        (("--noise-kind", "telepathy"), "--noise-kind"),
        (("--self-play", "both"), "--self-play"),
        (("--self-play", ""), "--self-play"),
    ],
)
def test_command_rejects_bad_input_with_one_sentence(argv, flag) -> None:
    with pytest.raises(TournamentError) as info:
        run_tournament_command(_args(*argv))
    assert isinstance(info.value, NegotiateError)
    msg = str(info.value)
    assert flag in msg and "\n" not in msg
    assert any(word in msg for word in ("allowed", "must be", "needs", "twice", "give"))


def test_a_seed_is_read_exactly_or_refused_with_the_one_seed_range() -> None:
    # 2**62 + 1 has no exact float: read through one, the tournament played seed 2**62.
    field = {"strategies": "tft,gtft,alld", "noise": 0.1, "rounds": 50, "reps": 2}
    typed = tournament(seed=str(2**62 + 1), **field)
    pd.testing.assert_frame_equal(typed, tournament(seed=2**62 + 1, **field))
    assert not typed.equals(tournament(seed=2**62, **field))
    with pytest.raises(TournamentError, match="allowed: a whole number from 0 to 9223372036854775807"):
        tournament(seed=str(2**63), **field)
