"""PDF reader: PDFium characters and boxes → text in reading order, plus layout boxes.

Per page (:mod:`.pdfium`): words with their boxes, fonts, image cover and ruling segments. Words
are grouped into lines; borderless two-column blocks (header, signature) are cut at their gutter
and emitted left column first; ruled tables (found from the page's ruling segments, only on pages
that have them) are read row by row, one line per cell, and handed over as structure; wrapped body
lines are joined into paragraphs; running headers, footers and page numbers are dropped. Then the
text layer is checked (garbled fonts, OCR layers without Vietnamese, image-only pages) and such
pages are OCRed when Tesseract is installed. Signature dictionaries go to ``source.signatures``
(pdfminer reads them, only for files that PDFium says are signed), and the number and day stamped
by the signing tool are recovered from the page with its annotations flattened when the text
layer leaves them blank.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..doc import LayoutBox
from ..document import PdfSignature, Source
from ..errors import InputError
from ..grammars import REGISTRY
from . import pdf_layout as pl
from . import pdfium
from .base import ReadResult
from .tables import RULE_LINE, is_layout_table, locate_tables, table_lines

# A page with fewer letters than this and a large image is a scan (its text, if any, is a stamp).
MIN_LETTERS_TEXT_PAGE = 200


@dataclass
class PageText:
    number: int  # 1-based
    lines: list[tuple[str, tuple[float, float, float, float] | None]] = field(default_factory=list)
    letters: int = 0
    image_cover: float = 0.0  # share of the page covered by the largest image
    fonts: set[str] = field(default_factory=set)
    layer: str = "good"
    raw: str = ""
    width: float = 0.0
    height: float = 0.0
    tables: list[list[list[str]]] = field(default_factory=list)  # row-wise tables' cell texts


def read_pdf(data: bytes) -> ReadResult:
    from ..limits import check_deadline, check_pages

    doc = _open(data)
    stamp = None
    try:
        check_pages(len(doc))  # a 2,000-page file is refused, not read for minutes
        doc_sig_ranges = _signature_ranges(doc)
        signed = bool(doc_sig_ranges)
        pages = []
        for i in range(len(doc)):
            check_deadline(f"at page {i + 1} of the PDF")
            pages.append(_read_page(doc, i))
            if i == 0 and signed:  # poppler reads page 1's stamp on the other core meanwhile
                stamp = _start_stamp_reader(data, pages[0])
    except BaseException:
        if stamp is not None:
            stamp.cancel()
        raise
    finally:
        doc.close()
    signatures = read_signatures(data, doc_sig_ranges) if signed else []
    warnings: list[str] = []
    source = Source()  # type: ignore[call-arg]  # pydantic Field(None, …) defaults, see report
    source.pages, source.signatures = len(pages), signatures
    _convert_legacy(pages, source, warnings)
    _drop_running_lines(pages)
    _classify_layers(pages)
    _apply_ocr(data, pages, warnings)
    source.text_layer = _document_layer(pages)
    text, layout = _assemble(pages)
    if signatures:
        text = recover_stamped_fields(data, text, warnings, stamp, source.recovered)
        names = ", ".join(s.name or "?" for s in signatures)
        warnings.append(f"the PDF carries {len(signatures)} digital signature(s) ({names})")
    elif stamp is not None:
        stamp.cancel()
    if not text.strip() and not any(p.layer != "good" for p in pages):
        warnings.append("the PDF has no text on any page")
    tables = locate_tables(text, [t for p in pages for t in p.tables])
    for table in tables:
        first = table.span[0]  # a property over every cell: once per table, not per layout box
        table.page = next((b.page for b in layout if b.start <= first < b.end), None)
    return ReadResult(text, source, warnings, layout, tables)


# --- opening -------------------------------------------------------------------------------------

def _open(data: bytes):
    import pypdfium2 as pdfium_

    try:
        doc = pdfium.open_document(data)
    except pdfium_.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("the PDF is encrypted with a password; vbextract cannot read it") from exc
        raise InputError(f"the PDF is damaged or truncated ({exc})") from exc
    if len(doc) == 0:
        doc.close()
        raise InputError("the PDF has no pages (damaged or truncated file)")
    return doc


def _signature_ranges(doc) -> list[list[int]]:
    """The ``/ByteRange`` of each signature PDFium finds (empty list: the file is not signed)."""
    import ctypes

    import pypdfium2.raw as raw

    out = []
    for i in range(max(0, raw.FPDF_GetSignatureCount(doc))):
        sig = raw.FPDF_GetSignatureObject(doc, i)
        n = raw.FPDFSignatureObj_GetByteRange(sig, None, 0)
        arr = (ctypes.c_int * max(n, 1))()
        raw.FPDFSignatureObj_GetByteRange(sig, arr, n)
        out.append(list(arr)[:n])
    return out


# --- one page ------------------------------------------------------------------------------------

def _read_page(doc, index: int) -> PageText:
    number = index + 1
    out = PageText(number)
    try:
        page = doc[index]
        try:
            data = pdfium.read_page(page)
        finally:
            page.close()
    except Exception as exc:  # a broken content stream on one page must not lose the others
        out.lines = [(f"[page {number} could not be read: {type(exc).__name__}]", None)]
        return out
    words = [w for w in data.words if w.text.strip()]
    out.fonts, out.width, out.height = data.fonts, data.width, data.height
    out.raw = " ".join(w.text for w in words)
    out.letters = sum(map(str.isalpha, out.raw))
    out.image_cover = data.image_cover
    tables = [t for t in find_tables(data.edges, data.width, data.height) if _is_real_table(t, words)]
    boxes = [t.bbox for t in tables]  # a property computed from every cell: once, not per word
    lines = pl.group_lines([w for w in words if not _in_any(w, boxes)] if boxes else words, number)
    lines = [ln for ln in lines if not pl.is_page_number(ln, data.height)]
    out.lines = _order_page(lines, tables, words, data.width, number, out.tables)
    return out


# More columns than this, most of them holding one word: the "table" is justified text whose
# word gaps were drawn as rules (underlines, highlight boxes), not a table.
MAX_TABLE_COLUMNS = 15


def _is_real_table(table, words: list[pl.Word]) -> bool:
    ncols = max((len(r.cells) for r in table.rows), default=0)
    if ncols <= MAX_TABLE_COLUMNS:
        return True
    cells = [c for r in table.rows for c in r.cells if c]
    texts = [pl.cell_text(words, c).split() for c in cells]
    # a figure table ("12 | 8,5 | 30") keeps one number per cell; justified prose one word
    one_word = sum(1 for t in texts if len(t) <= 1 and not (t and any(ch.isdigit() for ch in t[0])))
    return one_word < 0.6 * max(1, len(cells))


def find_tables(edges: list[pdfium.Edge], width: float, height: float) -> list:
    """Ruled tables (pdfplumber's finder on the page's ruling segments): 2+ rows of 2+ cells."""
    horizontal = [_edge_obj(e, "h") for e in edges if e.top == e.bottom]
    vertical = [_edge_obj(e, "v") for e in edges if e.top != e.bottom]
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    from types import SimpleNamespace

    from pdfplumber.table import TableFinder

    settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                "explicit_vertical_lines": vertical, "explicit_horizontal_lines": horizontal}
    try:
        finder = TableFinder(SimpleNamespace(bbox=(0, 0, width, height)), settings)  # type: ignore[arg-type]
        return [t for t in finder.tables if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
    except Exception:
        return []


def _edge_obj(e: pdfium.Edge, orientation: str) -> dict:
    return {"object_type": "line_edge", "orientation": orientation, "x0": e.x0, "x1": e.x1, "top": e.top,
            "bottom": e.bottom, "width": e.x1 - e.x0, "height": e.bottom - e.top}


def _in_any(w: pl.Word, boxes) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _order_page(lines, tables, words, width: float, number: int, found: list | None = None):
    """Build the page's blocks (text, two-column, table) and flatten them top to bottom; the cell
    texts of row-wise tables go to ``found`` (their structure, located in the text later)."""
    blocks: list[pl.Block] = []
    spans = pl.find_column_blocks(lines, width)
    used: set[int] = set()
    for start, end, gutter in spans:
        left, right = pl.split_columns(lines[start:end], gutter)
        block = pl.Block("columns", top=lines[start].top)
        for ln in pl.join_cell_lines(left) + pl.join_cell_lines(right):
            block.lines.append((ln.text, number, ln.bbox))
        blocks.append(block)
        used.update(range(start, end))
    for t in tables:
        bbox = tuple(t.bbox)  # a property computed from every cell
        inside = [w for w in words if _in_any(w, [bbox])]  # each cell looks only at its table's words
        rows = [[pl.cell_text(inside, c) if c else "" for c in row.cells] for row in t.rows]
        block = pl.Block("table", top=float(bbox[1]))
        block.lines = [(line, number, bbox) for line in table_lines(rows)]
        blocks.append(block)
        if found is not None and not is_layout_table(rows):
            found.append(rows)
    rest = [ln for i, ln in enumerate(lines) if i not in used]
    if rest:
        left_margin = min(ln.x0 for ln in rest)
        right_margin = max(ln.x1 for ln in rest)
        # body paragraphs, each a block of its own so blocks interleave by position
        for para in pl.join_wrapped(rest, right_margin, left_margin):
            text = " ".join(ln.text for ln in para)
            bbox = (min(ln.x0 for ln in para), para[0].top, max(ln.x1 for ln in para), para[-1].bottom)
            blocks.append(pl.Block("text", [(text, number, bbox)], top=para[0].top))
    blocks.sort(key=lambda b: b.top)
    return [(text, bbox) for b in blocks for text, _, bbox in b.lines]


# --- cleaning across pages ------------------------------------------------------------------------

def _drop_running_lines(pages: list[PageText]) -> None:
    """Drop lines repeated at the top or bottom of most pages (running headers and footers)."""
    if len(pages) < 3:
        return
    counts: Counter[str] = Counter()
    for p in pages:
        edge = p.lines[:2] + p.lines[-2:]
        counts.update({re.sub(r"\d+", "#", t) for t, _ in edge})
    repeated = {t for t, n in counts.items() if n >= max(3, len(pages) // 2) and len(t) < 120}
    for p in pages:
        keep_mid = p.lines[2:-2] if len(p.lines) > 4 else []
        head = [ln for ln in p.lines[:2] if re.sub(r"\d+", "#", ln[0]) not in repeated]
        tail = [ln for ln in p.lines[-2:] if re.sub(r"\d+", "#", ln[0]) not in repeated] if len(p.lines) > 2 else []
        if len(p.lines) <= 4:
            p.lines = [ln for ln in p.lines if re.sub(r"\d+", "#", ln[0]) not in repeated]
        else:
            p.lines = head + keep_mid + tail


def _convert_legacy(pages: list[PageText], source: Source, warnings: list[str]) -> None:
    """TCVN3 text layers (``.VnTime`` fonts, or glyphs mapped to Latin-1) → Unicode."""
    from ..legacy import convert, detect_legacy, legacy_from_font

    hints = {legacy_from_font(f) for p in pages for f in p.fonts} - {None}
    hint = "tcvn3" if any(h and h.startswith("tcvn3") for h in hints) else ("vni" if "vni" in hints else None)
    enc = detect_legacy(" ".join(p.raw for p in pages), hint)
    if enc is None:
        return
    for p in pages:
        p.lines = [(convert(t, enc), b) for t, b in p.lines]
        p.raw = convert(p.raw, enc)
    source.legacy_conversion = enc
    source.encoding = enc
    warnings.append(f"the PDF text layer was in the legacy {enc.upper()} encoding and was converted to Unicode")


# --- text-layer quality -----------------------------------------------------------------------------

_VIET_MARKED = re.compile("[À-ỹ]")
_FOREIGN = re.compile("[\u0370-\u03ff\u0400-\u052f\ue000-\uf8ff\ufffd]")


def classify_layer(raw: str, letters: int, image_cover: float) -> str:
    """'good', 'garbled' (CID mojibake), 'wrong-ocr' (no Vietnamese marks) or 'none' (image only)."""
    if letters < MIN_LETTERS_TEXT_PAGE and (image_cover > 0.4 or letters < 20):
        return "none"
    alpha = [c for c in raw if c.isalpha()]
    n = max(len(alpha), 1)
    foreign = len(_FOREIGN.findall(raw)) + 5 * raw.count("(cid:")
    if foreign / n > 0.03:
        return "garbled"
    if letters >= MIN_LETTERS_TEXT_PAGE and len(_VIET_MARKED.findall(raw)) / n < 0.04:
        return "wrong-ocr"
    return "good"


def _classify_layers(pages: list[PageText]) -> None:
    for p in pages:
        p.layer = classify_layer(p.raw, p.letters, p.image_cover)


_LAYER_WORDS = {
    "none": "has no text layer (image only)",
    "garbled": "has a garbled text layer (fonts without a usable ToUnicode map)",
    "wrong-ocr": "has an OCR text layer without Vietnamese diacritics",
}


def _apply_ocr(data: bytes, pages: list[PageText], warnings: list[str]) -> None:
    """OCR the pages whose text layer is unusable, or say why not."""
    from .. import ocr

    bad = [p for p in pages if p.layer != "good"]
    if not bad:
        return
    for kind in ("none", "garbled", "wrong-ocr"):
        nums = [p.number for p in bad if p.layer == kind]
        if nums:
            warnings.append(f"page(s) {_ranges(nums)} {_LAYER_WORDS[kind]}")
    missing = ocr.missing_tools()
    if missing:
        warnings.append(
            f"OCR skipped: {missing} not installed (install tesseract-ocr, tesseract-ocr-vie and "
            "poppler-utils); the result holds only what the text layer gives"
        )
        return
    todo = bad[: ocr.max_pages()]
    if len(bad) > len(todo):
        warnings.append(f"OCR limited to the first {len(todo)} of {len(bad)} page(s) without usable text")
    results = ocr.ocr_pdf_pages(data, [p.number for p in todo])
    done = []
    for p in todo:
        res = results.get(p.number)
        if res is None or not res.text.strip():
            continue
        p.lines = ocr_page_lines(res, p.number)
        p.layer = "ocr"
        done.append(p.number)
    late = [p.number for p in todo if p.number not in done and _past_deadline(results.get(p.number))]
    failed = [p.number for p in todo if p.number not in done and p.number not in late]
    if done:
        warnings.append(f"page(s) {_ranges(done)} read by OCR (Tesseract, Vietnamese); expect OCR errors")
    if late:
        warnings.append(f"OCR stopped at the time limit: page(s) {_ranges(late)} not read; the result holds "
                        "the pages read so far")
    if failed:
        errs = {str(results[n].error) for n in failed if n in results and results[n].error}
        warnings.append(f"OCR gave no text for page(s) {_ranges(failed)}" + (f" ({'; '.join(errs)})" if errs else ""))


def _past_deadline(res) -> bool:
    from .. import ocr

    return res is not None and res.error == ocr.DEADLINE_ERROR


def ocr_page_lines(res, number: int):
    """Lay out OCR words with the same code as text-layer words (columns, paragraphs)."""
    by_line: dict[str, list[pl.Word]] = {}
    for t, x0, top, x1, bottom, line_id in res.words:
        by_line.setdefault(line_id, []).append(pl.Word(unicodedata.normalize("NFC", t), x0, x1, top, bottom))
    if not by_line or not res.width:
        return [(line, None) for line in ocr_lines(res.text)]
    words = [w for ws in by_line.values() for w in ws]
    lines = merge_side_by_side([pl.Line(sorted(ws, key=lambda w: w.x0), number) for ws in by_line.values()])
    lines = [ln for ln in lines if not pl.is_page_number(ln, res.height)]
    return _order_page(lines, [], words, res.width, number)


def merge_side_by_side(lines: list[pl.Line]) -> list[pl.Line]:
    """Tesseract reads each column as its own block; put lines that sit side by side at the same
    height back on one visual line so the column code can find the gutter."""
    merged: list[pl.Line] = []
    for ln in sorted(lines, key=lambda x: x.top):
        for m in merged:
            overlap = min(m.bottom, ln.bottom) - max(m.top, ln.top)
            apart = ln.x0 > m.x1 or ln.x1 < m.x0
            if apart and overlap > 0.5 * min(m.height, ln.height):
                m.words = sorted(m.words + ln.words, key=lambda w: w.x0)
                break
        else:
            merged.append(pl.Line(list(ln.words), ln.page))
    return sorted(merged, key=lambda x: x.top)


def ocr_lines(text: str) -> list[str]:
    """Tesseract prints paragraphs separated by blank lines; keep its lines, drop empty ones."""
    text = unicodedata.normalize("NFC", text)
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _document_layer(pages: list[PageText]) -> str:
    layers = Counter(p.layer for p in pages)
    if layers.get("ocr"):
        return "ocr"
    for kind in ("garbled", "wrong-ocr", "none"):
        if layers.get(kind, 0) * 2 >= len(pages) or (kind != "none" and layers.get(kind)):
            return kind
    return "good"


def _ranges(nums: list[int]) -> str:
    parts: list[str] = []
    for n in nums:
        if parts and parts[-1].split("–")[-1] == str(n - 1):
            parts[-1] = parts[-1].split("–")[0] + f"–{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)


def _assemble(pages: list[PageText]) -> tuple[str, list[LayoutBox]]:
    parts: list[str] = []
    layout: list[LayoutBox] = []
    pos = 0
    for p in pages:
        for line, bbox in p.lines:
            if RULE_LINE.match(line):  # decoration under issuer and motto
                continue
            parts.append(line)
            layout.append(LayoutBox(pos, pos + len(line), p.number, bbox))
            pos += len(line) + 1
    return "\n".join(parts), layout


# --- digital signatures ----------------------------------------------------------------------------

def read_signatures(data: bytes, ranges: list[list[int]] | None = None) -> list[PdfSignature]:
    """Signature dictionaries (``/FT /Sig`` fields of the AcroForm) as :class:`PdfSignature`.

    With the byte ranges PDFium reports, each dictionary is read from the bytes around its
    ``/Contents`` (the signed hash is never parsed: pdfminer spends most of its time decoding
    that hex string); pdfminer reads the catalog when a dictionary is not where expected.
    """
    if ranges:
        fast = [_signature_near(data, r) for r in ranges]
        if all(s is not None for s in fast):
            return [s for s in fast if s is not None]
    return _signatures_pdfminer(data)


_SIG_KEYS = ("Name", "M", "Reason", "Location", "ContactInfo")


def _signature_near(data: bytes, byte_range: list[int]) -> PdfSignature | None:
    """Parse the signature dictionary whose ``/Contents`` hex string fills the gap of ``byte_range``."""
    if len(byte_range) != 4 or not 0 < byte_range[1] < byte_range[2] <= len(data):
        return None
    gap_start, gap_end = byte_range[1], byte_range[2]
    obj = data.rfind(b" obj", max(0, gap_start - 65536), gap_start)
    start = data.find(b"<<", obj, gap_start) if obj >= 0 else -1
    if start < 0:
        return None
    values = _top_level_strings(data[start:gap_start] + b"()" + data[gap_end:gap_end + 65536])
    if values is None or values.get("Type", "Sig") not in ("Sig", "DocTimeStamp"):
        return None
    return PdfSignature(
        name=_clean_str(values.get("Name")),
        signing_time=pdf_date(_clean_str(values.get("M"))),
        reason=_clean_str(values.get("Reason")),
        location=_clean_str(values.get("Location")),
        contact_info=_clean_str(values.get("ContactInfo")),
    )


_DELIMS = b"()<>[]{}/% \t\r\n\f\x00"


def _top_level_strings(buf: bytes) -> dict[str, str] | None:
    """String (and ``/Type`` name) values of the outermost dictionary at the start of ``buf``.

    None when the dictionary does not close inside ``buf``.
    """
    from pdfminer.utils import decode_text

    out: dict[str, str] = {}
    depth, i, key, n = 0, 0, None, len(buf)
    while i < n:
        c = buf[i:i + 1]
        if buf.startswith(b"<<", i):
            depth, i, key = depth + 1, i + 2, None
        elif buf.startswith(b">>", i):
            depth, i = depth - 1, i + 2
            if depth == 0:
                return out
        elif c == b"(":
            raw_str, i = _literal(buf, i)
            if depth == 1 and key:
                out[key] = _decode_pdf_bytes(raw_str, decode_text)
            key = None
        elif c == b"<":
            end = buf.find(b">", i)
            if end < 0:
                return None
            if depth == 1 and key:
                hexs = bytes(b for b in buf[i + 1:end] if b not in b" \t\r\n")
                out[key] = _decode_pdf_bytes(bytes.fromhex((hexs + b"0" * (len(hexs) % 2)).decode("ascii")),
                                             decode_text)
            i, key = end + 1, None
        elif c == b"/":
            j = i + 1
            while j < n and buf[j:j + 1] not in _DELIMS:
                j += 1
            name = buf[i + 1:j].decode("latin-1")
            if depth == 1 and key is None:
                key = name
            elif depth == 1:
                if key == "Type":
                    out[key] = name
                key = None
            i = j
        elif c in b" \t\r\n\f\x00":
            i += 1
        else:  # numbers, arrays, references: skip the token, the key has no string value
            j = i + 1
            while j < n and buf[j:j + 1] not in _DELIMS:
                j += 1
            if depth == 1 and key in _SIG_KEYS and c.isdigit():
                return None  # an indirect value (``12 0 R``): pdfminer resolves it
            if depth == 1:
                key = None
            i = max(j, i + 1)
    return None


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _literal(buf: bytes, i: int) -> tuple[bytes, int]:
    """A PDF literal string starting at ``buf[i] == '('``: its bytes and the offset after it."""
    out = bytearray()
    depth, i, n = 1, i + 1, len(buf)
    while i < n:
        b = buf[i]
        if b == 0x5C and i + 1 < n:  # backslash
            nxt = buf[i + 1]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
            elif 0x30 <= nxt <= 0x37:
                j = i + 1
                while j < min(i + 4, n) and 0x30 <= buf[j] <= 0x37:
                    j += 1
                out.append(int(buf[i + 1:j], 8) & 0xFF)
                i = j
            elif nxt in (0x0D, 0x0A):  # line continuation
                i += 3 if buf[i + 1:i + 3] == b"\r\n" else 2
            else:
                out.append(nxt)
                i += 2
            continue
        if b == 0x28:
            depth += 1
        elif b == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(b)
        i += 1
    return bytes(out), n


def _decode_pdf_bytes(raw_str: bytes, decode_text) -> str:
    if raw_str.startswith(b"\xfe\xff"):
        return raw_str[2:].decode("utf-16-be", "replace")
    return decode_text(raw_str)


def _clean_str(text: str | None) -> str | None:
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).strip()
    return text or None


def _signatures_pdfminer(data: bytes) -> list[PdfSignature]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        catalog = PDFDocument(PDFParser(io.BytesIO(data))).catalog
        acro = resolve1(catalog.get("AcroForm"))
        fields = resolve1(acro.get("Fields")) if isinstance(acro, dict) else None
    except Exception:
        return []
    out: list[PdfSignature] = []
    stack = list(fields or [])
    seen = 0
    while stack and seen < 500:
        seen += 1
        try:
            field_ = resolve1(stack.pop(0))
            if not isinstance(field_, dict):
                continue
            stack.extend(resolve1(field_.get("Kids")) or [])
            value = resolve1(field_.get("V"))
            if _name(field_.get("FT")) != "Sig" or not isinstance(value, dict):
                continue
            out.append(PdfSignature(
                name=_pdf_str(value.get("Name")),
                signing_time=pdf_date(_pdf_str(value.get("M"))),
                reason=_pdf_str(value.get("Reason")),
                location=_pdf_str(value.get("Location")),
                contact_info=_pdf_str(value.get("ContactInfo")),
            ))
        except Exception:  # one broken field must not lose the others
            continue
    return out


def _name(obj) -> str:
    from pdfminer.pdftypes import resolve1

    obj = resolve1(obj)
    return getattr(obj, "name", str(obj) if obj is not None else "")


def _pdf_str(obj) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    obj = resolve1(obj)
    if obj is None:
        return None
    if isinstance(obj, bytes):
        text = obj[2:].decode("utf-16-be", "replace") if obj.startswith(b"\xfe\xff") else decode_text(obj)
    else:
        text = str(obj)
    text = unicodedata.normalize("NFC", text).strip()
    return text or None


_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?")


def pdf_date(value: str | None) -> str | None:
    """PDF date ``D:20260527093012+07'00'`` → ISO 8601 ``2026-05-27T09:30:12+07:00``."""
    if not value:
        return None
    m = _PDF_DATE.match(value.strip())
    if not m:
        return None
    y, mo, d, h, mi, s, tz, tzh, tzm = m.groups()
    iso = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
    if tz in ("Z", "z"):
        iso += "+00:00"
    elif tz in ("+", "-"):
        iso += f"{tz}{tzh or '00'}:{tzm or '00'}"
    return iso


# --- number and day stamped by the signing tool -------------------------------------------------------

# grammars/header.yaml (stamp_*_number) and grammars/date.yaml (stamp_*day): the one date grammar
_BLANK_NUMBER = REGISTRY["stamp_blank_number"]
_STAMP_NUMBER = REGISTRY["stamp_number"]
_BLANK_DAY = REGISTRY["stamp_blank_day"]
_STAMP_DAY = REGISTRY["stamp_day"]


def _start_stamp_reader(data: bytes, first: PageText):
    """pdftotext of page 1 in the background when page 1 has a blank number or day."""
    from .. import ocr

    page_text = "\n".join(t for t, _ in first.lines)
    if _BLANK_NUMBER.search(page_text) or _BLANK_DAY.search(page_text):
        return ocr.pdftotext_page_async(data, 1)
    return None


def recover_stamped_fields(data: bytes, text: str, warnings: list[str], pending=None,
                           recovered: dict[str, tuple[int, int]] | None = None) -> str:
    """Fill a blank number/day from poppler's rendering of page 1, which includes the stamp.

    The VGCA signing tool writes the number and day into the blanks as an annotation overlay;
    pdfplumber reads only page content. Nothing is done unless ``pdftotext`` is installed and the
    text layer really has the blank. ``recovered`` receives the span (in the returned text) of
    each line filled: ``"number"`` ("Số: 12/KH-UBND"), ``"date"`` ("ngày 3 tháng 7 năm 2026"),
    so that the header can say which of its values came from the stamp.
    """
    from .. import ocr

    has_blank_number = _BLANK_NUMBER.search(text)
    has_blank_day = _BLANK_DAY.search(text)
    if not (has_blank_number or has_blank_day):
        if pending is not None:
            pending.cancel()
        return text
    stamped = pending.result() if pending is not None else ocr.pdftotext_page(data, 1)
    if stamped is None:
        warnings.append("the number or day is blank in the text layer and pdftotext (poppler-utils) is "
                        "not installed to read the signature stamp")
        return text
    stamped = unicodedata.normalize("NFC", stamped)
    filled = []
    spans: dict[str, tuple[int, int]] = {}

    def put(name: str, old: str, new: str) -> None:
        nonlocal text
        at = text.find(old)
        text = text[:at] + new + text[at + len(old):]
        shift = len(new) - len(old)
        for k, (a, b) in spans.items():  # a span after the replaced blank moves with it
            if a >= at + len(old):
                spans[k] = (a + shift, b + shift)
        spans[name] = (at, at + len(new))

    if has_blank_number:
        m = _STAMP_NUMBER.search(stamped)
        if m and _same_symbol(m["sym"], has_blank_number["sym"]):
            put("number", has_blank_number.group(0), f"{has_blank_number['label']} {m['num']}"
                f"{has_blank_number['sym']}")
            filled.append(f"number {m['num']}")
    if has_blank_day:
        month, year = has_blank_day["m"], has_blank_day["y"]
        for m in _STAMP_DAY.finditer(stamped):
            day, smonth, syear = m["d"], m["m"], m["y"]
            if syear != year:
                continue
            if smonth != month and smonth.endswith(month) and len(smonth) > len(month):
                smonth = smonth[: -len(month)]  # stamped month printed over the typed one
                warnings.append(f"the signature stamp overprints month {month} with {smonth}")
            put("date", has_blank_day.group(0), f"ngày {day} tháng {smonth} năm {year}")
            filled.append(f"day {day}")
            break
    if recovered is not None:
        recovered.update(spans)
    if filled:
        warnings.append(f"{' and '.join(filled)} taken from the signature stamp (annotation overlay read "
                        "with pdftotext), not from the text layer")
    return text


def _same_symbol(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return re.sub(r"[\s\-–/]", "", s).upper()

    return key(a) == key(b)
