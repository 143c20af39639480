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
