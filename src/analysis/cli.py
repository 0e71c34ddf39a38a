"""Command line of the suite: ``python -m analysis --help`` (installed as the console script
``disarmament-notebooks``, which names itself so in its help and messages).

Exit codes: 0 success; 1 problems found or a run failed; 2 usage error (bad
arguments or parameters); 3 another run holds the reports folder's lock.

>>> main(["validate", "--quiet"])
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import DataError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
PROG = "python -m analysis"
SCRIPT = "disarmament-notebooks"  # the console script of pyproject.toml


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors exit with code 2 and a one-line message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .data import validate_all
    from .validate import validate_file

    problems = []
    if not args.paths:
        problems = validate_all(args.data_dir)
        checked = "every bundled table"
    else:
        for path in args.paths:
            problems += validate_file(path)
        checked = f"{len(args.paths)} path(s)"
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found in {checked}.", file=sys.stderr)
        return EXIT_PROBLEMS
    if not args.quiet:
        print(f"OK: {checked} valid.")
    return EXIT_OK


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    """The argument parser with every sub-command; ``prog`` names the command in messages."""
    parser = _Parser(
        prog=prog,
        description="disarmament-notebooks: UNGA votes, consultation networks and "
                    "evaluation ratings for arms-control and disarmament diplomacy.",
        epilog="Exit codes: 0 ok, 1 problems found / run failed, 2 usage error, "
               "3 reports folder locked by another run.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    v = sub.add_parser(
        "validate", help="check the bundled tables or given files",
        description="Check every bundled table (no PATH) or the given files: bundled tables "
                    "by file name, or UN voting data (UN Digital Library CSV, unvotes "
                    "folder). Prints every problem as file:row:column: expected ..., found "
                    "...; exit 0 when valid, 1 when any problem was found, 2 on usage error.")
    v.add_argument("paths", nargs="*", metavar="PATH")
    v.add_argument("--data-dir", default=None, help="data folder (default: the bundled data/)")
    v.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    v.set_defaults(func=_cmd_validate)
    for register in _EXTRA_COMMANDS + _extra_commands():
        register(sub)
    return parser


# Other modules add their sub-commands here (report, briefings, refresh-notebooks, fetch,
# bench).
def _extra_commands() -> list:
    from . import bench, briefings, fetch, figures, refresh, report

    return [report.register, briefings.register, refresh.register, fetch.register,
            figures.register, bench.register]


_EXTRA_COMMANDS: list = []


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def script_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``disarmament-notebooks`` console script (named so in messages)."""
    return main(argv, prog=SCRIPT)
