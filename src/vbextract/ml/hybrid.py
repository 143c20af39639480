"""The hybrid stage: models fill what the rules left empty, and disagreements become warnings.

Runs after every rule stage (``pipeline`` calls :func:`apply_models` unless ``use_ml=False``).
What it may do, in order:

1. **Flat layout.** If the text still looks flowed together (the pipeline did not restore line
   breaks), restore them with the line-break model and re-run the rule stages on the restored,
   same-length text with the ``rerun`` function the pipeline hands over
   (:func:`vbextract.pipeline.run_rules`; called without it, this step is skipped). Warning:
   ``ml: line breaks restored …``.
2. **Header.** Empty ``header.issuer`` / ``header.subject`` are filled from lines the zone model
   labels ``issuer`` / ``subject`` with probability ≥ ``MIN_P``. Warning ``ml: header.<field> …``.
   When the rules found an issuer but the zone model is sure the first issuer-like line is body
   text, a disagreement warning is added.
3. **Signer.** An empty ``signature.signer`` is filled from a ``signer`` line (or a ``PER`` entity
   in the signature block). Warning ``ml: signature.signer …``.
4. **Task units.** A task whose lead-in line has an assignment cue ("Giao", "chủ trì", "Đề nghị",
   "Đơn vị chủ trì: …") but no rule-found unit gets its ``ORG`` entities: those after "phối hợp"
   become ``support_units``, the others ``lead_units``; ``producer`` is set to ``"ml"``. When the
   rules found units and the model finds a confident lead they do not contain, a warning says so.

Values the models produced are marked by ``Task.producer == "ml"`` or, for header and signature
fields (which have no producer field in the contract), by an ``ml: …`` warning naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import regex

from ..document import Signature
from ..grammars import load
from . import available, classify_lines, find_entities, restore_line_breaks, stale_models

MIN_P = 0.8
MIN_ENTITY_P = 0.6

_G = load()  # the hybrid stage's cues: entries of grammars/ml.yaml
_CUE = _G["ml_assignment_cue"]
_MOTTO_CUT = _G["ml_motto_cut"]
_MOTTO_IN = _G["ml_motto_in"]
_PARENT = _G["ml_parent"]
_UNIT = _G["ml_unit_head"]
_VV = _G["ml_vv_prefix"]  # "V/v", "V.v", "Vv", "Về việc"
_warned_missing = False


def apply_models(doc, rerun: Callable[[Any], None] | None = None) -> None:
    """Fill gaps the rules left, using the shipped models; never raises on a missing model.

    ``rerun`` runs the rule stages on a working document (the pipeline passes its ``run_rules``);
    without it a flat layout is not restored.
    """
    if not getattr(doc, "use_ml", True):
        return
    if not available():
        doc.warn("statistical models are not installed; parsed with rules only")
        return
    for name, why in stale_models().items():
        doc.warn(f"ml: the {name} model is stale ({why}); its answers may differ from a fresh one",
                 "ml.stale_model")
    if rerun is not None:
        _relayout_if_flat(doc, rerun)
    zones = _LazyZones(doc)
    _fill_header(doc, zones)
    _fill_signer(doc, zones)
    _fill_task_units(doc)


class _LazyZones:
    """The zone model runs only if a gap needs it (clean documents never pay for it)."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self._zones: list[tuple[str, float]] | None = None

    def get(self) -> list[tuple[str, float]]:
        if self._zones is None:
            self._zones = classify_lines([ln.text for ln in self.doc.lines])
        return self._zones


# ------------------------------------------------------------------ 1. flat layout
def _relayout_if_flat(doc, rerun: Callable[[Any], None]) -> None:
    restored = restore_line_breaks(doc.text)
    if restored is None or restored == doc.text:
        return
    from ..doc import WorkDoc

    fresh = WorkDoc(text=restored, source=doc.source, offsets=doc.offsets, use_ml=doc.use_ml)
    fresh.layout = doc.layout
    fresh.warnings = list(doc.warnings)
    rerun(fresh)
    for attr in vars(fresh):
        setattr(doc, attr, getattr(fresh, attr))
    doc.warn("ml: line breaks restored by the line-break model (the layout was flat); rules re-run")


# ------------------------------------------------------------------ 2. header
def _first_run(doc, zones, label: str, limit: int) -> list[str]:
    """Consecutive confident lines with ``label`` among the first ``limit`` non-blank lines."""
    out: list[str] = []
    seen = 0
    for ln, (lab, p) in zip(doc.lines, zones):
        if not ln.text.strip():
            continue
        seen += 1
        if seen > limit:
            break
        if lab == label and p >= MIN_P:
            out.append(ln.text.strip())
        elif out:
            break
    return out


def _fill_header(doc, lazy: _LazyZones) -> None:
    h = doc.header
    holds_motto = bool(h.issuer and _MOTTO_IN.search(h.issuer))
    if (not h.issuer or holds_motto) and doc.kind != "article":
        issuer, parent = _issuer_from_zones(doc, lazy.get())
        if issuer:
            if holds_motto:
                doc.warn(f"ml: header.issuer '{h.issuer}' held the national motto (interleaved header "
                         f"columns); the zone model reads '{issuer}'")
            else:
                doc.warn(f"ml: header.issuer '{issuer}' from the zone model")
            h.issuer = issuer
            h.provenance["issuer"] = "model"
            if parent and (not h.issuer_parent or _MOTTO_IN.search(h.issuer_parent)):
                h.issuer_parent = parent
                h.provenance["issuer_parent"] = "model"
    if not h.subject:
        run = [s for s in _first_run(doc, lazy.get(), "subject", 20) if not s.isupper()]
        if run:
            h.subject = _VV.sub("", " ".join(run)).strip() or None
            if h.subject:
                h.provenance["subject"] = "model"
                doc.warn(f"ml: header.subject '{h.subject}' from the zone model")
    if h.issuer and lazy._zones is not None:  # only checked when the model ran anyway
        _check_issuer(doc, lazy.get())


def _issuer_from_zones(doc, zones) -> tuple[str | None, str | None]:
    """Issuer (and chủ quản) from the confident ``issuer`` lines, with a motto printed on the
    same line (interleaved columns) cut off."""
    run = [_MOTTO_CUT.sub("", s).strip() for s in _first_run(doc, zones, "issuer", 12)]
    run = [s for s in run if s]
    if not run:
        return None, None
    if len(run) > 1 and _PARENT.match(run[0]) and _UNIT.match(run[1]):
        return " ".join(run[1:3]), run[0]
    return " ".join(run[:3]), None


def _check_issuer(doc, zones) -> None:
    head = doc.header.issuer.split()[0] if doc.header.issuer.split() else ""
    for ln, (lab, p) in list(zip(doc.lines, zones))[:15]:
        if head and ln.text.strip().startswith(head):
            if lab not in ("issuer", "motto") and p >= 0.95:
                doc.warn(f"ml: the zone model reads the issuer line '{ln.text.strip()[:60]}' as {lab} "
                         f"(p={p:.2f}); check header.issuer")
            return


# ------------------------------------------------------------------ 3. signer
def _fill_signer(doc, lazy: _LazyZones) -> None:
    sig = doc.signature
    if sig is not None and sig.signer:
        return
    if doc.kind == "article":
        return
    zones = lazy.get()
    signer, at = _signer_line(doc, zones)
    if not signer:
        return
    if sig is None:
        sig = _signature_from_zones(doc, zones, at)
        if sig is None:
            return
        doc.signature = sig
        sig.provenance.update({k: "model" for k in ("authority", "chain", "position") if getattr(sig, k)})
    sig.signer = signer
    sig.provenance["signer"] = "model"
    doc.warn(f"ml: signature.signer '{signer}' from the zone model")


def _signer_line(doc, zones) -> tuple[str | None, int]:
    """The last confident ``signer`` line right after a signature block, cleaned to a PER span."""
    for i in range(len(doc.lines) - 1, -1, -1):
        lab, p = zones[i]
        text = doc.lines[i].text.strip()
        if lab == "signer" and p >= MIN_P and _after_signature(zones, i, doc.lines):
            pers = [e for e in find_entities(text) if e[2] == "PER" and e[3] >= MIN_ENTITY_P]
            name = text[pers[0][0]:pers[0][1]] if pers else text
            return name.strip(" .,;:") or None, i
    return None, -1


def _after_signature(zones, i: int, lines=None) -> bool:
    """A signer follows the signature titles, or the Nơi nhận lines they were printed beside."""
    back = [lab for lab, _ in zones[max(0, i - 6):i] if lab != "other"]
    if "signature" in back:
        return True
    return bool(lines) and any(_TITLE_IN_LINE.search(ln.text) for ln in lines[max(0, i - 14):i])


def _signature_from_zones(doc, zones, signer_at: int) -> Signature | None:
    block = [doc.lines[j] for j in range(max(0, signer_at - 6), signer_at) if zones[j][0] == "signature"]
    titles = [ln.text.strip() for ln in block if ln.text.strip() and not ln.text.strip().startswith("(")]
    if not titles:
        return _signature_beside_distribution(doc, signer_at)
    marker = _MARKER.match(titles[0])
    doc.warn("ml: signature block found by the zone model")
    return Signature(authority=marker.group(1) if marker else None, chain=titles[:-1],
                     position=titles[-1], span=(block[0].start, doc.lines[signer_at].end))


_MARKER = _G["ml_authority_marker"]
_TITLE_IN_LINE = _G["ml_title_in_line"]


def _signature_beside_distribution(doc, signer_at: int) -> Signature | None:
    """Signature titles printed at the end of the Nơi nhận lines (columns side by side)."""
    found = [(ln, m) for ln in doc.lines[max(0, signer_at - 14):signer_at]
             if (m := _TITLE_IN_LINE.search(ln.text.rstrip()))]
    if not found:
        return None
    titles = [m.group(0).strip() for _, m in found]
    marker = next((m.group("mk") for _, m in found if m.group("mk")), None)
    doc.warn("ml: signature block found beside the distribution list by the zone model")
    return Signature(authority=marker, chain=titles[:-1], position=titles[-1],
                     span=(found[0][0].start, doc.lines[signer_at].end))


# ------------------------------------------------------------------ 4. task units
def _fill_task_units(doc) -> None:
    for task in doc.tasks:
        lead_in = lead_in_of(task.text)
        if not _CUE.search(lead_in):
            continue
        if task.lead_units or task.support_units:
            if not _rules_cover_cues(lead_in, task.lead_units + task.support_units):
                _compare(doc, task, units_in(lead_in)[0])
            continue
        lead, support = units_in(lead_in)
        if lead:
            task.lead_units = lead
            task.support_units = support
            task.producer = "ml"


_INLINE_BULLET = _G["ml_inline_bullet"]


def lead_in_of(text: str) -> str:
    """The item's own lead-in: its text cut before the first inline bullet ("…: - Sở A …"). A
    task's text is already one line (the parser joins an item's lines); a newline, should one
    remain, ends the lead-in too. Units named inside an unlabeled bullet belong to the bullet, not
    the item (shared/gold/README.md)."""
    first = text.split("\n", 1)[0]
    cut = _INLINE_BULLET.search(first)
    return first[: cut.start() + 1] if cut else first


def _confident_orgs(sentence: str) -> set[str]:
    return {sentence[a:b].strip(" ,;.:") for a, b, lab, p in _entities_near_cues(sentence)
            if lab == "ORG" and p >= 0.95}


_CLAUSE_END = regex.compile(r"(?<=[.;!?])\s+(?=\p{Lu}|-)|\n")


@lru_cache(maxsize=4096)
def _entities_near_cues(text: str) -> tuple[tuple[int, int, str, float], ...]:
    """Entities of the sentences holding an assignment cue only: tagging whole paragraphs costs
    time and finds bodies that are merely mentioned."""
    out: list[tuple[int, int, str, float]] = []
    pos = 0
    for piece in [*_CLAUSE_END.split(text)]:
        at = text.find(piece, pos)
        pos = at + len(piece)
        if piece and _CUE.search(piece):
            out += [(at + a, at + b, lab, p) for a, b, lab, p in find_entities(piece)]
    return tuple(out)


_PREFIX_CUE = _G["ml_prefix_cue"]
_SUFFIX_CUE = _G["ml_suffix_cue"]
_SUPPORT_CUE = _G["ml_support_cue"]
_LIST_GAP = _G["ml_list_gap"]


def units_in(sentence: str) -> tuple[list[str], list[str]]:
    """Lead and support units of an assignment sentence.

    The entity model proposes ORG spans; only spans attached to an assignment cue count (right after
    "Giao"/"Đề nghị"/"Đơn vị chủ trì:", right before "chủ trì"/"có trách nhiệm", and lists joined to
    them by "," or "và"). Units right after "phối hợp (với)" are support units. Other ORGs in the
    sentence (cited bodies, beneficiaries) are ignored: that is where a free-running tagger errs.
    """
    ents = [(a, b) for a, b, lab, p in _entities_near_cues(sentence) if lab == "ORG" and p >= MIN_ENTITY_P]
    lead_idx: set[int] = set()
    support_idx: set[int] = set()
    for m in _PREFIX_CUE.finditer(sentence):
        _take_list(ents, m.end(), lead_idx, sentence)
    for m in _SUPPORT_CUE.finditer(sentence):
        _take_list(ents, m.end(), support_idx, sentence)
    for m in _SUFFIX_CUE.finditer(sentence):
        for k, (_a, b) in enumerate(ents):
            if 0 <= m.start() - b <= 1:
                lead_idx.add(k)
                _extend_back(ents, k, lead_idx, sentence)
    support_idx -= lead_idx
    name = [sentence[a:b].strip(" ,;.:") for a, b in ents]
    return [name[k] for k in sorted(lead_idx)], [name[k] for k in sorted(support_idx)]


def _take_list(ents: list[tuple[int, int]], at: int, into: set[int], text: str) -> None:
    """The entity starting at ``at`` and the ones listed after it."""
    k = next((k for k, (a, _) in enumerate(ents) if 0 <= a - at <= 1), None)
    while k is not None:
        into.add(k)
        nxt = k + 1
        k = nxt if nxt < len(ents) and _LIST_GAP.match(text[ents[k][1]:ents[nxt][0]]) else None


def _extend_back(ents: list[tuple[int, int]], k: int, into: set[int], text: str) -> None:
    while k > 0 and _LIST_GAP.match(text[ents[k - 1][1]:ents[k][0]]):
        k -= 1
        into.add(k)


def _rules_cover_cues(lead_in: str, units: list[str]) -> bool:
    """Every unit slot after an assignment cue starts with a unit the rules found: nothing to
    check, so the entity model is not run (keeps clean documents cheap)."""
    folded = [u.casefold() for u in units]
    return all(any(lead_in[m.end():].casefold().startswith(u) for u in folded)
               for m in _PREFIX_CUE.finditer(lead_in))


def _compare(doc, task, lead: list[str]) -> None:
    confident = [u for u in lead if u in _confident_orgs(lead_in_of(task.text))]
    have = {u.casefold() for u in task.lead_units + task.support_units}
    missing = [u for u in confident if u.casefold() not in have and not any(u.casefold() in h for h in have)]
    if missing:
        doc.warn(f"ml: task {task.id}: the entity model also reads {', '.join(missing)} as a lead unit")
