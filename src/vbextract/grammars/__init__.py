"""Grammars kept as data: patterns with their examples and counter-examples.

Each pattern in this package is a :class:`Pattern`: a compiled ``regex`` with a timeout on every
match, plus ``examples`` it must match and ``counter_examples`` it must not. ``tests/test_grammars.py``
checks every one of them, so a pattern and its documentation cannot drift apart.

Patterns that look for keywords run on the document's *fold key* (lower case, traditional tone
placement, same length as the text) so "CỘNG HOÀ" and "Cộng hòa" match alike; patterns that read
symbols and names run on the text itself.

The patterns are data: ``grammars/*.yaml`` (all but ``agencies.yaml``, ``types.yaml``, ``vars.yaml``) hold one
entry per pattern::

    group: header                 # the file's group; an entry may name its own
    patterns:
      - name: vv_line
        on: text                  # or fold: which side of the document it runs on
        flags: [MULTILINE]        # optional, names of regex flags
        pattern: |-
          ^[ \t]*(?:$VV)[ \t]*:?(?P<subj>.*)$
        examples:                 # each must match WHOLE, with these named groups
          - text: "V/v: nâng bậc lương"
            groups: {subj: "nâng bậc lương"}
        counter_examples: ["Việc triển khai"]   # each must not match whole
        overlaps: [other_name]    # optional: same-group entries allowed to match its examples
        why: "…"

An entry may declare ``prefilter: [literal, ...]`` (on the key the entry runs on: lower case for
``fold``): no match of the pattern is without one of the literals, and with ``prefilter_at: start``
every match begins with one of them. ``search``/``finditer`` then look for the literals with
``str.find`` first: where none is left there is no match, and a ``start`` prefilter jumps straight
to the nearest one (``match`` at a position that does not start with one fails at once).
``tests/test_grammar_prefilter.py`` checks every example against the literals and that filtered
and unfiltered searches find the same matches on the seeds and realistic strings. Code that calls
``.rx`` directly bypasses the prefilter.

``$NAME`` / ``${NAME}`` in a pattern is a shared variable of ``vars.yaml`` (variables may use
other variables), expanded before compiling. :func:`load` reads every file once, at the first
import of this package, into :data:`REGISTRY`; the modules ``blocks``, ``structure`` and the parts
read their patterns from there by name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import regex

# Every match gets a time limit so that no input can hang a parse (catastrophic backtracking
# on a pathological line is reported as "no match" and a warning, not a hang). The methods pass it
# positionally (string, pos, endpos, concurrent, partial, timeout): regex's keyword parsing costs
# more than most matches of a line.
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
    group: str = ""
    on: str = "text"
    example_groups: list[dict[str, str]] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    prefilter: tuple[str, ...] = ()
    prefilter_at: str = "any"

    def __post_init__(self) -> None:
        self.rx = regex.compile(self.source, self.flags)
        self.prefilter = tuple(self.prefilter)
        if self.prefilter_at not in ("any", "start"):
            raise ValueError(f"grammar pattern {self.name}: prefilter_at must be 'any' or 'start'")
        if self.prefilter and (not all(self.prefilter) or self.flags & regex.IGNORECASE
                               and any(lit.lower() != lit.upper() for lit in self.prefilter)):
            raise ValueError(f"grammar pattern {self.name}: prefilter literals must be non-empty "
                             "(and caseless under IGNORECASE)")
        # a long list of literals by first character: ``match`` tries only those that can begin at
        # the position (one dict lookup instead of a startswith of each of ~100 heads); ``search``,
        # ``finditer`` and ``sub`` do not look for so many literals first (one str.find per literal
        # and match cost more than the plain scan)
        self._by_first: dict[str, tuple[str, ...]] | None = None
        if len(self.prefilter) > 8:
            self._by_first = {}
            for lit in self.prefilter:
                self._by_first[lit[0]] = (*self._by_first.get(lit[0], ()), lit)
        # A few start literals (2 to 8): ``search`` and ``finditer`` try a match at each of them.
        # regex scans fast for one literal prefix, but an alternation of them has none, so a search
        # from the first would try every position after it.
        self._at_literals = self.prefilter_at == "start" and len(self.prefilter) > 1 and self._by_first is None

    def _nearest(self, text: str, pos: int, end: int) -> int:
        """Offset of the nearest prefilter literal in ``text[pos:end]`` (wholly inside), or -1."""
        best = -1
        for lit in self.prefilter:
            i = text.find(lit, pos, end if best < 0 else min(end, best + len(lit)))
            if i >= 0 and (best < 0 or i < best):
                best = i
        return best

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        end = endpos if endpos is not None else len(text)
        if self.prefilter and self._by_first is None:
            if self._at_literals:
                return next(self._finditer_filtered(text, pos, end), None)
            q = self._nearest(text, pos, end)
            if q < 0:
                return None
            if self.prefilter_at == "start":
                pos = q
        try:
            return self.rx.search(text, pos, end, None, False, MATCH_TIMEOUT)
        except TimeoutError as exc:
            raise GrammarTimeout(self.name) from exc

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        if self.prefilter_at == "start" and self.prefilter:
            lits = self.prefilter
            if self._by_first is not None and 0 <= pos < len(text):
                lits = self._by_first.get(text[pos], ())
            if not text.startswith(lits, pos, endpos if endpos is not None else len(text)):
                return None
        try:
            return self.rx.match(text, pos, endpos if endpos is not None else len(text), None, False,
                                 MATCH_TIMEOUT)
        except TimeoutError as exc:
            raise GrammarTimeout(self.name) from exc

    def fullmatch(self, text: str) -> regex.Match[str] | None:
        try:
            return self.rx.fullmatch(text, 0, len(text), None, False, MATCH_TIMEOUT)
        except TimeoutError as exc:
            raise GrammarTimeout(self.name) from exc

    def sub(self, repl: Any, text: str, count: int = 0) -> str:
        if self.prefilter and self._by_first is None and self._nearest(text, 0, len(text)) < 0:
            return text
        try:
            return self.rx.sub(repl, text, count, timeout=MATCH_TIMEOUT)
        except TimeoutError as exc:
            raise GrammarTimeout(self.name) from exc

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        try:
            return self.rx.split(text, maxsplit, timeout=MATCH_TIMEOUT)
        except TimeoutError as exc:
            raise GrammarTimeout(self.name) from exc

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        # One search per match, each with its own time limit: regex's own finditer times the
        # whole iteration, so a caller's slow loop between matches would count against the
        # pattern and the result would depend on the speed of the machine.
        end = endpos if endpos is not None else len(text)
        if self.prefilter and self._by_first is None:
            yield from self._finditer_filtered(text, pos, end)
            return
        while pos <= end:
            m = self.search(text, pos, end)
            if m is None:
                return
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1

    def _finditer_filtered(self, text: str, pos: int, end: int) -> Iterator[regex.Match[str]]:
        # The next occurrence of each literal is remembered and found again only once the scan
        # has passed it, so the literals cost one pass over the text in all.
        nxt = {lit: text.find(lit, pos, end) for lit in self.prefilter}
        start_mode = self.prefilter_at == "start"
        while pos <= end:
            q = -1
            for lit, i in nxt.items():
                if 0 <= i < pos:
                    i = nxt[lit] = text.find(lit, pos, end)
                if i >= 0 and (q < 0 or i < q):
                    q = i
            if q < 0:
                return
            try:
                if self._at_literals:  # every match begins with a literal: the first that matches
                    m = self.rx.match(text, q, end, None, False, MATCH_TIMEOUT)
                    if m is None:
                        pos = q + 1
                        continue
                else:
                    m = self.rx.search(text, q if start_mode else pos, end, None, False, MATCH_TIMEOUT)
            except TimeoutError as exc:
                raise GrammarTimeout(self.name) from exc
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


_FLAGS = {"MULTILINE": regex.MULTILINE, "IGNORECASE": regex.IGNORECASE, "VERBOSE": regex.VERBOSE,
          "DOTALL": regex.DOTALL}
_VAR = regex.compile(r"\$(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*))")
_NOT_PATTERNS = {"agencies.yaml", "types.yaml", "vars.yaml"}
VARS: dict[str, str] = {}
"""The shared variables of ``vars.yaml``, expanded (filled by :func:`load`)."""


def expand(template: str, variables: dict[str, str]) -> str:
    """A pattern template with its ``$NAME`` / ``${NAME}`` variables filled in.

    >>> expand("a$X${Y}b", {"X": "1", "Y": "2"})
    'a12b'
    """
    def fill(m: regex.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        if name not in variables:
            raise KeyError(f"grammar variable ${name} is not defined in vars.yaml")
        return variables[name]

    return _VAR.sub(fill, template)


def _read(name: str) -> Any:
    import yaml

    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)


def entries(name: str) -> tuple[str, list[dict[str, Any]]]:
    """The group and the entries of one pattern file (YAML 1.1 reads a bare ``on`` key as True)."""
    data = _read(name)
    out = []
    for e in data["patterns"]:
        e = dict(e)
        if True in e:
            e["on"] = e.pop(True)
        out.append(e)
    return str(data.get("group", name[:-5])), out


def grammar_files() -> list[str]:
    """The pattern files of this package, sorted."""
    return sorted(f.name for f in resources.files(__package__).iterdir()
                  if f.name.endswith(".yaml") and f.name not in _NOT_PATTERNS)


def load() -> dict[str, Pattern]:
    """Read ``vars.yaml`` and every pattern file into :data:`REGISTRY` (once; later calls are free)."""
    if VARS:
        return REGISTRY
    raw = _read("vars.yaml")["vars"]
    done: dict[str, str] = {}
    for _ in range(len(raw) + 1):  # variables may use variables defined anywhere in the file
        for k, v in raw.items():
            if k not in done:
                with contextlib.suppress(KeyError):  # uses a variable not expanded yet
                    done[k] = expand(str(v), done)
    missing = set(raw) - set(done)
    if missing:
        raise KeyError(f"grammar variables that cannot be expanded: {sorted(missing)}")
    VARS.update(done)
    # Derived from data: the printed type names of types.yaml, longest first so that "Nghị quyết
    # liên tịch" wins over "Nghị quyết" (the titles list is the one source; a variable would copy it).
    titles = sorted(set(_read("types.yaml")["titles"]), key=lambda t: (-len(t), t))
    VARS["TYPES"] = "|".join(regex.escape(t) for t in titles)
    # ... in capitals, as a header prints its title line ("KẾ HOẠCH"), and the names of two words or
    # more in lower case (the fold key of a title that opens a longer line, "báo cáo tham luận").
    VARS["TYPES_UPPER"] = "|".join(regex.escape(t.upper()) for t in titles)
    VARS["TYPES_MULTIWORD_LOWER"] = "|".join(regex.escape(t.lower()) for t in titles if " " in t)
    for fname in grammar_files():
        group, found = entries(fname)
        for e in found:
            flags = 0
            for f in e.get("flags", ()):
                flags |= _FLAGS[f]
            examples = [x["text"] if isinstance(x, dict) else x for x in e.get("examples", ())]
            groups = [dict(x.get("groups") or {}) if isinstance(x, dict) else {} for x in e.get("examples", ())]
            if e["name"] in REGISTRY:
                raise ValueError(f"grammar pattern {e['name']} defined twice ({fname})")
            REGISTRY[e["name"]] = Pattern(
                e["name"], expand(e["pattern"], VARS), flags, examples, list(e.get("counter_examples", ())),
                str(e.get("why", "")), group=e.get("group", group),
                on=e.get("on", "text"), example_groups=groups, overlaps=list(e.get("overlaps", ())),
                prefilter=tuple(e.get("prefilter", ())), prefilter_at=e.get("prefilter_at", "any"),
            )
    return REGISTRY


load()


def _flag_names(flags: int) -> list[str]:
    return sorted(name for name, bit in _FLAGS.items() if flags & bit)


def entries_hash(names: list[str] | tuple[str, ...]) -> str:
    """The sha256 of the named entries in canonical form (name, expanded pattern, flag names, ``on``),
    sorted by name; examples and ``why`` do not count. The statistical models record it for the
    entries their features use (``ml/features.py``), so a cue change is caught as a stale model.

    >>> entries_hash(["dash"]) == entries_hash(("dash",)) != entries_hash([])
    True
    """
    import hashlib
    import json

    canon = [{"name": n, "pattern": REGISTRY[n].source, "flags": _flag_names(REGISTRY[n].flags),
              "on": REGISTRY[n].on} for n in sorted(set(names))]
    return hashlib.sha256(json.dumps(canon, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()
