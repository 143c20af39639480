"""Legal bases: the preamble clauses the document rests on ("Căn cứ …", "Thực hiện …", "Xét …"),
and its proposal ("Theo/Xét đề nghị của … tại Tờ trình số …", role "proposal": its refs are in
``proposal_refs``, not ``citation_refs``, since a proposal is not a basis).

A clause runs from its verb to the ";" or "." that ends it; the segments after a ";" that still
name documents belong to the same clause ("Căn cứ Công văn số 736/…; Kế hoạch số 50/…; Chủ tịch
UBND huyện đề nghị …" names two bases, and the enacting sentence after them is not one).
"""

from __future__ import annotations

import regex

from ..doc import WorkDoc
from ..document import LegalBasis
from ..grammars import REGISTRY
from ..grammars.blocks import LEGAL_VERB_F
from ..marks import dash_len
from ..normalize import clean_value

_SEGMENT_END = regex.compile(r";|\.(?=\s|$)|\n")


def extract_legal_bases(doc: WorkDoc) -> None:
    if doc.kind == "article":
        return  # a news text reports on a document; it rests on nothing
    region = _preamble(doc)
    if not region:
        return
    start, end = region
    for ln in doc.lines_in(start, end):
        plain_f = doc.folded[ln.start : ln.end].lstrip()
        f = _undash_basis(plain_f)
        m = LEGAL_VERB_F.match(f)
        purpose = m is None
        m = m or _PURPOSE_F.match(f)
        if not m:
            continue
        lead = len(doc.folded[ln.start : ln.end]) - len(f)
        basis = _clause(doc, ln.start + lead, ln.end, doc.text[ln.start + lead : ln.start + lead + len(m["verb"])])
        if basis and (purpose or f is not plain_f) and not (basis.citation_refs or basis.unnumbered_refs):
            # a purpose clause counts only when it names the documents it carries out, and so does a
            # dashed "- Căn cứ …" ("- Căn cứ kế hoạch này, khẩn trương …" is an item of the body)
            continue
        # a decision's "Xét đề nghị … tại Tờ trình" says who proposed it; a công văn's "Theo đề
        # nghị của Bộ … tại Công văn số …" names the letter it answers, which is its basis
        if basis and _PROPOSAL_F.match(f) and doc.header.doc_type not in (None, "Công văn"):
            basis.role = "proposal"
            basis.proposal_refs, basis.citation_refs = basis.citation_refs, []
        if basis:
            # a document named again in a later clause is one basis, listed where it first appears
            seen = {r for b in doc.legal_bases for r in b.citation_refs}
            basis.citation_refs = [r for r in basis.citation_refs if r not in seen]
            doc.legal_bases.append(basis)


# The lead-in of a Chỉ thị or công văn that names what it carries out (grammars/legal_basis.yaml).
_PURPOSE_F = REGISTRY["legal_basis_purpose"]
_PROPOSAL_F = REGISTRY["legal_basis_proposal"]


def _preamble(doc: WorkDoc) -> tuple[int, int] | None:
    body = doc.zones.body
    if not body:
        return None
    if doc.zones.preamble:
        return doc.zones.preamble
    end = min(body[1], body[0] + 3000)
    return body[0], max(end, _clause_run_end(doc, body[0], body[1]))


def _clause_run_end(doc: WorkDoc, start: int, end: int) -> int:
    """End of the run of "Căn cứ …" / "Theo đề nghị …" paragraphs that opens the body.

    A decision or resolution may print twenty clauses (far past a fixed window); the run ends at
    the first paragraph that neither opens a clause nor continues one.
    """
    run_end = start
    open_clause = False
    for ln in doc.lines_in(start, end):
        s = ln.stripped
        if not s:
            continue
        f = _undash_basis(doc.folded[ln.start : ln.end].lstrip(" \t*"))
        if LEGAL_VERB_F.match(f) or open_clause:
            run_end = ln.end
            open_clause = not s.rstrip(" *").endswith((";", ".", ":"))
            continue
        if run_end > start:
            break
    return run_end


def _undash_basis(f: str) -> str:
    """A preamble line's fold key without the dash of a basis printed as a dashed item ("- Căn cứ
    Nghị định số 15/CP …;", as older decisions list them); only "căn cứ" after a dash opens a
    basis ("- Thực hiện …", "- Theo …" in the first paragraphs are the body's items)."""
    n = dash_len(f)
    return f[n:] if n and f.startswith("căn cứ", n) else f


def _clause(doc: WorkDoc, start: int, end: int, verb: str) -> LegalBasis | None:
    """The clause from ``start``: its first segment, plus following segments that cite documents."""
    refs_in = _refs_between
    pos = start
    clause_end = start
    refs: list[str] = []
    named: list[str] = []
    first = True
    while pos < end:
        m = _SEGMENT_END.search(doc.text, pos, end)
        seg_end = m.end() if m else end
        seg_refs, seg_named = refs_in(doc, pos, seg_end)
        if not first and not (seg_refs or seg_named):
            break
        refs += [r for r in seg_refs if r not in refs]
        named += [r for r in seg_named if r not in named]
        clause_end = seg_end
        first = False
        pos = seg_end
        if m and m.group() != ";":
            break
    text = clean_value(doc.text[start:clause_end])
    if not text:
        return None
    return LegalBasis(verb=verb, text=text, citation_refs=refs, unnumbered_refs=named, span=(start, clause_end))


def _refs_between(doc: WorkDoc, a: int, b: int) -> tuple[list[str], list[str]]:
    """Numbered refs and named (unnumbered) documents mentioned in ``[a, b)``."""
    numbered: list[str] = []
    named: list[str] = []
    for c in doc.citations:
        if any(a <= s < b for s, _ in c.mentions):
            target = named if c.unnumbered else numbered
            if c.ref not in target:
                target.append(c.ref)
    return numbered, named
