"""Per-field precision, recall and F1 against gold files (``vbextract eval``).

The metrics are those of ``shared/eval/score.py`` (same fields, same string normalization, same
counting), written again here so the project does not depend on the shared tree:

* strings compare after NFC, markdown removal, whitespace collapse, edge punctuation strip,
  casefold and traditional tone placement ("hoà" → "hòa", "uỷ" → "ủy");
* single-valued fields (header, kind, signature) count as one prediction and one gold item each;
* list fields (recipients, distribution, legal bases, citations, tasks, units, deadlines) are
  multisets; predicted task ids ending in ``.bN`` or ``~N`` and paragraph tasks ``pN`` are not scored;
* number and symbol compare with spaces removed ("SCT - CN" equals "SCT-CN").

The development set (``corpus/dev``) keeps gold as standoff: printed strings are replaced by
:func:`hash_value` of their comparison key, so a prediction hashed the same way scores exactly as the
plain gold would (see :func:`hash_gold`, :func:`hash_prediction`, :func:`apply_scope`).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HEADLINE = ["header.issuer", "header.number", "header.symbol", "header.doc_type", "header.place",
            "header.date", "header.subject", "recipients", "legal_bases", "citations", "tasks",
            "tasks.lead_units", "deadlines", "signature.authority", "signature.position",
            "signature.signer", "distribution"]
HEADER_FIELDS = ("number", "symbol", "doc_type", "place", "date", "subject", "national_motto", "is_draft")

# modern tone on the last vowel of an open "oa", "oe", "uy" → traditional placement (as the shared scorer)
_OA_TONE = {"à": "ò", "á": "ó", "ả": "ỏ", "ã": "õ", "ạ": "ọ", "è": "ò", "é": "ó", "ẻ": "ỏ", "ẽ": "õ", "ẹ": "ọ"}
_OA_BASE = {"à": "a", "á": "a", "ả": "a", "ã": "a", "ạ": "a", "è": "e", "é": "e", "ẻ": "e", "ẽ": "e", "ẹ": "e"}
_UY_TONE = {"ỳ": "ù", "ý": "ú", "ỷ": "ủ", "ỹ": "ũ", "ỵ": "ụ"}
_OA = re.compile(r"o([àáảãạèéẻẽẹ])(?![a-zđăâêôơư\u0300-\u036f])")
_UY = re.compile(r"(?<![q])u([ỳýỷỹỵ])(?![a-zđăâêôơư])")
_TASK_NOT_SCORED = re.compile(r"(\.b\d+|~\d+)$|^p\d+$")


def norm(value) -> str:
    """The comparison key of a printed value."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFC", str(value))
    s = re.sub(r"[*_`#]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip().strip(" ;,.:").strip().casefold()
    s = _OA.sub(lambda m: _OA_TONE[m.group(1)] + _OA_BASE[m.group(1)], s)
    return _UY.sub(lambda m: _UY_TONE[m.group(1)] + "y", s)


def norm_ref(value) -> str:
    return re.sub(r"\s+", "", norm(value))


@dataclass
class Counts:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def row(self) -> dict:
        p = self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)
        r = self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": self.tp, "pred": self.pred,
                "gold": self.gold}


@dataclass
class Scores:
    """Counts per metric, summed over documents."""

    counts: dict[str, Counts] = field(default_factory=dict)

    def bag(self, name: str, gold: Iterable, pred: Iterable) -> None:
        g, p = Counter(gold), Counter(pred)
        c = self.counts.setdefault(name, Counts())
        c.tp += sum((g & p).values())
        c.pred += sum(p.values())
        c.gold += sum(g.values())

    def check(self, name: str, ok: bool) -> None:
        c = self.counts.setdefault(name, Counts())
        c.tp += int(ok)
        c.pred += 1
        c.gold += 1

    def table(self) -> dict[str, dict]:
        return {k: self.counts[k].row() for k in sorted(self.counts)}

    def headline(self) -> float:
        tab = self.table()
        vals = [tab[k]["f1"] for k in HEADLINE if k in tab]
        return round(sum(vals) / len(vals), 4) if vals else 0.0


def score_document(gold: dict, pred: dict, s: Scores) -> None:
    _score_header(gold, pred, s)
    for name in ("recipients", "distribution"):
        s.bag(name, map(norm, gold.get(name) or []), map(norm, pred.get(name) or []))
    _score_citations(gold, pred, s)
    _score_tasks(gold, pred, s)
    _score_signature(gold, pred, s)


def _score_header(gold: dict, pred: dict, s: Scores) -> None:
    gh, ph = gold.get("header") or {}, pred.get("header") or {}
    s.check("kind", norm(gold.get("kind")) == norm(pred.get("kind")))
    for name in HEADER_FIELDS:
        if name in gh:
            g, p = gh.get(name), ph.get(name)
            if isinstance(g, bool):
                ok = g == p
            elif name in ("number", "symbol"):
                ok = norm_ref(g) == norm_ref(p)
            else:
                ok = norm(g) == norm(p)
            s.check(f"header.{name}", ok)
    accepted = {norm(gh.get("issuer"))} | {norm(a) for a in gh.get("issuer_alternatives") or []}
    s.check("header.issuer", norm(ph.get("issuer")) in accepted)
    if "issuer_parent" in gh:
        s.check("header.issuer_parent", norm(gh.get("issuer_parent")) == norm(ph.get("issuer_parent")))


def _score_citations(gold: dict, pred: dict, s: Scores) -> None:
    pred_bases = []
    for basis in pred.get("legal_bases") or []:
        refs = basis.get("citation_refs", []) if isinstance(basis, dict) else [basis]
        pred_bases += [norm_ref(r) for r in refs]
    s.bag("legal_bases", map(norm_ref, gold.get("legal_bases") or []), pred_bases)
    gold_c = {norm_ref(c["ref"]): c for c in gold.get("citations") or []}
    pred_c: dict[str, dict] = {}
    for c in pred.get("citations") or []:
        if not c.get("unnumbered"):
            pred_c.setdefault(norm_ref(c.get("ref")), c)
    s.bag("citations", gold_c.keys(), pred_c.keys())
    for ref in gold_c.keys() & pred_c.keys():
        s.check("citations.date", (gold_c[ref].get("date") or "") == (pred_c[ref].get("date") or ""))
        s.check("citations.doc_type", norm(gold_c[ref].get("doc_type")) == norm(pred_c[ref].get("doc_type")))


def _deadline_key(d: dict) -> tuple:
    return (norm(d.get("kind")), d.get("date") or "", d.get("start") or "", d.get("end") or "")


def _score_tasks(gold: dict, pred: dict, s: Scores) -> None:
    deadlines = pred.get("deadlines") or []
    gt = {norm(t["id"]): t for t in gold.get("tasks") or []}
    pt = {norm(t.get("id")): t for t in pred.get("tasks") or []
          if not _TASK_NOT_SCORED.search(str(t.get("id") or ""))}
    s.bag("tasks", gt.keys(), pt.keys())
    for role in ("lead_units", "support_units"):
        s.bag(f"tasks.{role}", [(i, norm(u)) for i, t in gt.items() for u in t.get(role) or []],
              [(i, norm(u)) for i, t in pt.items() for u in t.get(role) or []])
    pred_links = [(i, _deadline_key(deadlines[k])) for i, t in pt.items() for k in t.get("deadline_ids") or []
                  if isinstance(k, int) and 0 <= k < len(deadlines)]
    s.bag("tasks.deadlines", [(i, _deadline_key(d)) for i, t in gt.items() for d in t.get("deadlines") or []],
          pred_links)
    s.bag("deadlines", map(_deadline_key, gold.get("deadlines") or []), map(_deadline_key, deadlines))


def _score_signature(gold: dict, pred: dict, s: Scores) -> None:
    gs, ps = gold.get("signature"), pred.get("signature") or {}
    if gs is None:
        s.check("signature.present", not any(ps.get(k) for k in ("signer", "position")))
        return
    for name in ("authority", "position", "signer"):
        s.check(f"signature.{name}", norm(gs.get(name)) == norm(ps.get(name)))
    s.bag("signature.chain", map(norm, gs.get("chain") or []), map(norm, ps.get("chain") or []))


def gold_base(path: Path, gold: dict) -> str:
    return Path(gold.get("file", path.stem)).stem


def score_dirs(gold_dir: Path, pred_dir: Path) -> tuple[Scores, list[str]]:
    """Score ``pred_dir/<base>.json`` against every gold file; missing predictions count as empty."""
    s, missing = Scores(), []
    for gpath in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        ppath = Path(pred_dir) / f"{gold_base(gpath, gold)}.json"
        try:
            pred = json.loads(ppath.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            missing.append(ppath.stem)
            pred = {}
        score_document(gold, pred, s)
    return s, missing


def format_table(s: Scores) -> str:
    lines = [f"{'metric':28} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6} {'pred':>6}"]
    for name, row in s.table().items():
        lines.append(f"{name:28} {row['p']:7.3f} {row['r']:7.3f} {row['f1']:7.3f} {row['gold']:6d} {row['pred']:6d}")
    n = sum(k in s.counts for k in HEADLINE)
    lines.append(f"headline F1 (mean of {n} fields): {s.headline():.4f}")
    return "\n".join(lines)



# --- development set: standoff gold (hashed printed strings) and scope ---------------------------

SCOPE_PARTS = ("header", "recipients", "legal_bases", "citations", "tasks", "deadlines", "signature",
               "distribution")
# the top-level keys of a gold file / prediction that each scope part covers
_SCOPE_KEYS = {"header": ("kind", "header"), "recipients": ("recipients",), "legal_bases": ("legal_bases",),
               "citations": ("citations",), "tasks": ("tasks",), "deadlines": ("deadlines",),
               "signature": ("signature",), "distribution": ("distribution",)}
_HEADER_PRINTED = ("issuer", "issuer_parent", "place", "subject")
_HEADER_REFS = ("symbol",)


def hash_key(key: str) -> str | None:
    """The standoff form of a comparison key; an empty key stays None (norm(None) == norm(""))."""
    if not key:
        return None
    return "h:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def hash_value(value) -> str | None:
    return hash_key(norm(value))


def hash_ref(value) -> str | None:
    return hash_key(norm_ref(value))


def is_hashed(value) -> bool:
    return value is None or (isinstance(value, str) and re.fullmatch(r"h:[0-9a-f]{20}", value) is not None)


def _hash_list(values) -> list:
    return [hash_value(v) for v in values or []]


def _hash_header(h: dict) -> dict:
    out = dict(h)
    for k in _HEADER_PRINTED:
        if k in out:
            out[k] = hash_value(out[k])
    for k in _HEADER_REFS:
        if k in out:
            out[k] = hash_ref(out[k])
    if "issuer_alternatives" in out:
        out["issuer_alternatives"] = _hash_list(out["issuer_alternatives"])
    return out


def _hash_deadline(d: dict) -> dict:
    out = dict(d)
    if "text" in out:
        out["text"] = hash_value(out["text"])
    return out


def _hash_task(t: dict) -> dict:
    out = dict(t)
    for role in ("lead_units", "support_units"):
        if role in out:
            out[role] = _hash_list(out[role])
    if "text" in out:
        out["text"] = hash_value(out["text"])
    if "deadlines" in out:
        out["deadlines"] = [_hash_deadline(d) for d in out["deadlines"] or []]
    return out


def _hash_citation(c: dict) -> dict:
    out = dict(c)
    out["ref"] = hash_ref(out.get("ref"))
    if "issuer" in out:
        out["issuer"] = hash_value(out["issuer"])
    return out


def _hash_signature(sig: dict | None) -> dict | None:
    if sig is None:
        return None
    out = dict(sig)
    for k in ("position", "signer"):
        if k in out:
            out[k] = hash_value(out[k])
    if "chain" in out:
        out["chain"] = _hash_list(out["chain"])
    return out


def hash_gold(gold: dict) -> dict:
    """Replace every printed string of a plain gold file by its hash; enumerations, dates stay clear."""
    out = {k: v for k, v in gold.items() if k != "notes"}
    if "header" in out:
        out["header"] = _hash_header(out["header"] or {})
    for k in ("recipients", "distribution"):
        if k in out:
            out[k] = _hash_list(out[k])
    if "legal_bases" in out:
        out["legal_bases"] = [hash_ref(r) for r in out["legal_bases"] or []]
    if "citations" in out:
        out["citations"] = [_hash_citation(c) for c in out["citations"] or []]
    if "tasks" in out:
        out["tasks"] = [_hash_task(t) for t in out["tasks"] or []]
    if "deadlines" in out:
        out["deadlines"] = [_hash_deadline(d) for d in out["deadlines"] or []]
    if "signature" in out:
        out["signature"] = _hash_signature(out["signature"])
    return out


def hash_prediction(pred: dict) -> dict:
    """The parser's output reduced to what the scorer reads, hashed like the gold."""
    h = pred.get("header") or {}
    header = _hash_header({k: h.get(k) for k in ("issuer", *HEADER_FIELDS, "issuer_parent")})
    bases = []
    for basis in pred.get("legal_bases") or []:
        refs = basis.get("citation_refs", []) if isinstance(basis, dict) else [basis]
        bases += [hash_ref(r) for r in refs]
    cits = [{**_hash_citation({"ref": c.get("ref"), "issuer": c.get("issuer")}), "date": c.get("date"),
             "doc_type": c.get("doc_type"), "unnumbered": c.get("unnumbered")}
            for c in pred.get("citations") or []]
    tasks = [{"id": t.get("id"), "lead_units": _hash_list(t.get("lead_units")),
              "support_units": _hash_list(t.get("support_units")), "deadline_ids": t.get("deadline_ids") or []}
             for t in pred.get("tasks") or []]
    deadlines = [{k: d.get(k) for k in ("kind", "date", "start", "end")} for d in pred.get("deadlines") or []]
    sig = pred.get("signature")
    signature = None
    if sig:
        signature = {"authority": sig.get("authority"), "position": hash_value(sig.get("position")),
                     "signer": hash_value(sig.get("signer")), "chain": _hash_list(sig.get("chain"))}
    return {"kind": pred.get("kind"), "header": header, "recipients": _hash_list(pred.get("recipients")),
            "distribution": _hash_list(pred.get("distribution")), "legal_bases": bases, "citations": cits,
            "tasks": tasks, "deadlines": deadlines, "signature": signature}


def apply_scope(doc: dict, scope: Iterable[str]) -> dict:
    """Drop the parts of a gold file or prediction that the annotation does not cover."""
    keep = {k for part in scope for k in _SCOPE_KEYS.get(part, ())}
    dropped = {k for ks in _SCOPE_KEYS.values() for k in ks} - keep
    return {k: v for k, v in doc.items() if k not in dropped}


def load_devset(dev_dir: Path) -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(Path(dev_dir).glob("*.json"))]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
