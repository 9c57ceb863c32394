"""A small noisy round-robin tournament in the manner of Axelrod (1980, 1984).

Every strategy meets every other for ``rounds`` weeks, ``reps`` times, under execution or
perception noise. Scores are mean payoffs per week over all of a strategy's matches.

Self-play is a convention that decides the ranking, so it is a flag and every output states
it. ``include`` (the default) adds a match against a copy of itself, as in Axelrod's
tournaments, and counts that match's two seats as two matches' worth of weeks in the score
(not in ``wins``); cooperators that do well against themselves gain. ``exclude`` scores a
strategy only against the others; under noise the unforgiving ALLD and GRIM then lead the
default field, which holds strategies they exploit (ALLC, GTFT) and none that exploits them. The published findings this reproduces
are qualitative -- generous and contrite TFT cope with noise better than TFT (Wu &
Axelrod 1995), leniency pays where cooperation is sustainable (Fudenberg, Rand & Dreber
2012, AER 102), and no strategy wins in every environment (Glynatsi, Knight & Harper) --
so the tests check bands, not ranks to the decimal.

Seeds: one :class:`numpy.random.SeedSequence` from ``seed`` is spawned into one child per
(match, repetition), so adding repetitions never changes the earlier ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .errors import NegotiateError
from .inputs import parse_seed
from .ipd import DEFAULT_PAYOFFS, play
from .params import BoundsError, Range, parse_number, parse_whole
from .strategies import CATALOGUE, canonical_name, make_strategy

if TYPE_CHECKING:
    import pandas as pd

NOISE_KINDS = ("execution", "perception")
SELF_PLAY = ("include", "exclude")
MAX_NOISE = 0.5
DEFAULT_FIELD = ("tft", "gtft", "ctft", "wsls", "grim", "allc", "alld")


class TournamentError(NegotiateError):
    """A tournament flag or argument is malformed; the message names it and what is allowed."""


#: Moves from outside (people, the 2025 record) have no place in a round robin.
_NOT_PLAYERS = frozenset({"scripted"})


def _allowed_names() -> tuple[str, ...]:
    return tuple(
        name for name, cls in CATALOGUE.items() if not cls.external and name not in _NOT_PLAYERS
    )


def parse_strategies(spec: str | Sequence[str]) -> list[str]:
    """Catalogue names from a comma-separated list (aliases accepted)."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    items = [str(s).strip() for s in items if str(s).strip()]
    allowed = _allowed_names()
    if len(items) < 2:
        raise TournamentError(
            f"--strategies needs at least two names separated by commas, from: {', '.join(allowed)}"
        )
    names: list[str] = []
    for item in items:
        key = canonical_name(item)
        if key is None or key not in allowed:
            raise TournamentError(
                f"--strategies: unknown strategy {item!r}; allowed: {', '.join(allowed)}"
            )
        if key in names:
            raise TournamentError(f"--strategies lists {key!r} twice; give each strategy once")
        names.append(key)
    return names


#: Bounds of a tournament's numbers (the seed's is the one every seed has: inputs.SEED).
NOISE = Range(0.0, MAX_NOISE, "", "chance a move is flipped (execution) or misread (perception)")
ROUNDS = Range(1, 10_000_000, "rounds", "rounds in each match")
REPS = Range(1, 100_000, "", "repetitions of each match")


def _number(flag: str, value: object, spec: Range, *, whole: bool) -> float | int:
    """``value`` checked against ``spec`` by the one parser (params), named by its flag."""
    try:
        return parse_whole(flag, value, spec) if whole else parse_number(flag, value, spec)
    except BoundsError as err:
        raise TournamentError(str(err)) from None


def _seed(value: object) -> int:
    """``--seed`` read as ``negotiate run`` reads it (inputs.parse_seed), exactly."""
    try:
        return parse_seed(value, "--seed")
    except BoundsError as err:
        raise TournamentError(str(err)) from None


def tournament(
    strategies: str | Sequence[str] = DEFAULT_FIELD,
    noise: float = 0.05,
    rounds: int = 200,
    reps: int = 20,
    seed: int = 1,
    noise_kind: str = "execution",
    *,
    payoffs: Sequence[float] = DEFAULT_PAYOFFS,
    self_play: str = "include",
    generosity: float = 1 / 3,
) -> pd.DataFrame:
    """Play the round robin and return it ranked by mean score.

    ``self_play`` is ``"include"`` (each strategy also meets a copy of itself, both seats
    scored) or ``"exclude"`` (only matches between different strategies count); the table's
    ``attrs["self_play"]`` records which.

    Columns: ``rank``, ``strategy``, ``mean_score`` (payoff per week over all its matches),
    ``cooperation`` (share of its executed moves that were C), ``wins`` (matches in which it
    scored strictly more than a *different* opponent), ``matches``.
    """
    names = parse_strategies(strategies)
    noise = float(_number("--noise", noise, NOISE, whole=False))
    rounds = int(_number("--rounds", rounds, ROUNDS, whole=True))
    reps = int(_number("--reps", reps, REPS, whole=True))
    seed = _seed(seed)
    if noise_kind not in NOISE_KINDS:
        raise TournamentError(
            f"--noise-kind must be one of {', '.join(NOISE_KINDS)}, got {noise_kind!r}"
        )
    noise_kw = {f"{noise_kind}_noise": noise}
    self_play = parse_self_play(self_play)
    with_self = self_play == "include"

    pairs = [
        (i, j) for i in range(len(names)) for j in range(i, len(names)) if i != j or with_self
    ]
    children = np.random.SeedSequence(seed).spawn(len(pairs) * reps)
    n = len(names)
    score = np.zeros(n)
    coop = np.zeros(n)
    weeks = np.zeros(n)
    wins = np.zeros(n, dtype=int)
    matches = np.zeros(n, dtype=int)
    k = 0
    for i, j in pairs:
        for _ in range(reps):
            res = play(
                make_strategy(names[i], generosity=generosity),
                make_strategy(names[j], generosity=generosity),
                rounds,
                payoffs=payoffs,
                seed=children[k],
                **noise_kw,
            )
            k += 1
            score[i] += res.us_mean * rounds
            coop[i] += res.us_cooperation * rounds
            weeks[i] += rounds
            matches[i] += 1
            if i != j:
                score[j] += res.cn_mean * rounds
                coop[j] += res.cn_cooperation * rounds
                weeks[j] += rounds
                matches[j] += 1
                if res.us_mean > res.cn_mean:
                    wins[i] += 1
                elif res.cn_mean > res.us_mean:
                    wins[j] += 1
            else:
                # Self-play counts both seats towards the score, not towards wins.
                score[i] += res.cn_mean * rounds
                coop[i] += res.cn_cooperation * rounds
                weeks[i] += rounds
    import pandas as pd  # here, not at import: the command line is built without it

    table = pd.DataFrame(
        {
            "strategy": names,
            "mean_score": score / weeks,
            "cooperation": coop / weeks,
            "wins": wins,
            "matches": matches,
        }
    )
    table = table.sort_values(["mean_score", "wins"], ascending=False, kind="stable")
    table.insert(0, "rank", range(1, n + 1))
    table = table.reset_index(drop=True)
    table.attrs["self_play"] = self_play
    return table


def parse_self_play(value: object) -> str:
    """``include`` or ``exclude`` (case and spaces ignored); anything else is refused."""
    key = str(value).strip().lower()
    if key not in SELF_PLAY:
        raise TournamentError(f"--self-play must be one of {', '.join(SELF_PLAY)}, got {value!r}")
    return key


def convention(self_play: str) -> str:
    """One line saying how self-play was counted, printed with every table."""
    if self_play == "include":
        return ("self-play: include (each strategy also meets a copy of itself; both seats "
                "count towards its score, not towards wins)")
    return "self-play: exclude (scores count only matches against different strategies)"


def add_tournament_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``negotiate tournament``; values are checked by the handler so that bad
    input gives one :class:`TournamentError` sentence rather than argparse's usage dump."""
    p = subparsers.add_parser(
        "tournament",
        help="noisy round-robin of classic strategies, printed as a ranked table",
        description=(
            "Round-robin of iterated prisoner's dilemma strategies under noise "
            "(Axelrod 1984; Wu & Axelrod 1995)."
        ),
    )
    p.add_argument("--strategies", default=",".join(DEFAULT_FIELD),
                   help="comma-separated strategy names (default: %(default)s)")
    p.add_argument("--noise", default="0.05", help="noise probability, 0 to 0.5")
    p.add_argument("--noise-kind", default="execution", dest="noise_kind",
                   help="execution or perception (default: %(default)s)")
    p.add_argument("--rounds", default="200", help="weeks per match (default: %(default)s)")
    p.add_argument("--reps", default="20", help="repetitions of each match")
    p.add_argument("--seed", default="1", help="seed for numpy's SeedSequence")
    p.add_argument("--self-play", default="include", dest="self_play",
                   help="include or exclude matches against a copy of oneself "
                        "(default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run_tournament_command, handler=run_tournament_command)
    return p


def run_tournament_command(args: argparse.Namespace) -> int:
    """Handle ``negotiate tournament``: print the ranked table (or JSON) and return 0."""
    # Read once, so the JSON reports exactly the numbers played (a seed near 2**63 has no
    # exact float).
    noise = float(_number("--noise", args.noise, NOISE, whole=False))
    rounds = int(_number("--rounds", args.rounds, ROUNDS, whole=True))
    reps = int(_number("--reps", args.reps, REPS, whole=True))
    seed = _seed(args.seed)
    noise_kind = str(args.noise_kind).strip().lower()
    table = tournament(
        strategies=args.strategies,
        noise=noise,
        rounds=rounds,
        reps=reps,
        seed=seed,
        noise_kind=noise_kind,
        self_play=getattr(args, "self_play", "include"),
    )
    self_play = table.attrs["self_play"]
    if getattr(args, "json", False):
        doc = {
            "self_play": self_play,
            "convention": convention(self_play),
            "noise": noise,
            "noise_kind": noise_kind,
            "rounds": rounds,
            "reps": reps,
            "seed": seed,
            "ranking": table.to_dict(orient="records"),
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        shown = table.copy()
        shown["mean_score"] = shown["mean_score"].map("{:.3f}".format)
        shown["cooperation"] = shown["cooperation"].map("{:.1%}".format)
        sys.stdout.write(shown.to_string(index=False) + "\n" + convention(self_play) + "\n")
    return 0


__all__ = [
    "DEFAULT_FIELD",
    "SELF_PLAY",
    "TournamentError",
    "add_tournament_parser",
    "convention",
    "parse_self_play",
    "parse_strategies",
    "run_tournament_command",
    "tournament",
]
