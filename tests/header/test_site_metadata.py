"""A saved portal page's attribute box is handed over as ``source.site_metadata`` (issue 10, class 9).

The page below follows vbpl.vn's markup (an Ant Design descriptions table beside the title box);
values invented for the test. The saved vbpl.vn pages of ``../shared/corpus`` are read when present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vbextract import parse


def _item(label: str, value: str) -> str:
    return (f'<td class="ant-descriptions-item" colspan="1"><div class="ant-descriptions-item-container">'
            f'<span class="ant-descriptions-item-label">{label}</span><span class="ant-descriptions-item-content">'
            f'<span class="ant-typography font-medium">{value}</span></span></div></td>')


PAGE = ("<html><body><nav>TRANG CHỦ - GIỚI THIỆU</nav><main data-vbpl-content-root=\"true\">"
        "<div class=\"title\">Văn bản hợp nhất số 41/VBHN-BTP Quy định về đăng ký hộ tịch lưu động</div>"
        "<div class=\"ant-descriptions-view\"><table><tbody><tr class=\"ant-descriptions-row\">"
        + _item("Số hiệu", "41 /VBHN-BTP") + _item("Loại văn bản", "Văn bản hợp nhất") + _item("Ngành", "--")
        + _item("Ngày ký xác thực", "03/02/2026") + "</tr><tr>" + _item("Cơ quan ban hành", "Bộ Tư pháp")
        + _item("Chức danh", "Thứ trưởng") + _item("Người ký", "Trần Văn Khải &amp; cộng sự")
        + "</tr></tbody></table></div></main></body></html>")


def test_attribute_box_is_kept_as_the_sites_metadata():
    d = parse(PAGE.encode(), name="page.html", use_ml=False)
    assert d.source.site_metadata == {
        "Số hiệu": "41 /VBHN-BTP", "Loại văn bản": "Văn bản hợp nhất", "Ngày ký xác thực": "03/02/2026",
        "Cơ quan ban hành": "Bộ Tư pháp", "Chức danh": "Thứ trưởng", "Người ký": "Trần Văn Khải & cộng sự",
    }  # "--" (no value on the site) is left out, entities decoded
    # the page holds no document text: the header comes from the box, each value marked so, and that is said
    h = d.header
    assert (h.doc_type, h.number, h.symbol, h.date, h.issuer, h.ref) == (
        "Văn bản hợp nhất", "41", "VBHN-BTP", "2026-02-03", "Bộ Tư pháp", "41/VBHN-BTP")
    assert set(h.provenance.values()) == {"site-metadata"} and "issuer" in h.provenance
    assert d.kind == "formal" and any(n.code == "header.from_site_metadata" for n in d.notices)
    assert d.signature is not None and (d.signature.position, d.signature.provenance["signer"]) == (
        "Thứ trưởng", "site-metadata")


def test_a_page_without_a_box_has_none():
    html = "<html><body><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Số hiệu văn bản</p></body></html>"
    assert parse(html.encode(), name="p.html", use_ml=False).source.site_metadata == {}


def test_an_unclosed_box_costs_nothing():
    html = '<span class="ant-descriptions-item-label">Số hiệu</span>' + "<span>x" * 20000
    assert parse(html.encode(), name="p.html", use_ml=False).source.site_metadata == {}


VBPL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "vbpl-html"
PAGES = sorted(VBPL.glob("*.html")) if VBPL.is_dir() else []


@pytest.mark.skipif(not PAGES, reason="corpus vbpl-html absent")
def test_every_saved_vbpl_box_gives_number_type_and_issuer():
    boxed = 0
    for path in PAGES:
        data = path.read_bytes()
        if b"ant-descriptions-item-label" not in data:
            continue
        boxed += 1
        meta = parse(data, name=path.name, use_ml=False).source.site_metadata
        assert {"Số hiệu", "Loại văn bản", "Cơ quan ban hành"} <= set(meta), path.name
    assert boxed
