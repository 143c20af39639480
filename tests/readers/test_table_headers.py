"""One task table across repeated header rows (tables written for these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vbextract.doc import Table
from vbextract.readers.tables import join_tables, locate_tables, markdown_tables

HEAD = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"]


def _texts(text: str, table: Table) -> list[list[str]]:
    return [[" ".join(text[c.start : c.end].replace("*", " ").split()) for c in r.cells] for r in table.rows]


def _bar(rows: list[list[str]]) -> str:
    """A converted page: every cell closed by a line holding only '|', rows '|c1|…|cn|'."""
    out = []
    for r in rows:
        out.append("|")
        for c in r:
            out += [c, "|"]
    return "\n".join(out) + "\n"


def test_pipe_table_with_header_printed_again_is_one_table() -> None:
    head = "| " + " | ".join(HEAD) + " |\n|---|---|---|---|---|\n"
    text = ("Kế hoạch\n\n" + head + "| **I** | **Công tác tuyên truyền** | | | |\n"
            "| 1 | Tuyên truyền pháp luật | Sở Tư pháp | Các sở | Quý I/2026 |\n"
            "| 2 | Tập huấn cán bộ | Sở Nội vụ | UBND các xã | Năm 2026 |\n"
            + head + "| 3 | Kiểm tra việc thực hiện | Thanh tra tỉnh | Các sở | Hằng năm |\n"
            "\n- 2 -\n\n" + head
            + "| 4 | Báo cáo kết quả<br>cuối năm | Văn phòng UBND | | Tháng 12/2026 |\n")
    tables = markdown_tables(text)
    assert len(tables) == 1
    rows = _texts(text, tables[0])
    assert rows[0] == HEAD
    assert [r[0] for r in rows[1:]] == ["I", "1", "2", "3", "4"]
    assert rows[1][1] == "Công tác tuyên truyền"  # the group row kept


def test_pipe_tables_with_other_text_between_stay_apart() -> None:
    head = "| " + " | ".join(HEAD) + " |\n|---|---|---|---|---|\n"
    text = (head + "| 1 | Việc một | Sở A | Sở B | 2026 |\n\nII. TỔ CHỨC THỰC HIỆN CỦA CÁC ĐƠN VỊ TRỰC THUỘC\n\n"
            + head + "| 1 | Việc hai | Sở C | Sở D | 2027 |\n")
    assert len(markdown_tables(text)) == 2


def test_bar_table_repeated_header_shifted_under_group_row() -> None:
    """A converted page prints the header again under a group row whose number cell spans two
    rows (5 cells instead of 6), and a group row with a trailing empty bold cell (7 segments)."""
    head = ["**STT**", "**Nhiệm vụ**", "**Đơn vị thực hiện**", "**Đơn vị phối hợp**", "**Thời gian thực hiện**",
            "**Sản phẩm**"]
    rows = [head, ["**I**", "**Thể chế**"],
            ["1.1", "Rà soát văn bản\nquy phạm", "Sở Tư pháp", "Các sở", "2026", "Báo cáo"],
            ["**II**", "**Hạ tầng**"], head[1:],
            ["**2.1**", "** **", "**Nhóm mạng**", "** **", "** **", "** **", "** **"],
            ["2.1.1", "Nâng cấp mạng", "Sở Khoa học và Công nghệ", "Các sở", "2027", "Mạng"],
            ["2.1.2", "Lắp camera", "Công an tỉnh", "UBND các xã", "2028", "Camera"]]
    text = "Phụ lục\n\n" + _bar(rows) + "\n\nNơi nhận: như trên\n"
    tables = markdown_tables(text)
    assert len(tables) == 1
    got = _texts(text, tables[0])
    assert [r[0] for r in got] == ["STT", "I", "1.1", "II", "2.1", "2.1.1", "2.1.2"]
    assert got[2][1] == "Rà soát văn bản quy phạm"  # a cell on two lines
    assert got[6][2] == "Công an tỉnh"


def test_bar_row_under_spanning_number_starts_at_task_column() -> None:
    head = ["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian", "Sản phẩm"]
    rows = [head, ["1", "Sao lưu dữ liệu", "Sở Tài chính", "Các sở", "Quý IV/2026"],
            ["Khôi phục hệ thống", "Trung tâm dữ liệu", "Sở Tài chính"],
            ["2", "Đào tạo", "Sở Nội vụ", "Các sở", "2027", "Lớp học"]]
    text = _bar(rows)
    got = _texts(text, markdown_tables(text)[0])
    assert got[2][:4] == ["", "Khôi phục hệ thống", "Trung tâm dữ liệu", "Sở Tài chính"]
    assert got[3][0] == "2"


def test_docx_or_pdf_tables_repeating_the_header_per_page_join() -> None:
    """Readers hand row lists per table (a PDF page each); the page-2 table repeats the header."""
    page1 = [HEAD, ["I", "Tuyên truyền", "", "", ""], ["1", "Phát tờ rơi", "Sở Văn hóa", "Các xã", "2026"]]
    page2 = [HEAD, ["2", "Hội nghị", "Sở Nội vụ", "Các sở", "Quý II/2026"], HEAD,
             ["3", "Tổng kết", "Văn phòng", "Các sở", "Tháng 12"]]
    page3 = [["4", "Khen thưởng", "Sở Nội vụ", "Các sở", "2027"]]  # no header printed
    lines = [p for t in (page1, page2, page3) for r in t for c in r for p in [c] if c]
    text = "\n".join(lines[: len([c for r in page1 for c in r if c])]) + "\n3\n" + "\n".join(
        lines[len([c for r in page1 for c in r if c]) :]) + "\n"
    tables = locate_tables(text, [page1, page2, page3])
    assert len(tables) == 1
    got = _texts(text, tables[0])
    assert [r[0] for r in got] == ["STT", "I", "1", "2", "3", "4"]


def test_table_after_real_text_or_other_header_not_joined() -> None:
    other = [["STT", "Tên thủ tục", "Cơ quan thực hiện"], ["1", "Cấp phép", "Sở Xây dựng"], ["2", "Gia hạn", "Sở Xây dựng"]]
    task = [HEAD, ["1", "Việc", "Sở A", "Sở B", "2026"]]
    text = "\n".join(c for t in (task, other) for r in t for c in r) + "\n"
    assert len(locate_tables(text, [task, other])) == 2
    assert join_tables(text, []) == []


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "tvpl-md"


def test_corpus_pages_keep_every_numbered_task_row() -> None:
    """Every numbered row of a converted page's task table is a layout task (run-time read only)."""
    page = CORPUS / "tvpl-f004d93b21e7fc5f.md"
    if not page.is_file():
        pytest.skip("../shared/corpus is absent")
    import vbextract

    doc = vbextract.parse(page, use_ml=False)
    layout = [t for t in doc.tasks if t.producer == "layout"]
    assert len(layout) >= 94
    assert not any(t.text.startswith(("Đơn vị", "Nội dung")) for t in layout)  # no header row as a task
