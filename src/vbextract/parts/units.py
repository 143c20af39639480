"""Units (agencies, bodies) named in free sentences: where a unit phrase starts, where it ends, and
how a list of units splits.

A unit phrase starts at a body head ("Sở", "Phòng Giáo dục…", "UBND", "các sở, ban, ngành") and
ends at the verb that follows it ("chủ trì", "phối hợp", "tổ chức", "hướng dẫn" …) or at
punctuation that closes the clause. Lists split at ";" always, and at "," / "và" only where the
next words open another body: "Văn phòng HĐND và UBND thị xã" and "Phòng Văn hóa, Khoa học và
Thông tin thị xã" stay whole; "Tòa án nhân dân thị xã; Viện Kiểm sát nhân dân thị xã" are two.
"""

from __future__ import annotations

import regex

from ..doc import Doc
from ..grammars import pattern
from ..normalize import clean_value, fold

# Capitalized heads are case-sensitive so verbs at a sentence start ("Ban hành", "Báo cáo",
# "Phòng, chống") and nouns that only look like heads ("Hội nghị", "Trường hợp", "Đội ngũ") are not
# taken for bodies.
_UNIT_NOUNS = (
    r"sở|ban|ngành|phòng|cơ quan|đơn vị|địa phương|tổ chức|đoàn thể|hội|xã|phường|huyện|thị xã|"
    r"thành viên|doanh nghiệp|trường|cơ sở|lực lượng|thôn|tổ dân phố|cấp|bộ|Sở|Phòng|Ban|Bộ|UBND|"
    r"Ủy ban|Uỷ ban|tỉnh|thành phố|quận|nhà trường|hội đoàn thể|cơ quan, đơn vị"
)
ORG_START = pattern(
    "org_start",
    r"(?<![\p{L}])(?:"
    r"(?:Ủy|Uỷ|ỦY|UỶ) ban|UBND|UBMTTQ\w*|MTTQ\w*|HĐND|Hội đồng|Hội (?=\p{Lu})|Sở(?= \p{Lu})|"
    r"[Pp]hòng(?= \p{Lu})|Ban [Cc]hỉ đạo|Ban [Qq]uản lý|Ban(?! hành)(?= \p{L})|Bộ(?= \p{Lu})(?! [Ll]uật)|Cục|Chi cục|Tổng cục|Vụ(?= \p{Lu})|"
    r"Văn phòng|Văn Phòng|Trung tâm|Đoàn(?! kết)(?= \p{Lu})|Liên đoàn|Đài|Báo(?! cáo)(?= \p{Lu})|Công an|"
    r"Tòa án|Toà án|Viện(?= \p{Lu})|Quỹ(?= \p{Lu})|Trường(?! hợp)(?= \p{Lu})|Bệnh viện|Thanh tra(?= \p{Lu})|"
    r"Kho bạc|Ngân hàng|Bảo hiểm xã hội|Cơ quan|Thường trực|(?:Tỉnh|Thành|Huyện|Quận|Đảng) (?:ủy|uỷ)|"
    r"Mặt trận|Giám đốc|Chủ tịch|Thủ trưởng|Lãnh đạo|Trạm(?= \p{Lu})|Công ty|Tổng [Cc]ông ty|Tập đoàn|"
    r"Hợp tác xã|Lực lượng|Bộ Chỉ huy|Chi nhánh|Cảnh sát|Hạt(?= \p{Lu})|Đội(?! ngũ)(?= \p{Lu})|Chính phủ|"
    r"Thủ tướng|Quốc hội|Tổ (?:công tác|giúp việc|chuyên gia)|Ban Chỉ đạo|Ban chỉ đạo|Kiểm toán|"
    # since 2025 the tax and customs offices of a province are "Thuế tỉnh X", "Hải quan khu vực Y"
    r"Thuế (?=tỉnh|thành phố|cơ sở)|Hải quan (?=khu vực|tỉnh|thành phố)|"
    # office-holders: the execution clause of a decision names them, not their bodies
    r"Chánh (?:Văn phòng|Thanh tra|án)|(?:Vụ|Viện|Cục|Tổng cục|Chi cục|Bộ|Thứ|Hiệu|Tổ|Đội) trưởng|"
    r"(?:Phó )?Trưởng (?:[Bb]an|[Pp]hòng|[Đđ]oàn|[Cc]ông an|[Tt]iểu ban)|Tổng Giám đốc|Phó (?:Chủ tịch|Giám đốc)|"
    r"(?:Bộ|Sở)(?=, (?:ban|ngành|cơ quan))|Viện [Kk]iểm sát|Báo và Phát thanh|Người đứng đầu|Bí thư|Thông tấn xã|Đài Tiếng nói|[Tt]ổ chức, cá nhân|[Cc]á nhân, tổ chức|"
    # lower-case collectives that are units wherever they stand ("phối hợp với chính quyền địa phương")
    r"chính quyền (?:địa phương|các cấp|cơ sở)|(?:các )?lực lượng (?:[Cc]ông an|chức năng|vũ trang|quân đội|liên quan)|"
    r"cộng đồng dân cư|(?:các )?cơ quan (?:chức năng|liên quan|có liên quan|có thẩm quyền|[Cc]ông an)|các địa phương|"
    r"ngành (?:công thương|y tế|giáo dục|chức năng)|"
    rf"[Cc]ác (?:{_UNIT_NOUNS})\b"
    r")",
    examples=["Sở Lao động", "Phòng Giáo dục và Đào tạo", "UBND các huyện", "các sở, ban, ngành",
              "Chánh Văn phòng Bộ", "Vụ trưởng Vụ Kế hoạch", "Bộ trưởng Bộ Nội vụ", "Thông tấn xã Việt Nam",
              "tổ chức, cá nhân có liên quan", "Trưởng Ban Chỉ đạo", "chính quyền địa phương",
              "lực lượng công an địa phương", "các cơ quan chức năng liên quan",
              "Văn phòng HĐND và UBND thị xã", "phòng Tư pháp thị xã", "Đoàn Thanh niên", "Các phòng, ban",
              "Thuế tỉnh", "Hải quan khu vực"],
    counter_examples=["Ban hành quy chế", "Báo cáo kết quả", "Phòng, chống đuối nước", "Hội nghị",
                      "Trường hợp khẩn cấp", "Đội ngũ cán bộ", "Đoàn kết", "các hoạt động"],
)

# Words that end a unit phrase: the verb (or adverb) that follows the subject or the object.
# Lower case only: "Phát triển" inside "Bộ Nông nghiệp và Phát triển nông thôn" is a name part.
_STOPS = (
    # "các cơ quan, tổ chức, cá nhân": "tổ chức" is a noun after a collective
    "chủ trì|phối hợp|phối kết hợp|(?<!các )(?<!Các )(?<!(?:cơ quan|đơn vị|doanh nghiệp|ngành),[ \t])tổ chức|thực hiện|triển khai|hướng dẫn|xây dựng|bố trí|"
    "tham mưu|theo dõi|đôn đốc|kiểm tra|tổng hợp|báo cáo|rà soát|(?<![Bb]an )chỉ đạo|căn cứ|tăng cường|phát triển|"
    "quan tâm|tiếp nhận|nghiên cứu|đề xuất|ban hành|cung cấp|phổ biến|tuyên truyền|vận động|đẩy mạnh|"
    "duy trì|định kỳ|thường xuyên|chủ động|khẩn trương|tiếp tục|có trách nhiệm|chịu trách nhiệm|theo|"
    "tập trung|giám sát|lồng ghép|hỗ trợ|thẩm định|xử lý|giải quyết|cập nhật|nắm bắt|thống kê|đánh giá|"
    "sơ kết|tổng kết|lập|trình|gửi|tăng|nâng cao|bảo đảm|đảm bảo|phát huy|quản lý|cân đối|ưu tiên|"
    "thành lập|kiện toàn|củng cố|hoàn thành|hoàn thiện|được|sẽ|cần|phải|là|để|nhằm|trong|tại|về|đã|"
    "đang|yêu cầu|giao(?! (?:thông|dịch|lưu|thương))|đề nghị|xem xét|cử|chuẩn bị|tiến hành|khảo sát|thanh tra|điều tra|truy tố|xét xử|"
    "phát động|hưởng ứng|biểu dương|khen thưởng|phê duyệt|thẩm tra|bổ sung|sửa đổi|mở|kịp thời|"
    "ngày|năm|tháng|trước|sau|khi|nếu|thì|cùng với|căn|gắn|tích cực|nghiêm túc|khẩn|"
    "tạo điều kiện|dự toán|xác minh|đăng ký|niêm yết|công khai|tiếp|rà|làm|có|chấp hành|thông báo|"
    "nộp|bàn giao|trả lời|phản hồi|liên hệ|cam kết|chi trả|thanh toán|sử dụng|áp dụng|thi hành|tuân thủ|"
    "quán triệt|[-–] (?:[Cc]ơ quan|[Đđ]ơn vị) (?:thường trực|đầu mối|chủ trì)"
)
# a short aside inside a unit's name: "Giám đốc (Thủ trưởng) các sở"; not "(chủ trì)" after it
_ASIDE = r"\((?!\s*(?:chủ trì|phối hợp|sau đây|gọi tắt|nếu|trừ))[^()\n]{1,30}\)(?=[ \t]+\p{Ll})"
UNIT_PHRASE = pattern(
    "unit_phrase",
    rf"(?P<unit>{ORG_START.source}(?:(?![ \t](?:{_STOPS})(?![\p{{L}}]))[^:.()\n“”\"!?]|\.(?=\S)|{_ASIDE})*)",
    examples=["Sở Lao động - Thương binh và Xã hội chủ trì", "UBND các huyện, thành phố phối hợp",
              "Giám đốc (Thủ trưởng) các sở, ban, ngành chủ trì"],
    counter_examples=["thực hiện kế hoạch"],
)
# "… và các Đoàn thể", "…, các Chủ đầu tư": "các" before a capital opens a body of its own
_SPLIT = regex.compile(rf"\s*[,;/]\s*(?={ORG_START.source}|các \p{{Lu}})|\s+(?:và|cùng)\s+(?={ORG_START.source}|các \p{{Lu}})"
                       r"|\s*;\s*")
# "Các Bộ: Quốc phòng, Công an", "Giám đốc các Sở: Tài chính, Xây dựng": one unit with its own list
_BARE_COLLECTIVE = regex.compile(r"[Cc]ác (?:\p{L}+|\p{Ll}+ \p{Ll}+)")  # "Các Bộ", "các cơ quan"
_BARE_TITLE = regex.compile(r"(?:Giám đốc|Thủ trưởng|Chủ tịch|Tổng Giám đốc|Người đứng đầu|Trưởng ban|Bí thư)")
_LISTED_HEAD = regex.compile(r"(?:[Cc]ác|[Hh]ai|[Bb]a) (?:Bộ|bộ|Sở|sở|Ban|ban|Cục|Vụ|Tổng cục|Đài|cơ quan|đơn vị)$")
_HDND_OFFICE_F = regex.compile(r"(?:văn phòng (?:hđnd|hội đồng nhân dân)|văn phòng đoàn (?:đbqh|đại biểu quốc hội))$")

ISSUER_HEAD_F = pattern(
    "issuer_head",
    r"^(?:sở|phòng|ban|cục|chi cục|tổng cục|vụ|văn phòng|trung tâm|đoàn|hội đồng|bộ|ủy ban|ubnd|trường|"
    r"bệnh viện|công ty|đảng ủy|đảng bộ|tỉnh ủy|huyện ủy|thành ủy|quận ủy|chi bộ|ban thường vụ|"
    r"ban chấp hành|viện|tòa án|liên đoàn|hội|đài|báo|quỹ|công an|bộ chỉ huy|kho bạc|chính phủ|"
    r"quốc hội|thanh tra|ban quản lý|ban chỉ đạo|tổng công ty|tập đoàn|chi nhánh|cảng vụ|hạt|trạm|"
    r"đội|ngân hàng|bảo hiểm|học viện|đại học|văn phòng)\b",
    examples=["sở công thương", "ban chỉ đạo 138", "ubnd tỉnh lào cai"],
    counter_examples=["tỉnh kiên giang", "huyện tân yên"],
)

_ENACTING = regex.compile(
    r"\s*(?:xây dựng|ban hành|triển khai|thông báo|báo cáo|hướng dẫn|đề xuất)\s+"
    r"(?:kế hoạch|quyết định|chương trình|báo cáo|thông báo|hướng dẫn|công văn|đề án|phương án|"
    r"tờ trình|chỉ thị|quy chế|quy định)",
)
MAX_UNIT_WORDS = 16


def unit_phrase_at(text: str, pos: int) -> tuple[int, int] | None:
    """Span of the unit phrase that starts exactly at ``pos``, or ``None``."""
    m = UNIT_PHRASE.match(text, pos)
    if not m:
        return None
    end = m.end()
    if end < len(text) and text[end] == ":" and _LISTED_HEAD.search(text, pos, end):
        tail = _LIST_TAIL.match(text, end + 1)  # "Các Bộ: Quốc phòng, Công an" goes on after ':'
        if tail and tail.group().strip():
            end = tail.end()
    generic = _GENERIC_HEAD.match(text, pos, end)
    if generic and not _NAME_AFTER_GENERIC.match(text, generic.end(), end):
        end = generic.end()  # "Công ty hiệu chỉnh …": a generic head followed by a verb
    qual = _QUALIFIER.match(text, end)  # "các cơ quan, đơn vị có liên quan": the qualifier is the name's
    if qual:
        end = qual.end()
    s = text[pos:end].rstrip(" ,;-–")
    if not s:
        return None
    if len(s.split()) > MAX_UNIT_WORDS * 3 and not _is_long_list(s):
        return None
    return pos, pos + len(s)


def _is_long_list(phrase: str) -> bool:
    """A long phrase is a list of bodies ("Văn phòng Tỉnh ủy, …, Chi cục Hải quan khu vực XI") when
    every piece is a name of its own length, not a sentence that ran on."""
    pieces = split_units(phrase)
    return len(pieces) >= 4 and all(len(p.split()) <= MAX_UNIT_WORDS for p in pieces)


# heads that name a body only with a proper name after them ("Công ty cổ phần Mông Sơn")
_GENERIC_HEAD = regex.compile(r"(?:Công ty|Tổng [Cc]ông ty|Doanh nghiệp|Hợp tác xã|doanh nghiệp)")
_NAME_AFTER_GENERIC = regex.compile(
    r"[ \t]+(?:\p{Lu}|cổ phần|trách nhiệm hữu hạn|TNHH|hợp danh|tư nhân|nhà nước|liên doanh|điện lực|xăng dầu|"
    r"có vốn|thuộc|trên|hoạt động|kinh doanh|sản xuất|khai thác|được|nhà nước)|\s*$|[ \t]*[,;]")
_QUALIFIER = regex.compile(r"[ \t]+(?:có liên quan|liên quan|có thẩm quyền|có trách nhiệm liên quan)(?![\p{L}])")
_LIST_TAIL = regex.compile(rf"(?:(?![ \t](?:{_STOPS})(?![\p{{L}}]))[^:.()\n;“”\"!?])*")


def split_units(phrase: str) -> list[str]:
    """Split a phrase that lists bodies into one string per body.

    >>> split_units("các sở, ban, ngành, đoàn thể cấp tỉnh và UBND các huyện, thành phố")
    ['các sở, ban, ngành, đoàn thể cấp tỉnh', 'UBND các huyện, thành phố']
    >>> split_units("Văn phòng HĐND và UBND thị xã, UBND các xã, phường")
    ['Văn phòng HĐND và UBND thị xã', 'UBND các xã, phường']
    >>> split_units("Các Bộ: Quốc phòng, Công an; Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam")
    ['Các Bộ: Quốc phòng, Công an', 'Đài Tiếng nói Việt Nam', 'Thông tấn xã Việt Nam']
    """
    phrase = " ".join(phrase.split())
    units: list[str] = []
    cur_start = 0
    listed = _listed_span(phrase)
    for m in _SPLIT.finditer(phrase):
        left = phrase[cur_start : m.start()]
        if listed and listed[0] < m.start() < listed[1] and ";" not in m.group():
            continue  # inside the unit's own list ("Các Bộ: Quốc phòng, Công an")
        if "," in m.group() and _BARE_COLLECTIVE.fullmatch(left.strip()):
            continue  # "Các Bộ, cơ quan liên quan" is one collective
        if "," in m.group() and _BARE_TITLE.fullmatch(left.strip()):
            continue  # "Giám đốc, Thủ trưởng các sở": two titles of the bodies named after them
        if "và" in m.group() and _HDND_OFFICE_F.search(fold(left)):
            continue  # "Văn phòng HĐND và UBND …" is one office
        if left.strip():
            units.append(left)
        cur_start = m.end()
    units.append(phrase[cur_start:])
    units = [part for u in units for part in _split_run_on(u)]
    out = []
    for u in units:
        v = clean_value(u.strip(" :;,.-–"))
        if v and len(v.split()) <= MAX_UNIT_WORDS and v not in out:
            out.append(v)
    return out


_RUN_ON_HEAD = regex.compile(r"\s(?=(?:Sở|Bộ|UBND|Ủy ban nhân dân|Công an|Ban) \p{Lu})")


def _split_run_on(unit: str) -> list[str]:
    """Two names printed one after the other with no separator (a cell's lines joined):
    "Sở Khoa học và Công nghệ Sở Công Thương" splits where the left part is a known name."""
    from ..grammars.agencies import key, registry

    names = registry().by_key
    for m in _RUN_ON_HEAD.finditer(unit):
        left = unit[: m.start()]
        if key(left) in names:
            return [left, *_split_run_on(unit[m.end() :])]
    return [unit]


def _listed_span(phrase: str) -> tuple[int, int] | None:
    """Where a unit's own list runs: from the ':' after "Các Bộ" to the next ';'."""
    colon = phrase.find(":")
    if colon < 0 or not _LISTED_HEAD.search(phrase[:colon]):
        return None
    semi = phrase.find(";", colon)
    return colon, semi if semi >= 0 else len(phrase)


def units_at(text: str, pos: int) -> list[str]:
    """The bodies listed by the unit phrase starting at ``pos`` (empty when none starts there)."""
    span = unit_phrase_at(text, pos)
    return split_units(text[span[0] : span[1]]) if span else []


def find_unit_starts(text: str, start: int = 0, end: int | None = None) -> list[int]:
    return [m.start() for m in ORG_START.finditer(text, start, end)]


def infer_issuer(doc: Doc) -> str | None:
    """Issuer of a copy whose header omits it: the body's enacting sentence ("Sở … xây dựng Kế
    hoạch …", "Ủy ban nhân dân thị xã ban hành Kế hoạch …"), else the signature's "TM." body."""
    start = doc.zones.header[1] if doc.zones.header else 0
    end = min(len(doc.text), start + 4000)
    for pos in find_unit_starts(doc.text, start, end):
        span = unit_phrase_at(doc.text, pos)
        if not span:
            continue
        if _ENACTING.match(doc.folded, span[1]):
            units = split_units(doc.text[span[0] : span[1]])
            if len(units) == 1:
                return units[0]
    return None


# --- units of tasks as records --------------------------------------------------------------------

# how far before a task its inherited lead may have been printed (the parent's heading)
_INHERITED_WINDOW = 6000


def describe_task_units(doc: Doc) -> None:
    """Give every task its units as records (role, printed span, registry name, kind, level),
    its parent task and its top-level section."""
    from ..document import Unit
    from ..grammars.agencies import resolve

    ids = {t.id for t in doc.tasks}
    for task in doc.tasks:
        records = []
        for role, names in (("lead", task.lead_units), ("support", task.support_units)):
            for name in names:
                r = resolve(name)
                records.append(Unit(role=role, text=name, span=_printed_span(doc, name, task.span),  # type: ignore[arg-type]
                                    canonical=r.canonical, kind=r.kind, level=r.level))  # type: ignore[arg-type]
        task.units = records
        task.parent_id = _parent_id(task.id, ids)
        task.section_id = _section_id(doc, task.span[0])


def _printed_span(doc: Doc, name: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """Where ``name`` is printed: inside the task, else the nearest place before it (an
    inherited lead is printed in the parent's heading)."""
    at = doc.text.find(name, span[0], span[1])
    if at < 0:
        at = doc.text.rfind(name, max(0, span[0] - _INHERITED_WINDOW), span[0])
    return (at, at + len(name)) if at >= 0 else None


def _parent_id(ident: str, ids: set[str]) -> str | None:
    base = ident.split("~")[0]
    while "." in base:
        base = base.rsplit(".", 1)[0]
        if base in ids:
            return base
    return None


def _section_id(doc: Doc, pos: int) -> str | None:
    for s in doc.sections:
        if s.span[0] <= pos < s.span[1]:
            return s.id
    return None
