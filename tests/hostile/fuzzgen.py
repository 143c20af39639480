"""Generators of hostile inputs from a ``random.Random``: shared by the CI fuzz test (driven by
hypothesis) and the longer run in ``benchmarks/bench_fuzz.py``. Every input is built here from
invented text; nothing is read from a corpus."""

from __future__ import annotations

import io
import random
import zipfile

LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN", "TỈNH AN GIANG",
    "Số: 12/UBND-VP", "V/v triển khai nhiệm vụ", "Kính gửi: Sở Tài chính; Sở Nội vụ.",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "1. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ thực hiện, trước ngày 1/2/2024.",
    "a) Sở Khoa học và Công nghệ chủ trì, phối hợp với các đơn vị liên quan;",
    "- Thời gian hoàn thành: Quý IV/2025.", "| STT | Nội dung | Đơn vị chủ trì | Thời gian |",
    "| 1 | Rà soát hồ sơ | Sở Tư pháp | tháng 6/2025 |", "Nơi nhận:", "- Như trên;", "- Lưu: VT.",
    "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An", "PHỤ LỤC I", "Điều 1.",
]
ODD = ["\x00", "\ufeff", "\u200b", "\ud800", "\udfff", "\U0001f600", " " * 50, "\t", "\r", "\u0301\u0301",
       "{", "}", "\\", "<", "&amp;", "%PDF", "PK\x03\x04", "\\u99999", "9" * 60, "/", "!", "Ữ"]


def text_doc(rng: random.Random) -> str:
    """Lines of a document shuffled, repeated and salted with odd characters."""
    out = []
    for _ in range(rng.randint(0, 40)):
        line = rng.choice(LINES)
        if rng.random() < 0.3:
            i = rng.randint(0, len(line))
            line = line[:i] + rng.choice(ODD) * rng.randint(1, 5) + line[i:]
        out.append(line)
    return "\n".join(out)


def mutate(data: bytes, rng: random.Random, edits: int | None = None) -> bytes:
    """Byte-level damage: flips, insertions, deletions, duplicated slices, truncation."""
    buf = bytearray(data)
    for _ in range(edits if edits is not None else rng.randint(1, 8)):
        if not buf:
            buf += rng.randbytes(8)
        op = rng.randrange(5)
        i = rng.randrange(len(buf))
        if op == 0:
            buf[i] = rng.randrange(256)
        elif op == 1:
            buf[i:i] = rng.choice([rng.randbytes(rng.randint(1, 16)), b"{", b"}", b"\\u-1", b"<", b"\\'ff", b"9" * 30])
        elif op == 2:
            del buf[i:i + rng.randint(1, 64)]
        elif op == 3:
            j = min(len(buf), i + rng.randint(1, 200))
            buf[i:i] = buf[i:j] * rng.randint(1, 4)
        else:
            del buf[max(1, i):]
    return bytes(buf)


def _rtf_escape(s: str) -> str:
    return "".join(c if ord(c) < 128 and c not in "\\{}" else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?"
                   for c in s)


def rtf_doc(rng: random.Random) -> bytes:
    cp = rng.choice(["1252", "1258", "99999", "0", "65001", "20127"])
    body = "\\par\n".join(_rtf_escape(line) for line in text_doc(rng).split("\n"))
    extra = rng.choice(["", "\\uc0", "\\uc5", "\\u55357\\u56832", "\\u-10240", "\\'e0\\'ff", "{\\*\\pict ff}",
                        "\\trowd\\cell x\\cell\\row", "\\f99999999999"])
    return (f"{{\\rtf1\\ansi\\ansicpg{cp}{{\\fonttbl{{\\f0\\fcharset{rng.choice(['0', '163', '9999'])} Times;}}}}"
            f"\\f0 {extra} {body}\\par}}").encode("latin-1", "replace")


def html_doc(rng: random.Random) -> bytes:
    charset = rng.choice(["utf-8", "windows-1258", "idna", "punycode", "x-unknown", "utf-16", ""])
    paras = "".join(f"<p>{line}</p>" if rng.random() < 0.8 else f"<td>{line}" for line in text_doc(rng).split("\n"))
    junk = rng.choice(["", "<a" * rng.randint(1, 300), "<!--" + "x" * 100, "<table><tr>" * 30, "&#99999999;",
                       "&#xD800;", "<script>" + "x" * 50])
    return (f'<html><head><meta charset="{charset}"></head><body>{paras}{junk}</body></html>'
            ).encode("utf-8", "surrogatepass")


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_doc(rng: random.Random) -> bytes:
    from xml.sax.saxutils import escape

    def clean(s: str) -> str:  # XML 1.0 cannot carry these; a Word file never has them
        return "".join(c for c in s if c in "\t\n" or (ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF
                                                        and c not in "\ufffe\uffff"))

    paras = []
    for line in text_doc(rng).split("\n"):
        numpr = ""
        if rng.random() < 0.3:
            ilvl = rng.choice(["0", "1", "8", "9", "-1", "x", "99999999999"])
            numpr = f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{rng.choice(["1", "2", "0"])}"/></w:numPr></w:pPr>'
        paras.append(f'<w:p>{numpr}<w:r><w:t xml:space="preserve">{escape(clean(line))}</w:t></w:r></w:p>')
    start = rng.choice(["1", "0", "-4", "abc", "9" * 30])
    numbering = (f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{rng.choice(["0", "x", "12"])}">'
                 f'<w:start w:val="{start}"/><w:numFmt w:val="{rng.choice(["decimal", "upperRoman", "lowerLetter", "bullet", "none"])}"/>'
                 f'<w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/>'
                 f"</w:num></w:numbering>")
    root = rng.choice(["w:document"] * 5 + ["w:other"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
                    'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
                    "</Types>")
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        zf.writestr("word/_rels/document.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
                    "</Relationships>")
        zf.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns:w="{W}"><w:body>'
                    f'{"".join(paras)}</w:body></{root}>')
        zf.writestr("word/numbering.xml", numbering)
    data = buf.getvalue()
    return mutate(data, rng, rng.choice([0, 0, 0, 1, 2])) if rng.random() < 0.3 else data


def pdf_doc(rng: random.Random) -> bytes:
    lines = [line.encode("ascii", "replace").decode() for line in text_doc(rng).split("\n")[:20]] or ["Trang"]
    content = "BT /F1 11 Tf 60 760 Td 14 TL " + " ".join(
        "(" + s.replace("\\", "").replace("(", "").replace(")", "") + ") '" for s in lines) + " ET"
    sig = rng.choice(["", "/AcroForm << /Fields [6 0 R] /SigFlags 3 >>"])
    objs = [f"<< /Type /Catalog /Pages 2 0 R {sig} >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /FT /Sig /T (S1) /V << /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 10 20 " +
            rng.choice(["30", "x", "-1", "99999999999"]) + "] /Contents <00> /Name (" +
            rng.choice(["An", "\\377\\376", "(", ""]) + ") /M (D:2024" + rng.choice(["0102", "99", "x"]) + ") >> >>"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    data = bytes(out)
    return mutate(data, rng) if rng.random() < 0.5 else data


KINDS = {
    "text": lambda rng: text_doc(rng),
    "text-bytes": lambda rng: mutate(text_doc(rng).encode("utf-8", "surrogatepass"), rng),
    "rtf": lambda rng: mutate(rtf_doc(rng), rng) if rng.random() < 0.5 else rtf_doc(rng),
    "html": lambda rng: mutate(html_doc(rng), rng) if rng.random() < 0.5 else html_doc(rng),
    "docx": docx_doc,
    "pdf": pdf_doc,
}
NAMES = {"text": None, "text-bytes": "x.txt", "rtf": "x.rtf", "html": "x.html", "docx": "x.docx", "pdf": "x.pdf"}
