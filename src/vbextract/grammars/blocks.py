"""Regex building blocks for the parts of a document, each with examples.

Keyword patterns (``*_F``) run on the fold key (lower case, traditional tone placement); symbol
and name patterns run on the text. All are anchored to whole lines where the national format puts
them on a line of their own (NĐ 30/2020 Phụ lục I).
"""

from __future__ import annotations

import regex

from . import pattern

M = regex.MULTILINE
UP = "A-ZĐƯƠÂÊÔĂÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
# One segment of a symbol: starts with a capital, may hold lower case (TTg, CTr), digits (QH14)
# and "&" (LĐTB&XH). It never starts with a digit, which is what keeps dates ("20/5") out.
# Cyrillic capitals that look like Latin ones (С Р in "66/NQ-СР", a typing slip kept as printed)
# are letters of a segment too.
CYR_LOOKALIKE = "АВЕКМНОРСТХ"
SEG = rf"[{UP}{CYR_LOOKALIKE}][{UP}{CYR_LOOKALIKE}a-zđ&0-9]*"

QUOC_HIEU_F = pattern(
    "quoc_hieu",
    r"cộng\s*hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam",
    examples=["cộng hòa xã hội chủ nghĩa việt nam"],
    counter_examples=["cộng hòa pháp"],
    doc="Quốc hiệu, on the fold key (so 'CỘNG HOÀ' matches too).",
)
TIEU_NGU_F = pattern(
    "tieu_ngu",
    r"độc\s*lập\s*[-–—]?\s*tự\s*do\s*[-–—]?\s*hạnh\s*phúc",
    examples=["độc lập - tự do - hạnh phúc", "độc lập -tự do – hạnh phúc"],
    counter_examples=["độc lập dân tộc"],
)
PARTY_F = pattern(
    "party_header",
    r"^\s*đảng\s+cộng\s+sản\s+việt\s+nam\s*$",
    flags=M,
    examples=["đảng cộng sản việt nam"],
    counter_examples=["sự lãnh đạo của đảng cộng sản việt nam đối với"],
)

# "Số: 403/UBND-KGVX", "Số: /KH-UBND" (blank), "Số:\n7360/KH-UBND", "Số 28-CT/TW" (Party),
# "Số: 249/2025/NĐ-CP", "Số: 4378 /SCT - CN", "Số: 66.25/2026/NQ-CP", "Luật số: 64/2025/QH15".
SO_LINE = pattern(
    "so_line",
    rf"""(?mx)^[ \t]*(?:(?:Luật|Lệnh|Nghị\ quyết|Quyết\ định|Kế\ hoạch|Văn\ bản)\s+)?[Ss]ố[ \t]*:?[\s…._]*
        (?: (?P<num>\d{{1,6}}(?:\.\d{{1,3}})?)?[ \t]*[.…_ \t]*
            (?P<sep>/)[ \t]*(?:(?P<year>(?:19|20)\d\d)[ \t]*/+[ \t]*)?
            (?P<sym>{SEG}(?:[ \t]*[-–./][ \t]*\n?[ \t]*{SEG})*)
          | (?P<pnum>\d{{1,6}})[ \t]*-[ \t]*(?P<ptype>{SEG})[ \t]*/[ \t]*(?P<porg>{SEG}(?:-{SEG})*)
        )""",
    examples=["Số: 403/UBND-KGVX", "Số: /KH-UBND", "Số:\n7360/KH-UBND", "Số 28-CT/TW",
              "Số: 249/2025/NĐ-CP", "Số: 4378 /SCT - CN", "Số: 66.25/2026/NQ-CP", "Số:      /UBND-LĐT&XH",
              "Số: 24/2026//NQ-CP"],
    counter_examples=["Số liệu năm 2024", "Số lượng: 20"],
)

# "Kiên Giang, ngày 06 tháng 4 năm 2021"; blanks: "ngày   tháng 3 năm 2024", "ngày tháng năm 2023";
# a wrapped line: "ngày 20\ntháng 11 năm 2025", "Thành phố Huế,\nngày 18 tháng 11 năm 2025"; a
# draft that leaves even the year blank: "Hà Nội, ngày tháng năm" (place kept, no date); "....., ngày tháng năm 2024" (form: no place).
PLACE_DATE = pattern(
    "place_date",
    rf"""(?x)(?P<place>(?:[{UP}][\p{{L}}.]*|\d+)(?:[ \t]+(?:[{UP}][\p{{L}}.]*|\d+|[a-zđ][\p{{L}}]*)){{0,6}}|[.…_]+)?
         [ \t]*,\s*ngày[\s.…_]*(?P<d>\d{{1,2}})?[\s.…_]*tháng[\s.…_]*(?P<m>\d{{1,2}})?[\s.…_]*
         năm(?:[\s.…_]*(?P<y>\d{{4}})|(?=[ \t.…_]*(?:\n|\Z)))""",
    examples=["Kiên Giang, ngày 06 tháng 4 năm 2021", "Tân Yên, ngày tháng 3 năm 2024",
              "Lạng Sơn, ngày tháng năm 2023", "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019",
              "Hà Nội, ngày 20\ntháng 11 năm 2025", "....., ngày tháng năm 2024",
              "Thành phố Huế,\nngày 18 tháng 11 năm 2025", "Hà Nội, ngày tháng năm"],
    counter_examples=["ngày 14/3/2024 của Bộ"],
)

VV_LINE = pattern(
    "vv_line",
    r"(?m)^[ \t]*(?:V/v|V/V|v/v|Về việc|về việc|VỀ VIỆC)[ \t]*:?[ \t]*(?P<subj>\S.*)$",
    examples=["V/v triển khai một số nhiệm vụ", "V/v: nâng bậc lương", "về việc triển khai công tác"],
    counter_examples=["Việc triển khai"],
)

KINH_GUI_F = pattern(
    "kinh_gui",
    r"(?m)^[ \t\-–•]*kính\s+(?:gửi|trình)[ \t]*:?[ \t]*",
    examples=["kính gửi:", "kính gửi: sở tài chính", "kính trình:"],
    counter_examples=["gửi kèm"],
)
NOI_NHAN_F = pattern(
    "noi_nhan",
    r"(?m)^[ \t]*nơi\s+nhận[ \t]*(?::|$)",
    examples=["nơi nhận:", "nơi nhận"],
    counter_examples=["nơi nhận hồ sơ là"],
)

# Authority markers open a signature block: TM. KT. TL. TUQ. Q. (state), T/M K/T T/L (Party).
AUTHORITY = pattern(
    "authority",
    r"^(?P<mk>TM\.|KT\.|TL\.|TUQ\.|Q\.|T/M|K/T|T/L|TM(?=\s)|KT(?=\s)|TL(?=\s))\s*(?P<who>\p{Lu}.*)$",
    examples=["KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "TM.UBND XÃ, THỊ TRẤN", "T/M BAN THƯỜNG VỤ",
              "TL. CỤC TRƯỞNG", "Q. GIÁM ĐỐC"],
    counter_examples=["KT.- XH phát triển", "TT HU, TT HĐND huyện"],
)

LEGAL_VERB_F = pattern(
    "legal_basis_verb",
    r"^(?P<verb>căn cứ|thực hiện|theo đề nghị của|xét đề nghị của|theo|xét|trên cơ sở|thi hành)\b",
    examples=["căn cứ luật", "thực hiện công văn", "theo đề nghị của giám đốc", "xét tờ trình"],
    counter_examples=["thực tế cho thấy"],
)

# Item labels of the body.
ROMAN_LABEL = pattern(
    "roman_label",
    r"^(?=[IVX])(?P<num>(?:X{0,2})(?:IX|IV|V?I{0,3}))[ \t]*[.\-–:][ \t]*(?P<rest>\S.*)?$",
    examples=["I. MỤC ĐÍCH, YÊU CẦU", "IV. TỔ CHỨC THỰC HIỆN", "II- NHIỆM VỤ"],
    counter_examples=["Ia. không", "1. Mục đích", "-------", "- Như trên"],
)
ARABIC_LABEL = pattern(
    "arabic_label",
    r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?:(?P<dot>\.)(?!\d)|(?P<paren>\))|(?=[ \t]+\p{Lu}))[ \t]*(?P<rest>\S.*)?$",
    examples=["1. Xây dựng kế hoạch", "2.3.1. Tăng cường", "2.1. Về mục tiêu", "3) Các sở", "2.1 Về mục tiêu"],
    counter_examples=["100% trẻ em", "10/5/2024 là hạn", "2021 là năm đầu", "1.500 trẻ em"],
)
LETTER_LABEL = pattern(
    "letter_label",
    r"^(?P<num>[a-zđ])[ \t]*\)[ \t]*(?P<rest>\S.*)?$",
    examples=["a) Tiếp tục nâng cao", "đ) Các nội dung khác"],
    counter_examples=["ab) không"],
)
ORDINAL_LABEL_F = pattern(
    "ordinal_label",
    r"^(?P<num>một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mười một|mười hai)[ \t]+là[ \t]*[,:.]?[ \t]*",
    examples=["một là, tổ chức", "tám là, quan tâm"],
    counter_examples=["năm nay là"],
)
BULLET = pattern(
    "bullet",
    r"^(?P<mark>[-–—•+∙·◦▪*]|\(\w{1,4}\))[ \t]+(?P<rest>\S.*)$",
    examples=["- Tham mưu cho UBND", "+ Tổ chức", "• Đơn vị chủ trì"],
    counter_examples=["-DT các huyện"],
)
