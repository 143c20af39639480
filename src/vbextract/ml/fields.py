"""Contract-shaped gold values derived from a corpus record's spans (for the evaluation table).

Corpus records annotate zones and entities, not the output contract; these functions read the
contract's fields back from them so the parser can be scored on the corpus test split and on the
annotated shared-corpus files with the project scorer:

* ``header.issuer`` — the ``issuer`` lines that are not tagged ``parent``, joined (a motto printed
  on the same line, as pdfplumber interleaves columns, is cut off); ``issuer_parent`` — the
  ``parent`` line;
* ``header.subject`` — the ``subject`` lines joined, without "V/v";
* ``signature`` — marker, chain and position from the ``signature`` lines above the signer, and
  the ``PER`` entity of the ``signer`` line;
* ``units`` — ``ORG`` entities of ``item``/``table`` lines attached to an assignment cue (the same
  attachment rule :func:`vbextract.ml.hybrid.units_in` applies to model spans).
"""

from __future__ import annotations

from ..grammars import load

_G = load()  # grammars/ml.yaml
_MOTTO_CUT = _G["ml_motto_cut"]
_VV = _G["ml_gold_vv"]
_MARKER = _G["ml_authority_marker"]
_ANNOT = _G["ml_signed_annotation"]


def _text(rec: dict, ln: dict) -> str:
    return " ".join(rec["text"][ln["start"]:ln["end"]].split())


def gold_fields(rec: dict) -> dict:
    """A partial gold document (header, signature) plus ``units`` for one record."""
    lines = sorted(rec["lines"], key=lambda x: x["start"])
    issuer = [_MOTTO_CUT.sub("", _text(rec, x)) for x in lines if x["label"] == "issuer" and x.get("tag") != "parent"]
    parent = [_MOTTO_CUT.sub("", _text(rec, x)) for x in lines if x["label"] == "issuer" and x.get("tag") == "parent"]
    subject = [_text(rec, x) for x in lines if x["label"] == "subject"]
    header = {"issuer": " ".join(s for s in issuer if s) or None,
              "subject": _VV.sub("", " ".join(subject)).strip() or None}
    if parent:
        header["issuer_parent"] = parent[0]
    return {"header": header, "signature": _signature(rec, lines), "units": gold_units(rec)}


def _signature(rec: dict, lines: list[dict]) -> dict | None:
    signers = [i for i, x in enumerate(lines) if x["label"] == "signer"]
    if not signers:
        return None
    at = signers[-1]
    block: list[str] = []
    for x in reversed(lines[:at]):
        if x["label"] != "signature":
            break
        block.insert(0, _text(rec, x))
    block = [b for b in block if not _ANNOT.match(b)]
    per = [e for e in rec["entities"] if e["label"] == "PER" and lines[at]["start"] <= e["start"] < lines[at]["end"]]
    signer = rec["text"][per[0]["start"]:per[0]["end"]] if per else _text(rec, lines[at])
    if not block:  # the signature titles were not printed on lines of their own: score the name only
        return {"signer": signer}
    m = _MARKER.match(block[0])
    return {"authority": m.group(1) if m else None, "chain": block[:-1], "position": block[-1] if block else None,
            "signer": signer}


def gold_units(rec: dict) -> list[str]:
    """Lead units: gold ORG spans attached to an assignment cue in item/table lines."""
    from .hybrid import _PREFIX_CUE, _SUFFIX_CUE, _take_list

    out: list[str] = []
    for ln in rec["lines"]:
        if ln["label"] not in ("item", "body"):
            continue
        s, e = ln["start"], ln["end"]
        sentence = rec["text"][s:e]
        ents = [(x["start"] - s, x["end"] - s) for x in rec["entities"]
                if x["label"] == "ORG" and s <= x["start"] and x["end"] <= e]
        ents.sort()
        idx: set[int] = set()
        for m in _PREFIX_CUE.finditer(sentence):
            _take_list(ents, m.end(), idx, sentence)
        for m in _SUFFIX_CUE.finditer(sentence):
            idx |= {k for k, (_, b) in enumerate(ents) if 0 <= m.start() - b <= 1}
        out += [sentence[ents[k][0]:ents[k][1]] for k in sorted(idx)]
    return out
