"""DOCX reader (python-docx): body paragraphs and tables in document order, one paragraph a line.

* Word automatic numbering (``w:numPr``) is rendered into labels ("1.", "a)", "-") by reading
  ``numbering.xml`` and counting, so numbered items keep their numbers.
* Two-column layout tables (header, signature) come out left cell first, then the right cell, the
  same order as the PDF reader; other tables row by row, one line per cell paragraph, and as
  structure in ``ReadResult.blocks`` (:mod:`.tables`).
* Vertically merged cells are read once.
* Runs in legacy fonts (``.VnTime`` → TCVN3, ``.VnTimeH`` → TCVN3 capitals, ``VNI-*`` → VNI) are
  converted only when their content is really legacy: most real files declaring these fonts hold
  Unicode text.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from ..document import Source
from ..errors import InputError
from .base import ReadResult
from .tables import RULE_LINE, is_layout_table, locate_tables

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _q(tag: str) -> str:
    return W + tag


@dataclass
class Run:
    text: str
    legacy: str | None  # legacy encoding implied by the run's font


@dataclass
class Para:
    label: str
    runs: list[Run] = field(default_factory=list)


def read_docx(data: bytes) -> ReadResult:
    doc = _open(data)
    ctx = _Context(doc)
    items: list[list[Para]] = []  # each entry: the paragraphs of one output line group
    for block in _iter_blocks(doc.element.body):
        items.extend(_read_block(block, ctx, top=True))
    warnings: list[str] = []
    source = Source()  # type: ignore[call-arg]  # pydantic Field(None, …) defaults
    conversions = _decide_legacy(items)
    lines: list[str] = []
    for group in items:
        for para in group:
            lines.append(_para_text(para, conversions))
    if conversions:
        names = sorted({v for v in conversions.values() if v})
        source.legacy_conversion = "tcvn3" if any(n.startswith("tcvn3") for n in names) else names[0]
        source.encoding = source.legacy_conversion
        warnings.append(f"runs in legacy fonts ({', '.join(n.upper() for n in names)}) were converted to Unicode")
    text = _tidy(lines)
    cells = [[["\n".join(_para_text(p, conversions) for p in cell) for cell in row] for row in rows]
             for rows in ctx.tables]
    return ReadResult(text, source, warnings, blocks=locate_tables(text, cells))


def _tidy(lines: list[str]) -> str:
    """No rule lines (decoration under issuer and motto), at most one blank line in a row."""
    text = "\n".join(ln for ln in lines if not RULE_LINE.match(ln))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _open(data: bytes):
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            _check_inflated_size(zf)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError,
            zlib.error) as exc:
        raise InputError("the .docx file is not a valid zip archive (damaged or not a Word document)") from exc
    if "word/document.xml" not in names:
        raise InputError("the zip file has no word/document.xml: it is not a Word .docx document")
    try:
        doc = docx.Document(io.BytesIO(data))
    except MemoryError:  # not damage: the limit says so (see vbextract.limits)
        raise
    except Exception as exc:  # lxml/opc errors on damaged parts
        raise InputError(f"the .docx file is damaged ({type(exc).__name__}: {exc})") from exc
    if doc.element.tag != _q("document") or doc.element.find(_q("body")) is None:
        raise InputError("the .docx main part is not a Word document body (w:document/w:body)")
    return doc


def _check_inflated_size(zf: zipfile.ZipFile) -> None:
    """Inflate the XML parts once, counting, before python-docx loads them: a 700 KB .docx can
    hold 200 MB of XML (minutes of parsing, gigabytes of memory). Sizes in the zip headers
    are not trusted; the bytes are counted as they come out."""
    from ..limits import check_deadline, decompressed_cap, too_much_decompressed

    cap = decompressed_cap()
    if cap is None:
        return
    total = 0
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue  # images and fonts are not parsed
        with zf.open(info) as src:
            while block := src.read(1 << 20):
                total += len(block)
                if total > cap:
                    raise too_much_decompressed(total)
        check_deadline("reading the .docx")


# --- walking the body -------------------------------------------------------------------------------

def _iter_blocks(parent):
    """Paragraphs and tables in order, looking inside content controls (w:sdt)."""
    for child in parent:
        if child.tag in (_q("p"), _q("tbl")):
            yield child
        elif child.tag == _q("sdt"):
            content = child.find(_q("sdtContent"))
            if content is not None:
                yield from _iter_blocks(content)


def _read_block(el, ctx: _Context, top: bool = False) -> list[list[Para]]:
    if el.tag == _q("p"):
        para = ctx.paragraph(el)
        return [[para]] if para is not None else []
    return _read_table(el, ctx, top)


def _read_table(tbl, ctx: _Context, top: bool) -> list[list[Para]]:
    rows = [[_cell_paras(c, ctx) for c in row] for row in _table_cells(tbl)]
    if not rows:
        return []
    texts = [[_plain(c) for c in row] for row in rows]
    out: list[list[Para]] = []
    if is_layout_table(texts):
        # layout table (header, signature): whole left column, then the next, like the PDF reader
        for col in range(max(len(r) for r in rows)):
            for row in rows:
                if col < len(row):
                    out.append(row[col])
        return out
    if top:  # a table nested in a cell is part of that cell's text
        ctx.tables.append([[[p for p in cell if _para_text(p, {}).strip()] for cell in row] for row in rows])
    for row in rows:  # row by row, one line per cell paragraph: only what the table printed
        for cell in row:
            out.append([p for p in cell if _para_text(p, {}).strip()])
    return out


def _table_cells(tbl) -> list[list]:
    """Rows of distinct cells: vertically merged continuation cells (vMerge) are dropped."""
    rows = []
    for tr in tbl.findall(_q("tr")):
        cells = []
        for tc in tr.findall(_q("tc")):
            vmerge = tc.find(f"{_q('tcPr')}/{_q('vMerge')}")
            if vmerge is not None and vmerge.get(_q("val"), "continue") == "continue":
                continue
            cells.append(tc)
        if cells:
            rows.append(cells)
    return rows


def _cell_paras(tc, ctx: _Context) -> list[Para]:
    out: list[Para] = []
    for block in _iter_blocks(tc):
        for group in _read_block(block, ctx):
            out.extend(group)
    return out


def _plain(paras: list[Para]) -> str:
    return " ".join(_para_text(p, {}) for p in paras if _para_text(p, {}).strip())


# --- paragraphs, runs and fonts ------------------------------------------------------------------------

class _Context:
    """Document-wide lookups: style fonts, numbering definitions and counters."""

    def __init__(self, doc) -> None:
        self.styles = {s.get(_q("styleId")): s for s in doc.styles.element.findall(_q("style"))}
        self.default_font = _fonts_of(doc.styles.element.find(f"{_q('docDefaults')}/{_q('rPrDefault')}/{_q('rPr')}"))
        self.numbering = Numbering(doc)
        self.tables: list[list[list[list[Para]]]] = []  # row-wise tables: rows of cells of paragraphs

    def style_font(self, style_id: str | None) -> str | None:
        seen = 0
        while style_id and seen < 20:
            seen += 1
            st = self.styles.get(style_id)
            if st is None:
                break
            font = _fonts_of(st.find(_q("rPr")))
            if font:
                return font
            based = st.find(_q("basedOn"))
            style_id = based.get(_q("val")) if based is not None else None
        return None

    def style_numpr(self, style_id: str | None):
        seen = 0
        while style_id and seen < 20:
            seen += 1
            st = self.styles.get(style_id)
            if st is None:
                return None
            numpr = st.find(f"{_q('pPr')}/{_q('numPr')}")
            if numpr is not None:
                return numpr
            based = st.find(_q("basedOn"))
            style_id = based.get(_q("val")) if based is not None else None
        return None

    def paragraph(self, p) -> Para | None:
        ppr = p.find(_q("pPr"))
        pstyle = _val(ppr.find(_q("pStyle"))) if ppr is not None else None
        pfont = self.style_font(pstyle) or self.default_font
        runs = []
        for r in p.iter(_q("r")):
            rpr = r.find(_q("rPr"))
            cstyle = _val(rpr.find(_q("rStyle"))) if rpr is not None else None
            font = _fonts_of(rpr) or self.style_font(cstyle) or pfont
            text = _run_text(r)
            if text:
                runs.append(Run(text, _legacy_of(font)))
        numpr = ppr.find(_q("numPr")) if ppr is not None else None
        if numpr is None:
            numpr = self.style_numpr(pstyle)
        label = self.numbering.label(numpr) if numpr is not None else ""
        para = Para(label, runs)
        return para


def _val(el) -> str | None:
    return el.get(_q("val")) if el is not None else None


def _fonts_of(rpr) -> str | None:
    if rpr is None:
        return None
    rf = rpr.find(_q("rFonts"))
    if rf is None:
        return None
    return rf.get(_q("ascii")) or rf.get(_q("hAnsi")) or rf.get(_q("cs"))


def _legacy_of(font: str | None) -> str | None:
    from ..legacy import legacy_from_font

    return legacy_from_font(font.split(";")[0] if font else None)


def _run_text(r) -> str:
    parts = []
    for child in r:
        if child.tag == _q("t"):
            parts.append(child.text or "")
        elif child.tag == _q("tab"):
            parts.append("\t")
        elif child.tag in (_q("br"), _q("cr")):
            parts.append("\n")
        elif child.tag == _q("noBreakHyphen"):
            parts.append("-")
    return "".join(parts)


def _decide_legacy(items: list[list[Para]]) -> dict[str, str | None]:
    """For each legacy font family used, decide from the content whether to convert its runs."""
    from ..legacy import detect_legacy

    by_enc: dict[str, list[str]] = {}
    for group in items:
        for para in group:
            # runs split words, so a paragraph's runs are joined without spaces
            for enc in {run.legacy for run in para.runs if run.legacy}:
                by_enc.setdefault(enc, []).append("".join(r.text for r in para.runs if r.legacy == enc))
    decisions: dict[str, str | None] = {}
    for enc, texts in by_enc.items():
        hint = "vni" if enc == "vni" else "tcvn3"
        found = detect_legacy(" ".join(texts), hint)
        if found == hint:
            decisions[enc] = enc
    return decisions


def _para_text(para: Para, conversions: dict[str, str | None]) -> str:
    from ..legacy import convert

    parts = []
    for run in para.runs:
        enc = conversions.get(run.legacy) if run.legacy else None
        parts.append(convert(run.text, enc) if enc else run.text)
    text = "".join(parts).replace("\xa0", " ")
    body = text.strip()
    if para.label and body:
        return f"{para.label} {body}"
    return body


# --- numbering -------------------------------------------------------------------------------------------

class Numbering:
    """Word list numbering: numId → abstractNum levels (numFmt, lvlText, start) and live counters."""

    def __init__(self, doc) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.abstract_of: dict[str, str] = {}
        try:
            root = doc.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(_q("abstractNum")):
            abstract[an.get(_q("abstractNumId"))] = _levels(an)
        for num in root.findall(_q("num")):
            num_id = num.get(_q("numId"))
            aid = _val(num.find(_q("abstractNumId")))
            levels = dict(abstract.get(aid or "", {}))
            for ov in num.findall(_q("lvlOverride")):
                ilvl = _level(ov.get(_q("ilvl")))
                start = _val(ov.find(_q("startOverride")))
                if ilvl in levels and start is not None:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, _start(start))
            self.levels[num_id] = levels
            self.abstract_of[num_id] = aid or num_id

    def label(self, numpr) -> str:
        num_id = _val(numpr.find(_q("numId")))
        ilvl = _level(_val(numpr.find(_q("ilvl"))))
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        # lists sharing an abstract definition continue one another's numbering, as in Word
        key = self.abstract_of.get(num_id, num_id)
        counts = self.counters.setdefault(key, [0] * 9)
        if counts[ilvl] == 0:
            counts[ilvl] = levels[ilvl][2]
        else:
            counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        fmt, lvl_text, _ = levels[ilvl]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return lvl_text.strip() if "%" not in lvl_text else ""

        def repl(m: re.Match) -> str:
            lvl = int(m.group(1)) - 1
            f = levels.get(lvl, ("decimal", "", 1))[0]
            n = counts[lvl] or levels.get(lvl, ("", "", 1))[2]
            return _format_number(n, f if lvl != ilvl else fmt)

        return re.sub(r"%([1-9])", repl, lvl_text).strip()


def _levels(an) -> dict[int, tuple[str, str, int]]:
    out = {}
    for lvl in an.findall(_q("lvl")):
        ilvl = _level(lvl.get(_q("ilvl")))
        fmt = _val(lvl.find(_q("numFmt"))) or "decimal"
        text = _val(lvl.find(_q("lvlText"))) or ""
        start = _start(_val(lvl.find(_q("start"))))
        out[ilvl] = (fmt, text, start)
    return out


def _word_int(value: str | None, default: int, low: int, high: int) -> int:
    """An integer attribute as Word reads it: missing or malformed gives the default, and the
    value is kept inside the range the format allows (damaged files hold anything)."""
    try:
        n = int(value) if value is not None and len(value) <= 12 else default
    except ValueError:
        n = default
    return min(max(n, low), high)


def _level(value: str | None) -> int:
    return _word_int(value, 0, 0, 8)  # nine list levels, 0–8


def _start(value: str | None) -> int:
    return _word_int(value, 1, 0, 32767)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = _letters(n)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    return str(n)


def _letters(n: int) -> str:
    # Word repeats the letter after z: a..z, aa..zz
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
            (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)
