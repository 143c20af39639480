"""Command-line interface: a thin layer over the library.

Each sub-command lives in ``vbextract.commands.<name>`` and exposes ``register(subparsers)``.
JSON goes to stdout, diagnostics to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("parse", "schema", "batch", "tasks", "corpus", "train", "eval")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    from .document import SCHEMA_VERSION

    parser = argparse.ArgumentParser(
        prog="vbextract",
        description="Structured JSON from Vietnamese administrative documents.",
    )
    parser.add_argument(
        "--version", action="version", version=f"vbextract {__version__} (schema {SCHEMA_VERSION})"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"vbextract.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"vbextract.commands.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
