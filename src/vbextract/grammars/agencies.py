"""The agency registry (``agencies.yaml``): which body a printed unit names, under its current name.

:func:`resolve` takes a unit as printed ("Giám đốc Sở Kế hoạch và Đầu tư tỉnh Lào Cai", "UBND
các xã, phường", "các sở, ban, ngành") and says what it is: its kind (``agency``, an
``office_holder`` of one, or a ``collective``), the registry's canonical name (the name after the
2025 reorganisation: "Sở Kế hoạch và Đầu tư" → "Sở Tài chính") and its level. Matching folds
case and tone placement and ignores the place that follows a name ("… tỉnh Lào Cai").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex
import yaml

from ..normalize import fold


@dataclass(frozen=True)
class Agency:
    name: str
    level: str
    aliases: tuple[str, ...] = ()
    formerly: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolved:
    kind: str  # agency | office_holder | collective
    canonical: str | None
    level: str | None


@dataclass(frozen=True)
class Registry:
    agencies: tuple[Agency, ...]
    office_holders: tuple[str, ...]  # longest first
    collectives: tuple[str, ...]
    by_key: dict[str, Agency]
    title_keys: tuple[tuple[str, str], ...] = ()  # (title, key), longest first
    collective_keys: tuple[str, ...] = ()


_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")


@cache
def key(text: str) -> str:
    """Matching key: folded, '&' and '-' spaced out, punctuation dropped, spaces collapsed."""
    s = fold(text).replace("&", " và ").replace("uỷ", "ủy")
    s = _NON_WORD.sub(" ", s)
    return " ".join(s.split())


@cache
def registry() -> Registry:
    # libyaml's C loader when present: the same data in about a tenth of the time (cold start)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(resources.files(__package__).joinpath("agencies.yaml").read_text("utf-8"),  # noqa: S506
                     Loader=loader)
    agencies = tuple(Agency(a["name"], a["level"], tuple(a.get("aliases") or ()), tuple(a.get("formerly") or ()),
                            tuple(a.get("examples") or ())) for a in data["agencies"])
    by_key: dict[str, Agency] = {}
    for a in agencies:
        for name in (a.name, *a.aliases, *a.formerly):
            by_key.setdefault(key(name), a)
    titles = tuple(sorted(data["office_holders"], key=len, reverse=True))
    return Registry(agencies, titles, tuple(data["collectives"]), by_key,
                    tuple((t, key(t)) for t in titles), tuple(key(c) for c in data["collectives"]))


_PLACE = regex.compile(r"\s+(?:tỉnh|thành phố|tp|huyện|thị xã|quận|xã|phường)\s+\p{L}.*$")


def lookup(text: str) -> Agency | None:
    """The registry entry a body's name (without office title) names, or ``None``."""
    reg = registry()
    k = key(text)
    if k in reg.by_key:
        return reg.by_key[k]
    words = k.split()
    for n in range(len(words) - 1, 1, -1):  # "sở y tế tỉnh lào cai" → "sở y tế tỉnh" → "sở y tế"
        hit = reg.by_key.get(" ".join(words[:n]))
        if hit is not None and not _name_goes_on(words[n]):
            return hit
    return None


def _name_goes_on(word: str) -> bool:
    """A word that continues a name ("Bộ Tài chính" is not "Bộ Tài"): only places and
    qualifiers may follow a known name."""
    return word not in {"tỉnh", "thành", "huyện", "thị", "quận", "xã", "phường", "cấp", "các", "có", "liên",
                        "trực", "và", "việt", "thuộc"}


@cache
def resolve(text: str) -> Resolved:
    """Kind, canonical name and level of a unit as printed.

    >>> resolve("Sở Kế hoạch và Đầu tư tỉnh Lào Cai")
    Resolved(kind='agency', canonical='Sở Tài chính', level='province')
    >>> resolve("Giám đốc Sở Y tế").kind, resolve("các sở, ban, ngành").kind
    ('office_holder', 'collective')
    """
    reg = registry()
    f = key(text)
    for title, t in reg.title_keys:
        if f == t or f.startswith(t + " "):
            rest = text.split(None, len(title.split()))[-1] if f != t else ""
            body = lookup(rest) if rest else None
            return Resolved("office_holder", f"{title} {body.name}" if body else None, body.level if body else None)
    hit = lookup(text)
    if hit is not None:
        return Resolved("agency", hit.name, hit.level)
    if f.startswith("các ") or any(f == c or f.startswith(c + " ") for c in reg.collective_keys):
        return Resolved("collective", None, None)
    return Resolved("agency", None, None)
