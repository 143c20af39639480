"""The shortcuts the tasks stage takes for speed answer exactly what the plain scans answer."""

from hypothesis import given
from hypothesis import strategies as st

from vbextract.parts.tasks import _INTRO_ANY_F, _cut, _intro_anywhere, _Spans

_PIECES = ["để", "trên cơ sở", "theo", "trong", "khi", "nếu", ". ", "; ", ":", ",", " ", "\n", "sở y tế", "thực hiện",
           "đểx", "theo dõi", ".", "trường hợp", "a"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_intro_anywhere_is_the_search(pieces):
    para = "".join(pieces)
    assert _intro_anywhere(para) == (_INTRO_ANY_F.search(para) is not None)


def test_intro_anywhere_on_paragraphs():
    assert _intro_anywhere("trên cơ sở kết quả rà soát, sở y tế tổng hợp")
    assert _intro_anywhere("sở y tế tổng hợp; trong quá trình thực hiện, nếu có vướng mắc")
    assert not _intro_anywhere("sở y tế theo dõi, đôn đốc các đơn vị")
    assert not _intro_anywhere("tổ chức thực hiện.để")


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8), st.integers(-2, 65))
def test_spans_hold_what_a_scan_finds(spans, pos):
    assert _Spans(spans).holds(pos) == any(a <= pos < b for a, b in spans)


@given(st.text(alphabet="ab \n", max_size=30), st.data())
def test_cut_replaces_each_offset_by_a_space(s, data):
    cuts = sorted(data.draw(st.sets(st.integers(0, max(len(s) - 1, 0)), max_size=5))) if s else []
    expect = "".join(" " if i in cuts else c for i, c in enumerate(s))
    assert _cut(s, cuts) == expect


# one phrase per head of org_start (written for this test): each must match, and begin with one
# of the entry's prefilter literals, or the prefilter would hide that head
_HEADS_TEXT = ("Ủy ban nhân dân|Uỷ ban|UBND tỉnh|UBMTTQVN tỉnh|MTTQ tỉnh|HĐND tỉnh|Hội đồng|Hội Nông dân|Sở Y tế|"
          "Sở quản lý ngành|Phòng Kinh tế|phòng Tư pháp|Ban Chỉ đạo|Ban quản lý|Ban Dân tộc|Bộ Công Thương|Cục Thuế|"
          "Chi cục Thuế|Tổng cục Thuế|Vụ Pháp chế|Văn phòng UBND|Văn Phòng UBND|Trung tâm Y tế|Đoàn Thanh niên|"
          "Liên đoàn Lao động|Liên hiệp các Hội|Liên minh Hợp tác xã|Hiệp hội Doanh nghiệp|Thành đoàn|Tỉnh đoàn|"
          "Đài Phát thanh|Báo Lào Cai|Công an tỉnh|Tòa án nhân dân|Toà án nhân dân|Viện Kiểm sát|Quỹ Đầu tư|"
          "Trường Chính trị|Bệnh viện Đa khoa|Thanh tra Sở|Kho bạc Nhà nước|Ngân hàng Nhà nước|Bảo hiểm xã hội tỉnh|"
          "Cơ quan thường trực|Thường trực HĐND|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Huyện uỷ|Quận ủy|Đảng uỷ|Mặt trận Tổ quốc|"
          "Giám đốc Sở|Chủ tịch UBND|Thủ trưởng các|Lãnh đạo Sở|Trạm Y tế|Công ty cổ phần|Tổng công ty Điện lực|"
          "Tổng Công ty Điện lực|Tập đoàn Điện lực|Hợp tác xã nông nghiệp|Chủ đầu tư dự án|Lực lượng vũ trang|"
          "Bộ Chỉ huy Quân sự|Chi nhánh Ngân hàng|Cảnh sát giao thông|Hạt Kiểm lâm|Đội Quản lý|Chính phủ|"
          "Thủ tướng Chính phủ|Quốc hội|Tổ công tác|Tổ giúp việc|Tổ chuyên gia|Kiểm toán Nhà nước|Thuế tỉnh|"
          "Hải quan khu vực|Chánh Văn phòng|Chánh thanh tra|Chánh án|Vụ trưởng|Viện trưởng|Tổng cục trưởng|"
          "Thứ trưởng|Hiệu trưởng|Tổ trưởng|Đội trưởng|Trưởng ban|Trưởng Phòng|Trưởng Công an|Trưởng tiểu ban|"
          "Phó Trưởng ban|Tổng Giám đốc|Phó Chủ tịch|Phó Giám đốc|Bộ, ban|Sở, ngành|bộ, ngành|sở, cơ quan|"
          "Báo và Phát thanh|Người đứng đầu|Bí thư Tỉnh ủy|Thông tấn xã|Đài Tiếng nói|Tổ chức, cá nhân|"
          "tổ chức, cá nhân|Cá nhân, tổ chức|cá nhân, tổ chức|chính quyền địa phương|chính quyền cơ sở|"
          "các lực lượng công an|lực lượng Hải quan|lực lượng bộ đội Biên phòng|cộng đồng dân cư|"
          "các cơ quan chức năng|cơ quan có thẩm quyền|các địa phương|ngành y tế|các sở|Các sở|các đơn vị|"
          "các tổ dân phố|các Bộ|các UBND|các hội đoàn thể|các cơ quan, đơn vị")
_HEADS = _HEADS_TEXT.split("|")


def test_every_head_of_org_start_begins_with_a_prefilter_literal():
    from vbextract.parts.units import ORG_START

    for phrase in _HEADS:
        assert ORG_START.rx.match(phrase), phrase
        assert phrase.startswith(ORG_START.prefilter), phrase
    # paragraph openers that share a head's first word are refused before the pattern runs
    for opener in ("Tổ chức thực hiện", "Chủ động rà soát", "Công tác tuyên truyền", "Tổng hợp báo cáo"):
        assert not opener.startswith(ORG_START.prefilter) and ORG_START.match(opener) is None
