import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vbextract.normalize import clean_value, fold, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("**ỦY BAN NHÂN DÂN  \nTỈNH KIÊN GIANG**", "ỦY BAN NHÂN DÂN\nTỈNH KIÊN GIANG"),
        ("### *Nơi nhận:*", "Nơi nhận:"),
        ("Số:\u00a0403/UBND\u200b-KGVX", "Số: 403/UBND-KGVX"),
        (unicodedata.normalize("NFD", "Kiên Giang, ngày 06"), "Kiên Giang, ngày 06"),
        ("a\r\nb\t\tc", "a\nb c"),
        ("| ỦY BAN | CỘNG HÒA |\n|---|---|", "\nỦY BAN\nCỘNG HÒA\n\n"),
    ],
)
def test_normalize_text(raw, expected):
    text, _ = normalize_text(raw)
    assert text == expected


@given(st.text(alphabet=st.sampled_from(list("aàâđ Ủy\n*#|\u00a0\u0301-/5")), max_size=80))
def test_offsets_map_back_to_input(raw):
    text, omap = normalize_text(raw)
    assert unicodedata.is_normalized("NFC", text)
    for i, ch in enumerate(text):
        j = omap.to_input(i)
        assert 0 <= j <= len(raw)
        if ch not in " \n":
            assert unicodedata.normalize("NFC", raw[j : j + 2]).startswith(ch)


@pytest.mark.parametrize(
    ("a", "b"),
    [("CỘNG HOÀ", "Cộng hòa"), ("Uỷ ban", "ủy ban"), ("thuỷ lợi", "thủy lợi"), ("khoẻ", "khỏe")],
)
def test_fold_unifies_tone_placement(a, b):
    assert fold(a) == fold(b)


@given(st.text(max_size=60))
def test_fold_keeps_length(s):
    assert len(fold(s)) == len(s)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Như trên;", "Như trên"), ("Lưu: VT, BTXH-TE..", "Lưu: VT, BTXH-TE"), ("  a   b. ", "a b"), ("", None)],
)
def test_clean_value(raw, expected):
    assert clean_value(raw) == expected


# --- fast path, long whitespace runs, lone surrogates -----------------------------------------------

_TRICKY = st.sampled_from(list("ab Đ|#>*_-:\n\r\t\u00a0\u200b\u00ad\u3000") + ["  ", "\n ", " \n", "**", "| --- |"])


@given(st.lists(_TRICKY, max_size=40).map("".join))
def test_fast_path_equals_a_scan_of_the_whole_text(raw):
    """Cleaning only the lines the trigger scan finds gives what a scan of every line gives."""
    from vbextract import normalize as nz

    fast = nz._clean(raw, nz._CLEAN, nz._trigger_lines(raw))
    full = nz._clean(raw, nz._CLEAN, [(0, len(raw))])
    assert fast[0] == full[0] and fast[1].anchors() == full[1].anchors()


@given(st.lists(_TRICKY, max_size=40).map("".join))
def test_cleaner_tried_where_a_match_can_begin_finds_every_match(raw):
    """``_scan`` tries ``_CLEAN`` only at the places ``_CLEAN_STARTS`` finds: the same matches as a
    scan of every position, on the whole text and on each triggered range."""
    from vbextract import normalize as nz

    for a, b in [(0, len(raw)), *nz._trigger_lines(raw)]:
        every = [(m.span(), m.lastgroup) for m in nz._CLEAN.finditer(raw, a, b)]
        assert [(m.span(), m.lastgroup) for m in nz._scan(raw, nz._CLEAN, a, b)] == every


def test_clean_text_is_returned_unchanged_with_an_identity_map():
    raw = "Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính.\nThời hạn: tháng 6 năm 2026."
    text, omap = normalize_text(raw)
    assert text == raw and omap.anchors() == [(0, 0)]


@pytest.mark.parametrize("where", ["mid", "line-start", "pipe-line", "line-end"])
def test_long_space_runs_collapse(where):
    run = " " * 100_000
    raw = {"mid": f"Số:{run}403", "line-start": f"Kính gửi\n{run}Sở Tài chính", "pipe-line": f"| a |{run}| b |",
           "line-end": f"Nơi nhận:{run}\n- Như trên"}[where]
    text, omap = normalize_text(raw)
    assert len(text) < 40 and "  " not in text
    assert omap.to_input(len(text)) == len(raw)


def test_lone_surrogates_are_replaced_with_a_note():
    raw = "Số: 12\ud800/UBND\ndòng \udfff cuối"
    text, omap = normalize_text(raw)
    assert text == "Số: 12\ufffd/UBND\ndòng \ufffd cuối"
    text.encode("utf-8")  # serializable
    assert omap.notes and "surrogate" in omap.notes[0]
    assert omap.anchors() == [(0, 0)]  # one for one: offsets unchanged


def test_lone_surrogate_note_reaches_the_document_warnings():
    import vbextract

    doc = vbextract.parse_text("ỦY BAN NHÂN DÂN\nTỈNH KIÊN GIANG\nSố: 403/UBND\ud800", use_ml=False)
    doc.model_dump_json()
    assert any("surrogate" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("**Sở Tài chính**;", "Sở Tài chính"), ("Bộ Công Thương.", "Bộ Công Thương"), ("và các đơn vị…", "và các đơn vị…"),
     ("tiếp tục...", "tiếp tục."), ("đã ký..", "đã ký"), ("Như trên /.", "Như trên /"), ("  ;, ", None),
     ("`Điều 3`,\n  khoản 2", "Điều 3`,\nkhoản 2".replace("`", "").replace("\n", " "))],
)
def test_clean_value_edge_punctuation(raw, expected):
    assert clean_value(raw) == expected


_EVERY_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


@given(st.text(alphabet=st.sampled_from(list("Sở Y tế chủ trì.\n") + list(_EVERY_SPACE)), max_size=60))
def test_space_collapse_equals_split_and_join(s):
    """The fast collapse of clean_value is ``" ".join(s.split())`` for every kind of whitespace."""
    from vbextract.normalize import _collapse_spaces

    assert _collapse_spaces(s) == " ".join(s.split())


def test_space_collapse_of_a_task_text():
    text = "2. Giao Sở Y tế\nchủ trì,  phối hợp với\n\n   các đơn vị\u00a0liên quan.\n"
    from vbextract.normalize import _collapse_spaces

    assert _collapse_spaces(text) == "2. Giao Sở Y tế chủ trì, phối hợp với các đơn vị liên quan."
