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
