"""edXML (QCVN 102:2016/BTTTT): the packet validates against the schema written from the
standard (lxml), every child is prefixed ``edXML:``, it round-trips, OrganId is never invented."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from vbextract import parse
from vbextract.cli import main
from vbextract.export.edxml import (
    XSD_PATH,
    Message,
    OrganIds,
    from_xml,
    message_from_document,
    priority_of,
    problems,
    to_xml,
    type_code,
    validate,
)

pytest.importorskip("lxml")  # installed with the dev tools; the schema checks need it

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CV = SEEDS / "002_65f01fc30d0adf68.txt"  # Công văn 403/UBND-KGVX, Kiên Giang, 06/4/2021
NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
MAPPING = {  # fictional codes, as a user would supply them
    "UBND tỉnh Kiên Giang": {"id": "000.00.00.H33", "address": "06 Nguyễn Công Trứ, Rạch Giá"},
    "Giám đốc (Thủ trưởng) các sở, ban, ngành, đoàn thể cấp tỉnh": {"id": "000.00.00.H33.SBN", "address": "Rạch Giá"},
    "Chủ tịch UBND các huyện, thành phố": {"id": "000.00.00.H33.HTP", "address": "Kiên Giang"},
    "Bộ Lao động - Thương binh và Xã hội": "000.00.00.G14",
}


@pytest.fixture(scope="module")
def cv():
    return parse(CV.read_bytes(), name=str(CV), use_ml=False)


def test_full_packet_validates_and_is_prefixed(cv):
    msg = message_from_document(cv, OrganIds(MAPPING), attachment=CV, now=NOW)
    assert problems(msg) == []
    xml = to_xml(msg)
    assert validate(xml) == []
    text = xml.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">')
    assert '<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">' in text
    envelope = text[text.index("<edXML:edXMLEnvelope"):text.index("</edXML:edXMLEnvelope>")]
    tags = re.findall(r"</?([\w:]+)", envelope)
    assert tags and all(t.startswith("edXML:") for t in tags)  # the VPCP reader wants the prefix on every child
    attachments = text[text.index("<AttachmentEncoded>"):]
    assert "edXML:" not in attachments  # outside the envelope, unprefixed as in the standard's samples


def test_fields_come_from_the_document(cv):
    msg = from_xml(to_xml(message_from_document(cv, OrganIds(MAPPING), attachment=CV, now=NOW)))
    assert (msg.code_number, msg.code_notation) == ("403", "UBND-KGVX")
    assert (msg.place, msg.promulgation_date) == ("Kiên Giang", "2021/04/06")
    assert (msg.type_code, msg.type_name) == (18, "Công văn")
    assert msg.subject == cv.header.subject
    assert (msg.sender.organ_id, msg.sender.name) == ("000.00.00.H33", "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG")
    assert [o.name for o in msg.recipients] == cv.recipients
    assert (msg.competence, msg.position, msg.full_name) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Lưu Trung")
    assert msg.due_date == "2021/05/20"  # "báo cáo … (trước ngày 20/5)", the document's own deadline
    assert msg.to_places[0] == "Như trên" and len(msg.to_places) == len(cv.distribution)
    assert (msg.priority, msg.typer_notation, msg.promulgation_amount) == (0, "tthuy", 3)  # "Lưu: VT, tthuy (03b)"
    assert [r.code for r in msg.response_for] == ["375/LĐTBXH-TE"]  # "Thực hiện Công văn số 375/…"
    assert msg.response_for[0].promulgation_date == "2021/02/23"
    assert msg.response_for[0].organ_id == "000.00.00.G14"
    assert msg.response_for[0].document_id == "000.00.00.G14,2021/02/23,375/LĐTBXH-TE"
    assert msg.document_id == "000.00.00.H33,2021/04/06,403/UBND-KGVX"
    assert msg.timestamp == "2026/01/02 10:04:05"  # Vietnam time
    (att,) = msg.attachments
    assert att.data == CV.read_bytes() and att.name == CV.name and att.content_type == "text/plain"


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_seed_round_trips(seed):
    doc = parse(seed.read_bytes(), name=str(seed), use_ml=False)
    msg = message_from_document(doc, OrganIds(MAPPING), attachment=seed, now=NOW)
    xml = to_xml(msg)
    assert from_xml(xml) == msg
    assert to_xml(from_xml(xml)) == xml
    # what the schema refuses is exactly what problems() names: a complete packet is a valid one
    assert (validate(xml) == []) == (problems(msg) == [])


def test_organ_id_is_never_invented(cv):
    msg = message_from_document(cv, now=NOW)
    xml = to_xml(msg)
    assert b"OrganId" not in xml and b"DocumentId>" not in xml.split(b"TraceHeaderList")[0]
    assert msg.sender.organ_id is None and all(o.organ_id is None for o in msg.recipients)
    assert any("OrganId" in p and "--organ-ids" in p for p in problems(msg))
    errors = validate(xml)
    assert errors and any("OrganId" in e for e in errors)
    assert b"<edXML:TraceHeader>" not in xml  # a hop needs the sender's id


def test_schema_refuses_what_the_standard_forbids(cv):
    good = to_xml(message_from_document(cv, OrganIds(MAPPING), now=NOW))
    assert validate(good) == []
    for old, new in ((b"2021/04/06</edXML:PromulgationDate>", b"2021-04-06</edXML:PromulgationDate>"),
                     (b"<edXML:Priority>0<", b"<edXML:Priority>7<"),
                     (b"<edXML:OrganId>000.00.00.H33</edXML:OrganId>", b"<edXML:OrganId>" + b"9" * 36 + b"</edXML:OrganId>"),
                     (b"<edXML:Subject>", b"<edXML:Subjec>")):
        bad = good.replace(old, new, 1).replace(b"</edXML:Subject>", b"</edXML:Subjec>", 1 if old == b"<edXML:Subject>" else 0)
        assert bad != good
        assert validate(bad), old


def test_the_spec_sample_validates():
    att = base64.b64encode(b"%PDF-1.4 sample").decode()
    sample = f"""<?xml version="1.0" encoding="utf-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLHeader>
   <edXML:MessageHeader>
    <edXML:From><edXML:OrganId>000.00.00.H01</edXML:OrganId><edXML:OrganName>UBND tỉnh X</edXML:OrganName><edXML:OrganAdd>X</edXML:OrganAdd></edXML:From>
    <edXML:To><edXML:OrganId>000.01.00.H01</edXML:OrganId><edXML:OrganName>Sở Tài chính tỉnh X</edXML:OrganName><edXML:OrganAdd>X</edXML:OrganAdd></edXML:To>
    <edXML:Code><edXML:CodeNumber>1234</edXML:CodeNumber><edXML:CodeNotation>UBND-KT</edXML:CodeNotation></edXML:Code>
    <edXML:PromulgationInfo><edXML:Place>X</edXML:Place><edXML:PromulgationDate>2025/08/15</edXML:PromulgationDate></edXML:PromulgationInfo>
    <edXML:DocumentType><edXML:Type>2</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
    <edXML:Subject>V/v triển khai nhiệm vụ</edXML:Subject>
    <edXML:SignerInfo><edXML:Competence>KT. CHỦ TỊCH</edXML:Competence><edXML:Position>PHÓ CHỦ TỊCH</edXML:Position><edXML:FullName>Nguyễn Văn A</edXML:FullName></edXML:SignerInfo>
    <edXML:DueDate>2025/09/30</edXML:DueDate>
    <edXML:ToPlaces><edXML:Place>Như trên</edXML:Place><edXML:Place>Lưu: VT, KT</edXML:Place></edXML:ToPlaces>
    <edXML:OtherInfo><edXML:Priority>1</edXML:Priority><edXML:SphereOfPromulgation>Toàn tỉnh</edXML:SphereOfPromulgation>
      <edXML:TyperNotation>KT</edXML:TyperNotation><edXML:PromulgationAmount>5</edXML:PromulgationAmount><edXML:PageAmount>3</edXML:PageAmount></edXML:OtherInfo>
    <edXML:SteeringType>2</edXML:SteeringType>
    <edXML:DocumentId>000.00.00.H01,2025/08/15,1234/UBND-KT</edXML:DocumentId>
   </edXML:MessageHeader>
   <edXML:TraceHeaderList>
    <edXML:TraceHeader><edXML:OrganId>000.00.00.H01</edXML:OrganId><edXML:Timestamp>2025/08/15 09:00:00</edXML:Timestamp></edXML:TraceHeader>
    <edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType><edXML:Paper>0</edXML:Paper></edXML:Bussiness>
   </edXML:TraceHeaderList>
  </edXML:edXMLHeader>
  <edXML:edXMLBody><edXML:edXMLManifest version="1.0">
    <edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:abc" xlink:type="simple">
      <edXML:AttachmentName>1234-UBND-KT.pdf</edXML:AttachmentName><edXML:ContentType>application/pdf</edXML:ContentType><edXML:ContentId>cid:abc</edXML:ContentId>
    </edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>
 </edXML:edXMLEnvelope>
 <AttachmentEncoded><Attachment><ContentId>abc</ContentId><ContentType>application/pdf</ContentType><ContentTransferEncoded>{att}</ContentTransferEncoded><AttachmentName>1234-UBND-KT.pdf</AttachmentName></Attachment></AttachmentEncoded>
</edXML>""".encode()
    assert validate(sample) == []
    msg = from_xml(sample)
    assert isinstance(msg, Message) and msg.priority == 1 and msg.attachments[0].data == b"%PDF-1.4 sample"
    assert msg.sender.organ_id == "000.00.00.H01" and msg.due_date == "2025/09/30"


def test_codes():
    assert [priority_of(u) for u in (None, "KHẨN", "Thượng khẩn", "HỎA TỐC", "Hoả tốc hẹn giờ")] == [0, 1, 2, 3, 4]
    assert (type_code("Công văn"), type_code("Kế hoạch"), type_code("Quyết định"), type_code("Giấy mời")) == (18, 10, 2, 25)
    assert type_code("Luật") is None and type_code(None) is None
    assert "targetNamespace=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"" in XSD_PATH.read_text(encoding="utf-8")


def test_mapping_files(tmp_path):
    (tmp_path / "ids.csv").write_text("name,id,address\nUBND tỉnh Kiên Giang,000.00.00.H33,Rạch Giá\n", encoding="utf-8")
    (tmp_path / "ids.tsv").write_text("Ủy ban nhân dân tỉnh Kiên Giang\t000.00.00.H33\n", encoding="utf-8")
    (tmp_path / "ids.json").write_text(json.dumps({"UBND TỈNH KIÊN GIANG": "000.00.00.H33"}), encoding="utf-8")
    for name in ("ids.csv", "ids.tsv", "ids.json"):
        ids = OrganIds.load(tmp_path / name)
        assert len(ids) == 1
        assert ids.get("ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG")["id"] == "000.00.00.H33", name
        assert ids.get("ỦY BAN NHÂN DÂN TỈNH AN GIANG") is None
    assert OrganIds.load(tmp_path / "ids.csv").get("UBND tỉnh Kiên Giang")["address"] == "Rạch Giá"
    (tmp_path / "long.json").write_text(json.dumps({"X": "1" * 36}), encoding="utf-8")
    with pytest.raises(ValueError, match="35"):
        OrganIds.load(tmp_path / "long.json")


def test_export_command(tmp_path, seeds_dir, capsysbinary):
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    cv = seeds_dir / CV.name
    out = tmp_path / "cv.edxml"
    assert main(["export", str(cv), "--to", "edxml", "--organ-ids", str(ids), "-o", str(out), "--strict",
                 "--no-ml"]) == 0
    assert validate(out.read_bytes()) == []
    assert from_xml(out.read_bytes()).attachments[0].data == cv.read_bytes()
    # without the mapping the packet is written but incomplete: --strict says so with exit 1
    assert main(["export", str(cv), "--to", "edxml", "-o", str(tmp_path / "bare.edxml"), "--strict", "--no-ml"]) == 1
    err = capsysbinary.readouterr().err.decode()
    assert "incomplete: From: no OrganId" in err and b"OrganId" not in (tmp_path / "bare.edxml").read_bytes()
    # several documents → a folder; from batch records the original file is attached when unchanged
    records = tmp_path / "docs.jsonl"
    main(["batch", "-q", str(seeds_dir), "-o", str(records), "--no-ml"])
    assert main(["export", str(records), "--to", "edxml", "--organ-ids", str(ids), "-o", str(tmp_path / "all")]) == 0
    files = sorted((tmp_path / "all").glob("*.edxml"))
    assert len(files) == 5 and (tmp_path / "all" / "403-UBND-KGVX.edxml").exists()
    for f in files:
        assert from_xml(f.read_bytes()).attachments, f.name
    capsysbinary.readouterr()
    assert main(["export", str(cv), "--to", "edxml", "-o", "-", "--no-ml"]) == 0
    assert from_xml(capsysbinary.readouterr().out).code_notation == "UBND-KGVX"
    assert main(["export", str(records), "--to", "edxml", "-o", "-"]) == 2  # several packets, one stdout
    assert main(["export", str(records), "--to", "ics", "-o", str(tmp_path / "t.ics")]) == 0
    assert (tmp_path / "t.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
