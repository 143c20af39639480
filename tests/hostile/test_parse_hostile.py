"""Hostile single documents: nothing but InputError out of parse, limits that hold, junk refused.

Every reproducer is built here, small: the limits are lowered where a default-sized bomb would
only cost CI time without testing anything more.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

import vbextract
from vbextract import limits
from vbextract.errors import InputError
from vbextract.limits import LimitExceeded, Limits, call_limited, parse_limited


def parse_ok_or_input_error(data, name: str | None = None, **kw):
    """Parse; only InputError may come out, and a result must serialize."""
    try:
        doc = vbextract.parse(data, name=name, use_ml=False, **kw)
    except InputError:
        return None
    doc.model_dump_json()
    return doc


# ----------------------------------------------------------------------------- exceptions (class 5)


@pytest.mark.parametrize("rtf", [
    rb"{\rtf1 \u99999999 x\par}",
    rb"{\rtf1 \u-99999 y\par}",
    rb"{\rtf1 \u" + b"9" * 5000 + rb" z\par}",
    rb"{\rtf1\ansi\ansicpg99999 {\fonttbl{\f0 Arial;}} \f0 caf\'e9\par}",
    rb"{\rtf1\ansi\ansicpg0 text\par}",
    rb"{\rtf1 {\fonttbl{\f" + b"9" * 400 + rb"\fcharset" + b"9" * 50 + rb" A;}} x\par}",
    rb"{\rtf1 \uc99999999999 \u55357\u56832 pair \u56832 lone\par}",
])
def test_rtf_damage_never_raises(rtf):
    doc = parse_ok_or_input_error(rtf, "x.rtf")
    assert doc is not None


def test_rtf_surrogate_pair_is_joined_and_lone_half_replaced():
    doc = vbextract.parse(rb"{\rtf1 a \u-10179\u-8704 b \u-9216 c\par}", name="x.rtf", use_ml=False)
    assert "\U0001f600" in doc.text  # \u-10179\u-8704 is the pair D83D DE00
    assert all(not 0xD800 <= ord(ch) <= 0xDFFF for ch in doc.text)
    assert "\ufffd" in doc.text
    doc.model_dump_json()


def test_str_with_lone_surrogate_parses_and_serializes():
    doc = vbextract.parse("Văn bản \ud800 thử nghiệm\n", use_ml=False)
    assert "\ufffd" in doc.text
    doc.model_dump_json()


NUMBERING = ('<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>'
             '<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
             '<w:num w:numId="1"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="{ilvl}">'
             '<w:startOverride w:val="{start}"/></w:lvlOverride></w:num>')


@pytest.mark.parametrize(("ilvl", "start", "fmt"), [
    ("x", "1", "decimal"), ("99999999999999", "1", "decimal"), ("-3", "1", "decimal"), ("0", "abc", "decimal"),
    ("0", "9" * 40, "upperRoman"), ("0", "-5", "lowerLetter"), ("8", "1", "decimal"),
])
def test_docx_numbering_damage_never_raises(build, ilvl, start, fmt):
    data = build.docx_bytes(build.para("Nội dung", (ilvl, "1")) + build.para("Tiếp", ("0", "1")),
                            numbering=NUMBERING.format(ilvl=ilvl, start=start, fmt=fmt))
    doc = parse_ok_or_input_error(data, "x.docx")
    assert doc is not None and "Nội dung" in doc.text


def test_docx_whose_root_is_not_a_document_is_an_input_error(build):
    with pytest.raises(InputError, match="w:document"):
        vbextract.parse(build.docx_bytes(build.para("A"), root="w:notdocument"), name="x.docx", use_ml=False)


@pytest.mark.parametrize("charset", ["idna", "punycode", "no-such-codec", "utf-7"])
def test_html_meta_charset_naming_odd_codecs(charset):
    html = f'<html><head><meta charset="{charset}"></head><body><p>Kính gửi: Sở Tài chính</p></body></html>'
    assert parse_ok_or_input_error(html.encode(), "x.html") is not None


def test_html_lt_a_runs_parse_quickly():
    started = time.monotonic()
    parse_ok_or_input_error(("<html><body>" + "<a" * 100_000).encode(), "x.html")
    assert time.monotonic() - started < 5


# ----------------------------------------------------------------------------- junk (class 7)


@pytest.mark.parametrize("ext", [".bin", ".pdf", ".docx", ".txt", ""])
def test_random_bytes_are_not_a_document(ext):
    data = random.Random(ext).randbytes(6000)
    with pytest.raises(InputError, match="not a document"):
        vbextract.parse(data, name=f"junk{ext}", use_ml=False)


def test_pdf_and_docx_names_on_text_content_say_so():
    with pytest.raises(InputError, match="not PDF"):
        vbextract.parse("Kính gửi: Sở Tài chính\n".encode(), name="thu.pdf", use_ml=False)


def test_legacy_vietnamese_bytes_are_still_text():
    tcvn3 = "Uû ban nh©n d©n tØnh\nKÝnh göi: Së Tµi chÝnh\n".encode("latin-1")
    assert vbextract.parse(tcvn3, name="cu.txt", use_ml=False).text


def test_missing_path_is_an_input_error_not_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("missing.pdf", "hồ sơ/công văn 12.docx", str(tmp_path / "nope.txt")):
        with pytest.raises(InputError, match="no such file"):
            vbextract.parse(name)


def test_one_line_text_is_still_text():
    assert vbextract.parse("Kính gửi: Sở Tài chính", use_ml=False).text


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "fifo", "dir"])
def test_special_files_are_refused_before_reading(tmp_path, special):
    if special == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
    elif special == "dir":
        path = tmp_path
    else:
        path = Path(special)
        if not path.exists():
            pytest.skip(f"{special} missing")
    started = time.monotonic()
    with pytest.raises(InputError):
        vbextract.parse(path)
    with pytest.raises(InputError):
        vbextract.parse(str(path))
    assert time.monotonic() - started < 5


def test_scanned_pdf_without_ocr_tools_warns(build, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    doc = vbextract.parse(build.pdf_bytes(1, text=""), name="scan.pdf", use_ml=False)
    assert doc.warnings, "an image-only PDF must not give silent empty text"


# ----------------------------------------------------------------------------- limits (class 3)


def test_docx_xml_bomb_is_refused_quickly_with_default_limits(build):
    bomb = build.docx_bytes(build.para("Điều 1. Nội dung của điều khoản") * 1_000_000)  # ~70 MB of XML
    assert len(bomb) < 2 * limits.MiB
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="max_decompressed_mb") as info:
        vbextract.parse(bomb, name="bomb.docx", use_ml=False)
    assert info.value.limit == "max_decompressed_mb"
    assert time.monotonic() - started < 20


def test_decompressed_limit_is_configurable(build):
    doc = build.docx_bytes(build.para("Điều 1.") * 8_000)  # ~600 KB of XML
    with pytest.raises(LimitExceeded):
        vbextract.parse(doc, name="x.docx", use_ml=False, limits=Limits(max_decompressed_mb=0.25))
    assert vbextract.parse(doc, name="x.docx", use_ml=False, limits=Limits(max_decompressed_mb=2)).text


def test_pdf_page_limit(build):
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="1000 page limit"):
        vbextract.parse(build.pdf_bytes(1200), name="long.pdf", use_ml=False)
    assert time.monotonic() - started < 20


def test_input_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (200 * 1024))
    with pytest.raises(LimitExceeded, match="100 KiB"):
        vbextract.parse(big, limits=Limits(max_input_mb=100 / 1024))


def test_in_process_deadline_stops_between_stages():
    text = "Kính gửi: Sở Tài chính\n" + "1. Sở Tài chính chủ trì thực hiện.\n" * 50
    with pytest.raises(LimitExceeded, match="time limit"):
        vbextract.parse(text, use_ml=False, limits=Limits(timeout_s=1e-9))


def test_child_time_limit_kills_and_names_the_limit():
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as info:
        call_limited(time.sleep, 60, limits=Limits(timeout_s=1.0), context="fork")
    assert info.value.limit == "timeout_s"
    assert time.monotonic() - started < 10


def test_child_memory_limit_names_the_limit():
    with pytest.raises(LimitExceeded) as info:
        call_limited(bytes, 16 * 1024**3, limits=Limits(max_memory_mb=2048), context="fork")
    assert info.value.limit == "max_memory_mb"


def test_parse_limited_returns_the_document_and_passes_input_errors(tmp_path):
    src = tmp_path / "cv.txt"
    src.write_text("ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nKính gửi: Sở Tài chính\n", encoding="utf-8")
    doc = parse_limited(src, limits=Limits(timeout_s=60), use_ml=False, context="fork")
    assert doc.text.startswith("ỦY BAN")
    with pytest.raises(InputError):
        parse_limited(b"", name="empty.txt", use_ml=False, context="fork")


def test_memory_error_in_a_stage_is_not_a_warning(monkeypatch):
    from vbextract import pipeline

    def hungry(doc):
        raise MemoryError

    monkeypatch.setattr(pipeline, "STAGES", [*pipeline.STAGES[:1], ("tasks", hungry)])
    with pytest.raises(MemoryError):
        vbextract.parse("Kính gửi: Sở Tài chính\n1. Sở A chủ trì.\n", use_ml=False)


def test_memory_error_in_docx_is_not_called_damage(build, monkeypatch):
    import docx

    def hungry(*a, **k):
        raise MemoryError

    monkeypatch.setattr(docx, "Document", hungry)
    with pytest.raises(MemoryError):
        vbextract.parse(build.docx_bytes(build.para("A")), name="x.docx", use_ml=False)


# ----------------------------------------------------------------------------- speed-dependent results (class 6)


def test_pattern_timeout_is_per_match_not_per_loop():
    """A slow caller between matches must not make a pattern time out (results would depend on
    the machine's speed). Before: GrammarTimeout after about 1,100 of 2,000 matches."""
    from vbextract import grammars

    p = grammars.Pattern("test_deadline", r"trước ngày (\d+)/(\d+)/(\d{4})")
    n = 600
    text = "".join(f"{i}. Giao Sở Tài chính chủ trì nhiệm vụ {i}, trước ngày 1/2/2024.\n" for i in range(n))
    seen = 0
    for _ in p.finditer(text):
        until = time.perf_counter() + 2 * grammars.MATCH_TIMEOUT / n  # the loop costs 2× the limit in all
        while time.perf_counter() < until:
            pass
        seen += 1
    assert seen == n


def test_many_dated_tasks_all_get_deadlines():
    n = 400
    text = "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 1/UBND-VP\nV/v thử\nKính gửi: Sở Tài chính\n" + "".join(
        f"{i}. Giao Sở Tài chính chủ trì thực hiện nhiệm vụ {i}, trước ngày 1/2/2024.\n" for i in range(1, n + 1))
    doc = vbextract.parse(text, use_ml=False)
    assert not [w for w in doc.warnings if "Timeout" in w]
    assert len(doc.deadlines) >= n - 1


# ----------------------------------------------------------------------------- slow texts (class 4)

SLOW_TEXTS = {
    "spaces": lambda: "Kính gửi: Sở A\n" + " " * 100_000 + "\n1. Sở A chủ trì.\n",
    "html_lt_a": lambda: "<html><body>" + "<a" * 100_000,
    "can_cu_lines": lambda: "QUYẾT ĐỊNH\n" + "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n" * 5000,
    "table_rows": lambda: "KẾ HOẠCH\n" + "".join(f"| {i} | Sở Tài chính | Sở Nội vụ | Quý IV/2025 |\n"
                                                  for i in range(2000)),
    "one_long_line": lambda: "Kính gửi: Sở A. " + "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ. " * 12_000,
}


@pytest.mark.parametrize("kind", sorted(SLOW_TEXTS))
def test_slow_texts_end_within_the_time_limit(kind):
    """Under a hard limit, a slow text either parses or fails naming the limit — in time."""
    data = SLOW_TEXTS[kind]()
    name = "x.html" if kind.startswith("html") else "x.txt"
    started = time.monotonic()
    try:
        parse_limited(data.encode("utf-8"), name=name, use_ml=False, context="fork",
                      limits=Limits(timeout_s=8.0, max_memory_mb=4096))
    except LimitExceeded as exc:
        assert exc.limit in ("timeout_s", "max_memory_mb")
    assert time.monotonic() - started < 20


def test_damaged_signature_dictionary_keeps_the_readable_pdf():
    import importlib.util

    spec = importlib.util.spec_from_file_location("vbx_fuzzgen", Path(__file__).with_name("fuzzgen.py"))
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)

    class Undamaged(random.Random):
        def random(self) -> float:  # never take the byte-mutation branch
            return 0.9

    kept = 0
    for seed in range(12):
        data = gen.pdf_doc(Undamaged(seed))
        if b"/SigFlags" not in data or b"/ByteRange [0 10 20 30]" in data:
            continue  # only signature dictionaries that are damaged
        doc = vbextract.parse(data, name="signed.pdf", use_ml=False)
        assert doc.source.pages == 1
        kept += 1
    assert kept


def test_damaged_docx_zip_streams_are_input_errors(build):
    """Byte damage inside the deflate streams (zlib.error, CRC errors) is damage, not a crash."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("vbx_fuzzgen", Path(__file__).with_name("fuzzgen.py"))
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    base = build.docx_bytes("".join(build.para(f"Điều {i}. Sở Tài chính chủ trì thực hiện.") for i in range(60)))
    for seed in range(150):
        parse_ok_or_input_error(gen.mutate(base, random.Random(seed), 2), "x.docx")
