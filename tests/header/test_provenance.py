"""Class 10 of issue 10: a value not read where the form prints it says where it came from.

``Header.provenance`` / ``Signature.provenance`` map a field name to one of ``model`` (the zone
model of the hybrid stage), ``pdf-stamp`` (the PDF reader wrote it into a blank from the signing
stamp), ``pdf-signature`` (the digital signature's signing time), ``authority-line`` (the issuing
authority line under the trích yếu), ``body`` (the body text). Strings written for these tests in
the printed forms; the signed PDFs of ``../shared/corpus`` are read when present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import vbextract.ml as ml
from vbextract import parse
from vbextract.document import PdfSignature, Source
from vbextract.pipeline import parse_read
from vbextract.readers import ReadResult
from vbextract.readers.pdf import recover_stamped_fields

LETTER = ("ỦY BAN NHÂN DÂN\nHUYỆN LẠC THỦY\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
          "Số: 214/UBND-VX\nLạc Thủy, ngày 09 tháng 4 năm 2026\n{subject}"
          "Kính gửi:\n- Ủy ban nhân dân các xã, thị trấn;\n- Phòng Giáo dục và Đào tạo huyện.\n"
          "Căn cứ Kế hoạch số 31/KH-UBND ngày 02/3/2026 của UBND huyện về công tác gia đình;\n"
          "1. Giao Phòng Văn hóa và Thông tin huyện chủ trì, phối hợp với Trung tâm Y tế huyện tổ chức "
          "tuyên truyền trước ngày 30/4/2026.\n2. Đề nghị Ủy ban MTTQ huyện phối hợp thực hiện.\n"
          "Nơi nhận:\n- Như trên;\n- Lưu: VT, VX.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n{signer}")
SUBJECT = "V/v tổ chức Ngày Gia đình Việt Nam năm 2026\n"

needs_models = pytest.mark.skipif(not ml.available(), reason="statistical models not installed")


def _letter(subject: str = SUBJECT, signer: str = "Đinh Văn Quảng\n", *, use_ml: bool):
    return parse(LETTER.format(subject=subject, signer=signer).encode(), name="cv.txt", use_ml=use_ml)


def test_printed_values_carry_no_provenance():
    d = _letter(use_ml=True)
    assert d.header.subject == "tổ chức Ngày Gia đình Việt Nam năm 2026"
    assert d.header.provenance == {} and d.signature is not None and d.signature.provenance == {}


@needs_models
def test_subject_filled_by_the_model_says_so():
    # the "V/v" was lost (a converter dropped the cell's first word): the rules find no trích yếu
    lost = "Tăng cường công tác phòng, chống đuối nước trẻ em năm 2026\n"
    assert _letter(lost, use_ml=False).header.subject is None
    h = _letter(lost, use_ml=True).header
    assert h.subject == "Tăng cường công tác phòng, chống đuối nước trẻ em năm 2026"
    assert h.provenance == {"subject": "model"}


@needs_models
def test_model_strips_every_vv_spelling():
    h = _letter("V.v tăng cường công tác phòng, chống đuối nước trẻ em năm 2026\n", use_ml=True).header
    assert h.subject == "tăng cường công tác phòng, chống đuối nước trẻ em năm 2026"
    assert h.provenance["subject"] == "model"


@needs_models
def test_signer_filled_by_the_model_says_so():
    # the signing tool's line "Ký bởi: …" is not a name line for the rules
    rules = _letter(signer="Ký bởi: Đinh Văn Quảng\n", use_ml=False).signature
    assert rules is not None and rules.signer is None
    sig = _letter(signer="Ký bởi: Đinh Văn Quảng\n", use_ml=True).signature
    assert sig is not None and sig.signer == "Đinh Văn Quảng"
    assert sig.provenance == {"signer": "model"}  # the titles were read by the rules


def test_issuer_from_the_authority_line():
    text = ("| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc |\nSố: 1812/NQ-UBTVQH15 |\n|\n\n"
            "**NGHỊ QUYẾT**\n\n**Về việc thành lập thị trấn Ba Hàng Đồi thuộc huyện Lạc Thủy**\n\n---------\n\n"
            "**ỦY BAN THƯỜNG VỤ QUỐC HỘI**\n\n*Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;*\n")
    h = parse(text.encode(), name="page.md", use_ml=False).header
    assert h.issuer == "ỦY BAN THƯỜNG VỤ QUỐC HỘI" and h.issuer_inferred
    assert h.provenance["issuer"] == "authority-line"


def test_date_of_adoption_comes_from_the_body():
    text = ("QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLuật số: 41/2026/QH15\n\n"
            "LUẬT\nTHƯ VIỆN CÔNG CỘNG\n\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n\n"
            "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về thư viện công cộng.\n\n"
            "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 11 thông qua "
            "ngày 19 tháng 2 năm 2026.\n")
    h = parse(text.encode(), name="luat.txt", use_ml=False).header
    assert h.date == "2026-02-19" and h.date_source == "body"
    assert h.provenance.get("date") == "body"


HEAD_BLANK = ("ỦY BAN NHÂN DÂN\nHUYỆN LẠC THỦY\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
              "Số: /KH-UBND\nLạc Thủy, ngày tháng 7 năm 2026\n\nKẾ HOẠCH\nTổ chức Tháng hành động vì trẻ em\n\n"
              "I. MỤC ĐÍCH\n1. Giao Phòng Văn hóa và Thông tin huyện chủ trì tổ chức tuyên truyền.\n")


def _read(text: str, **source) -> ReadResult:
    return ReadResult(text, Source(format="pdf", **source))


def test_date_from_the_digital_signature():
    sig = PdfSignature(name="Ủy ban nhân dân huyện Lạc Thủy", signing_time="2026-07-14T09:12:00+07:00")
    h = parse_read(_read(HEAD_BLANK, signatures=[sig]), use_ml=False).header
    assert h.date == "2026-07-14" and h.date_source == "signature"
    assert h.provenance == {"date": "pdf-signature"}


class _Stamp:
    """What ``ocr.pdftotext_page_async`` hands back: poppler's page 1, stamp included."""

    def __init__(self, text: str) -> None:
        self.text = text

    def result(self) -> str:
        return self.text

    def cancel(self) -> None:  # pragma: no cover - not called when the blank exists
        raise AssertionError("the stamp was needed")


STAMPED = ("ỦY BAN NHÂN DÂN\nHUYỆN LẠC THỦY\nSố: 388/KH-UBND\nLạc Thủy, ngày 14 tháng 7 năm 2026\nKẾ HOẠCH\n")


def test_reader_hands_over_the_spans_it_filled():
    warnings: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    text = recover_stamped_fields(b"", HEAD_BLANK, warnings, _Stamp(STAMPED), spans)
    assert text[slice(*spans["number"])] == "Số: 388/KH-UBND"
    assert text[slice(*spans["date"])] == "ngày 14 tháng 7 năm 2026"
    assert any("signature stamp" in w for w in warnings)


def test_reader_span_survives_a_longer_number_before_the_date():
    # the day is filled second; the number filled first lengthens the text before it
    spans: dict[str, tuple[int, int]] = {}
    stamp = _Stamp("Số: 12345/KH-UBND\nLạc Thủy, ngày 3 tháng 7 năm 2026\n")
    text = recover_stamped_fields(b"", HEAD_BLANK, [], stamp, spans)
    assert text[slice(*spans["date"])] == "ngày 3 tháng 7 năm 2026"
    assert text[slice(*spans["number"])] == "Số: 12345/KH-UBND"


def test_header_marks_the_fields_the_stamp_filled():
    spans: dict[str, tuple[int, int]] = {}
    text = recover_stamped_fields(b"", HEAD_BLANK, [], _Stamp(STAMPED), spans)
    h = parse_read(_read(text, recovered=spans), use_ml=False).header
    assert (h.number, h.date) == ("388", "2026-07-14")
    assert h.provenance == {"number": "pdf-stamp", "date": "pdf-stamp"}


def test_a_span_elsewhere_marks_nothing():
    text = HEAD_BLANK.replace("Số: /KH-UBND", "Số: 388/KH-UBND")
    at = text.index("Giao")  # a recovered span that is not the header's number line
    h = parse_read(_read(text, recovered={"number": (at, at + 4)}), use_ml=False).header
    assert h.number == "388" and "number" not in h.provenance


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SIGNED = [  # signed PDFs whose number and day the signing tool stamped over blanks
    "skill-sct/hnh-sct-vn/van-ban-goc/04-uy-quyen-quy-trinh/CV-3686-UBND-XD-kien-nghi-BXD-PCCC-VLNCN.pdf",
    "ocr-local-vbhc/backup/vht534.signed_20250510_124908.pdf",
    "skill-sct/hnh-sct-vn/van-ban-goc/04-uy-quyen-quy-trinh/VB-giao-tham-gia-phoi-hop.pdf",
]


@pytest.mark.parametrize("rel", SIGNED, ids=lambda r: Path(r).stem[:24])
def test_signed_corpus_pdf_says_what_the_stamp_gave(rel):
    import shutil

    path = CORPUS / rel
    if not path.exists():
        pytest.skip("corpus file absent")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    d = parse(path.read_bytes(), name=path.name, use_ml=False)
    assert d.source.signatures and d.source.recovered
    for name in d.source.recovered:
        assert d.header.provenance.get(name) == "pdf-stamp", name
        assert getattr(d.header, name)
    stamped = [n.message for n in d.notices if "signature stamp" in n.message]
    assert stamped, "the stamp is also said in a warning"
    # a value the header did not get from the stamp is not marked as such
    assert all(v != "pdf-stamp" or k in d.source.recovered for k, v in d.header.provenance.items())
