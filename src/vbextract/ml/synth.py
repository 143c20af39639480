"""Seeded generator of annotated synthetic documents (``vbextract corpus synth``).

Documents follow the NĐ 30/2020 templates (công văn, kế hoạch, quyết định, thông báo, Party
documents, news text) with issuers at every level, including the 2025 reorganised names, every
assignment and deadline phrasing of ``shared/spec/domain.md`` §6.2–6.3, task tables and layout noise
(hard wraps, lost line breaks, interleaved header columns, OCR-style substitutions, missing header
lines, markdown residue). Each record carries character spans into the *normalized* text: logical
lines with a zone label and ORG/PER entities (see ``corpus/GUIDELINES.md``).

The same seed always gives the same records: every random choice goes through one
``random.Random`` instance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..normalize import normalize_text

PROVINCES_2025 = ["Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình",
                  "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai",
                  "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang", "Nghệ An", "Hà Tĩnh",
                  "Thanh Hóa", "Sơn La", "Lạng Sơn", "Cao Bằng", "Điện Biên", "Lai Châu", "Quảng Ninh"]
PROVINCES_OLD = ["Bắc Giang", "Kiên Giang", "Hà Giang", "Yên Bái", "Vĩnh Phúc", "Hải Dương", "Thái Bình",
                 "Nam Định", "Hà Nam", "Quảng Bình", "Kon Tum", "Bình Định", "Phú Yên", "Ninh Thuận",
                 "Bình Thuận", "Đắk Nông", "Bình Phước", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh",
                 "Sóc Trăng", "Hậu Giang", "Bạc Liêu", "Bình Dương", "Bà Rịa - Vũng Tàu"]
CITIES = ["Hà Nội", "Hải Phòng", "Đà Nẵng", "Huế", "Cần Thơ"]
DISTRICTS = ["Tân Yên", "Lục Ngạn", "Yên Dũng", "Hiệp Hòa", "Gò Quao", "Châu Thành", "Bảo Thắng", "Sa Pa",
             "Văn Bàn", "Hoàng Mai", "Long Biên", "Cẩm Giàng", "Quế Võ", "Thuận Thành", "Mường Khương"]
COMMUNES = ["Tân Yên", "Phúc Hòa", "Ngọc Thiện", "Cao Xá", "Bảo Hà", "Cốc San", "Gia Phú", "Tân An",
            "Hòa Bình", "Phú Lộc", "Bình Minh", "Đông Hưng", "Tây Sơn", "Nam Đàn", "Kim Liên", "Việt Hưng"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Lương", "Đinh", "Trịnh", "Đào", "Mai", "Tạ", "Lưu", "Hà"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Quang", "Ngọc", "Thu", "Xuân", "Lưu", "Hồng",
          "Anh", "Kim", "Công", "Mạnh", "Thế", "Bảo", "Đình", "Trọng", ""]
GIVEN = ["Trung", "Hùng", "Lan", "Hương", "Dũng", "Tuấn", "Hà", "Nam", "Bình", "Thủy", "Hòa", "Quý",
         "Long", "Hải", "Sơn", "Phương", "Hạnh", "Cường", "Thắng", "Tâm", "Khoa", "Yến", "Hiếu", "Linh"]

MINISTRIES_NEW = ["Bộ Nông nghiệp và Môi trường", "Bộ Tài chính", "Bộ Khoa học và Công nghệ", "Bộ Xây dựng",
                  "Bộ Nội vụ", "Bộ Dân tộc và Tôn giáo", "Bộ Y tế", "Bộ Giáo dục và Đào tạo",
                  "Bộ Công Thương", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Tư pháp", "Bộ Công an"]
MINISTRIES_OLD = ["Bộ Lao động - Thương binh và Xã hội", "Bộ Kế hoạch và Đầu tư", "Bộ Tài nguyên và Môi trường",
                  "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Giao thông vận tải",
                  "Bộ Thông tin và Truyền thông", "Ủy ban Dân tộc"]
DEPT_FIELDS_NEW = ["Nông nghiệp và Môi trường", "Tài chính", "Nội vụ", "Y tế", "Giáo dục và Đào tạo",
                   "Công Thương", "Xây dựng", "Khoa học và Công nghệ", "Văn hóa, Thể thao và Du lịch",
                   "Tư pháp", "Dân tộc và Tôn giáo"]
DEPT_FIELDS_OLD = ["Lao động - Thương binh và Xã hội", "Kế hoạch và Đầu tư", "Tài nguyên và Môi trường",
                   "Nông nghiệp và Phát triển nông thôn", "Giao thông vận tải", "Thông tin và Truyền thông"]
DEPT_ABBR = ["Sở GD&ĐT", "Sở NN&MT", "Sở VH,TT&DL", "Sở KH&CN", "Sở LĐ-TB&XH", "Sở Lao động - TB&XH",
             "Sở TN&MT", "Sở KH&ĐT", "Sở TT&TT"]
DISTRICT_OFFICES = ["Phòng Giáo dục và Đào tạo", "Phòng Tài chính - Kế hoạch", "Phòng Lao động - TB&XH",
                    "Phòng Văn hóa và Thông tin", "Phòng Tư pháp", "Phòng Nội vụ", "Phòng Y tế",
                    "Phòng Tài nguyên và Môi trường", "Phòng Kinh tế và Hạ tầng", "Phòng GD&ĐT",
                    "Phòng Nông nghiệp và PTNT", "Trung tâm Y tế", "Trung tâm Văn hóa - Thể thao",
                    "Văn phòng HĐND và UBND", "Công an", "Ban Chỉ huy Quân sự"]
COMMUNE_OFFICES = ["Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Công an",
                   "Ban Chỉ huy Quân sự", "Trạm Y tế", "Trung tâm Phục vụ hành chính công",
                   "Phòng Kinh tế, Hạ tầng và Đô thị"]
MASS_ORGS = ["Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban MTTQ Việt Nam", "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
             "Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ", "Hội LHPN", "Hội Nông dân", "Hội Cựu chiến binh",
             "Liên đoàn Lao động", "Hội Chữ thập đỏ"]
PROVINCE_BODIES = ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Văn phòng UBND tỉnh", "Đài Phát thanh và Truyền hình tỉnh",
                   "Báo và Đài PT-TH tỉnh", "Ban Quản lý các khu công nghiệp tỉnh", "Thanh tra tỉnh",
                   "Tỉnh đoàn", "Trung tâm Phục vụ hành chính công tỉnh", "Bảo hiểm xã hội tỉnh"]
GROUPS = ["các sở, ban, ngành", "các cơ quan, đơn vị liên quan", "các địa phương", "các đơn vị trực thuộc",
          "các phòng, ban chuyên môn", "UBND các xã, phường", "Ủy ban nhân dân các xã, thị trấn",
          "các tổ chức chính trị - xã hội"]

TOPICS = ["công tác trẻ em năm {y}", "phòng, chống thiên tai và tìm kiếm cứu nạn năm {y}",
          "cải cách hành chính năm {y}", "chuyển đổi số và phát triển Chính phủ số năm {y}",
          "phòng cháy, chữa cháy trong mùa khô {y}", "bảo đảm an toàn thực phẩm dịp Tết Nguyên đán {y}",
          "Tháng hành động vì trẻ em năm {y}", "phòng, chống dịch bệnh trên đàn gia súc, gia cầm",
          "thu ngân sách nhà nước 6 tháng cuối năm {y}", "xây dựng nông thôn mới nâng cao",
          "phổ biến, giáo dục pháp luật năm {y}", "bình đẳng giới và vì sự tiến bộ của phụ nữ năm {y}",
          "quản lý đất đai, tài nguyên khoáng sản", "phát triển du lịch cộng đồng giai đoạn {y}-2030",
          "thực hiện Đề án 06 của Chính phủ năm {y}", "kiểm soát thủ tục hành chính năm {y}"]
VERBS = ["tổ chức triển khai", "xây dựng kế hoạch", "hướng dẫn, kiểm tra", "tham mưu", "theo dõi, đôn đốc",
         "tổng hợp kết quả", "rà soát, đánh giá", "tuyên truyền, phổ biến", "bố trí kinh phí",
         "kiểm tra, giám sát", "triển khai thực hiện", "chỉ đạo thực hiện"]
OBJECTS = ["các nội dung của Kế hoạch này", "công tác bảo vệ, chăm sóc trẻ em trên địa bàn",
           "việc thực hiện các chỉ tiêu được giao", "các hoạt động hưởng ứng", "công tác thông tin, truyền thông",
           "việc cập nhật dữ liệu vào phần mềm quản lý", "các mô hình điểm tại cơ sở",
           "công tác phòng, chống tai nạn thương tích", "dự toán kinh phí thực hiện",
           "việc thực hiện chế độ, chính sách", "các cơ sở kinh doanh trên địa bàn"]
PREAMBLE_VERBS = ["Căn cứ", "Thực hiện", "Theo đề nghị của", "Xét đề nghị của"]
CITED_TYPES = [("Luật", "{n}/{y}/QH{k}"), ("Nghị định", "{n}/{y}/NĐ-CP"), ("Quyết định", "{n}/QĐ-TTg"),
               ("Thông tư", "{n}/{y}/TT-{m}"), ("Kế hoạch", "{n}/KH-UBND"), ("Công văn", "{n}/{m}-{u}"),
               ("Chỉ thị", "{n}-CT/TW"), ("Nghị quyết", "{n}/NQ-HĐND")]
MIN_CODES = ["BNNMT", "BTC", "BNV", "BYT", "BGDĐT", "BCT", "BLĐTBXH", "BTNMT", "BKHCN", "BXD"]
UNIT_CODES = ["VX", "KGVX", "KT", "NC", "TH", "XD", "VP", "TCCB", "KHTC", "BTXH-TE", "VHXH"]
TYPE_CODES = {"Kế hoạch": "KH", "Quyết định": "QĐ", "Thông báo": "TB", "Báo cáo": "BC", "Chỉ thị": "CT",
              "Tờ trình": "TTr", "Hướng dẫn": "HD", "Chương trình": "CTr"}
DEADLINES = ["trước ngày {d}/{m}/{y}", "trước ngày {d} tháng {m} năm {y}", "chậm nhất ngày {d}/{m}/{y}",
             "chậm nhất là ngày {d}/{m}/{y}", "hoàn thành trước {d}/{m}", "trong Quý {q}/{y}", "Quý {q}/{y}",
             "trong tháng {m}/{y}", "6 tháng đầu năm {y}", "từ ngày {d}/{m} đến ngày {d2}/{m}/{y}",
             "định kỳ hằng quý", "định kỳ 6 tháng, hằng năm", "trước ngày 20 hằng tháng",
             "trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản", "Thường xuyên trong năm",
             "hàng năm", "năm {y}"]
QUARTERS = ["I", "II", "III", "IV"]
# Sentences that continue a paragraph: real items run on for several sentences, with year ranges,
# parentheses and semicolon lists that a line-break model must not split.
FILLERS = ["Tăng cường công tác kiểm tra, giám sát việc thực hiện tại cơ sở",
           "Chú trọng truyền thông, tư vấn đến từng gia đình, trường học, lớp học, cộng đồng dân cư",
           "Phấn đấu hoàn thành các chỉ tiêu của Chương trình hành động giai đoạn 2021 - 2030",
           "Lồng ghép hiệu quả các nguồn lực trong các Chương trình mục tiêu quốc gia giai đoạn 2021-2025",
           "Kịp thời phát hiện, xử lý nghiêm các hành vi vi phạm theo quy định",
           "Nâng cao nhận thức, trách nhiệm của các cấp, các ngành (đặc biệt là người đứng đầu)",
           "Bảo đảm 100% trẻ em có hoàn cảnh đặc biệt được hỗ trợ; 90% hộ gia đình được tuyên truyền",
           "Đa dạng hóa các hình thức tuyên truyền; phát huy vai trò của Tổng đài 111",
           "Rà soát, bổ sung kế hoạch năm {y} và giai đoạn {y} - 2030 phù hợp với thực tiễn địa phương",
           "Thường xuyên cập nhật số liệu; tổng hợp, đánh giá kết quả thực hiện theo định kỳ"]


@dataclass
class Piece:
    """One raw line: its text, zone label (None for a blank line) and entity spans within it."""

    text: str
    label: str | None
    ents: list[tuple[int, int, str]] = field(default_factory=list)
    tag: str | None = None  # "parent" marks the chủ quản line above the issuer


class _Line:
    """Builds one line from text and entity fragments, tracking spans."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.parts: list[str] = []
        self.ents: list[tuple[int, int, str]] = []
        self.n = 0

    def add(self, s: str, ent: str | None = None) -> _Line:
        if ent and s:
            self.ents.append((self.n, self.n + len(s), ent))
        self.parts.append(s)
        self.n += len(s)
        return self

    def piece(self) -> Piece:
        return Piece("".join(self.parts), self.label, self.ents)


@dataclass
class Issuer:
    level: str  # central | province | dept | district | commune | party
    parent: str | None
    name: str
    short: str  # how the body names itself in the text ("UBND tỉnh")
    code: str
    place: str
    head: str  # CHỦ TỊCH, GIÁM ĐỐC, BỘ TRƯỞNG …
    units: list[str]  # units it assigns tasks to


class Synth:
    """Generates annotated documents; one instance = one seeded stream."""

    def __init__(self, seed: int = 20261123) -> None:
        self.r = random.Random(seed)

    # ----------------------------------------------------------------- vocabulary draws
    def pick(self, xs):
        return self.r.choice(xs)

    def person(self) -> str:
        mid = self.pick(MIDDLE)
        parts = [self.pick(SURNAMES)] + ([mid] if mid else []) + [self.pick(GIVEN)]
        if self.r.random() < 0.2:
            parts.insert(1, self.pick(MIDDLE) or "Văn")
        return " ".join(parts)

    def year(self, post2025: bool) -> int:
        return self.r.choice([2025, 2026]) if post2025 else self.r.choice([2019, 2020, 2021, 2022, 2023, 2024])

    def issuer(self) -> tuple[Issuer, bool]:
        post = self.r.random() < 0.5
        level = self.pick(["central", "province", "dept", "district", "commune", "party", "province", "dept"])
        if level == "district" and post:
            level = "commune"
        if level == "commune" and not post and self.r.random() < 0.5:
            level = "district"
        prov = self.pick(PROVINCES_2025 if post else PROVINCES_OLD + PROVINCES_2025)
        if level == "central":
            name = self.pick(MINISTRIES_NEW if post else MINISTRIES_NEW + MINISTRIES_OLD)
            units = ["Vụ Kế hoạch - Tài chính", "Vụ Pháp chế", "Văn phòng Bộ", "Cục Trẻ em", "Thanh tra Bộ",
                     "Vụ Tổ chức cán bộ", "Cục Chuyển đổi số", "Sở " + self.pick(DEPT_FIELDS_NEW) + " các tỉnh"]
            code = "B" + "".join(w[0] for w in name[3:].replace(",", "").split() if w[0].isupper())
            return Issuer(level, None, name.upper(), name, code, "Hà Nội", "BỘ TRƯỞNG", units), post
        if level == "province":
            kind = "thành phố" if self.r.random() < 0.15 else "tỉnh"
            p = self.pick(CITIES) if kind == "thành phố" else prov
            units = ["Sở " + f for f in self.r.sample(DEPT_FIELDS_NEW if post else DEPT_FIELDS_OLD + DEPT_FIELDS_NEW, 5)]
            units += self.r.sample(PROVINCE_BODIES, 3) + self.r.sample(DEPT_ABBR, 2)
            units += [m + " " + kind for m in self.r.sample(MASS_ORGS, 2)]
            return Issuer(level, None, f"ỦY BAN NHÂN DÂN {kind.upper()} {p.upper()}", f"UBND {kind}", "UBND",
                          p, "CHỦ TỊCH", units), post
        if level == "dept":
            fld = self.pick(DEPT_FIELDS_NEW if post else DEPT_FIELDS_OLD + DEPT_FIELDS_NEW)
            units = ["Phòng Kế hoạch - Tài chính", "Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý chuyên ngành",
                     "UBND các xã, phường", "Trung tâm Dịch vụ công", "Chi cục Thủy lợi", "Phòng Tổ chức cán bộ"]
            units += self.r.sample(PROVINCE_BODIES, 2)
            code = "S" + "".join(w[0] for w in fld.replace(",", "").split() if w[0].isupper())
            return Issuer(level, f"UBND TỈNH {prov.upper()}", "SỞ " + fld.upper(), "Sở", code, prov,
                          "GIÁM ĐỐC", units), post
        if level == "district":
            kind = self.pick(["huyện", "thị xã", "quận", "thành phố"])
            d = self.pick(DISTRICTS)
            units = [o + " " + kind for o in self.r.sample(DISTRICT_OFFICES, 6)]
            units += [m + " " + kind for m in self.r.sample(MASS_ORGS, 3)] + ["UBND các xã, thị trấn"]
            return Issuer(level, None, f"ỦY BAN NHÂN DÂN {kind.upper()} {d.upper()}", f"UBND {kind}", "UBND",
                          d, "CHỦ TỊCH", units), post
        if level == "commune":
            kind = self.pick(["xã", "phường", "xã", "đặc khu"])
            c = self.pick(COMMUNES)
            units = [o + " " + kind for o in self.r.sample(COMMUNE_OFFICES, 5)]
            units += [m + " " + kind for m in self.r.sample(MASS_ORGS, 3)]
            units += [f"Trường Tiểu học {self.pick(COMMUNES)}", f"Trường THCS {self.pick(COMMUNES)}"]
            return Issuer(level, None, f"ỦY BAN NHÂN DÂN {kind.upper()} {c.upper()}", f"UBND {kind}", "UBND",
                          c, "CHỦ TỊCH", units), post
        body = self.pick([("ĐẢNG ỦY XÃ " + self.pick(COMMUNES).upper(), "ĐU", "Đảng ủy xã"),
                          ("TỈNH ỦY " + prov.upper(), "TU", "Tỉnh ủy"),
                          ("BAN THƯỜNG VỤ HUYỆN ỦY", "HU", "Ban Thường vụ Huyện ủy")])
        units = ["Ban Tuyên giáo và Dân vận", "Ủy ban Kiểm tra", "Văn phòng Đảng ủy", "các chi bộ trực thuộc",
                 "Ban Tổ chức", "Đảng ủy các xã, phường"] + list(self.r.sample(MASS_ORGS, 2))
        return Issuer("party", "ĐẢNG BỘ TỈNH " + prov.upper(), body[0], body[2], body[1], prov,
                      "BÍ THƯ", units), post

    # ----------------------------------------------------------------- document parts
    def header(self, iss: Issuer, dtype: str, y: int, subject: str) -> list[Piece]:
        left: list[Piece] = []
        if iss.parent and self.r.random() < 0.85:
            left.append(Piece(iss.parent, "issuer", tag="parent"))
        name = iss.name
        if len(name) > 30 and self.r.random() < 0.5:  # long names wrap onto two lines
            cut = name.rfind(" ", 0, len(name) // 2 + 6)
            left += [Piece(name[:cut], "issuer"), Piece(name[cut + 1:], "issuer")]
        else:
            left.append(Piece(name, "issuer"))
        party = iss.level == "party"
        num = "" if self.r.random() < 0.25 else str(self.r.randint(1, 4999)).zfill(2)
        if party:
            code = "CV" if dtype == "Công văn" else TYPE_CODES.get(dtype, "KH")
            sym = f"{code}/{iss.code}"
            left.append(Piece(f"Số {num}-{sym}" if num else f"Số   -{sym}", "number"))
        else:
            sym = (f"{iss.code}-{self.pick(UNIT_CODES)}" if dtype == "Công văn"
                   else f"{TYPE_CODES.get(dtype, 'KH')}-{iss.code}")
            left.append(Piece(f"Số: {num}/{sym}" if num else f"Số:   /{sym}", "number"))
        if dtype == "Công văn":
            vv = _Line("subject").add(self.pick(["V/v ", "V/v: ", "V/v "]) + subject).piece()
            left.extend(self.wrap_piece(vv, 34))
        right = ([Piece("ĐẢNG CỘNG SẢN VIỆT NAM", "motto")] if party else
                 [Piece(self.pick(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] * 5 + ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
                        "motto"),
                  Piece(self.pick(["Độc lập - Tự do - Hạnh phúc"] * 6 + ["Độc lập – Tự do – Hạnh phúc",
                                                                        "Độc lập -Tự do - Hạnh phúc"]), "motto")])
        day = "" if not num and self.r.random() < 0.7 else str(self.r.randint(1, 28)).zfill(2)
        m = self.r.randint(1, 12)
        ms = str(m).zfill(2) if m < 3 else str(m)
        right.append(Piece(f"{iss.place}, ngày {day or '   '} tháng {ms} năm {y}", "place_date"))
        return self.arrange_header(left, right)

    def arrange_header(self, left: list[Piece], right: list[Piece]) -> list[Piece]:
        """Order of the two header columns as different extractors give them (domain §7.6)."""
        mode = self.r.random()
        if mode < 0.55:  # column by column, issuer first (DOCX, pypdfium2)
            out = left[:-1] if left[-1].label == "subject" else left[:]
            out = left[:2] + right[:2] + left[2:] + right[2:] if mode < 0.3 else left + right
            return out
        if mode < 0.8:  # alternating lines (pdfminer)
            out = []
            for i in range(max(len(left), len(right))):
                out += ([left[i]] if i < len(left) else []) + ([right[i]] if i < len(right) else [])
            return out
        # interleaved on one line (pdfplumber extract_text): label by the left cell
        out = []
        for i in range(max(len(left), len(right))):
            if i < len(left) and i < len(right):
                a, b = left[i], right[i]
                joined = a.text + " " + b.text
                out.append(Piece(joined, a.label, a.ents, a.tag))
            else:
                out.append(left[i] if i < len(left) else right[i])
        return out

    def merge_columns(self, left: list[Piece], right: list[Piece]) -> list[Piece]:
        """Nơi nhận (left) and the signature titles (right) printed on shared lines; label = left."""
        titles = [p for p in right if p.label == "signature"]
        rest = [p for p in right if p.label != "signature"]
        out = []
        for i, p in enumerate(left):
            if i < len(titles):
                out.append(Piece(p.text + " " + titles[i].text, p.label, p.ents, p.tag))
            else:
                out.append(p)
        return out + titles[len(left):] + rest

    def wrap_piece(self, p: Piece, width: int) -> list[Piece]:
        """Split a line at spaces, keeping entity spans (only used where no entity crosses)."""
        if len(p.text) <= width or p.ents:
            return [p]
        out, s = [], p.text
        while len(s) > width:
            cut = s.rfind(" ", 0, width)
            if cut <= 0:
                break
            out.append(Piece(s[:cut], p.label))
            s = s[cut + 1:]
        out.append(Piece(s, p.label))
        return out

    def citation(self, y: int) -> str:
        typ, pat = self.pick(CITED_TYPES)
        ref = pat.format(n=self.r.randint(1, 3000), y=self.r.randint(2015, y), k=self.r.randint(13, 15),
                         m=self.pick(MIN_CODES), u=self.pick(UNIT_CODES))
        d = f"{self.r.randint(1, 28)}/{self.r.randint(1, 12)}/{self.r.randint(2015, y)}"
        return f"{typ} số {ref} ngày {d}"

    def preamble(self, iss: Issuer, y: int, topic: str) -> list[Piece]:
        out = []
        for _ in range(self.r.randint(1, 4)):
            ln = _Line("preamble").add(self.pick(PREAMBLE_VERBS[:2]) + " " + self.citation(y) + " của ")
            ln.add(self.pick(MINISTRIES_NEW + ["Thủ tướng Chính phủ", "UBND tỉnh", "Chính phủ"]), "ORG")
            ln.add(" về " + topic)
            for _ in range(self.r.choice([0, 0, 1, 2])):  # "Căn cứ A của X về …; B của Y về …;"
                ln.add("; " + self.citation(y) + " của ")
                ln.add(self.pick(MINISTRIES_NEW + ["Chủ tịch UBND huyện", "UBND tỉnh"]), "ORG")
                ln.add(" về " + self.pick(TOPICS).format(y=y))
            ln.add(self.pick([";", ";", "."]))
            out.append(ln.piece())
        if self.r.random() < 0.5:
            ln = _Line("preamble").add("Theo đề nghị của ")
            ln.add(self.pick(iss.units), "ORG")
            ln.add(" tại Tờ trình số " + str(self.r.randint(1, 900)) + "/TTr-" + self.pick(UNIT_CODES) + ".")
            out.append(ln.piece())
        return out

    def deadline(self, y: int) -> str:
        m = self.r.randint(1, 12)
        return self.pick(DEADLINES).format(d=self.r.randint(1, 28), d2=self.r.randint(1, 28), m=m, y=y,
                                           q=self.pick(QUARTERS))

    def units(self, iss: Issuer, k: int) -> list[str]:
        pool = iss.units + (GROUPS if self.r.random() < 0.3 else [])
        return self.r.sample(pool, min(k, len(pool)))

    def add_units(self, ln: _Line, units: list[str]) -> None:
        for i, u in enumerate(units):
            if i:
                ln.add(", " if i < len(units) - 1 or self.r.random() < 0.4 else " và ")
            ln.add(u, "ORG")

    def assignment(self, iss: Issuer, y: int, label: str, prefix: str = "") -> Piece:
        """One task sentence with lead and support units (domain §6.2)."""
        ln = _Line(label).add(prefix)
        lead = self.units(iss, 1)
        sup = self.units(iss, self.r.randint(0, 3))
        sup = [u for u in sup if u not in lead]
        form = self.r.randint(0, 8)
        act = f"{self.pick(VERBS)} {self.pick(OBJECTS)}"
        if form == 0:
            ln.add("Giao ")
            self.add_units(ln, lead)
            if sup:
                ln.add(self.pick([" chủ trì, phối hợp với ", " phối hợp ", " chủ trì, phối hợp "]))
                self.add_units(ln, sup)
            ln.add(" " + act)
        elif form == 1:
            self.add_units(ln, lead)
            ln.add(" chủ trì" + (", phối hợp với " if sup else " "))
            if sup:
                self.add_units(ln, sup)
                ln.add(" ")
            ln.add(act)
        elif form == 2:
            ln.add(self.pick(["Đề nghị ", "Yêu cầu "]))
            self.add_units(ln, lead + sup[:1])
            ln.add(" " + act)
        elif form == 3:
            self.add_units(ln, lead)
            ln.add(self.pick([" có trách nhiệm ", " tham mưu ", " hướng dẫn ", " tổng hợp "]) + act)
        elif form == 4:
            ln.add(act[0].upper() + act[1:] + "; báo cáo kết quả về ")
            ln.add(iss.short if iss.level != "central" else iss.name.title(), "ORG")
            if self.r.random() < 0.5:
                ln.add(" (qua ")
                ln.add(self.pick(iss.units), "ORG")
                ln.add(")")
        elif form == 5:
            ln.add(act[0].upper() + act[1:] + ". Đơn vị chủ trì: ")
            self.add_units(ln, lead)
            if sup:
                ln.add("; đơn vị phối hợp: ")
                self.add_units(ln, sup)
        elif form == 6:
            ln.add("Giao đồng chí ")
            ln.add(self.person(), "PER")
            ln.add(", " + self.pick(["Phó Chủ tịch", "Trưởng phòng", "Chánh Văn phòng"]) + " ")
            ln.add(self.pick(iss.units), "ORG")
            ln.add(" " + act)
        elif form == 7:
            ln.add(act[0].upper() + act[1:] + ", phối hợp với ")
            self.add_units(ln, lead)
        else:
            ln.add(act[0].upper() + act[1:] + " nhằm nâng cao hiệu quả " + self.pick(OBJECTS))
        ln.add(" " + self.deadline(y) if self.r.random() < 0.6 else "")
        ln.add(self.pick([".", ";", ".", "./."]))
        if self.r.random() < 0.45:
            ln.add(" " + self.fillers(y))
        return ln.piece()

    def fillers(self, y: int) -> str:
        n = self.r.randint(1, 3)
        return " ".join(self.pick(FILLERS).format(y=y) + self.pick([".", ".", ";"]) for _ in range(n))

    def cong_van_body(self, iss: Issuer, y: int, topic: str) -> list[Piece]:
        out: list[Piece] = []
        if self.r.random() < 0.8:
            if self.r.random() < 0.7:  # "Kính gửi:" then one dash line per addressee
                out.append(_Line("recipients").add("Kính gửi:").piece())
                for i, u in enumerate(self.units(iss, self.r.randint(2, 4))):
                    out.append(_Line("recipients").add("- ").add(u, "ORG").add(";" if i < 3 else ".").piece())
            else:  # one addressee on the same line
                ln = _Line("recipients").add("Kính gửi: ")
                ln.add(self.pick(iss.units), "ORG")
                out.append(ln.add(".").piece())
        out += self.preamble(iss, y, topic)
        lead = _Line("body").add(f"{iss.short.capitalize() if iss.short[0].islower() else iss.short} ")
        lead.add(self.pick(["đề nghị các cơ quan, đơn vị triển khai một số nội dung sau:",
                            "có ý kiến như sau:", "yêu cầu thực hiện tốt các nhiệm vụ sau:"]))
        out.append(lead.piece())
        for i in range(1, self.r.randint(3, 8)):
            out.append(self.assignment(iss, y, "item", f"{i}. "))
            for j in range(self.r.randint(0, 2)):
                out.append(self.assignment(iss, y, "item", self.pick(["- ", "+ ", f"{'abcd'[j]}) "])))
        out.append(_Line("body").add(self.pick(["Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, "
                                                "kịp thời báo cáo về ", "Đề nghị các cơ quan, đơn vị "
                                                "quan tâm phối hợp thực hiện; báo cáo về "]))
                   .add(iss.short, "ORG").add(" để tổng hợp./.").piece())
        return out

    def plan_body(self, iss: Issuer, y: int, topic: str) -> list[Piece]:
        out = self.preamble(iss, y, topic)
        out.append(_Line("body").add(f"{iss.short} ban hành Kế hoạch {topic} như sau:").piece())
        sections = [("I. MỤC ĐÍCH, YÊU CẦU", 2), ("II. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM", 4),
                    ("III. KINH PHÍ THỰC HIỆN", 1), ("IV. TỔ CHỨC THỰC HIỆN", 4), ("V. CHẾ ĐỘ BÁO CÁO", 1)]
        for title, n in sections:
            out.append(Piece(title, "heading"))
            for i in range(1, n + 1):
                if title.startswith("IV") and self.r.random() < 0.5:
                    unit = self.pick(iss.units)
                    out.append(_Line("heading").add(f"{i}. ").add(unit, "ORG").piece())
                    out.append(self.assignment(iss, y, "item", "- "))
                    continue
                if title.startswith("II") and self.r.random() < 0.35:
                    out += self.table(iss, y)
                    continue
                out.append(self.assignment(iss, y, "item", f"{i}. "))
                for k in range(self.r.randint(0, 2)):
                    out.append(self.assignment(iss, y, "item", f"{'abcdđeg'[k]}) "))
            if title.startswith("I."):
                out.append(Piece(f"- {self.pick(OBJECTS).capitalize()} phải được triển khai đồng bộ, hiệu quả.",
                                 "body"))
        return out

    def table(self, iss: Issuer, y: int) -> list[Piece]:
        """A task table (TT | Nội dung | Chủ trì | Phối hợp | Thời gian); markdown pipes or one cell per line."""
        pipes = self.r.random() < 0.5
        heads = ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện"]
        rows = []
        for i in range(1, self.r.randint(2, 5)):
            lead, sup = self.units(iss, 1), self.units(iss, 2)
            rows.append([(str(i), None), (f"{self.pick(VERBS).capitalize()} {self.pick(OBJECTS)}", None),
                         (lead[0], "ORG"), (", ".join(sup), "ORGS"), (self.deadline(y), None)])
        out: list[Piece] = []
        if pipes:
            out.append(Piece("| " + " | ".join(heads) + " |", "table"))
            out.append(Piece("|" + "---|" * len(heads), "table"))
        else:
            out += [Piece(h, "table") for h in heads]
        for row in rows:
            if pipes:
                ln = _Line("table").add("| ")
                for j, (cell, ent) in enumerate(row):
                    self.cell(ln, cell, ent)
                    ln.add(" | " if j < len(row) - 1 else " |")
                out.append(ln.piece())
            else:
                for cell, ent in row:
                    ln = _Line("table")
                    self.cell(ln, cell, ent)
                    out.append(ln.piece())
        return out

    def cell(self, ln: _Line, cell: str, ent: str | None) -> None:
        if ent == "ORGS":
            for k, u in enumerate(cell.split(", ")):
                ln.add(", " if k else "").add(u, "ORG")
        else:
            ln.add(cell, ent)

    def decision_body(self, iss: Issuer, y: int, topic: str) -> list[Piece]:
        out = [Piece(f"{iss.head if iss.level != 'central' else 'BỘ TRƯỞNG ' + iss.name[3:]}", "heading")]
        out += self.preamble(iss, y, topic)
        out.append(Piece("QUYẾT ĐỊNH:", "heading"))
        out.append(Piece(f"Điều 1. Ban hành kèm theo Quyết định này Kế hoạch {topic}.", "item"))
        out.append(Piece("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", "item"))
        ln = _Line("item").add("Điều 3. Chánh Văn phòng, ")
        self.add_units(ln, self.units(iss, 3))
        out.append(ln.add(" và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.").piece())
        return out

    def distribution(self, iss: Issuer) -> list[Piece]:
        out = [Piece(self.pick(["Nơi nhận:", "Nơi nhận:", "Nơi nhận :"]), "distribution")]
        out.append(Piece(self.pick(["- Như trên;", "- Như Điều 3;", "- Như Kính gửi;"]), "distribution"))
        for u in self.units(iss, self.r.randint(1, 4)):
            out.append(_Line("distribution").add("- ").add(u, "ORG").add(";").piece())
        out.append(Piece(f"- Lưu: VT, {self.pick(UNIT_CODES)}.", "distribution"))
        return out

    def signature(self, iss: Issuer) -> list[Piece]:
        out: list[Piece] = []
        head = iss.head
        form = self.r.random()
        if iss.level == "party":
            out.append(Piece(self.pick(["T/M BAN THƯỜNG VỤ", "T/M ĐẢNG ỦY"]), "signature"))
            out.append(Piece(self.pick(["PHÓ BÍ THƯ", "BÍ THƯ"]), "signature"))
        elif form < 0.35:
            out.append(Piece("TM. ỦY BAN NHÂN DÂN", "signature")
                       if iss.level in ("province", "district", "commune") else Piece(f"KT. {head}", "signature"))
            out.append(Piece(f"KT. {head}", "signature") if iss.level in ("province", "district", "commune")
                       else Piece("THỨ TRƯỞNG" if head == "BỘ TRƯỞNG" else f"PHÓ {head}", "signature"))
            out.append(Piece(f"PHÓ {head}", "signature"))
        elif form < 0.7:
            out += [Piece(f"KT. {head}", "signature"), Piece(f"PHÓ {head}", "signature")]
        elif form < 0.85:
            out += [Piece(head, "signature")]
        else:
            out += [Piece(f"TL. {head}", "signature"), Piece("CHÁNH VĂN PHÒNG", "signature")]
        if self.r.random() < 0.3:
            out.append(Piece(self.pick(["(Đã ký)", "(Ký tên, đóng dấu)", "(đã ký)"]), "signature"))
        out.append(_Line("signer").add(self.person(), "PER").piece())
        return out

    def appendix(self, iss: Issuer, y: int) -> list[Piece]:
        out = [Piece(self.pick(["PHỤ LỤC", "Phụ lục I", "PHỤ LỤC 01"]), "appendix"),
               Piece(self.pick(["MẪU BÁO CÁO KẾT QUẢ THỰC HIỆN", "DANH MỤC NHIỆM VỤ NĂM " + str(y)]), "appendix"),
               Piece(f"(Kèm theo Kế hoạch số   /KH-{iss.code} ngày   /  /{y} của {iss.short})", "appendix")]
        out += self.table(iss, y)
        return out

    def article(self) -> list[Piece]:
        """News text about a document (seed 001 style): no header, 'Một là, …' items."""
        iss, post = self.issuer()
        y = self.year(post)
        topic = self.pick(TOPICS).format(y=y)
        out = [Piece(self.pick(["Văn hóa cơ sở", "Thời sự", "Tin tức - Sự kiện", "Chính trị"]), "other"),
               Piece(f"{iss.name.title()} triển khai {topic}", "doc_title")]
        ln = _Line("body").add("Thực hiện " + self.citation(y) + ", ")
        ln.add(iss.name.title(), "ORG").add(f" ban hành Kế hoạch về {topic}.")
        out.append(ln.piece())
        for w in ["Một là", "Hai là", "Ba là", "Bốn là"][: self.r.randint(2, 4)]:
            out.append(self.assignment(iss, y, "item", w + ", "))
            if self.r.random() < 0.5:
                out.append(self.assignment(iss, y, "body"))
        if self.r.random() < 0.5:
            out.append(Piece("Ảnh minh họa", "other"))
        ln = _Line("other").add(self.pick(["Theo ", "Nguồn: ", ""])).add(self.person(), "PER")
        out.append(ln.piece())
        return out

    # ----------------------------------------------------------------- whole documents
    def formal(self) -> list[Piece]:
        iss, post = self.issuer()
        y = self.year(post)
        topic = self.pick(TOPICS).format(y=y)
        dtype = self.pick(["Công văn", "Công văn", "Kế hoạch", "Kế hoạch", "Quyết định", "Thông báo"])
        if iss.level == "party" and dtype == "Quyết định":
            dtype = "Kế hoạch"
        pieces = self.header(iss, dtype, y, ("triển khai " if dtype == "Công văn" else "") + topic)
        if dtype != "Công văn":
            pieces.append(Piece(dtype.upper(), "doc_title"))
            pieces += self.wrap_piece(Piece(("Về việc " if dtype == "Quyết định" else "") + topic.capitalize(),
                                            "subject"), 60)
        if dtype == "Công văn":
            pieces += self.cong_van_body(iss, y, topic)
        elif dtype == "Quyết định":
            pieces += self.decision_body(iss, y, topic)
        else:
            if dtype == "Thông báo":
                pieces += self.cong_van_body(iss, y, topic)[-5:]
            else:
                pieces += self.plan_body(iss, y, topic)
        tail = self.distribution(iss), self.signature(iss)
        order = self.r.random()
        if order < 0.4:  # the two bottom columns come out in either order …
            pieces += tail[0] + tail[1]
        elif order < 0.8:
            pieces += tail[1] + tail[0]
        else:  # … or side by side on the same lines (pdfplumber), the name last
            pieces += self.merge_columns(tail[0], tail[1])
        if self.r.random() < 0.2:
            pieces += self.appendix(iss, y)
        return pieces

    def document(self) -> list[Piece]:
        return self.article() if self.r.random() < 0.12 else self.formal()

    # ----------------------------------------------------------------- layout noise
    def line_noise(self, pieces: list[Piece], noise: set[str]) -> list[Piece]:
        if "missing_header" in noise:
            drop = self.pick(["motto", "issuer", "number"])
            pieces = [p for p in pieces if p.label != drop or self.r.random() < 0.3]
        if "markdown" in noise:
            pieces = [self.markdown(p) for p in pieces]
        return pieces

    def markdown(self, p: Piece) -> Piece:
        if p.label in ("heading", "doc_title", "issuer", "motto") and self.r.random() < 0.7:
            pre = self.pick(["**", "# ", "## ", "*"])
            post = "**" if pre == "**" else ("*" if pre == "*" else "")
            return Piece(pre + p.text + post, p.label, [(s + len(pre), e + len(pre), t) for s, e, t in p.ents], p.tag)
        if p.label == "signer" and self.r.random() < 0.5:
            return Piece("**" + p.text + "**", p.label, [(s + 2, e + 2, t) for s, e, t in p.ents])
        return p

    def compose(self, pieces: list[Piece], blank_lines: bool) -> tuple[str, list[dict], list[dict]]:
        """Raw text plus logical-line and entity spans."""
        parts, lines, ents, pos = [], [], [], 0
        for p in pieces:
            if blank_lines and self.r.random() < 0.35:
                parts.append("")
                pos += 1
            parts.append(p.text)
            lines.append({"start": pos, "end": pos + len(p.text), "label": p.label, **({"tag": p.tag} if p.tag else {})})
            ents += [{"start": pos + s, "end": pos + e, "label": t} for s, e, t in p.ents]
            pos += len(p.text) + 1
        return "\n".join(parts) + "\n", lines, ents

    def char_noise(self, text: str, noise: set[str]) -> str:
        """Same-length noise, so every span stays valid."""
        chars = list(text)
        if "ocr" in noise:
            for i, c in enumerate(chars):
                if c in OCR_SUBS and self.r.random() < 0.04:
                    chars[i] = self.pick(OCR_SUBS[c])
        if "hard_wrap" in noise:
            width, col = self.r.randint(55, 95), 0
            for i, c in enumerate(chars):
                col = 0 if c == "\n" else col + 1
                if c == " " and col > width:
                    chars[i], col = "\n", 0
        if "lost_breaks" in noise:
            chars = [" " if c == "\n" else c for c in chars]
        return "".join(chars)


# Visual confusions of OCR engines: one character for one, so offsets do not move.
OCR_SUBS = {"ế": ["é", "ê"], "ệ": ["ê", "e"], "ờ": ["ò", "ơ"], "ạ": ["a"], "ả": ["à", "a"], "ộ": ["ô"],
            "ố": ["ô", "ó"], "ư": ["u"], "ơ": ["o"], "đ": ["d"], "Đ": ["D"], "l": ["1", "I"], "0": ["O"],
            "O": ["0"], "m": ["rn"[0]], "ì": ["i"], "ủ": ["u"], "ị": ["i"], "ậ": ["â"], "ặ": ["ă"]}

NOISES = ["hard_wrap", "lost_breaks", "ocr", "missing_header", "markdown"]


def _map_spans(items: list[dict], omap, n: int) -> list[dict]:
    out = []
    for it in items:
        # a span starting on removed markup (a "# " heading marker) maps before its text: clamp
        s, e = min(max(omap.to_text(it["start"]), 0), n), min(max(omap.to_text(it["end"]), 0), n)
        if e > s:
            out.append({**it, "start": s, "end": e})
    return out


def _trim(text: str, items: list[dict]) -> list[dict]:
    """Shrink spans so they neither start nor end on whitespace."""
    out = []
    for it in items:
        s, e = it["start"], it["end"]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append({**it, "start": s, "end": e})
    return out


def make_record(g: Synth, idx: int) -> dict:
    noise = {n for n in NOISES if g.r.random() < {"hard_wrap": 0.2, "lost_breaks": 0.15, "ocr": 0.2,
                                                   "missing_header": 0.15, "markdown": 0.2}[n]}
    pieces = g.line_noise(g.document(), noise)
    raw, lines, ents = g.compose(pieces, blank_lines="lost_breaks" not in noise)
    text, omap = normalize_text(raw)
    lines, ents = _map_spans(lines, omap, len(text)), _map_spans(ents, omap, len(text))
    text = g.char_noise(text, noise)
    text2, omap2 = normalize_text(text)
    if text2 != text:  # e.g. OCR noise created a double space: map once more
        lines, ents, text = _map_spans(lines, omap2, len(text2)), _map_spans(ents, omap2, len(text2)), text2
    return {"id": f"synth-{idx:04d}", "source": "synthetic", "noise": sorted(noise), "text": text,
            "lines": _trim(text, lines), "entities": _trim(text, ents)}


def generate(n: int = 400, seed: int = 20261123) -> list[dict]:
    """``n`` annotated synthetic records, reproducible from ``seed``."""
    g = Synth(seed)
    return [make_record(g, i) for i in range(n)]
