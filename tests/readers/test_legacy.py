"""Legacy encodings: TCVN3 and VNI tables both ways, detection by content and by font, per format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from vbextract import legacy
from vbextract.errors import MissingToolError
from vbextract.readers import read_bytes

SENTENCE = ("Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Căn cứ Nghị định số "
            "24/2000/NĐ-CP ngày 31/7/2000 của Chính phủ quy định chi tiết thi hành Luật đầu tư nước ngoài; "
            "ủy ban nhân dân tỉnh ban hành quyết định về việc thực hiện kế hoạch năm 2026 như sau")


def test_tcvn3_known_strings():
    assert legacy.decode_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert legacy.decode_tcvn3("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    # PDF text layers that map soft hyphen / middle dot to math symbols
    assert legacy.decode_tcvn3("n\u2212íc x\u2219") == "nước xã"


def test_vni_known_strings():
    assert legacy.decode_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert legacy.decode_vni("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"
    assert legacy.decode_vni("UÛY BAN NHAÂN DAÂN TÆNH KIEÂN GIANG") == "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"
    assert legacy.decode_vni("Nguyeãn Löu Trung") == "Nguyễn Lưu Trung"


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_round_trip_and_detection(enc):
    encoded = legacy.encode_tcvn3(SENTENCE) if enc == "tcvn3" else legacy.encode_vni(SENTENCE)
    assert encoded != SENTENCE
    assert legacy.detect_legacy(encoded) == enc
    text, found = legacy.convert_if_legacy(encoded)
    assert found == enc
    # TCVN3 has no accented capitals: compare case-insensitively for it
    assert (text.lower() if enc == "tcvn3" else text) == (SENTENCE.lower() if enc == "tcvn3" else SENTENCE)


def test_unicode_text_is_left_alone_even_with_a_font_hint():
    for hint in (None, "tcvn3", "vni"):
        assert legacy.convert_if_legacy(SENTENCE, hint) == (SENTENCE, None)
    assert legacy.detect_legacy("The quick brown fox jumps over the lazy dog. Café à la crème.") is None


def test_font_names():
    assert legacy.legacy_from_font(".VnTime") == "tcvn3"
    assert legacy.legacy_from_font(".VnTimeH") == "tcvn3h"
    assert legacy.legacy_from_font("ABCDEF+.VnArial") == "tcvn3"
    assert legacy.legacy_from_font("VNI-Times") == "vni"
    assert legacy.legacy_from_font("Times New Roman") is None


def test_plain_text_file_in_tcvn3():
    data = legacy.encode_tcvn3(SENTENCE).encode("latin-1")
    res = read_bytes(data, "old.txt")
    assert res.source.legacy_conversion == "tcvn3"
    assert res.text.lower() == SENTENCE.lower()


def _docx_with_runs(runs: list[tuple[str, str]]) -> bytes:
    import docx

    d = docx.Document()
    p = d.add_paragraph()
    for text, font in runs:
        r = p.add_run(text)
        r.font.name = font
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_unicode_in_vntime_font_untouched():
    res = read_bytes(_docx_with_runs([(SENTENCE, ".VnTime")]), "u.docx")
    assert res.text == SENTENCE and res.source.legacy_conversion is None


def test_docx_tcvn3_runs_converted_and_vntimeh_upper_cased():
    runs = [("Bé Tµi chÝnh", ".VnTimeH"), (" ", "Times New Roman"), (legacy.encode_tcvn3(SENTENCE), ".VnTime")]
    res = read_bytes(_docx_with_runs(runs), "t.docx")
    assert res.text.startswith("BỘ TÀI CHÍNH ")
    assert res.text[13:].lower() == SENTENCE.lower()
    assert res.source.legacy_conversion == "tcvn3"


def test_docx_vni_runs_converted():
    res = read_bytes(_docx_with_runs([(legacy.encode_vni(SENTENCE), "VNI-Times")]), "v.docx")
    assert res.text == SENTENCE and res.source.legacy_conversion == "vni"


def test_rtf_with_vntime_font_and_hex_bytes():
    body = legacy.encode_tcvn3("Cộng hoà xã hội chủ nghĩa Việt Nam, ngày 5 tháng 6 năm 2026 của Chính phủ")
    escaped = "".join(f"\\'{ord(c):02x}" if ord(c) > 127 else c for c in body)
    rtf = ("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}"
           "{\\f1\\fswiss\\fcharset0 .VnTime;}}{\\info{\\title x}}\\pard\\f1 " + escaped
           + "\\par\\f0 Unicode \\u7879?\\par}")
    res = read_bytes(rtf.encode("ascii"), "a.rtf")
    assert res.text.splitlines() == ["Cộng hoà xã hội chủ nghĩa Việt Nam, ngày 5 tháng 6 năm 2026 của Chính phủ",
                                     "Unicode ệ"]
    assert res.source.legacy_conversion == "tcvn3"


def test_rtf_table_two_columns_left_first():
    row = "\\trowd\\cellx4000\\cellx9000\\intbl ỦY BAN\\par Số: 1/UB\\cell CỘNG HÒA\\par Hà Nội, ngày 1\\cell\\row"
    rtf = "{\\rtf1\\ansi\\uc0 " + "".join(f"\\u{ord(c)} " if ord(c) > 127 else c for c in row) + "\\pard Sau\\par}"
    res = read_bytes(rtf.encode("ascii"), "t.rtf")
    assert [ln for ln in res.text.splitlines() if ln.strip()] == ["ỦY BAN Số: 1/UB", "CỘNG HÒA Hà Nội, ngày 1", "Sau"]


CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "MANIFEST.jsonl").exists(), reason="shared corpus not available")
def test_legacy_corpus_character_accuracy():
    """Converted legacy files against their Unicode transcripts (aggregate numbers only)."""
    rows = [json.loads(x) for x in (CORPUS / "MANIFEST.jsonl").read_text("utf-8").splitlines()]
    scores = []
    for r in rows:
        if r["class"] not in ("legacy-tcvn3", "legacy-vni"):
            continue
        path = CORPUS / r["path"]
        truth = CORPUS / "viparse-corpus" / "ground-truth" / (path.stem + ".txt")
        if not truth.exists():
            continue
        try:
            res = read_bytes(path.read_bytes(), path.name)
        except MissingToolError:  # a legacy .doc needs antiword/catdoc; CI installs them
            continue
        assert res.source.legacy_conversion in ("tcvn3", "vni"), r["path"]
        scores.append(legacy.char_accuracy(res.text, truth.read_text("utf-8")))
    if not scores:
        pytest.skip("no legacy file readable without antiword/catdoc")
    assert sum(scores) / len(scores) > 0.9
