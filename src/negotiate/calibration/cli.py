"""``negotiate calibrate``: run the replay and the baseline, write the report and figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import NegotiateError
from .record import BASELINE, REPLAY

MAX_SEEDS = 100_000

# Variants of the baseline for the sensitivity table. A variant equal to the scenario's own
# values is skipped at run time: it would repeat the "scenario as is" row under another name.
SENSITIVITY: list[tuple[str, dict[str, Any]]] = [
    ("hawkishness 0.02 (about one unscripted escalation per side per year, as in 2025)",
     {"us.hawkishness": 0.02, "cn.hawkishness": 0.02}),
    ("hawkishness 0 (only the calendar escalates)", {"us.hawkishness": 0.0, "cn.hawkishness": 0.0}),
]


def sensitivity_variants(baseline_overrides: dict[str, Any] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The :data:`SENSITIVITY` variants that differ from the baseline as it is run."""
    from .. import load_scenario

    own = load_scenario(BASELINE, baseline_overrides or {}).params()
    return [(label, extra) for label, extra in SENSITIVITY
            if any(own.get(key) != value for key, value in extra.items())]


def calibrate(seeds: int = 100, out: str | Path = "docs", *, quiet: bool = True,
              replay_overrides: dict[str, Any] | None = None,
              baseline_overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the replay and the baseline over ``seeds`` seeds; write the report and figures.

    Returns the computed measures (``replay``, ``baseline``), and the paths written
    (``report``, ``figures``). ``replay_overrides``/``baseline_overrides`` (dotted keys) exist
    so tests can check that the report follows the runs.
    """
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= MAX_SEEDS:
        raise NegotiateError(f"--seeds {seeds!r} is not allowed; allowed: a whole number from 1 to {MAX_SEEDS}")
    from ..oserrors import require_folder_path

    # An empty --out is refused, not read as the current folder (whose calibration.md the
    # report would replace); a file or a FIFO is refused too.
    out = require_folder_path(out, "--out")

    def say(msg: str) -> None:
        if not quiet:
            print(msg, file=sys.stderr, flush=True)

    # The work's modules (the model, pandas, matplotlib) load here, not when the command
    # line is built: ``negotiate --help`` and a bad flag need none of them.
    from .figures import FIGURE_DIR, make_figures
    from .measures import baseline_measures, replay_measures
    from .report import write_report
    from .runs import run_many, stack

    seed_list = list(range(seeds))
    replay = run_many(REPLAY, seed_list, replay_overrides, say)
    baseline = run_many(BASELINE, seed_list, baseline_overrides, say)
    rm = replay_measures(replay)
    bm = baseline_measures(baseline)
    # Sensitivity of the baseline story to the one behavioural knob that drives its main
    # departure from 2025 (endogenous escalation before April); reported, not applied.
    bm["sensitivity"] = []
    for label, extra in sensitivity_variants(baseline_overrides):
        runs = run_many(BASELINE, seed_list, {**(baseline_overrides or {}), **extra}, say)
        bm["sensitivity"].append((label, extra, baseline_measures(runs)))
    bm["series"] = {k: stack(baseline, k) for k in ("us_tariff", "cn_tariff", "us_tariff_average",
                                                     "cn_tariff_average")}
    try:
        out.mkdir(parents=True, exist_ok=True)
        figures = make_figures(replay, baseline, rm, bm, out / FIGURE_DIR)
        report = out / "calibration.md"
        text = write_report(report, rm, bm, figures, seeds, replay_overrides)
    except OSError as exc:
        raise NegotiateError(f"cannot write to {out} ({exc.strerror}); allowed: a writable folder") from None
    say(f"wrote {report} and {len(figures)} figures in {out / FIGURE_DIR}")
    return {"replay": rm, "baseline": bm, "report": report, "figures": figures, "text": text}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``negotiate calibrate`` (cheap: parsers only; the work is imported lazily)."""
    p = sub.add_parser("calibrate", help="replay 2025 over many seeds and compare with the record",
                       description="Run rare-earth-2025-replay and the rare-earth-2025 baseline over "
                       "N seeds; write OUT/calibration.md and OUT/figures/calibration/*.png.")
    # Parsed in the handler so that a bad value is a NegotiateError like every other bad input.
    p.add_argument("--seeds", default="100", metavar="N", help="number of seeds, 1 or more (default 100)")
    p.add_argument("--out", default="docs", metavar="DIR", help="folder for the report (default docs)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(handler=calibrate_command)


def calibrate_command(args: argparse.Namespace) -> int:
    try:
        seeds = int(str(args.seeds).strip())
    except ValueError:
        raise NegotiateError(f"--seeds {args.seeds!r} is not a whole number; allowed: 1 to {MAX_SEEDS}") from None
    result = calibrate(seeds, args.out, quiet=args.quiet)
    if not args.quiet:
        chain = result["baseline"]["steps"][-1]
        print(f"{result['report']}: replay over {seeds} seeds; baseline shows 2025's full pattern "
              f"in {chain['chain']}/{seeds} seeds ({100 * chain['share']:.0f} %)")
    return 0

