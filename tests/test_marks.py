"""Mark once, read many: the ``marks`` stage marks every line once; zones, the signature block,
Nơi nhận and the section tree read those marks (``vbextract.marks``)."""

from __future__ import annotations

from vbextract import pipeline
from vbextract.doc import WorkDoc
from vbextract.marks import ensure_marks, mark_lines, split_signature_line
from vbextract.parts import zones

CONG_VAN = (
    "ỦY BAN NHÂN DÂN\nHUYỆN YÊN THẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 215/UBND-VP\nYên Thế, ngày 12 tháng 6 năm 2025\nV/v tăng cường công tác phòng chống thiên tai\n"
    "Kính gửi:\n- Ủy ban nhân dân các xã, thị trấn;\n- Phòng Nông nghiệp và Môi trường huyện.\n"
    "Căn cứ Kế hoạch số 88/KH-UBND ngày 02/4/2025 của UBND tỉnh;\n"
    "I. NHIỆM VỤ TRỌNG TÂM\n"
    "1. Giao Phòng Nông nghiệp và Môi trường chủ trì rà soát các điểm xung yếu trước ngày 30/6/2025.\n"
    "a) Kiểm tra hệ thống đê điều;\n- Báo cáo kết quả về UBND huyện.\n"
    "(1) Sở Tài chính bố trí kinh phí.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nHoàng Văn Minh\n"
)


def _doc(text: str) -> WorkDoc:
    doc = WorkDoc(text=text)
    mark_lines(doc)
    return doc


def _line(doc: WorkDoc, start: str) -> int:
    return next(i for i, ln in enumerate(doc.lines) if ln.stripped.startswith(start))


def test_one_mark_list_per_line_with_the_landmarks():
    doc = _doc(CONG_VAN)
    assert len(doc.marks) == len(doc.lines)
    assert doc.marks[_line(doc, "Kính gửi")].has("kinh_gui")
    assert doc.marks[_line(doc, "Căn cứ")].marker("legal_basis_verb")["verb"] == "căn cứ"
    assert doc.marks[_line(doc, "Căn cứ")].has("subject_stop")
    assert doc.marks[_line(doc, "Nơi nhận")].has("noi_nhan")
    kt = doc.marks[_line(doc, "KT. CHỦ TỊCH")]
    assert kt.marker("authority")["mk"] == "KT." and kt.has("signature_open")
    assert doc.marks[_line(doc, "PHÓ CHỦ TỊCH")].has("signature_open")
    assert not doc.marks[_line(doc, "Hoàng Văn Minh")].markers  # a name opens no block
    prose = doc.marks[_line(doc, "1. Giao")]
    assert not prose.markers and [m.name for m in prose.labels] == ["arabic_label"]


def test_a_second_list_of_addressees_is_marked():
    doc = _doc("Kính gửi: Sở Tài chính.\nĐồng kính gửi:\n- Kho bạc Nhà nước khu vực VI;\n- Thuế tỉnh.\n")
    assert doc.marks[0].has("kinh_gui") and not doc.marks[0].has("dong_kinh_gui")
    assert doc.marks[1].has("dong_kinh_gui") and not doc.marks[1].has("kinh_gui")
    d = pipeline.parse_text(CONG_VAN.replace("Căn cứ", "Đồng kính gửi:\n- Sở Tài chính.\nCăn cứ"), use_ml=False)
    assert "Sở Tài chính" in d.recipients


def test_label_marks_carry_their_groups_and_spans():
    doc = _doc(CONG_VAN)
    roman = doc.marks[_line(doc, "I. NHIỆM VỤ")].label("roman_label")
    assert roman is not None and roman["num"] == "I" and roman["rest"] == "NHIỆM VỤ TRỌNG TÂM"
    ln = doc.lines[_line(doc, "I. NHIỆM VỤ")]
    assert (roman.start, roman.end) == (ln.start, ln.end)
    assert doc.text[roman.start + roman.offset("rest") : roman.end] == "NHIỆM VỤ TRỌNG TÂM"
    letter = doc.marks[_line(doc, "a) Kiểm tra")].label("letter_label")
    assert letter is not None and letter["num"] == "a" and letter.offset("rest") == 3
    assert doc.marks[_line(doc, "(1) Sở Tài chính")].label("paren_number_label")["num"] == "1"
    assert doc.marks[_line(doc, "- Báo cáo")].label("bullet")["mark"] == "-"
    assert roman.offset("missing") == -1 and roman["missing"] is None


def test_a_line_may_carry_several_labels_the_reader_picks_by_context():
    doc = _doc("i) Kiểm tra việc thực hiện\n")
    assert [m.name for m in doc.marks[0].labels] == ["letter_label", "roman_lower_label"]


def test_marks_in_runs_parallel_to_lines_in():
    doc = _doc(CONG_VAN)
    start, end = doc.lines[3].start, doc.lines[9].end
    assert len(doc.marks_in(start, end)) == len(doc.lines_in(start, end))
    assert list(doc.line_range(start, end)) == [doc.lines.index(ln) for ln in doc.lines_in(start, end)]


def test_the_pipeline_marks_first_and_the_parts_read_the_marks():
    assert pipeline.STAGES[0][0] == "marks"
    d = pipeline.parse_text(CONG_VAN, use_ml=False)
    assert d.signature is not None
    assert (d.signature.authority, d.signature.chain, d.signature.position, d.signature.signer) == (
        "KT.", ["KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Hoàng Văn Minh")
    assert d.distribution == ["Như trên", "Lưu: VT"]
    assert [s.id for s in d.sections] == ["I"]


def test_one_signature_block_reader_for_the_zoner_and_the_signature_stage():
    doc = _doc(CONG_VAN)
    block = zones.read_block(doc, _line(doc, "KT. CHỦ TỊCH"))
    assert block.signed and block.chain == ("KT. CHỦ TỊCH",) and block.position == "PHÓ CHỦ TỊCH"
    assert block.signer == "Hoàng Văn Minh"
    assert doc.text[block.start : block.end].endswith("Hoàng Văn Minh")
    # the block that shares its line with the Nơi nhận cell of a flattened table
    joined = _doc("- Lưu: VT, TH. | TM. ỦY BAN NHÂN DÂN\n| CHỦ TỊCH\n| Trần Thị Lan\n")
    assert joined.marks[0].has("signature_open")
    b = zones.read_block(joined, 0)
    assert (b.chain, b.position, b.signer) == (("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH", "Trần Thị Lan")
    # an unsigned copy: the block ends before the first line that is neither title nor name
    unsigned = _doc("TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\nrà soát lại các nội dung trên\n")
    u = zones.read_block(unsigned, 0)
    assert not u.signed and u.signer is None and u.end == unsigned.lines[1].end
    assert split_signature_line("KT. CHỦ TỊCH PHÓ CHỦ TỊCH") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_a_hand_built_doc_is_marked_on_first_use():
    doc = WorkDoc(text=CONG_VAN)
    assert doc.marks == []
    zones.segment(doc)
    assert len(doc.marks) == len(doc.lines) and doc.zones.signature is not None
    before = doc.marks
    ensure_marks(doc)
    assert doc.marks is before  # marked once


def test_the_head_is_marked_once_for_the_header_stage():
    doc = _doc(CONG_VAN)
    assert doc.marks[_line(doc, "CỘNG HÒA")].has("quoc_hieu")
    assert doc.marks[_line(doc, "Độc lập")].has("tieu_ngu")
    so = doc.marks[_line(doc, "Số:")].marker("so_line")
    assert so is not None and (so["num"], so["sym"]) == ("215", "UBND-VP")
    pd = doc.marks[_line(doc, "Yên Thế")].marker("place_date")
    assert pd is not None and (pd["place"], pd["d"], pd["m"], pd["y"]) == ("Yên Thế", "12", "6", "2025")
    vv = doc.marks[_line(doc, "V/v")]
    assert vv.marker("vv_line")["subj"] == "tăng cường công tác phòng chống thiên tai" and vv.has("vv_mark")
    # the body is not marked with the head's landmarks
    assert not any(m.name in ("so_line", "place_date") for mk in doc.marks[_line(doc, "Căn cứ"):] for m in mk.markers)


def test_a_wrapped_head_field_is_marked_on_its_first_line():
    doc = _doc("BỘ Y TẾ\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\nSố:\n88/BYT-KH\nThành phố Huế,\nngày 3 tháng 2 năm 2026\n"
               "KẾ HOẠCHTriển khai tiêm chủng mở rộng\n")
    assert doc.marks[1].has("quoc_hieu") and not doc.marks[2].has("quoc_hieu")
    assert doc.marks[3].marker("so_line")["num"] == "88"
    assert doc.marks[5].marker("place_date")["place"] == "Thành phố Huế"
    title = doc.marks[7].marker("type_title")
    assert title is not None and (title["title"], title["glued"]) == ("KẾ HOẠCH", "Triển khai tiêm chủng mở rộng")
    h = pipeline.parse_text(doc.text, use_ml=False).header
    assert (h.number, h.symbol, h.place, h.date, h.doc_type) == ("88", "BYT-KH", "Thành phố Huế", "2026-02-03", "Kế hoạch")


def test_header_reads_the_marks_of_its_zone_only():
    # a "Số: …" line of the body (marked: it lies in the first lines) is not the header's number
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Bắc Giang, ngày 12 tháng 6 năm 2025\nQUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\n\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương;\nSố: 12/KH-UBND của tỉnh.\n"
            "QUYẾT ĐỊNH:\nĐiều 1. Thành lập Tổ công tác.\n")
    doc = _doc(text)
    assert doc.marks[_line(doc, "Số: 12")].has("so_line")
    h = pipeline.parse_text(text, use_ml=False).header
    assert h.number is None and h.symbol is None and h.date == "2025-06-12"
    # the header ends at Kính gửi at the latest: no head landmark is marked after it
    doc = _doc(CONG_VAN.replace("Căn cứ", "Số: 12/KH-UBND của tỉnh.\nCăn cứ"))
    assert not doc.marks[_line(doc, "Số: 12")].has("so_line") and doc.marks[_line(doc, "Số: 215")].has("so_line")


# --- dashed lists: one reader (marks.DashedList) over the one bullet set -------------------------

EM_DASH_LETTER = (
    "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: 45/UBND-VX\nHà Tĩnh, ngày 3 tháng 3 năm 2026\nV/v rà soát hồ sơ\n"
    "Kính gửi:\n— Sở Tài chính;\n— Sở Nội vụ.\n"
    "Ủy ban nhân dân tỉnh đề nghị các sở rà soát hồ sơ và báo cáo trước ngày 15/3/2026.\n"
    "Nơi nhận:\n— Như trên;\n— Chủ tịch, các PCT UBND tỉnh;\n— Lưu: VT, VX.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Nam\n"
)


def test_every_mark_of_the_bullet_set_is_a_dash():
    from vbextract.grammars import REGISTRY, VARS
    from vbextract.marks import BULLETS, dash_len, is_dashed

    assert VARS["BULLET"] == BULLETS
    for ch in BULLETS:
        for line in (f"{ch} Sở Tài chính;", f"{ch}Sở Tài chính;"):
            # is_dashed is where the grammar's dash entry matches, without running it
            assert is_dashed(line) and REGISTRY["dash"].match(line) is not None, ch
        assert dash_len(f"{ch} Sở Tài chính;") == 2
    for line in ("Sở Tài chính;", "(1) Sở Tài chính", "a) Sở Tài chính", ""):
        assert not is_dashed(line) and REGISTRY["dash"].match(line) is None


def test_a_nơi_nhận_list_dashed_with_em_dashes_is_read():
    # the zoner once ended the list at "Nơi nhận:" (its own dash set lacked "—"): no distribution,
    # and the signature block beside it was lost
    d = pipeline.parse_text(EM_DASH_LETTER, use_ml=False)
    assert d.recipients == ["Sở Tài chính", "Sở Nội vụ"]
    assert d.distribution == ["Như trên", "Chủ tịch, các PCT UBND tỉnh", "Lưu: VT, VX"]
    assert d.signature is not None and d.signature.signer == "Trần Văn Nam"


def test_one_reader_joins_wrapped_lines_to_their_dashed_item():
    from vbextract.marks import DashedList

    lst = DashedList()
    for line in ("- Phòng LĐTBXH -DT các huyện, Phòng", "LĐTBXH TP;", "• Sở Y tế;", "Sở Tài chính;"):
        lst.add(line)
    assert lst.items == ["Phòng LĐTBXH -DT các huyện, Phòng LĐTBXH TP;", "Sở Y tế; Sở Tài chính;"]
    closed = DashedList()
    for line in ("Sở Y tế;", "Sở Tài chính;"):
        closed.add(line, opens=True)  # an addressee after one that ended with ";" opens the next
    assert closed.items == ["Sở Y tế;", "Sở Tài chính;"]


def test_a_dashed_basis_is_marked_after_its_dash():
    doc = _doc("- Căn cứ Nghị định số 15/CP ngày 02/3/1993 của Chính phủ;\n- Thực hiện kế hoạch của tỉnh;\n")
    verb = doc.marks[0].marker("legal_basis_verb")
    assert verb is not None and verb["verb"] == "căn cứ" and doc.text[verb.start : verb.end] == "Căn cứ"
    assert doc.marks[0].has("subject_stop")
    assert not doc.marks[1].has("legal_basis_verb")  # only "căn cứ" opens a basis after a dash
