"""Tokenization and CRF feature functions for the three components.

The tokenizer is a regex over syllables and punctuation that keeps character offsets (spaCy's
rule tokenizer gives the same split on this text but costs a Doc per call). Feature lists are
plain strings, as ``underthesea_core.CRFTrainer`` expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import regex

from ..grammars import entries_hash
from .annotate import CUE_ENTRIES, heuristic_labels

_TOKEN = regex.compile(r"\d+(?:[/.,]\d+)*|\w+|[^\w\s]")
_ROMAN = regex.compile(r"^[IVX]{1,5}$")


@dataclass(frozen=True)
class FeatureSet:
    """One family of feature functions: the grammar entries it reads and the version of its code.

    ``vbextract train`` writes both into each model's ``meta.json`` (``features`` and ``grammar``);
    a model whose record differs from the running code is stale (``ml.stale_model``) and
    ``tests/ml/test_grammar_hash.py`` fails until it is retrained. Bump ``version`` when a feature
    function changes what it emits; a changed grammar entry is caught by its hash.
    """

    name: str
    version: str
    entries: tuple[str, ...]

    @property
    def tag(self) -> str:
        return f"{self.name}/{self.version}"

    def grammar_sha256(self) -> str:
        return entries_hash(self.entries)

    def entry_hashes(self) -> dict[str, str]:
        """A short hash per entry, so a stale model can say which cue changed."""
        return {n: entries_hash([n])[:16] for n in self.entries}

    def record(self) -> dict:
        """What ``meta.json`` keeps of this feature set."""
        return {"features": self.tag, "grammar": {"sha256": self.grammar_sha256(), "entries": self.entry_hashes()}}


# token_features (line breaks, entities) reads no grammar entry: shapes and windows only.
TOKEN_FEATURES = FeatureSet("tokens", "1", ())
# line_features (zones) reads the cue labeller's guess, i.e. its grammar entries.
LINE_FEATURES = FeatureSet("lines", "1", CUE_ENTRIES)
COMPONENT_FEATURES = {"linebreak": TOKEN_FEATURES, "zones": LINE_FEATURES, "entities": TOKEN_FEATURES}


def stale_reason(component: str, meta: dict) -> str | None:
    """Why a model's ``meta.json`` does not fit the running features and grammar (None: it fits)."""
    fs = COMPONENT_FEATURES[component]
    retrain = f"retrain {component} with `vbextract train --component {component}`"
    if meta.get("features") != fs.tag:
        return (f"the {fs.name} feature code is {fs.tag}, the {component} model was trained with "
                f"{meta.get('features') or 'an unversioned one'}: {retrain}")
    recorded = (meta.get("grammar") or {}).get("entries") or {}
    now = fs.entry_hashes()
    changed = sorted(n for n in set(now) | set(recorded) if now.get(n) != recorded.get(n))
    if changed or (meta.get("grammar") or {}).get("sha256") != fs.grammar_sha256():
        what = ", ".join(changed) or "the grammar"
        return f"cue {what} changed since the {component} model was trained: {retrain}"
    return None


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token spans: runs of digits (dates kept whole), words and single punctuation marks."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=65536)
def shape(w: str) -> str:
    if w.isdigit():
        return "d" if len(w) < 3 else "D"
    if _ROMAN.match(w):
        return "R"
    if not w[0].isalnum():
        return w[0] if w[0] in ".,;:-()/+*" else "p"
    if w.isupper():
        return "X" if len(w) > 1 else "Xs"
    if w[0].isupper():
        return "Xx"
    return "x"


def token_features(text: str, spans: list[tuple[int, int]], breaks: bool) -> list[list[str]]:
    """Features per token; ``breaks`` adds the whitespace context the line-break model needs.

    Each token's own strings are built once and shared by the windows of its neighbours (this runs
    on whole documents in the line-break model, so it is written for speed).
    """
    words = [text[s:e] for s, e in spans]
    lower = [w.lower() for w in words]
    shapes = [shape(w) for w in words]
    n = len(words)
    win = {d: ([f"{d}w={x}" for x in lower], [f"{d}s={x}" for x in shapes]) for d in (-2, -1, 1, 2)}
    pads = {d: f"{d}w=<pad>" for d in (-2, -1, 1, 2)}
    out = []
    for i in range(n):
        f = ["b", "w=" + lower[i], "s=" + shapes[i], "p3=" + lower[i][:3]]
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(win[d][0][j])
                f.append(win[d][1][j])
            else:
                f.append(pads[d])
        if i > 0:
            f.append(f"-1w0={lower[i - 1]}|{lower[i]}")
            f.append(f"ss={shapes[i - 1]}|{shapes[i]}")
        if i + 1 < n:
            f.append(f"w0+1={lower[i]}|{lower[i + 1]}")
        if breaks:
            f += _break_feats(text, spans, words, shapes, i)
        out.append(f)
    return out


def _break_feats(text: str, spans: list[tuple[int, int]], words: list[str], shapes: list[str],
                 i: int) -> list[str]:
    s = spans[i][0]
    gap = text[spans[i - 1][1]:s] if i else "\n"
    f = ["gap=" + ("sp" if gap == " " else ("none" if not gap else "ws"))]
    if i >= 2:
        f.append(f"-2-1={shapes[i - 2]}|{words[i - 1][:1]}")
    if i + 2 < len(words):
        f.append(f"+1+2={shapes[i + 1]}|{words[i + 2][:1]}")
    # upper-case run ending here: header lines are capitals, the line after them is not
    up = words[i - 1].isupper() if i else False
    f.append(f"case={'U' if up else 'l'}{'U' if words[i].isupper() else ('T' if words[i][:1].isupper() else 'l')}")
    return f


def line_features(lines: list[str]) -> list[list[str]]:
    """Features per line for the zone classifier; the cue labeller's guess is one of them."""
    n = len(lines)
    cues = heuristic_labels(lines)
    summaries = [_line_summary(s) for s in lines]
    out = []
    for i, _s in enumerate(lines):
        f = ["b", f"cue={cues[i]}", f"pos={min(9, i * 10 // max(n, 1))}", f"abs={min(i, 12)}",
             f"back={min(n - 1 - i, 12)}"] + summaries[i]
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f += [f"{d}cue={cues[j]}", f"{d}{summaries[j][0]}", f"{d}{summaries[j][2]}"]
            else:
                f.append(f"{d}=<pad>")
        out.append(f)
    return out


def _line_summary(s: str) -> list[str]:
    s = s.strip()
    toks = [m.group() for m in islice(_TOKEN.finditer(s), 3)]  # only the first three are used
    low = [t.lower() for t in toks]
    letters = "".join(filter(str.isalpha, s))
    upper = sum(map(str.isupper, letters)) / len(letters) if letters else 0.0
    words = s.split()
    name_like = 2 <= len(words) <= 5 and all(w[:1].isupper() and not w.isupper() for w in words)
    return [
        f"f1={low[0] if low else '<e>'}",
        f"f12={'|'.join(low[:2])}",
        f"sh={'|'.join(shape(t) for t in toks)}",
        f"up={round(upper * 4)}",
        f"len={min(len(s) // 15, 10)}",
        f"end={s[-1:] if s and not s[-1].isalnum() else 'a'}",
        f"name={name_like}",
        f"date={'ngày' in low or (' năm ' in s and 'tháng' in s)}",
    ]
