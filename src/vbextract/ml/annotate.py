"""Pre-annotation: turn the current parser's view of a document into a corpus record.

Line zones come from a small cue-based labeller alone (the national format's fixed strings; the
rule parser's zones are not consulted); entities come from what the rules extracted (signer,
recipients, task units) located in the text. The output is meant to be corrected by a person, not
trusted: ``vbextract corpus pre-annotate FILES`` writes it in the corpus format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..grammars import load

if TYPE_CHECKING:
    from ..doc import WorkDoc

LABELS = ["issuer", "motto", "number", "place_date", "doc_title", "subject", "recipients", "preamble",
          "heading", "item", "table", "body", "distribution", "signature", "signer", "appendix", "other"]

_G = load()
# The cue labeller's patterns: entries of grammars/ml.yaml. They are features of the zone model,
# so ``features.LINE_FEATURES`` lists them and their hash is in the zone model's meta.json.
_MOTTO = _G["ml_cue_motto"]
_NUMBER = _G["ml_cue_number"]
_PLACE_DATE = _G["ml_cue_place_date"]
_ISSUER = _G["ml_cue_issuer"]
_DOC_TITLE = _G["ml_cue_doc_title"]
_RECIPIENT = _G["ml_cue_recipient"]
_PREAMBLE = _G["ml_cue_preamble"]
_HEADING = _G["ml_cue_heading"]
_ITEM = _G["ml_cue_item"]
_DIST = _G["ml_cue_distribution"]
_AUTH = _G["ml_cue_signature"]
_NAME = _G["ml_cue_person_name"]
_APPENDIX = _G["ml_cue_appendix"]
CUE_ENTRIES = ("ml_cue_motto", "ml_cue_number", "ml_cue_place_date", "ml_cue_issuer", "ml_cue_doc_title",
               "ml_cue_recipient", "ml_cue_preamble", "ml_cue_heading", "ml_cue_item", "ml_cue_distribution",
               "ml_cue_signature", "ml_cue_person_name", "ml_cue_appendix")
"""The grammar entries :func:`heuristic_labels` reads."""


def heuristic_labels(lines: list[str]) -> list[str]:
    """Zone label per line from the format's fixed cues; a baseline and the pre-annotator's base."""
    labels: list[str] = []
    state = "header"
    for i, raw in enumerate(lines):
        s = raw.strip()
        lab, state = _label_one(s, i, state, labels)
        labels.append(lab)
    return labels


def _label_one(s: str, i: int, state: str, prev: list[str]) -> tuple[str, str]:
    if not s:
        return "other", state
    if state == "header":
        found = _header_label(s, prev)
        if found:
            return found, "header"
        state = "body"
    if _APPENDIX.match(s):
        return "appendix", "appendix"
    if state == "appendix":
        return ("table" if len(s) < 40 and not s.endswith((".", ";")) else "body"), state
    if _DIST.match(s):
        return "distribution", "tail"
    if _AUTH.match(s):
        return "signature", "tail"
    if state == "tail":
        if _NAME.match(s) and any(p == "signature" for p in prev[-4:]):
            return "signer", state
        if s.startswith("-"):
            return "distribution", state
        return "signature" if s.isupper() else "other", state
    if _RECIPIENT.match(s) or (prev and prev[-1] == "recipients" and s.startswith("-")):
        return "recipients", state
    if _PREAMBLE.match(s) and "preamble" in prev[-3:] + ["preamble"] and "item" not in prev:
        return "preamble", state
    if _HEADING.match(s) and len(s) < 90:
        return "heading", state
    if _ITEM.match(s):
        return "item", state
    return "body", state


def _header_label(s: str, prev: list[str]) -> str | None:
    if _MOTTO.search(s):
        return "motto"
    if _NUMBER.match(s):
        return "number"
    if _PLACE_DATE.match(s):
        return "place_date"
    if s.startswith("V/v") or (prev and prev[-1] == "subject" and not _RECIPIENT.match(s) and len(s) < 60
                               and not _PREAMBLE.match(s)):
        return "subject"
    if _DOC_TITLE.match(s):
        return "doc_title"
    if prev and prev[-1] == "doc_title" and not _PREAMBLE.match(s) and not _RECIPIENT.match(s):
        return "subject"
    if _ISSUER.match(s) and s.isupper() and len(prev) < 12:
        return "issuer"
    if s.isupper() and prev and prev[-1] == "issuer" and len(s) < 60:
        return "issuer"
    if s.startswith("-") and set(s) <= set("-–_ "):
        return "other"
    return None


def pre_annotate(path: str | Path, run_rules: Callable[[WorkDoc], None]) -> dict:
    """A corpus record for one file from the current parser's output (standoff for files under
    ``shared/corpus``: callers drop ``text`` for those). ``run_rules`` runs the rule stages on a
    working document (:func:`vbextract.pipeline.run_rules`: ml sits below the pipeline)."""
    from ..doc import WorkDoc
    from ..normalize import normalize_text
    from ..readers import read_path

    result = read_path(Path(path))
    text, _ = normalize_text(result.text)
    doc = WorkDoc(text=text, use_ml=False)
    if text.strip():
        run_rules(doc)
    raw_sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    lines = [ln for ln in doc.lines if ln.text.strip()]
    labels = heuristic_labels([ln.text for ln in lines])
    return {
        "id": Path(path).stem,
        "source": "pre-annotated",
        "sha256": raw_sha,
        "reader": result.source.format,
        "text": text,
        "lines": [{"start": ln.start + _lead(ln.text), "end": ln.end - _tail(ln.text), "label": lab}
                  for ln, lab in zip(lines, labels)],
        "entities": entities_from_doc(doc),
    }


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def _tail(s: str) -> int:
    return len(s) - len(s.rstrip())


def entities_from_doc(doc) -> list[dict]:
    """Locate the rule parser's units and signer in the text as ORG/PER spans."""
    found: list[dict] = []
    seen: set[tuple[int, int]] = set()

    def add(value: str | None, label: str, lo: int, hi: int) -> None:
        if not value or len(value) < 3:
            return
        at = doc.text.find(value, lo, hi)
        if at >= 0 and (at, at + len(value)) not in seen:
            seen.add((at, at + len(value)))
            found.append({"start": at, "end": at + len(value), "label": label})

    for task in doc.tasks:
        for unit in task.lead_units + task.support_units:
            add(unit, "ORG", task.span[0], task.span[1])
    for r in doc.recipients:
        add(r, "ORG", 0, len(doc.text))
    if doc.signature and doc.signature.signer:
        lo = doc.signature.span[0] if doc.signature.span else 0
        add(doc.signature.signer, "PER", lo, len(doc.text))
    return sorted(found, key=lambda e: e["start"])
