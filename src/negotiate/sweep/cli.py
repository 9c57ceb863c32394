"""``negotiate sweep`` and ``negotiate report``.

Registration only builds parsers; the handlers import the sweep machinery (and Dask, pandas,
matplotlib) when they run, so ``negotiate --help`` stays fast.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable

from ..commands import seed_flag, weeks_flag
from ..errors import literal_line


def _whole(low: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number; allowed: {what}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is too small; allowed: {what}")
        return value

    return parse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` and ``report`` subcommands."""
    sw = sub.add_parser(
        "sweep", help="run many seeded replications over a parameter design",
        description="Run SCENARIO over a design (a grid, a Latin hypercube or a Sobol sample), "
        "each point --reps times with seeds spawned from --seed, into Parquet chunks in --out. "
        "Keys are the dotted keys of 'negotiate run --set'. Without a design, runs the scenario "
        "--reps times.")
    sw.add_argument("scenario", metavar="SCENARIO", help="built-in name or path to a .toml file")
    design = sw.add_argument_group("design (choose one)")
    design.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2,...",
                        help="every combination of these values (repeatable)")
    design.add_argument("--lhs", action="append", default=[], metavar="KEY=LO:HI",
                        help="Latin-hypercube sample of this range (repeatable; needs --samples)")
    design.add_argument("--sobol", action="append", default=[], metavar="KEY=LO:HI",
                        help="Saltelli sample for Sobol indices, N(2D+2) points "
                        "(repeatable; needs --samples, a power of two)")
    design.add_argument("--samples", type=_whole(1, "1 or more"), default=None, metavar="N",
                        help="points for --lhs, base samples N for --sobol")
    sw.add_argument("--reps", type=_whole(1, "1 or more"), default=1, metavar="R",
                    help="replications per design point (default 1)")
    sw.add_argument("--seed", type=seed_flag, default=0, metavar="ROOT",
                    help="root seed; each run's seed is spawned from it (default 0)")
    sw.add_argument("--weeks", type=weeks_flag, default=None, metavar="N",
                    help="override the scenario's number of weeks")
    sw.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                    help="fix a scenario key for every run (repeatable)")
    sw.add_argument("--workers", type=_whole(1, "1 or more"), default=None, metavar="N",
                    help="parallel workers (default: the number of cores; 1 runs in this process)")
    sw.add_argument("--backend", choices=("process", "dask"), default=None,
                    help="process pool (default) or Dask")
    sw.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                    help="use this running Dask scheduler (implies --backend dask)")
    sw.add_argument("--out", required=True, metavar="DIR", help="output folder")
    sw.add_argument("--resume", action="store_true",
                    help="finish the sweep already in --out (same design only)")
    sw.add_argument("--timeseries", action="store_true",
                    help="also write the weekly model and government tables")
    sw.add_argument("--chunk-size", type=_whole(1, "1 or more"), default=None, metavar="N",
                    help="runs per task and per file (default: automatic, at most 500)")
    sw.add_argument("--quiet", action="store_true", help="plain progress lines, no bar")
    sw.set_defaults(handler=sweep_command)

    rp = sub.add_parser(
        "report", help="tables and figures from a sweep folder",
        # A description is not %-formatted (unless it names %(prog)s): one % is one %.
        description="Summarise a sweep folder: outcome shares by parameter with Wilson 95% "
        "intervals, heatmaps for two-parameter grids, Sobol indices for Sobol designs. Writes "
        "report.md, CSV and Markdown tables and PNG figures.")
    rp.add_argument("folder", metavar="DIR", help="a folder written by 'negotiate sweep'")
    rp.add_argument("--out", default=None, metavar="DIR", help="where to write (default DIR/report)")
    rp.add_argument("--force", action="store_true",
                    help="replace the files of an earlier report in that folder")
    rp.set_defaults(handler=report_command)


def _command_line(args: argparse.Namespace) -> list[str]:
    words = ["negotiate", "sweep", args.scenario]
    for flag, values in (("--grid", args.grid), ("--lhs", args.lhs), ("--sobol", args.sobol),
                         ("--set", args.sets)):
        for value in values:
            words += [flag, value]
    for flag, value in (("--samples", args.samples), ("--reps", args.reps), ("--seed", args.seed),
                        ("--weeks", args.weeks), ("--workers", args.workers),
                        ("--backend", args.backend), ("--scheduler", args.scheduler),
                        ("--chunk-size", args.chunk_size), ("--out", args.out)):
        if value is not None:
            words += [flag, str(value)]
    words += [flag for flag, on in (("--resume", args.resume), ("--timeseries", args.timeseries),
                                    ("--quiet", args.quiet)) if on]
    return words


def sweep_command(args: argparse.Namespace) -> int:
    from .api import run_sweep

    stats = run_sweep(
        args.scenario, grid=args.grid, lhs=args.lhs, sobol=args.sobol, samples=args.samples,
        reps=args.reps, seed=args.seed, weeks=args.weeks, workers=args.workers,
        backend=args.backend or ("dask" if args.scheduler else "process"),
        scheduler=args.scheduler, out=args.out, resume=args.resume, timeseries=args.timeseries,
        quiet=args.quiet, sets=args.sets, chunk_size=args.chunk_size,
        command=_command_line(args))
    print(literal_line(f"{stats.done:,} runs ({stats.failed:,} failed) in {stats.out}/summary/; "
                       f"next: negotiate report {shlex.quote(str(stats.out))}"))
    return 0


def report_command(args: argparse.Namespace) -> int:
    from .report import write_report

    report = write_report(args.folder, args.out, force=args.force)
    print(report.paragraph)
    print("\n" + literal_line(f"Report written to {report.path} ({len(report.files)} files)"))
    return 0
