"""Grammars kept as data: patterns with their examples and counter-examples.

Each pattern in this package is a :class:`Pattern`: a compiled ``regex`` with a timeout on every
match, plus ``examples`` it must match and ``counter_examples`` it must not. ``tests/test_grammars.py``
checks every one of them, so a pattern and its documentation cannot drift apart.

Patterns that look for keywords run on the document's *fold key* (lower case, traditional tone
placement, same length as the text) so "CỘNG HOÀ" and "Cộng hòa" match alike; patterns that read
symbols and names run on the text itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

# Every match gets a time limit so that no input can hang a parse (catastrophic backtracking
# on a pathological line is reported as "no match" and a warning, not a hang).
MATCH_TIMEOUT = 0.5


class GrammarTimeout(Exception):
    """A pattern ran past :data:`MATCH_TIMEOUT` on some input."""


@dataclass
class Pattern:
    name: str
    source: str
    flags: int = 0
    examples: list[str] = field(default_factory=list)
    counter_examples: list[str] = field(default_factory=list)
    doc: str = ""

    def __post_init__(self) -> None:
        self.rx = regex.compile(self.source, self.flags)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        try:
            return self.rx.search(text, pos, endpos if endpos is not None else len(text),
                                  timeout=MATCH_TIMEOUT)
        except TimeoutError as exc:
            raise GrammarTimeout(self.name) from exc

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        try:
            return self.rx.match(text, pos, endpos if endpos is not None else len(text),
                                 timeout=MATCH_TIMEOUT)
        except TimeoutError as exc:
            raise GrammarTimeout(self.name) from exc

    def fullmatch(self, text: str) -> regex.Match[str] | None:
        try:
            return self.rx.fullmatch(text, timeout=MATCH_TIMEOUT)
        except TimeoutError as exc:
            raise GrammarTimeout(self.name) from exc

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        # One search per match, each with its own time limit: regex's own finditer times the
        # whole iteration, so a caller's slow loop between matches would count against the
        # pattern and the result would depend on the speed of the machine.
        end = endpos if endpos is not None else len(text)
        while pos <= end:
            m = self.search(text, pos, end)
            if m is None:
                return
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1


REGISTRY: dict[str, Pattern] = {}


def pattern(name: str, source: str, *, flags: int = 0, examples=(), counter_examples=(), doc="") -> Pattern:
    """Define and register a pattern (see module docstring)."""
    p = Pattern(name, source, flags, list(examples), list(counter_examples), doc)
    REGISTRY[name] = p
    return p
