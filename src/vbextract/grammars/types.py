"""Document types: title words and symbol codes (NĐ 30/2020 Phụ lục III, older codes, Party codes).

``TYPE_BY_CODE`` maps the first segment of a symbol to the canonical type name; ``TYPE_TITLES``
lists the names printed as a title line. Keys of ``TYPE_BY_CODE`` are case-sensitive: ``TTr`` is a
Tờ trình, ``TT`` a Thông tư.
"""

from __future__ import annotations

TYPE_BY_CODE: dict[str, str] = {
    # NĐ 30/2020 Phụ lục III
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
    "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch",
    "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản",
    "TTr": "Tờ trình", "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận", "GUQ": "Giấy ủy quyền", "GM": "Giấy mời", "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép", "PG": "Phiếu gửi", "PC": "Phiếu chuyển", "PB": "Phiếu báo",
    "SY": "Bản sao y", "TrS": "Bản trích sao", "SL": "Bản sao lục",
    # VBQPPL codes (citations)
    "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh", "L": "Lệnh", "Lt": "Luật", "VBHN": "Văn bản hợp nhất",
    # older codes (TTLT 55/2005, TT 01/2011) and local practice
    "GN": "Bản ghi nhớ", "TTh": "Bản thỏa thuận", "CN": "Giấy chứng nhận", "UN": "Giấy ủy nhiệm",
    "UQ": "Giấy ủy quyền", "GT": "Giấy giới thiệu", "NP": "Giấy nghỉ phép", "ĐĐ": "Giấy đi đường",
    "BN": "Giấy biên nhận hồ sơ", "TS": "Bản trích sao", "CK": "Bản cam kết",
    "GP": "Giấy phép", "GCN": "Giấy chứng nhận", "GXN": "Giấy xác nhận",
    # Party codes (the part before "/" in "28-CT/TW")
    "KL": "Kết luận", "QĐi": "Quy định", "CV": "Công văn", "QTr": "Quy trình",
}

# Printed type names (title line, capitals in the header; any case in citations), longest first
# so that "Nghị quyết liên tịch" wins over "Nghị quyết".
TYPE_TITLES: list[str] = sorted(
    {
        "Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo",
        "Hướng dẫn", "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo",
        "Biên bản", "Tờ trình", "Hợp đồng", "Công điện", "Bản ghi nhớ", "Bản thỏa thuận",
        "Giấy ủy quyền", "Giấy mời", "Giấy giới thiệu", "Giấy nghỉ phép", "Phiếu gửi",
        "Phiếu chuyển", "Phiếu báo", "Công văn", "Nghị định", "Thông tư", "Thông tư liên tịch",
        "Nghị quyết liên tịch", "Pháp lệnh", "Lệnh", "Luật", "Bộ luật", "Hiến pháp",
        "Văn bản hợp nhất", "Giấy phép", "Giấy chứng nhận", "Kết luận", "Thông tri", "Quy trình",
        "Phiếu trình", "Giấy xác nhận", "Đề cương", "Thư công", "Điện",
    },
    key=len,
    reverse=True,
)

# Types that are not issued with tasks in mind: their numbered sections are outlines.
NON_DIRECTIVE_TYPES = {"Báo cáo", "Tờ trình", "Biên bản", "Giấy phép", "Giấy chứng nhận", "Phiếu trình",
                       "Giấy mời", "Giấy giới thiệu", "Hợp đồng"}


def type_from_symbol(symbol: str | None) -> str | None:
    """The type named by a symbol's type code, if it has one.

    >>> type_from_symbol("KH-UBND"), type_from_symbol("NĐ-CP"), type_from_symbol("UBND-KGVX")
    ('Kế hoạch', 'Nghị định', None)
    >>> type_from_symbol("CT/TW")
    'Chỉ thị'
    """
    if not symbol:
        return None
    first = symbol.replace("/", "-").split("-")[0].strip().rstrip(".")
    return TYPE_BY_CODE.get(first)


_BY_FOLDED: dict[str, str] = {}


def canonical_type(title: str) -> str | None:
    """Canonical type name for a printed title in any case ("KẾ HOẠCH" → "Kế hoạch")."""
    from ..normalize import fold

    if not _BY_FOLDED:
        _BY_FOLDED.update({fold(name): name for name in TYPE_TITLES})
    if len(title) > 40:
        return None
    return _BY_FOLDED.get(fold(" ".join(title.split())))
