"""Run the benchmarks: `python benchmarks/run.py [--json] [SECTION ...]`.

Sections: model, startup, ipd, sweep, sweep_memory, browser, serving, classroom (all of them when none is named). Each
reports its figures with a baseline measured in the same run, as ratios where a goal is
stated. Nothing here asserts a time: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from pathlib import Path

SECTIONS = ("model", "startup", "ipd", "sweep", "sweep_memory", "browser", "serving", "classroom")
HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"any of: {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    unknown = [s for s in args.sections if s not in SECTIONS]
    if unknown:
        print(f"benchmarks/run.py: unknown section {unknown[0]!r}; allowed: {', '.join(SECTIONS)}",
              file=sys.stderr)
        return 2
    sys.path.insert(0, str(HERE.parent))
    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count(),
                    "when": time.strftime("%Y-%m-%dT%H:%M:%S")},
    }
    failed = False
    for name in args.sections or SECTIONS:
        start = time.perf_counter()
        try:
            figures = importlib.import_module(f"benchmarks.{name}").measure()
        except Exception as exc:  # one broken section must not lose the others' figures
            figures = {"error": f"{type(exc).__name__}: {exc}"}
            failed = True
        results[name] = figures
        if not args.json:
            print(f"== {name} ({time.perf_counter() - start:.0f} s)")
            print(json.dumps(figures, indent=2))
    if args.json:
        if len(args.sections) == 1:
            print(json.dumps(results[args.sections[0]]))
        else:
            print(json.dumps(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
