"""The task layer by failure class (issue 9), on invented strings written in the real forms."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import pytest
import yaml

import vbextract
from vbextract.grammars.agencies import key, lookup, registry, resolve
from vbextract.linebreaks import is_hard_wrapped, join_wrapped_lines
from vbextract.parts.units import split_units, unit_phrase_at

# the invented kế hoạch that the reader tests write as .txt, .docx and .pdf
_spec = importlib.util.spec_from_file_location("fixtures_gen", Path(__file__).parents[1] / "readers" / "fixtures_gen.py")
assert _spec is not None and _spec.loader is not None
fg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fg)

HEADER = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: {number}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lào Cai, ngày 02 tháng 4 năm 2026
"""
SIGNATURE = """Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn An
"""


def _parse(body: str, number: str = "512/UBND-KT", tail: str = "") -> vbextract.Document:
    return vbextract.parse_text(HEADER.format(number=number) + body + "\n" + SIGNATURE + tail, use_ml=False)


def _tasks(doc) -> dict[str, tuple[list[str], list[str]]]:
    return {t.id: (t.lead_units, t.support_units) for t in doc.tasks if ".b" not in t.id}


# --- 1. unit boundaries ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, units", [
    ("Sở Khoa học và Công nghệ chủ trì", ["Sở Khoa học và Công nghệ"]),
    ("Sở Văn hóa, Thể thao và Du lịch hướng dẫn", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Bộ Lao động - Thương binh và Xã hội hướng dẫn", ["Bộ Lao động - Thương binh và Xã hội"]),
    ("Ủy ban nhân dân các phường, xã, đặc khu tổ chức", ["Ủy ban nhân dân các phường, xã, đặc khu"]),
    ("Các Bộ: Quốc phòng, Công an chủ trì", ["Các Bộ: Quốc phòng, Công an"]),
    ("Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia theo dõi", ["Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"]),
    ("Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam tuyên truyền", ["Đài Tiếng nói Việt Nam", "Thông tấn xã Việt Nam"]),
    ("Bộ Chỉ huy Quân sự tỉnh/Ban Chỉ huy Bộ đội Biên phòng tỉnh chủ trì",
     ["Bộ Chỉ huy Quân sự tỉnh", "Ban Chỉ huy Bộ đội Biên phòng tỉnh"]),
    ("Chánh Văn phòng Bộ, Vụ trưởng Vụ Kế hoạch, Tài chính và Thủ trưởng các cơ quan liên quan chịu trách nhiệm",
     ["Chánh Văn phòng Bộ", "Vụ trưởng Vụ Kế hoạch, Tài chính", "Thủ trưởng các cơ quan liên quan"]),
    ("Giám đốc (Thủ trưởng) các sở, ban, ngành; Chủ tịch UBND các xã tập trung",
     ["Giám đốc (Thủ trưởng) các sở, ban, ngành", "Chủ tịch UBND các xã"]),
    ("Sở Xây dựng chủ trì", ["Sở Xây dựng"]),
    ("các cơ quan, đơn vị có liên quan triển khai", ["các cơ quan, đơn vị có liên quan"]),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các Đoàn thể tuyên truyền",
     ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các Đoàn thể"]),
    ("Thủ trưởng các cơ quan, đơn vị, địa phương, các Chủ đầu tư khẩn trương",
     ["Thủ trưởng các cơ quan, đơn vị, địa phương", "các Chủ đầu tư"]),
    ("Giám đốc, Thủ trưởng các sở, ban, ngành chủ trì", ["Giám đốc, Thủ trưởng các sở, ban, ngành"]),
    ("các cơ quan, tổ chức, cá nhân liên quan thực hiện", ["các cơ quan, tổ chức, cá nhân liên quan"]),
    ("Sở Công Thương, Tổng Công ty Điện lực Hà Nội chủ trì", ["Sở Công Thương", "Tổng Công ty Điện lực Hà Nội"]),
    ("các cơ quan liên quan xem xét", ["các cơ quan liên quan"]),
    ("Phòng Cảnh sát giao thông Công an tỉnh tăng cường", ["Phòng Cảnh sát giao thông Công an tỉnh"]),
    # "về" before a capital is part of a name; before a lowercase word it starts the topic
    ("Phòng Cảnh sát Quản lý hành chính về Trật tự xã hội Công an tỉnh hướng dẫn",
     ["Phòng Cảnh sát Quản lý hành chính về Trật tự xã hội Công an tỉnh"]),
    ("Sở Tư pháp về công tác phổ biến pháp luật", ["Sở Tư pháp"]),
    # a long list of bodies is not a run-on sentence
    ("Văn phòng Tỉnh ủy, Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, "
     "Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh, Thuế tỉnh, Kiểm toán nhà nước khu vực II, "
     "Kho bạc nhà nước khu vực XI, Ngân hàng nhà nước khu vực 8, Chi cục Hải quan khu vực XI tăng cường",
     ["Văn phòng Tỉnh ủy", "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
      "Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh", "Thuế tỉnh", "Kiểm toán nhà nước khu vực II",
      "Kho bạc nhà nước khu vực XI", "Ngân hàng nhà nước khu vực 8", "Chi cục Hải quan khu vực XI"]),
])
def test_unit_boundaries(sentence, units):
    span = unit_phrase_at(sentence, 0)
    assert span is not None
    assert split_units(sentence[span[0] : span[1]]) == units


# --- 2. leads named mid-sentence, unnumbered directives -----------------------------------------------

def test_unnumbered_directive_paragraph_is_a_task_with_units_and_deadline():
    doc = _parse("V/v kiểm tra an toàn thực phẩm\nKính gửi: Các sở, ban, ngành tỉnh.\n"
                 "Thực hiện Công văn số 1234/BYT-ATTP ngày 20/3/2026 của Bộ Y tế, Ủy ban nhân dân tỉnh có ý kiến như sau:\n"
                 "Giao Sở Công Thương chủ trì, phối hợp với Sở Y tế và Công an tỉnh kiểm tra các cơ sở kinh doanh "
                 "thực phẩm, báo cáo kết quả trước ngày 15/4/2026.")
    (task,) = doc.tasks
    assert task.id == "p1" and task.lead_units == ["Sở Công Thương"]
    assert task.support_units == ["Sở Y tế", "Công an tỉnh"]
    (deadline,) = doc.deadlines
    assert deadline.date == "2026-04-15" and deadline.task_id == "p1"
    assert task.deadline_refs == [deadline.id] and deadline.id.startswith("dl-")


@pytest.mark.parametrize("item, lead", [
    ("1. Để thực hiện tốt nhiệm vụ, Sở Y tế chủ trì, phối hợp với Sở Tài chính rà soát danh mục thuốc.", ["Sở Y tế"]),
    ("1. Tăng cường kiểm tra; giao Sở Tư pháp tham mưu văn bản hướng dẫn.", ["Sở Tư pháp"]),
    ("1. Công tác tuyên truyền: Sở Văn hóa, Thể thao và Du lịch là cơ quan thường trực, theo dõi việc thực hiện.",
     ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("1. Trên cơ sở kế hoạch này, Ủy ban nhân dân các xã, phường xây dựng kế hoạch của địa phương.",
     ["Ủy ban nhân dân các xã, phường"]),
])
def test_lead_named_inside_the_sentence(item, lead):
    doc = _parse("KẾ HOẠCH\nPhòng chống dịch bệnh năm 2026\n" + item)
    assert doc.tasks[0].lead_units == lead


def test_list_of_nouns_is_not_a_subject():
    doc = _parse("KẾ HOẠCH\nBồi dưỡng năm 2026\n1. Nâng cao kỹ năng cho đội ngũ cán bộ, thành viên Ban Chỉ đạo, "
                 "Tổ giúp việc thực hiện công tác bảo vệ trẻ em.")
    assert doc.tasks[0].lead_units == []


# --- 3. lead inheritance --------------------------------------------------------------------------------

def test_children_of_a_unit_heading_inherit_its_lead():
    doc = _parse("V/v quản lý vật liệu nổ công nghiệp\nKính gửi: Các sở, ngành.\n"
                 "1. Sở Công Thương\na) Rà soát các quy định hiện hành.\nb) Kiểm tra định kỳ các tổ chức.\n"
                 "2. Trách nhiệm của Công an tỉnh\na) Tăng cường tuyên truyền.\n"
                 "3. Kiến nghị\nỦy ban nhân dân tỉnh đề nghị Bộ Xây dựng:\n(i). Chỉ đạo Cục Đăng kiểm ban hành hướng dẫn.\n"
                 "(ii). Sớm sửa đổi quy chuẩn.")
    tasks = {t.id: t for t in doc.tasks}
    assert tasks["1.a"].lead_units == ["Sở Công Thương"] and tasks["1.a"].lead_inherited
    assert tasks["1.b"].parent_id == "1"
    assert tasks["2.a"].lead_units == ["Công an tỉnh"]
    assert tasks["3.i"].lead_units == ["Bộ Xây dựng"] and tasks["3.ii"].lead_units == ["Bộ Xây dựng"]
    lead = tasks["1.a"].units[0]
    assert lead.role == "lead" and doc.text[lead.span[0] : lead.span[1]] == "Sở Công Thương"
    assert lead.canonical == "Sở Công Thương" and lead.level == "province"


# --- 4. documents built of Điều ------------------------------------------------------------------------

DECISION = """QUYẾT ĐỊNH
Về việc ban hành Quy chế phối hợp
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2025;
QUYẾT ĐỊNH:
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
1. Quy chế này quy định việc phối hợp quản lý.
2. Quy chế áp dụng đối với các cơ quan nhà nước.
Chương II
TỔ CHỨC THỰC HIỆN
Điều 2. Trách nhiệm của Sở Tài chính
1. Chủ trì, phối hợp với Sở Nội vụ hướng dẫn thực hiện Quy chế.
2. Báo cáo kết quả trước ngày 15/12/2026.
Điều 3. Hiệu lực và trách nhiệm thi hành
1. Quyết định này có hiệu lực kể từ ngày ký.
2. Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Tài chính, Thủ trưởng các sở, ban, ngành và tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.
"""


def test_article_tree_and_tasks():
    doc = _parse(DECISION, number="12/QĐ-UBND")
    assert [s.id for s in doc.sections] == ["Chương I", "Chương II"]
    assert [c.id for c in doc.sections[0].children] == ["Điều 1"]
    assert [c.id for c in doc.sections[0].children[0].children] == ["Điều 1.1", "Điều 1.2"]
    tasks = _tasks(doc)
    assert "Điều 1" not in tasks and "Điều 1.1" not in tasks  # provisions bind no named unit
    assert tasks["Điều 2"][0] == ["Sở Tài chính"]
    assert tasks["Điều 2.1"] == (["Sở Tài chính"], ["Sở Nội vụ"])
    assert "Điều 3.1" not in tasks  # the effective date
    assert tasks["Điều 3.2"][0] == ["Chánh Văn phòng Ủy ban nhân dân tỉnh", "Giám đốc Sở Tài chính",
                                    "Thủ trưởng các sở, ban, ngành", "tổ chức, cá nhân có liên quan"]
    (d,) = doc.deadlines
    assert d.task_id == "Điều 2.2"


def test_plan_printed_after_the_signature_gives_tasks():
    decision = ("QUYẾT ĐỊNH\nBan hành Kế hoạch kiểm kê tài sản công\nQUYẾT ĐỊNH:\n"
                "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch kiểm kê tài sản công.\n"
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n")
    plan = ("\nKẾ HOẠCH\nKiểm kê tài sản công năm 2026\n(Kèm theo Quyết định số 12/QĐ-UBND ngày 02/4/2026)\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n1. Xác định số lượng tài sản công.\n"
            "II. NHIỆM VỤ CỤ THỂ\n1. Sở Tài chính hướng dẫn việc kiểm kê, hoàn thành trong Quý III/2026.\n"
            "2. Ủy ban nhân dân các xã, phường tổ chức kiểm kê tại địa phương.\n")
    doc = _parse(decision, number="12/QĐ-UBND", tail=plan)
    tasks = _tasks(doc)
    assert "Điều 1" not in tasks and "I.1" not in tasks  # enacting Điều; purposes
    assert tasks["II.1"][0] == ["Sở Tài chính"] and tasks["II.2"][0] == ["Ủy ban nhân dân các xã, phường"]
    assert [(d.kind, d.start, d.task_id) for d in doc.deadlines] == [("period", "2026-07-01", "II.1")]


# --- 5. task tables: the same table as Markdown, DOCX and PDF --------------------------------------------

def _markdown_table_doc() -> bytes:
    rows = [fg.TASK_HEADER, *fg.TASKS]
    table = "\n".join(["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
                      + ["| " + " | ".join(r) + " |" for r in rows[1:]])
    lines = (fg.HEADER_LEFT + fg.HEADER_RIGHT + [""] + fg.TITLE + [""] + fg.BODY_BEFORE + [table] + fg.BODY_AFTER
             + [""] + fg.SIGN_LEFT + fg.SIGN_RIGHT)
    return "\n".join(lines).encode("utf-8")


def _table_tasks(doc):
    by_id = {d.task_id: [] for d in doc.deadlines}
    for d in doc.deadlines:
        by_id[d.task_id].append((d.kind, d.date, d.start, d.end))
    return [(t.id, t.lead_units, t.support_units, by_id.get(t.id, [])) for t in doc.tasks if t.producer == "layout"]


def test_same_task_table_as_markdown_docx_and_pdf_gives_the_same_tasks():
    docs = {"md": vbextract.parse(_markdown_table_doc(), name="kh.md", use_ml=False),
            "docx": vbextract.parse(fg.make_docx(), name="kh.docx", use_ml=False),
            "pdf": vbextract.parse(fg.make_pdf(), name="kh.pdf", use_ml=False)}
    expected = [("II.1", ["Sở Văn hóa và Thể thao"], ["Công an tỉnh"], [("period", None, "2026-04-01", "2026-06-30")]),
                ("II.2", ["Công an tỉnh"], ["Sở Công Thương"], [("by", "2026-06-30", None, None)])]
    for fmt, doc in docs.items():
        assert _table_tasks(doc) == expected, fmt
        assert "Đơn vị chủ trì:" not in doc.text, fmt  # no invented phrasing in the text


def test_bar_table_of_a_converted_page_with_group_rows():
    cells = ["**STT**", "**NHIỆM VỤ VÀ GIẢI PHÁP**", "**CHỦ TRÌ**", "**PHỐI HỢP**", "**THỜI GIAN**", "",
             "**I**", "**NHÓM GIẢI PHÁP VỀ CƠ CHẾ**", "",
             "1", "Rà soát cơ chế khuyến khích đầu tư", "Sở Tài chính", "Sở, ban, ngành có liên quan", "Thường xuyên", "",
             "2", "Đề xuất giải pháp cải thiện môi trường kinh doanh", "Sở Tài chính", "Sở Công Thương", "2026", ""]
    table = "\n".join(f"{c}\n|" if c else "|" for c in cells)
    text = ("**KẾ HOẠCH**\n\nThực hiện đổi mới công nghệ\n\n**I. NHIỆM VỤ**\n\n|\n" + table + "\n\n"
            + "\n".join(fg.SIGN_LEFT + fg.SIGN_RIGHT))
    doc = vbextract.parse(("**ỦY BAN NHÂN DÂN TỈNH X**\n\nSố: 552/KH-UBND\n\n" + text).encode(), name="kh.md", use_ml=False)
    got = {t.id: (t.lead_units, t.support_units, [doc.deadlines[i].kind for i in t.deadline_ids])
           for t in doc.tasks if t.producer == "layout"}
    assert got == {"I.1": (["Sở Tài chính"], ["Sở, ban, ngành có liên quan"], ["ongoing"]),
                   "I.2": (["Sở Tài chính"], ["Sở Công Thương"], ["period"])}


# --- 6. non-tasks ------------------------------------------------------------------------------------------

def test_purposes_and_lead_ins_are_not_tasks():
    doc = _parse("KẾ HOẠCH\nPhòng cháy năm 2026\nI. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao nhận thức của người dân.\n"
                 "II. PHẠM VI, ĐỐI TƯỢNG\n1. Các cơ sở sản xuất trên địa bàn tỉnh.\n"
                 "III. NHIỆM VỤ\nỦy ban nhân dân tỉnh yêu cầu các sở, ngành thực hiện tốt các nội dung sau:\n"
                 "1. Công an tỉnh kiểm tra an toàn phòng cháy.")
    assert [t.id for t in doc.tasks] == ["III.1"]


# --- 7. hard-wrapped Markdown -----------------------------------------------------------------------------

def test_wrapped_markdown_headings_keep_their_kind():
    para = "Nội dung của đoạn văn được\nngắt dòng ở khoảng tám mươi ký tự như các trang\nchuyển đổi từ web.\n\n"
    text = ("**KẾ HOẠCH**\n\n" + para * 6 + "**I. MỤC\nĐÍCH, YÊU CẦU**\n\n" + para + "**II. NHIỆM\nVỤ**\n\n"
            "1. Sở Y tế chủ\ntrì, phối hợp với Sở Tài chính rà soát.\n")
    assert is_hard_wrapped(text)
    joined = join_wrapped_lines(text)
    assert len(joined) == len(text) and "**I. MỤC ĐÍCH, YÊU CẦU**" in joined
    doc = vbextract.parse(text.encode(), name="kh.md", use_ml=False)
    assert [(s.id, s.kind) for s in doc.sections] == [("I", "purpose"), ("II", "tasks")]
    assert doc.tasks[0].lead_units == ["Sở Y tế"] and doc.tasks[0].support_units == ["Sở Tài chính"]


def test_unwrapped_text_is_left_alone():
    text = "Dòng một của văn bản.\nDòng hai cũng vậy.\n" * 10
    assert not is_hard_wrapped(text)


# --- registry ---------------------------------------------------------------------------------------------

def test_registry_integrity():
    data = yaml.safe_load(resources.files("vbextract.grammars").joinpath("agencies.yaml").read_text("utf-8"))
    owner: dict[str, str] = {}
    for entry in data["agencies"]:
        assert entry.get("examples"), entry["name"]
        for example in entry["examples"]:
            assert resolve(example).canonical == entry["name"], example
        for name in [entry["name"], *(entry.get("aliases") or []), *(entry.get("formerly") or [])]:
            k = key(name)
            assert owner.setdefault(k, entry["name"]) == entry["name"], f"{name} names two agencies"
            assert lookup(name).name == entry["name"]
    assert len({a.name for a in registry().agencies}) == len(registry().agencies)


@pytest.mark.parametrize("unit, kind, canonical", [
    ("Sở Kế hoạch và Đầu tư tỉnh Lào Cai", "agency", "Sở Tài chính"),
    ("Sở Thông tin và Truyền thông", "agency", "Sở Khoa học và Công nghệ"),
    ("Giám đốc Sở Tài nguyên và Môi trường", "office_holder", "Giám đốc Sở Nông nghiệp và Môi trường"),
    ("các sở, ban, ngành", "collective", None),
    ("Bộ Tài chính hướng", "agency", None),  # a cut name is not silently resolved
])
def test_registry_resolves_units(unit, kind, canonical):
    r = resolve(unit)
    assert (r.kind, r.canonical) == (kind, canonical)


# --- deadlines ------------------------------------------------------------------------------------------

def test_time_lines_after_bullets_belong_to_the_item_and_month_ranges_are_ranges():
    doc = _parse("KẾ HOẠCH\nKiểm kê tài sản năm 2025\nI. NHIỆM VỤ\n1. Sở Tài chính\n- Hướng dẫn các đơn vị kiểm kê.\n"
                 "Thời gian thực hiện: Tháng 11 - 12/2025.\n- Tham mưu Ban Chỉ đạo đôn đốc.\n"
                 "Thời gian thực hiện: Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê.\n"
                 "2. Các cơ quan báo cáo kết quả kiểm kê tài sản hằng năm (năm 2025). Thời hạn hoàn thành: Trước ngày 31/3/2026.")
    got = [(d.kind, d.start or d.date, d.end, d.task_id) for d in doc.deadlines]
    # the open start ("đến khi kết thúc") and the report's name ("hằng năm (năm 2025)") are not limits
    assert got == [("range", "2025-11-01", "2025-12-31", "I.1"), ("by", "2026-03-31", None, "I.2")]


def test_paragraph_that_names_a_unit_without_assigning_is_not_a_task():
    doc = _parse("V/v hồ sơ cấp giấy phép\nKính gửi: Công ty cổ phần Minh Phát.\n"
                 "Sở Công Thương nhận được hồ sơ của Công ty cổ phần Minh Phát đề nghị cấp Giấy phép sử dụng vật liệu nổ.\n"
                 "1. Hiệu chỉnh phương án nổ mìn\n(1) Đường kính lỗ khoan: phương án chọn 76 mm.\n(2) Khoảng cách giữa các hàng lỗ khoan.\n"
                 "2. Bổ sung hồ sơ\nĐề nghị Công ty bổ sung các thông số nêu trên trước ngày 30/7/2026.")
    ids = [t.id for t in doc.tasks]
    assert ids == ["1", "1.1", "1.2", "2"]  # "(1)" at a line start is a sub-item; the context is not a task
    assert doc.tasks[-1].lead_units == ["Công ty"]


def test_responsibility_headings_and_appositions_name_the_lead():
    doc = _parse("KẾ HOẠCH\nTổng kiểm kê tài sản công\nI. NHIỆM VỤ CỤ THỂ\n1. Nhiệm vụ của thành viên Ban Chỉ đạo\n"
                 "1.1. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo\na) Hướng dẫn các đơn vị kiểm kê.\n"
                 "2. Trách nhiệm của các tổ chức, doanh nghiệp hoạt động trong lĩnh vực khoáng sản\n"
                 "a) Chấp hành nghiêm các quy định.\n3. Đề nghị Công ty hiệu chỉnh các thông số nêu trên.")
    tasks = {t.id: t.lead_units for t in doc.tasks}
    assert tasks["I.1"] == ["thành viên Ban Chỉ đạo"]
    assert tasks["I.1.1.a"] == ["Sở Tài chính"]
    assert tasks["I.2.a"] == ["các tổ chức, doanh nghiệp hoạt động trong lĩnh vực khoáng sản"]
    assert tasks["I.3"] == ["Công ty"]


@pytest.mark.parametrize("value, expected", [
    ("2025 - 2035", ("period", None, "2025-01-01", "2035-12-31")),
    ("Quý III Năm 2026", ("period", None, "2026-07-01", "2026-09-30")),
    ("Quý IV/2025- Quý II/2026", ("period", None, "2025-10-01", "2026-06-30")),
    ("Trước ngày 30/11 hằng năm", ("recurring", None, None, None)),
    ("Năm 2025 - 2026", ("period", None, "2025-01-01", "2026-12-31")),
    ("ngày 11/9/2026 (thứ Sáu).", ("on", "2026-09-11", None, None)),
    ("từ ngày 11/9 đến hết năm 2026.", ("range", None, "2026-09-11", "2026-12-31")),
    ("Từ nay đến hết năm 2026.", ("by", "2026-12-31", None, None)),
    ("Định kỳ hàng năm", ("recurring", None, None, None)),
    ("Định kỳ ngày 20 hàng tháng", ("recurring", None, None, None)),
    ("Định kỳ hằng năm (trước ngày 30 tháng 11)", ("recurring", None, None, None)),
    ("trước thời điểm 30/4/2026", ("by", "2026-04-30", None, None)),
    ("định kỳ 6 tháng (trước ngày 20/5)", ("by", "2026-05-20", None, None)),
])
def test_time_field_values(value, expected):
    doc = _parse(f"KẾ HOẠCH\nTriển khai năm 2026\n1. Sở Y tế rà soát danh mục thuốc.\nThời gian thực hiện: {value}")
    assert [(d.kind, d.date, d.start, d.end) for d in doc.deadlines] == [expected]
    assert doc.deadlines[0].task_id == "1"


def test_sentence_case_roman_heading_and_request_headings():
    doc = _parse("V/v triển khai nhiệm vụ\nKính gửi: Các sở, ngành.\nI. Kết quả thực hiện\nCác đơn vị đã triển khai.\n"
                 "II. Nhiệm vụ cụ thể trong thời gian tới\n1. Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh\n"
                 "a) Phối hợp chặt chẽ với Công an tỉnh xử lý các vụ án.\n2. Báo và Phát thanh, Truyền hình tỉnh\n"
                 "a) Đẩy mạnh tuyên truyền.")
    tasks = {t.id: (t.lead_units, t.support_units) for t in doc.tasks}
    assert tasks["II.1.a"] == (["Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"], ["Công an tỉnh"])
    assert tasks["II.2.a"][0] == ["Báo và Phát thanh, Truyền hình tỉnh"]


def test_bar_table_row_with_a_merged_cell_does_not_end_the_table():
    cells = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "",
             "1", "Rà soát quy hoạch", "Sở Xây dựng", "Sở Tài chính", "Quý II/2026", "",
             "2", "Lập danh mục dự án", "Sở Tài chính", "Sở Xây dựng", "",  # time merged with the row above
             "3", "Công bố danh mục", "Sở Xây dựng", "Ủy ban nhân dân các xã", "Quý IV/2026", ""]
    table = "\n".join(f"{c}\n|" if c else "|" for c in cells)
    text = "**KẾ HOẠCH**\n\nThực hiện quy hoạch năm 2026\n\n**II. NHIỆM VỤ**\n\n|\n" + table + "\n\n" + "\n".join(fg.SIGN_LEFT)
    doc = vbextract.parse(("**ỦY BAN NHÂN DÂN TỈNH X**\n\nSố: 55/KH-UBND\n\n" + text).encode(), name="kh.md", use_ml=False)
    got = [(t.id, t.lead_units) for t in doc.tasks if t.producer == "layout"]
    assert got == [("II.1", ["Sở Xây dựng"]), ("II.2", ["Sở Tài chính"]), ("II.3", ["Sở Xây dựng"])]


@pytest.mark.parametrize("sentence, expected", [
    # a full date after "trước" without "ngày" (a PDF line often wraps there)
    ("1. Sở Y tế báo cáo Ủy ban nhân dân tỉnh trước\n30/11/2026 để tổng hợp.", [("by", "2026-11-30", None, None)]),
    ("1. Sở Y tế rà soát, bảo đảm trên 2/3 số cơ sở được kiểm tra.", []),
    # years in brackets closing a directed item
    ("1. Sở Tài chính số hóa cơ sở dữ liệu quy hoạch (2025 - 2030).", [("period", None, "2025-01-01", "2030-12-31")]),
    ("1. Sở Tài chính báo cáo giữa kỳ thực hiện Kế hoạch (năm 2028).", [("period", None, "2028-01-01", "2028-12-31")]),
    ("1. Đến năm 2027, hoàn thành việc số hóa hồ sơ.", [("period", None, "2027-01-01", "2027-12-31")]),
    ("1. Phấn đấu đến năm 2030 đạt 30% doanh nghiệp thực hiện.", []),
    # a reporting duty that repeats daily; a daily habit does not
    ("1. Các Trung tâm y tế giám sát tuyến xã và báo cáo hằng ngày.", [("recurring", None, None, None)]),
    ("1. Sở Văn hóa tuyên truyền nếp sống văn minh trong sinh hoạt hằng ngày.", []),
    # an aim and a programme's span are not limits
    ("1. Mục tiêu đến hết năm 2026 giảm 5% số hộ nghèo.", []),
    ("1. Thời gian thực hiện Chương trình từ năm 2025 đến hết năm 2030.", []),
])
def test_free_deadline_classes(sentence, expected):
    doc = _parse(f"KẾ HOẠCH\nTriển khai năm 2026\n{sentence}")
    assert [(d.kind, d.date, d.start, d.end) for d in doc.deadlines] == expected


def test_review_section_that_hands_down_duties_gives_tasks():
    doc = _parse("THÔNG BÁO\nKết luận của Phó Chủ tịch tại buổi làm việc\nI. ĐÁNH GIÁ CHUNG\n"
                 "Thành phố đã nỗ lực khắc phục hậu quả mưa lũ.\n"
                 "Để vận hành chính quyền hai cấp hiệu quả, Thành phố cần tập trung thực hiện tốt một số nhiệm vụ, "
                 "giải pháp sau đây:\n1. Sở Nội vụ rà soát, sắp xếp đội ngũ công chức cấp xã.\n"
                 "2. Sở Tài chính xử lý tài sản công dôi dư.\nII. TÌNH HÌNH THỰC HIỆN\n1. Các xã đã ổn định bộ máy.",
                 number="77/TB-UBND")
    assert _tasks(doc) == {"I.1": (["Sở Nội vụ"], []), "I.2": (["Sở Tài chính"], [])}


def test_unit_name_wrapped_over_two_lines_is_read_whole():
    doc = _parse("V/v triển khai nhiệm vụ\nKính gửi: Các sở, ngành.\n"
                 "1. Giao Ban Dân tộc tỉnh, Sở Lao động - Thương binh và Xã hội, Sở Kế\n"
                 "hoạch và Đầu tư theo chức năng, nhiệm vụ chủ động phối hợp với Sở Nông nghiệp và\n"
                 "Phát triển nông thôn rà soát, tổng hợp các kiến nghị.\n"
                 "a) Báo cáo kết quả về Ủy ban nhân dân tỉnh.")
    lead, support = _tasks(doc)["1"]
    assert lead == ["Ban Dân tộc tỉnh", "Sở Lao động - Thương binh và Xã hội", "Sở Kế hoạch và Đầu tư"]
    assert support == ["Sở Nông nghiệp và Phát triển nông thôn"]


def test_table_groups_by_letter_then_roman_give_the_full_label_path():
    rows = [["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
            ["A", "NHIỆM VỤ CHUNG", "", "", ""],
            ["I", "Công tác tuyên truyền", "", "", ""],
            ["1", "Tuyên truyền kế hoạch", "Sở Văn hóa, Thể thao và Du lịch", "Báo Đồng Nai", "Quý II/2026"],
            ["B", "NHIỆM VỤ CỤ THỂ", "", "", ""],
            ["I", "Hạ tầng số", "", "", ""],
            ["1", "Phủ sóng 5G các xã", "Sở Khoa học và Công nghệ", "Các doanh nghiệp viễn thông", "Năm 2026"],
            ["2", "Số hóa hồ sơ", "Sở Nội vụ", "", "Quý IV/2026"]]
    table = "\n".join("| " + " | ".join(r) + " |" + ("\n|---|---|---|---|---|" if i == 0 else "") for i, r in enumerate(rows))
    text = ("**ỦY BAN NHÂN DÂN TỈNH X**\n\nSố: 179/KH-UBND\n\n**KẾ HOẠCH**\n\nChuyển đổi số năm 2026\n\n"
            "**I. MỤC ĐÍCH**\n\nNâng cao hiệu quả.\n\n" + "\n".join(fg.SIGN_LEFT)
            + "\n\n**PHỤ LỤC**\n\n**NHIỆM VỤ**\n\n" + table + "\n")
    doc = vbextract.parse(text.encode(), name="kh.md", use_ml=False)
    got = {t.id: t.lead_units for t in doc.tasks if t.producer == "layout"}
    assert got == {"PL.A.I.1": ["Sở Văn hóa, Thể thao và Du lịch"], "PL.B.I.1": ["Sở Khoa học và Công nghệ"],
                   "PL.B.I.2": ["Sở Nội vụ"]}


def test_assignment_field_written_as_a_sentence():
    doc = _parse("KẾ HOẠCH\nTriển khai năm 2026\n1. Rà soát quy hoạch mạng lưới chợ\n"
                 "- Cơ quan thực hiện: Sở Công Thương chủ trì, phối hợp với Sở Tài chính, Ủy ban nhân dân các xã.\n"
                 "2. Kiểm tra an toàn thực phẩm\n- Cơ quan thực hiện: Sở Y tế, Sở Nông nghiệp và Môi trường.")
    assert _tasks(doc)["1"] == (["Sở Công Thương"], ["Sở Tài chính", "Ủy ban nhân dân các xã"])
    assert _tasks(doc)["2"] == (["Sở Y tế", "Sở Nông nghiệp và Môi trường"], [])


def test_plan_printed_inside_the_approving_article():
    body = ("QUYẾT ĐỊNH\nPhê duyệt Đề án chuyển đổi số ngành xây dựng\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\nQUYẾT ĐỊNH:\n"
            "Điều 1. Phê duyệt Đề án chuyển đổi số ngành xây dựng với những nội dung chủ yếu sau:\n"
            "I. MỤC TIÊU\n1. Đến năm 2030, 100% hồ sơ được số hóa.\n"
            "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Hoàn thiện cơ chế, chính sách\na) Sở Xây dựng rà soát các quy định.\n"
            "III. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính bố trí kinh phí thực hiện Đề án.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
            "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Xây dựng chịu trách nhiệm thi hành Quyết định này.")
    doc = _parse(body, number="15/QĐ-UBND")
    tasks = _tasks(doc)
    assert set(tasks) == {"II.1", "II.1.a", "III.1", "Điều 3"}
    assert tasks["II.1.a"][0] == ["Sở Xây dựng"] and tasks["III.1"][0] == ["Sở Tài chính"]


def test_execution_clause_sharing_the_effective_date_article():
    body = ("QUYẾT ĐỊNH\nVề việc ủy quyền ký văn bản\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\nQUYẾT ĐỊNH:\n"
            "Điều 1. Ủy quyền cho Giám đốc Sở Xây dựng ký các văn bản thuộc thẩm quyền.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
            "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Xây dựng và Thủ trưởng các cơ quan liên quan "
            "chịu trách nhiệm thi hành Quyết định này.")
    tasks = _tasks(_parse(body, number="16/QĐ-UBND"))
    assert tasks == {"Điều 2": (["Chánh Văn phòng Ủy ban nhân dân tỉnh", "Giám đốc Sở Xây dựng",
                                 "Thủ trưởng các cơ quan liên quan"], [])}


def test_execution_clause_worded_as_acting_on_the_decision():
    body = ("QUYẾT ĐỊNH\nVề việc phê duyệt phương án nổ mìn\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\nQUYẾT ĐỊNH:\n"
            "Điều 1. Phê duyệt phương án nổ mìn của Công ty Cổ phần Thủy điện Nậm Xé.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký ban hành.\n"
            "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Công Thương, Chủ tịch UBND xã Bản Hồ và các cơ quan có liên "
            "quan căn cứ Quyết định thi hành./.")
    tasks = _tasks(_parse(body, number="17/QĐ-UBND"))
    assert list(tasks) == ["Điều 2"]
    assert tasks["Điều 2"][0][:2] == ["Chánh Văn phòng UBND tỉnh", "Giám đốc Sở Công Thương"]


def test_short_directive_items_are_tasks_whatever_their_words():
    doc = _parse("V/v bảo đảm an toàn giao thông\nKính gửi: Các sở, ngành.\nỦy ban nhân dân tỉnh có ý kiến như sau:\n"
                 "1. Giao thông nông thôn: Sở Xây dựng chủ trì rà soát các tuyến đường.\n"
                 "2. Giao Sở Tài chính bố trí kinh phí.")
    assert _tasks(doc) == {"1": (["Sở Xây dựng"], []), "2": (["Sở Tài chính"], [])}


def test_emulation_campaign_criteria_and_rewards_are_not_tasks():
    body = """KẾ HOẠCH
Phát động phong trào thi đua thực hiện chi trả trợ cấp không dùng tiền mặt năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Khơi dậy tinh thần thi đua trong các cơ quan, đơn vị.
II. NỘI DUNG THI ĐUA
1. Thi đua thực hiện tốt việc chi trả qua tài khoản.
2. Thi đua đổi mới phương thức tuyên truyền.
III. KHEN THƯỞNG
1. Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho tập thể tiêu biểu.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Y tế chủ trì, phối hợp với Sở Tài chính hướng dẫn, theo dõi phong trào.
2. Ủy ban nhân dân các xã, phường tổ chức phát động phong trào tại địa phương.
"""
    tasks = _tasks(_parse(body, number="157/KH-UBND"))
    assert set(tasks) == {"IV.1", "IV.2"}
    assert tasks["IV.1"] == (["Sở Y tế"], ["Sở Tài chính"])


def test_an_unnumbered_row_of_a_numbered_table_continues_the_row_above():
    # the number cell (and the time cell) are merged over two rows: the second row is no task "2"
    rows = ["| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện |",
            "|---|---|---|---|---|",
            "| 1 | Nâng cấp trang thiết bị của Trung tâm dữ liệu | Sở Khoa học và Công nghệ | Sở Tài chính | Quý III/2026 |",
            "| | Xây dựng hệ thống sao lưu dự phòng | Sở Khoa học và Công nghệ | | |",
            "| 2 | Đào tạo cán bộ quản trị hệ thống | Sở Nội vụ | Các sở, ngành | Quý IV/2026 |"]
    text = ("**ỦY BAN NHÂN DÂN TỈNH X**\n\nSố: 553/KH-UBND\n\n**KẾ HOẠCH**\n\nChuyển đổi số năm 2026\n\n"
            "**II. NHIỆM VỤ**\n\n" + "\n".join(rows) + "\n\n" + "\n".join(fg.SIGN_LEFT + fg.SIGN_RIGHT))
    doc = vbextract.parse(text.encode(), name="kh.md", use_ml=False)
    got = {t.id: [(doc.deadlines[i].kind, doc.deadlines[i].start) for i in t.deadline_ids]
           for t in doc.tasks if t.producer == "layout"}
    assert got == {"II.1": [("period", "2026-07-01")], "II.1~2": [], "II.2": [("period", "2026-10-01")]}


def test_bar_table_whose_last_cell_has_no_closing_bar():
    # a converted page that ends with the table: the last row's time cell is not followed by "|"
    cells = ["**STT**", "**NỘI DUNG**", "**CHỦ TRÌ**", "**PHỐI HỢP**", "**THỜI GIAN**", "",
             "1", "Rà soát cơ chế hỗ trợ doanh nghiệp", "Sở Tài chính", "Sở Công Thương", "2026", "",
             "2", "Vận động doanh nghiệp tham gia chương trình", "Hiệp hội Doanh nghiệp", "Doanh nghiệp"]
    table = "\n".join(f"{c}\n|" if c else "|" for c in cells) + "\nThường xuyên\n"
    text = ("**ỦY BAN NHÂN DÂN TỈNH X**\n\nSố: 554/KH-UBND\n\n**KẾ HOẠCH**\n\nHỗ trợ doanh nghiệp năm 2026\n\n"
            + "\n".join(fg.SIGN_LEFT + fg.SIGN_RIGHT) + "\n\n**PHỤ LỤC**\n\n|\n" + table)
    doc = vbextract.parse(text.encode(), name="kh.md", use_ml=False)
    got = {t.id: [doc.deadlines[i].kind for i in t.deadline_ids] for t in doc.tasks if t.producer == "layout"}
    assert got == {"1": ["period"], "2": ["ongoing"]}
