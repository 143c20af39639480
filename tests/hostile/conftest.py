"""Builders for hostile inputs: every reproducer is made at test time, small and quick."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SEEDS = sorted((HERE.parent / "seeds").glob("*.txt"))
FAULTY = HERE.parent / "batch" / "faulty.py"

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
       '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
       'document.main+xml"/>{extra}</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
             'package/2006/relationships">{rels}</Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING_REL = ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/numbering" Target="numbering.xml"/>')
NUMBERING_CT = ('<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.wordprocessingml.numbering+xml"/>')


def docx_bytes(body_xml: str, *, numbering: str | None = None, root: str = "w:document") -> bytes:
    """A minimal .docx around ``body_xml`` (paragraphs in WordprocessingML)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(extra=NUMBERING_CT if numbering else ""))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/_rels/document.xml.rels", _DOC_RELS.format(rels=NUMBERING_REL if numbering else ""))
        zf.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns:w="{W}">'
                    f"<w:body>{body_xml}</w:body></{root}>")
        if numbering:
            zf.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">'
                        f"{numbering}</w:numbering>")
    return buf.getvalue()


def para(text: str, num: tuple[str, str] | None = None) -> str:
    numpr = f'<w:pPr><w:numPr><w:ilvl w:val="{num[0]}"/><w:numId w:val="{num[1]}"/></w:numPr></w:pPr>' if num else ""
    return f"<w:p>{numpr}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def pdf_bytes(pages: int, text: str = "Trang") -> bytes:
    """A valid PDF of ``pages`` pages, each printing ``text`` and its number (Helvetica, ASCII)."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font = 3
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i in range(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({text} {i + 1}) Tj ET".encode()
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        cid = len(objs)
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {cid} 0 R "
                    f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def seed_text(i: int) -> str:
    return SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")


def big_member(i: int, size: int) -> bytes:
    """A real-looking document of about ``size`` bytes (a seed padded with numbered task lines),
    distinct for each ``i``: its parse reply is large, as a long Nghị định's is."""
    head = seed_text(i)
    lines = [head]
    n = 0
    while sum(len(x) for x in lines) < size:
        n += 1
        lines.append(f"{n}. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát hồ sơ đợt {i}-{n}.\n")
    return "".join(lines).encode("utf-8")


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some tests
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return buf.getvalue()


def sleep_processes(marker: str) -> list[int]:
    """Pids of ``sleep MARKER`` processes still alive."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            continue
        if cmd[:2] == [b"sleep", marker.encode()] and state != "Z":
            found.append(int(pid))
    return found


@pytest.fixture(scope="session")
def build():
    """This module (test modules cannot import conftest under --import-mode=importlib)."""
    import sys

    return sys.modules[__name__]
