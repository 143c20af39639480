"""Generate the same administrative document as .txt, .docx and .pdf, plus broken inputs.

The content is invented (a kế hoạch of a fictional provincial committee). The .txt is written in
the reading order the readers promise (header left cell then right cell, ``Nơi nhận`` before the
signature block), with the tasks written as task lines; the DOCX and PDF hold them as a table,
which their readers print cell by cell (:func:`reading_order_lines`).
"""

from __future__ import annotations

import io
from pathlib import Path

HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 125/KH-UBND"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "Lào Cai, ngày 15 tháng 3 năm 2026"]
TITLE = ["KẾ HOẠCH", "Triển khai công tác phòng cháy, chữa cháy năm 2026"]
BODY_BEFORE = [
    "Căn cứ Nghị định số 136/2020/NĐ-CP ngày 24/11/2020 của Chính phủ quy định chi tiết một số điều "
    "và biện pháp thi hành Luật Phòng cháy và chữa cháy và Luật sửa đổi, bổ sung một số điều của "
    "Luật Phòng cháy và chữa cháy;",
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai công tác phòng cháy, chữa cháy năm 2026 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Nâng cao hiệu quả công tác phòng cháy, chữa cháy trên địa bàn tỉnh, kịp thời phát hiện và xử lý "
    "các vi phạm về an toàn phòng cháy tại các cơ sở sản xuất, kinh doanh.",
    "II. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN",
]
TASK_HEADER = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện"]
TASKS = [
    ["1", "Tổ chức tuyên truyền kiến thức phòng cháy, chữa cháy cho người dân", "Sở Văn hóa và Thể thao",
     "Công an tỉnh", "Quý II năm 2026"],
    ["2", "Kiểm tra an toàn phòng cháy tại các cơ sở sản xuất, kinh doanh", "Công an tỉnh",
     "Sở Công Thương", "Trước ngày 30/6/2026"],
]
BODY_AFTER = [
    "III. TỔ CHỨC THỰC HIỆN",
    "Các sở, ban, ngành báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh trước ngày 15/12/2026.",
]
SIGN_LEFT = ["Nơi nhận:", "- Bộ Công an;", "- Các sở, ban, ngành;", "- Lưu: VT."]
SIGN_RIGHT = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def task_lines() -> list[str]:
    out = []
    for no, task, lead, support, time in TASKS:
        out += [f"{no}. {task}", f"- Đơn vị chủ trì: {lead}", f"- Đơn vị phối hợp: {support}",
                f"- Thời gian thực hiện: {time}"]
    return out


def table_cell_lines() -> list[str]:
    """The task table as the DOCX and PDF readers print it: row by row, one line per cell."""
    return [cell for row in [TASK_HEADER] + TASKS for cell in row]


def reading_order_lines() -> list[str]:
    """The lines the DOCX and PDF readers give for :func:`make_docx` and :func:`make_pdf`."""
    return (HEADER_LEFT + HEADER_RIGHT + TITLE + BODY_BEFORE + table_cell_lines() + BODY_AFTER
            + SIGN_LEFT + SIGN_RIGHT)


def make_txt() -> str:
    lines = (HEADER_LEFT + HEADER_RIGHT + [""] + TITLE + [""] + BODY_BEFORE + task_lines() + BODY_AFTER
             + [""] + SIGN_LEFT + SIGN_RIGHT)
    return "\n".join(lines) + "\n"


def make_docx() -> bytes:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    _two_column_table(d, HEADER_LEFT, HEADER_RIGHT)
    for line in TITLE:
        d.add_paragraph(line)
    for line in BODY_BEFORE:
        d.add_paragraph(line)
    table = d.add_table(rows=1 + len(TASKS), cols=len(TASK_HEADER))
    table.style = "Table Grid"
    for row, values in zip(table.rows, [TASK_HEADER] + TASKS):
        for cell, value in zip(row.cells, values):
            cell.text = value
    for line in BODY_AFTER:
        d.add_paragraph(line)
    _two_column_table(d, SIGN_LEFT, SIGN_RIGHT[:3] + ["", "", SIGN_RIGHT[3]])
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _two_column_table(d, left: list[str], right: list[str]) -> None:
    table = d.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right)):
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)


def _register_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold", str(DEJAVU / "DejaVuSerif-Bold.ttf")))
    return "DejaVuSerif", "DejaVuSerif-Bold"


def make_pdf(encrypt: str | None = None) -> bytes:
    """A4 PDF with borderless two-column header and signature tables and a ruled task table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, alignment=4, spaceAfter=4)
    centre = ParagraphStyle("centre", parent=body, alignment=1)
    centre_bold = ParagraphStyle("cb", parent=centre, fontName=bold)
    cell = ParagraphStyle("cell", fontName=regular, fontSize=9.5, leading=12)

    def col(lines: list[str]) -> list:
        return [Paragraph(x, centre) if x else Spacer(1, 30) for x in lines]

    width = A4[0] - 4 * cm
    story: list = []
    header = Table([[col(HEADER_LEFT), col(HEADER_RIGHT)]], colWidths=[width * 0.42, width * 0.58])
    story += [header, Spacer(1, 12), Paragraph(TITLE[0], centre_bold), Paragraph(TITLE[1], centre),
              Spacer(1, 8)]
    story += [Paragraph(x, body) for x in BODY_BEFORE]
    rows = [[Paragraph(v, cell) for v in r] for r in [TASK_HEADER] + TASKS]
    tasks = Table(rows, colWidths=[width * w for w in (0.07, 0.37, 0.2, 0.18, 0.18)])
    tasks.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [tasks, Spacer(1, 8)]
    story += [Paragraph(x, body) for x in BODY_AFTER]
    left = [Paragraph(x, cell) for x in SIGN_LEFT]
    sign = Table([[left, col(SIGN_RIGHT[:3] + ["", SIGN_RIGHT[3]])]], colWidths=[width * 0.45, width * 0.55])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 12), sign]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, encrypt=encrypt)
    doc.build(story)
    return buf.getvalue()


def make_scanned_pdf(lines: list[str] | None = None) -> bytes:
    """An image-only page: text drawn into a 300 dpi bitmap, no text layer."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    lines = lines or HEADER_RIGHT[:2] + ["Kính gửi: Sở Công Thương tỉnh Lào Cai",
                                         "Ủy ban nhân dân tỉnh đề nghị các đơn vị thực hiện."]
    img = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(DEJAVU / "DejaVuSerif.ttf"), 48)
    for i, line in enumerate(lines):
        draw.text((150, 150 + i * 110), line, fill=0, font=font)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    w = A4[0]
    c.drawImage(ImageReader(img), 0, A4[1] - w * 1200 / 2480, width=w, height=w * 1200 / 2480)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_junk_docx() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("junk.bin", b"\x00\x01 not a word document")
    return buf.getvalue()
