"""Command-line interface: a thin layer over the library.

Each sub-command lives in ``vbextract.commands.<name>`` and exposes ``register(subparsers)``.
Only the command being run is imported (all of them for ``--help`` or a mistyped command), and
``--version`` imports none, so start-up costs what the command needs. JSON goes to stdout,
diagnostics to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("parse", "schema", "batch", "tasks", "corpus", "train", "eval", "serve", "report", "export")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that sub-command is registered (imported), and
    none for ``only=""``."""
    from ._meta import SCHEMA_VERSION, __version__

    parser = argparse.ArgumentParser(
        prog="vbextract",
        description="Structured JSON from Vietnamese administrative documents.",
    )
    parser.add_argument(
        "--version", action="version", version=f"vbextract {__version__} (schema {SCHEMA_VERSION})"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else (only,) if only else ():
        importlib.import_module(f"vbextract.commands.{name}").register(sub)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The sub-command named by ``argv`` when it is the first argument and a known command;
    ``""`` for ``--version`` alone (no command needed); None otherwise (register them all)."""
    if argv == ["--version"]:
        return ""
    return argv[0] if argv and argv[0] in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
