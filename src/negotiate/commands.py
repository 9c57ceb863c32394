"""``negotiate run`` and ``negotiate scenarios``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from .errors import ScenarioError, literal_line
from .inputs import SEED
from .params import WEEKS, BoundsError, Range, parse_whole


def whole_flag(spec: Range) -> Callable[[str], int]:
    """An argparse type: a whole number within ``spec``, read by the one parser (exactly, at
    any size), its refusal one line naming what is allowed."""
    def parse(text: str) -> int:
        try:
            return parse_whole("", text, spec)
        except BoundsError as err:
            raise argparse.ArgumentTypeError(str(err).strip()) from None

    return parse


#: ``--seed``: any seed accepted here works everywhere (tables store it as int64).
seed_flag = whole_flag(SEED)
#: ``--weeks``: the scenario key ``weeks``'s own bound.
weeks_flag = whole_flag(WEEKS)


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="run one scenario and summarise it",
                         description="Run one scenario. SCENARIO is a built-in name "
                         "(see 'negotiate scenarios') or a path to a .toml file.")
    run.add_argument("scenario", metavar="SCENARIO")
    run.add_argument("--seed", type=seed_flag, default=0, help="random seed (default 0)")
    run.add_argument("--weeks", type=weeks_flag, default=None, help="override the number of weeks")
    run.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                     help="override a scenario key, e.g. us.strategy=tft (repeatable)")
    run.add_argument("--out", default=None, metavar="DIR",
                     help="write model, agent, government and event tables (Parquet and CSV)")
    run.add_argument("--force", action="store_true",
                     help="with --out: replace the tables of an earlier run in that folder")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.set_defaults(handler=run_command)

    sc = sub.add_parser("scenarios", help="list the built-in scenarios, or check files",
                        description="List built-in scenarios, or validate files with --check.")
    sc.add_argument("--check", nargs="+", metavar="FILE", default=None,
                    help="validate these scenario files; exit 0 if all are valid, 2 if not")
    sc.set_defaults(handler=scenarios_command)


def run_command(args: argparse.Namespace) -> int:
    from .runner import run
    from .scenario import parse_set, validate
    from .tablefolder import check_folder

    overrides = parse_set(args.sets)
    # --weeks replaces a --set weeks=..., but a bad value is still a mistake worth a line.
    validate(overrides, "--set")
    if args.force and args.out is None:
        raise ScenarioError("--force only applies with --out; allowed: --out FOLDER --force, "
                            "to replace an earlier run's tables there")
    if args.out is not None:
        check_folder(args.out, force=args.force)  # before the run, not after it
    else:
        # Without --out nobody reads the weekly tables; the summary does not need them.
        overrides.setdefault("collect.weekly", False)
    result = run(args.scenario, seed=args.seed, weeks=args.weeks, overrides=overrides)
    if args.out:
        result.write(args.out, force=args.force)
    if args.json:
        print(json.dumps(result.summary, sort_keys=False, default=_jsonable))
    else:
        print(render_summary(result.summary, result.event_table))
        if args.out:
            print(f"\nTables written to {args.out}/ (model, agents, governments, events; .parquet and .csv)")
    return 0


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def render_summary(summary: dict[str, Any], events) -> str:
    from .outcome import OUTCOME_LABELS

    acc, false = summary["accusations"], summary["false_accusations"]
    pay = summary["mean_payoff"]
    lines = [
        f"{summary['scenario']}  seed {summary['seed']}  {summary['weeks']} weeks",
        f"Outcome: {OUTCOME_LABELS[summary['outcome']]} ({summary['outcome_reason']})",
        f"Détente index: final {summary['detente_index']:.2f}, mean of last weeks {summary['detente_mean']:.2f}",
        f"Agreements: {summary['agreements']}  in force at the end: {'yes' if summary['agreement_in_force'] else 'no'}"
        f"  snapbacks: {summary['snapbacks']}",
        f"Both complied in {summary['cooperation_share']:.0%} of weeks",
        f"Mean weekly payoff: U.S. {pay['us']:.2f}, China {pay['cn']:.2f}",
        f"Accusations: U.S. {acc['us']} ({false['us']} false), China {acc['cn']} ({false['cn']} false)",
    ]
    accusations = events[events["kind"] == "accusation"] if len(events) else events
    for row in accusations.itertuples():
        truth = "real breach" if row.real else "FALSE: no breach happened"
        lines.append(f"  {row.date} week {row.week:>3} {row.actor.upper()}: {row.details} [{truth}]")
    # Names and details may come from a scenario file: each line is shown literally.
    return "\n".join(map(literal_line, lines))


def scenarios_command(args: argparse.Namespace) -> int:
    from .scenario import available_scenarios, load_scenario

    if args.check:
        failed = 0
        for path in args.check:
            try:
                s = load_scenario(path)
            except ScenarioError as exc:
                print(f"negotiate scenarios: {literal_line(str(exc))}", file=sys.stderr)
                failed += 1
            else:
                print(literal_line(f"ok  {path}: {s.title} ({s.weeks} weeks)"))
        return 2 if failed else 0
    rows = []
    for name in available_scenarios():
        s = load_scenario(name)
        rows.append((name, s.title, s.weeks))
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{'name':<{width}}  weeks  title")
    for name, title, weeks in rows:
        print(literal_line(f"{name:<{width}}  {weeks:>5}  {title}"))
    return 0
