"""Document types: title words and symbol codes (NĐ 30/2020 Phụ lục III, older codes, Party codes).

``TYPE_BY_CODE`` maps the first segment of a symbol to the canonical type name; ``TYPE_TITLES``
lists the names printed as a title line. Keys of ``TYPE_BY_CODE`` are case-sensitive: ``TTr`` is a
Tờ trình, ``TT`` a Thông tư. The tables are data: ``types.yaml``.
"""

from __future__ import annotations

import functools


def _tables() -> dict:
    from . import _read

    return _read("types.yaml")


_T = _tables()
TYPE_BY_CODE: dict[str, str] = dict(_T["by_code"])
# Printed type names (title line, capitals in the header; any case in citations), longest first
# so that "Nghị quyết liên tịch" wins over "Nghị quyết".
TYPE_TITLES: list[str] = sorted(set(_T["titles"]), key=lambda t: (-len(t), t))
# Types that are not issued with tasks in mind: their numbered sections are outlines.
NON_DIRECTIVE_TYPES: set[str] = set(_T["non_directive"])


def type_from_symbol(symbol: str | None) -> str | None:
    """The type named by a symbol's type code, if it has one.

    >>> type_from_symbol("KH-UBND"), type_from_symbol("NĐ-CP"), type_from_symbol("UBND-KGVX")
    ('Kế hoạch', 'Nghị định', None)
    >>> type_from_symbol("CT/TW")
    'Chỉ thị'
    """
    if not symbol:
        return None
    first = symbol.replace("/", "-").split("-")[0].strip().rstrip(".")
    return TYPE_BY_CODE.get(first)


_BY_FOLDED: dict[str, str] = {}


# cached: citations and the header ask for the same few type words again and again
@functools.lru_cache(maxsize=4096)
def canonical_type(title: str) -> str | None:
    """Canonical type name for a printed title in any case ("KẾ HOẠCH" → "Kế hoạch")."""
    from ..normalize import fold

    if not _BY_FOLDED:
        _BY_FOLDED.update({fold(name): name for name in TYPE_TITLES})
    if len(title) > 40:
        return None
    return _BY_FOLDED.get(fold(" ".join(title.split())))
