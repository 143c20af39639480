"""The interface the rule pipeline calls: restore_line_breaks, classify_lines, find_entities."""

from __future__ import annotations

import pytest

import vbextract.ml as ml
from vbextract.ml.synth import generate

HEADER = ("ỦY BAN NHÂN DÂN\nHUYỆN TÂN YÊN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
          "Số: 12/UBND-VX\nTân Yên, ngày 05 tháng 3 năm 2024\nV/v triển khai công tác trẻ em năm 2024\n"
          "Kính gửi:\n- Ủy ban nhân dân các xã, thị trấn;\n- Phòng Giáo dục và Đào tạo huyện.\n"
          "Căn cứ Kế hoạch số 50/KH-UBND ngày 29/02/2024 của UBND huyện về công tác trẻ em;\n"
          "1. Giao Phòng Văn hóa và Thông tin huyện chủ trì, phối hợp với Trung tâm Y tế huyện tổ chức "
          "tuyên truyền trước ngày 15/4/2024.\n2. Đề nghị Ủy ban MTTQ huyện phối hợp thực hiện.\n"
          "Nơi nhận:\n- Như trên;\n- Lưu: VT, VX.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Lưu Trung\n")


def test_available_and_model_info():
    assert ml.available()
    info = ml.model_info()
    assert set(info) == {"linebreak", "zones", "entities"}
    assert all(m["scores"]["test"] for m in info.values())


@pytest.mark.parametrize("text", [HEADER, "Số: 12/UBND\nngắn\n", ""])
def test_restore_line_breaks_none_when_layout_is_fine(text):
    assert ml.restore_line_breaks(text) is None


def test_restore_line_breaks_same_length_and_breaks_at_cues():
    flat = HEADER.replace("\n", " ")
    out = ml.restore_line_breaks(flat)
    assert out is not None and len(out) == len(flat)
    assert all(a == b or (a == " " and b == "\n") for a, b in zip(flat, out))
    starts = {ln.split()[0].rstrip(":") for ln in out.split("\n") if ln.strip()}
    assert {"Số", "Kính", "Căn", "Nơi"} <= starts


def test_classify_lines_labels_header_and_signature():
    lines = HEADER.split("\n")
    result = ml.classify_lines(lines)
    assert len(result) == len(lines)
    labels = dict(zip(lines, (lab for lab, _ in result)))
    assert labels["Số: 12/UBND-VX"] == "number"
    assert labels["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] == "motto"
    assert labels["Nơi nhận:"] == "distribution"
    assert labels["Nguyễn Lưu Trung"] == "signer"
    assert all(0.0 <= p <= 1.0 for _, p in result)
    assert result[-1] == ("other", 1.0)  # the blank last line


@pytest.mark.parametrize(
    "sentence, orgs",
    [
        ("Giao Văn phòng HĐND và UBND thị xã phối hợp Phòng Giáo dục và Đào tạo thị xã, Đoàn Thanh niên "
         "Cộng sản Hồ Chí Minh thị xã tổ chức các hoạt động.",
         ["Văn phòng HĐND và UBND thị xã", "Phòng Giáo dục và Đào tạo thị xã",
          "Đoàn Thanh niên Cộng sản Hồ Chí Minh thị xã"]),
        ("Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tài chính rà soát.",
         ["Sở Nông nghiệp và Môi trường", "Sở Tài chính"]),
    ],
)
def test_find_entities_orgs_in_free_sentences(sentence, orgs):
    found = [sentence[a:b] for a, b, lab, _ in ml.find_entities(sentence) if lab == "ORG"]
    assert found == orgs


def test_find_entities_person_and_offsets_across_lines():
    text = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Lưu Trung"
    ents = ml.find_entities(text)
    assert [(text[a:b], lab) for a, b, lab, _ in ents] == [("Nguyễn Lưu Trung", "PER")]


def test_synthetic_generator_is_seeded():
    assert generate(3, seed=7) == generate(3, seed=7)
    assert generate(3, seed=7) != generate(3, seed=8)


def test_synthetic_spans_are_valid():
    for rec in generate(20, seed=3):
        for item in rec["lines"] + rec["entities"]:
            span = rec["text"][item["start"]:item["end"]]
            assert span and span == span.strip()
