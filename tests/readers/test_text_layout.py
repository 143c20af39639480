"""Small layout helpers: space-positioned headers, tables, PDF dates, page numbers."""

from __future__ import annotations

from vbextract.readers import pdf, pdf_layout, tables


def test_space_positioned_header_left_column_first():
    text = "\n".join([
        "   ỦY BAN NHÂN DÂN               CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "   TỈNH AN GIANG                    Độc lập - Tự do - Hạnh phúc",
        "",
        "  Số:  256 /2004/QĐ-UB             Long Xuyên, ngày 01 tháng 7 năm 2004",
        "",
        "                         QUYẾT ĐỊNH",
        "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003, một dòng dài;",
    ])
    lines = [ln for ln in tables.split_spaced_columns(text).splitlines() if ln.strip()]
    assert lines[:6] == ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG", "Số:  256 /2004/QĐ-UB",
                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Long Xuyên, ngày 01 tháng 7 năm 2004"]
    assert lines[6].strip() == "QUYẾT ĐỊNH"


def test_body_text_with_wide_spaces_is_not_split():
    text = "Căn cứ Nghị định số 01/2020/NĐ-CP;\nĐiều 1.   Phạm vi điều chỉnh\nĐiều 2.   Đối tượng áp dụng"
    assert tables.split_spaced_columns(text) == text


def test_task_table_prints_only_its_cells_and_is_located_as_structure():
    rows = [["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Ghi chú"],
            ["1", "Rà soát văn bản", "Sở Tư pháp", "Các sở", "Tháng 6/2026", ""],
            ["", "tiếp dòng", "", "", "", ""]]
    lines = tables.table_lines(rows)
    assert "Đơn vị chủ trì" not in " ".join(lines)  # nothing the document did not print
    assert lines[:6] == ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Ghi chú"]
    text = "Mở đầu\n" + "\n".join(lines) + "\nKết thúc"
    (table,) = tables.locate_tables(text, [rows])
    cells = [[text[c.start : c.end] for c in r.cells] for r in table.rows]
    assert len(cells) == 2  # the continuation line belongs to row 1
    assert cells[1][:5] == ["1", "Rà soát văn bản\ntiếp dòng", "Sở Tư pháp", "Các sở", "Tháng 6/2026"]


def test_data_table_rows_keep_cells():
    rows = [["Tên", "Số lượng", "Đơn vị"]] + [[f"Hàng {i}", str(i), "kg"] for i in range(10)]
    out = tables.table_lines(rows)
    assert out[:6] == ["Tên", "Số lượng", "Đơn vị", "Hàng 0", "0", "kg"]  # row by row, not column by column


def test_pdf_date():
    assert pdf.pdf_date("D:20260527093012+07'00'") == "2026-05-27T09:30:12+07:00"
    assert pdf.pdf_date("D:20260527093012Z") == "2026-05-27T09:30:12+00:00"
    assert pdf.pdf_date("garbage") is None


def test_layer_classification():
    viet = "Ủy ban nhân dân tỉnh đề nghị các sở, ngành thực hiện nghiêm túc nội dung văn bản này. " * 5
    assert pdf.classify_layer(viet, 300, 0.0) == "good"
    wrong = "CQNG HOA XA HQI CHU NGHIA VIET NAM Doc lap Tu do Hanh phuc BO CONG THIJoNG " * 5
    assert pdf.classify_layer(wrong, 300, 0.9) == "wrong-ocr"
    garbled = "6Ӣ CÔNG 7+ѬѪ1* ӕ 3036 /SCT-CN QăP 2026 ЁӬӧ ѬѪ " * 10
    assert pdf.classify_layer(garbled, 300, 0.0) == "garbled"
    assert pdf.classify_layer("Ký bởi: Văn phòng", 15, 0.95) == "none"


def test_stamped_number_and_day_recovered(monkeypatch):
    from vbextract import ocr

    monkeypatch.setattr(ocr, "pdftotext_page", lambda data, page: "Số:1629 /SCT-CN\nLào Cai, ngày 27 tháng 3 năm 2026")
    warnings: list[str] = []
    text = "Số: /SCT-CN\nLào Cai, ngày tháng 3 năm 2026"
    out = pdf.recover_stamped_fields(b"", text, warnings)
    assert out == "Số: 1629/SCT-CN\nLào Cai, ngày 27 tháng 3 năm 2026"
    assert any("signature stamp" in w for w in warnings)


def test_page_number_line():
    line = pdf_layout.Line([pdf_layout.Word("- 2 -", 290, 305, 20, 30)], 2)
    assert pdf_layout.is_page_number(line, 842)
