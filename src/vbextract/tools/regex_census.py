"""Count the regexes written in code outside ``grammars/``, per file, domain vs technical.

``python -m vbextract.tools.regex_census [SRC_DIR]`` prints one line per file that compiles or
inlines a regex: how many are *domain* patterns (they carry document language: a non-ASCII letter
or a Vietnamese marker word) and how many are *technical* (whitespace, JSON, RTF, markdown). The
grammar (issue 8) wants domain patterns in ``grammars/*.yaml``; the census shows what is left.

Counted: ``regex.compile``/``re.compile`` calls, ``pattern(...)`` registrations, and literal
patterns passed inline to ``re``/``regex`` functions (``search``, ``match``, ``fullmatch``, ``sub``,
``split``, ``findall``, ``finditer``, ``subn``). A pattern built from variables only counts as
domain when one of its literal parts looks like document language.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

_MODULES = {"re", "regex"}
_INLINE = {"search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
# Marker words written in ASCII (folded or not) that still make a pattern domain language.
_MARKERS = ("V/v", "TM", "KT", "TL", "TUQ", "ngay", "thang", "nam", "Dieu", "UBND", "QD", "NQ", "CP")


def _literal(node: ast.expr) -> str | None:
    """The literal text of a pattern argument (the constant parts of an f-string), if any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp):
        parts = [_literal(node.left), _literal(node.right)]
        return "".join(p for p in parts if p)
    return None


def is_domain(text: str) -> bool:
    """Document language: a non-ASCII letter, or an ASCII marker word as a whole token.

    >>> is_domain(r"\\s+"), is_domain(r"ngày\\s+\\d+"), is_domain(r"^(?:TM|KT)\\."), is_domain(r"\\\\par")
    (False, True, True, False)
    """
    if any(ch.isalpha() and ord(ch) > 127 for ch in text):
        return True
    import re

    return any(re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![a-z])", text) for w in _MARKERS)


def regexes_in(source: str) -> Iterator[tuple[int, str, bool]]:
    """(line, kind, domain) for every regex written in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        f = node.func
        kind = None
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in _MODULES:
            if f.attr == "compile":
                kind = "compile"
            elif f.attr in _INLINE and _literal(node.args[0]) is not None:
                kind = "inline"
        elif isinstance(f, ast.Name) and f.id == "pattern" and len(node.args) >= 2:
            kind = "pattern"
        if kind is None:
            continue
        arg = node.args[1] if kind == "pattern" else node.args[0]
        yield node.lineno, kind, is_domain(_literal(arg) or "")


def census(src: Path) -> dict[str, tuple[int, int]]:
    """{file: (domain, technical)} for every file under ``src`` outside ``grammars/``."""
    out: dict[str, tuple[int, int]] = {}
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src).as_posix()
        if "grammars/" in rel or rel.startswith("tools/regex_census"):
            continue
        found = list(regexes_in(path.read_text(encoding="utf-8")))
        if found:
            d = sum(1 for _, _, dom in found if dom)
            out[rel] = (d, len(found) - d)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    src = Path(args[0]) if args else Path(__file__).resolve().parents[1]
    table = census(src)
    width = max((len(k) for k in table), default=10)
    print(f"{'file':<{width}}  domain  technical")
    for rel, (d, t) in table.items():
        print(f"{rel:<{width}}  {d:>6}  {t:>9}")
    dom = sum(d for d, _ in table.values())
    tech = sum(t for _, t in table.values())
    print(f"{'total':<{width}}  {dom:>6}  {tech:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
