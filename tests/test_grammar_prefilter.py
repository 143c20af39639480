"""Grammar prefilters (``prefilter: [literal, ...]`` on an entry) are a speed-up only: every example
holds one of the literals (``prefilter_at: start``: begins with one), and on the seeds, realistic
strings and (when ``../shared/corpus`` is there) converted corpus pages, the prefiltered ``search``,
``finditer``, ``match`` and ``sub`` give exactly what the plain pattern gives."""

from pathlib import Path

import pytest
import regex

from vbextract.grammars import MATCH_TIMEOUT, REGISTRY, Pattern, entries, grammar_files
from vbextract.normalize import fold, normalize_text

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS.parents[0] / ".." / "shared" / "corpus"

FILTERED = {name: p for name, p in REGISTRY.items() if p.prefilter}
# an entry whose lookahead reads past its match lists the strings it is found in instead
FOUND_IN = {e["name"]: list(e["found_in"]) for f in grammar_files() for e in entries(f)[1] if e.get("found_in")}

# Written for this test (not corpus text): the forms the prefiltered entries read, and near misses.
REALISTIC = [
    "1. Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan tham mưu UBND tỉnh trước ngày 15/11/2025.",
    "Báo cáo kết quả thực hiện về Sở Nội vụ chậm nhất là ngày 20 tháng 12 năm 2025 để tổng hợp.",
    "Hạn chót nộp hồ sơ: trước\nngày 05/01/2026; quá thời hạn trên, hồ sơ không được xem xét.",
    "Thời gian tổ chức: từ ngày 08 đến ngày 10 tháng 12 năm 2025 tại Hội trường UBND tỉnh.",
    "Tổ chức kiểm tra từ 01/3/2025 – 30/4/2025; hoàn thành trong quý II/2025 và báo cáo vào tháng 7/2025.",
    "Hoàn thành trong Quý IV năm 2025; từ Tháng 10 - 12/2025 rà soát; Quý I/2026 - Quý II/2026 tổng kết.",
    "Định kỳ hằng tháng (trước ngày 20) báo cáo; định kỳ 6 tháng một lần; Hằng năm, Hàng quý tổng hợp.",
    "Các đơn vị thực hiện thường xuyên trong năm 2025, liên tục trong suốt năm; từ nay đến hết năm 2026.",
    "Triển khai thực hiện (dự kiến 2025 - 2026).\nHoàn thành đến hết tháng 6/2025, xong đến hết năm 2027.",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025; Bộ luật Lao động số 45/2019/QH14;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ; áp dụng QCVN 01:2019/BCT và TCVN 5699-1:2010.",
    "Theo đề nghị của Giám đốc Sở Xây dựng tại Tờ trình số 123/TTr-SXD ngày 01/8/2025.",
    "Xét đề nghị của Trưởng phòng; trên cơ sở kết quả rà soát; thi hành Quyết định này kể từ ngày ký.",
    "UBND tỉnh giao Sở Y tế là cơ quan thường trực, có trách nhiệm đôn đốc; đề nghị Công an tỉnh, yêu cầu Cục Thuế phối hợp.",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc",
    "Số: 552/KH-UBND   Hà Nội, ngày 02 tháng 10 năm 2025\nV/v triển khai kế hoạch hằng năm",
    "Luật sư, luật pháp và luật lệ; trong ngày; vào ngày 3/2; trong hồi 8 giờ ngày 12/12/2025; vào ngày 15 tháng 3.",
    "trước ngày ngày 15/11; trước thời điểm 30/6/2025; trước 30/11/2024; hạn chót là ngày 10/10.",
    "Tổ chức tuần tra từ tháng 3 đến tháng 11 hằng năm; Tháng 6 - tháng 9 hàng năm kiểm tra; tháng 11 hằng năm.",
    "Đến năm 2027, hoàn thành số hóa hồ sơ; các dự án xong trong năm 2026; đến năm 2030 đạt 80%.",
    "Báo cáo TRƯỚC NGÀY 16 HÀNG THÁNG; Chậm nhất ngày 20 của tháng; trước 15 giờ hằng ngày; trước ngày 10 hằng quý.",
    "Từ tháng 6 đến tháng 9/2026 và tháng 10 - 12/2026; từ ngày 3/4; Quý I năm 2026 đến quý III năm 2026.",
    "Mùa khô từ tháng 12 đến hết tháng 4 hằng năm; Tháng 5 - tháng 8 hàng năm tuần tra; tháng 13 hằng năm.",
]


def _strings() -> list[str]:
    raws = [p.read_text(encoding="utf-8") for p in sorted((TESTS / "seeds").glob("*.txt"))]
    shared_seeds = TESTS.parents[0] / ".." / "shared" / "seeds"
    raws += [p.read_text(encoding="utf-8") for p in sorted(shared_seeds.glob("*.txt"))]
    if CORPUS.is_dir():  # converted pages of the shared corpus, read in place (never copied)
        pages = sorted(CORPUS.glob("tvpl-md/**/*.md"))[:40] + sorted(CORPUS.glob("**/*.txt"))[:10]
        raws += [p.read_text(encoding="utf-8", errors="replace") for p in pages]
    texts = [normalize_text(r)[0] for r in raws] + REALISTIC
    return list(dict.fromkeys(texts))


STRINGS = _strings()


def _plain(p: Pattern) -> Pattern:
    return Pattern(p.name, p.source, p.flags)


def _key(p: Pattern, s: str) -> str:
    return fold(s) if p.on == "fold" else s


def _sig(m):
    return None if m is None else (m.span(), m.groupdict())


def test_there_are_prefiltered_entries():
    assert len(FILTERED) >= 15
    assert {"deadline_by", "law_name", "legal_basis_verb", "quoc_hieu"} <= set(FILTERED)


@pytest.mark.parametrize("name", sorted(FILTERED))
def test_every_example_holds_a_literal(name):
    p = FILTERED[name]
    examples = list(p.examples)
    for s in FOUND_IN.get(name, ()):
        m = p.rx.search(s)
        assert m is not None, f"{name} is not found in {s!r}"
        examples.append(m.group())
    assert examples, name
    assert all(lit == lit.lower() for lit in p.prefilter) or p.on == "text", f"{name}: fold literals are lower case"
    for ex in examples:
        if p.prefilter_at == "start":
            assert ex.startswith(p.prefilter), f"{name}: {ex!r} does not begin with one of {p.prefilter}"
        else:
            assert any(lit in ex for lit in p.prefilter), f"{name}: {ex!r} holds none of {p.prefilter}"


@pytest.mark.parametrize("name", sorted(FILTERED))
def test_prefiltered_and_plain_searches_agree(name):
    p = FILTERED[name]
    plain = _plain(p)
    found = 0
    for s in STRINGS:
        key = _key(p, s)
        every = [_sig(m) for m in plain.finditer(key)]
        assert [_sig(m) for m in p.finditer(key)] == every, name
        found += len(every)
        for m in plain.finditer(key):  # the invariant the prefilter rests on
            if p.prefilter_at == "start":
                assert key.startswith(p.prefilter, m.start()), (name, m.group())
            else:
                assert any(lit in m.group() for lit in p.prefilter), (name, m.group())
        # windows: every line, and from every line start to the end of the text
        pos = 0
        for line in key.split("\n"):
            end = pos + len(line)
            assert _sig(p.search(key, pos, end)) == _sig(plain.search(key, pos, end)), name
            assert _sig(p.search(key, pos)) == _sig(plain.search(key, pos)), name
            assert _sig(p.match(key, pos, end)) == _sig(plain.match(key, pos, end)), name
            assert [_sig(m) for m in p.finditer(key, pos, end)] == [_sig(m) for m in plain.finditer(key, pos, end)]
            pos = end + 1
        assert p.sub("#", key) == plain.sub("#", key), name
    assert found, f"{name}: the test strings never exercise the entry"


def test_prefilter_keeps_the_time_limit():
    p = Pattern("slow", r"(?:x+x+)+y", prefilter=("x",))
    with pytest.raises(Exception) as info:
        list(p.finditer("x" * 5000))
    assert "slow" in str(info.value)
    assert MATCH_TIMEOUT > 0


def test_bad_prefilters_are_refused():
    with pytest.raises(ValueError):
        Pattern("p", "a", prefilter=("",))
    with pytest.raises(ValueError):
        Pattern("p", "(?i)luật", regex.IGNORECASE, prefilter=("Luật",))
    with pytest.raises(ValueError):
        Pattern("p", "a", prefilter=("a",), prefilter_at="middle")


def test_a_long_start_prefilter_matches_at_every_offset_as_the_plain_pattern():
    """Past 8 literals ``match`` looks them up by first character: every offset (the end of the
    text and past it included) gives what the plain pattern gives."""
    heads = ("Sở", "Ban", "Bộ", "Cục", "Chi cục", "Văn phòng", "UBND", "các ", "Các ", "cơ quan")
    p = Pattern("heads", r"(?<![\p{L}])(?:Sở|Ban|Bộ|Cục|Chi cục|Văn phòng|UBND|[Cc]ác (?:sở|ban)|cơ quan)(?= \p{L})",
                prefilter=heads, prefilter_at="start")
    plain = _plain(p)
    text = "Giao Sở Y tế, các sở và Văn phòng UBND tỉnh; Chi cục Thuế, cơ quan liên quan, Bộ"
    for pos in range(len(text) + 2):
        for end in (None, len(text), pos + 3):
            assert _sig(p.match(text, pos, end)) == _sig(plain.match(text, pos, end)), (pos, end)


def test_recurring_day_limit_on_the_fold_key_finds_what_ignorecase_on_the_text_found():
    # deadline_by_recurring_day ran on the text with IGNORECASE; on the fold key it has a literal
    # start (much faster) and the same matches (its words hold no letter whose case fold differs)
    p = REGISTRY["deadline_by_recurring_day"]
    assert p.on == "fold"
    before = regex.compile(p.source, regex.IGNORECASE)
    found = 0
    for s in STRINGS:
        spans = [m.span() for m in before.finditer(s)]
        assert [m.span() for m in p.finditer(fold(s))] == spans
        found += len(spans)
    assert found >= 4


def test_several_start_literals_are_each_tried():
    # with several start literals a match is tried at each occurrence (overlapping ones included)
    # instead of one search from the first: the same matches as the plain pattern
    p = Pattern("p", r"(?:ab|b)c\d|bb", prefilter=("ab", "b"), prefilter_at="start")
    plain = Pattern("p", p.source)
    for s in ("abx bc1 abc2 bbc3", "ab", "xbbbc9", "abc1abc2", ""):
        assert [_sig(m) for m in p.finditer(s)] == [_sig(m) for m in plain.finditer(s)], s
        for pos in range(len(s) + 1):
            assert _sig(p.search(s, pos)) == _sig(plain.search(s, pos)), (s, pos)
