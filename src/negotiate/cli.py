"""The ``negotiate`` command line.

Each subcommand lives in its own module and registers itself through a ``register(sub)``
function that only builds argparse parsers (cheap); handlers import heavy things lazily.
Any :class:`~negotiate.errors.NegotiateError` becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from .errors import NegotiateError, literal_line
from .oserrors import os_failure

#: (module, function) pairs that add subcommands, in the order shown by --help.
SUBCOMMANDS: tuple[tuple[str, str], ...] = (
    ("negotiate.commands", "register"),
    ("negotiate.tournament", "add_tournament_parser"),
    ("negotiate.sweep.cli", "register"),
    ("negotiate.calibration", "register"),
    ("negotiate.app.launch", "register"),
    ("negotiate.classroom.cli", "register"),
)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the problem and where to look."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="negotiate",
        description="The 2025 U.S.-China rare-earth and tariff standoff as an agent-based game.",
    )
    from .version import __version__

    parser.add_argument("--version", action="version", version=f"negotiate {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for module_name, function in SUBCOMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # a face not built yet
            raise
        getattr(module, function)(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return int(handler(args) or 0)
    except NegotiateError as exc:
        return _refused(args.command, exc)
    except KeyboardInterrupt:
        print(f"negotiate {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # A path the operating system refused where no command foresaw it (a name too long
        # to look up, say): still one line naming the path, never a traceback.
        return _refused(args.command, os_failure(exc))


def _refused(command: str, exc: NegotiateError) -> int:
    # The message may quote what was typed (a name, a path, a value): shown literally.
    print(f"negotiate {command}: {literal_line(str(exc))}", file=sys.stderr)
    return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
