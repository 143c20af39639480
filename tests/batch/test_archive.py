"""Input walking: traversal, bombs, corrupt members, nesting, links, sizes, junk."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from vbextract.archive import DEFAULT_LIMITS, Entry, Limits, MiB, Problem, iter_inputs


@pytest.fixture(autouse=True)
def _variant(helpers):
    global variant
    variant = helpers.variant


def walk(*inputs, limits: Limits = DEFAULT_LIMITS) -> tuple[dict, dict]:
    """(entries, problems), each keyed by (path name, member)."""
    entries, problems = {}, {}
    for item in iter_inputs([str(p) for p in inputs], limits):
        key = (Path(item.path).name, item.member)
        if isinstance(item, Entry):
            entries[key] = item
        else:
            assert isinstance(item, Problem)
            problems[key] = item
    return entries, problems


def make_zip(path: Path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def tar_bytes(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_zip_traversal_names_are_reported_and_never_returned(tmp_path):
    z = make_zip(tmp_path / "a.zip", {"../evil.txt": variant(0), "/etc/abs.txt": variant(1),
                                       "C:/win.txt": variant(2), "ok/doc.txt": variant(3)})
    entries, problems = walk(z)
    assert list(entries) == [("a.zip", "ok/doc.txt")]
    assert entries[("a.zip", "ok/doc.txt")].data == variant(3)
    assert {m for _, m in problems} == {"../evil.txt", "/etc/abs.txt", "C:/win.txt"}
    assert {p.error_type for p in problems.values()} == {"UnsafeMemberName"}


def test_tar_traversal_and_link_members(tmp_path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in {"good.txt": variant(0), "../../up.txt": variant(1)}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("passwd.txt")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    (tmp_path / "t.tar").write_bytes(buf.getvalue())
    entries, problems = walk(tmp_path / "t.tar")
    assert list(entries) == [("t.tar", "good.txt")]
    assert problems[("t.tar", "../../up.txt")].error_type == "UnsafeMemberName"
    assert problems[("t.tar", "passwd.txt")].error_type == "SymlinkMember"


def test_zip_bomb_ratio_is_stopped(tmp_path):
    z = make_zip(tmp_path / "bomb.zip", {"zeros.txt": b"0" * (20 * MiB), "doc.txt": variant(0)})
    entries, problems = walk(z, limits=Limits(max_ratio=100))
    assert problems[("bomb.zip", "zeros.txt")].error_type == "CompressionRatioExceeded"
    assert ("bomb.zip", "doc.txt") in entries


def test_zip_bomb_lying_header_is_caught_while_reading(tmp_path):
    """A header that claims a small size must not let a big member through: reads are capped."""
    z = make_zip(tmp_path / "liar.zip", {"big.txt": b"x" * (3 * MiB)})
    raw = bytearray(z.read_bytes())
    # Patch the uncompressed size in the central directory and the local header to 100 bytes.
    for sig in (b"PK\x01\x02", b"PK\x03\x04"):
        pos = raw.find(sig)
        offset = 24 if sig == b"PK\x01\x02" else 22
        raw[pos + offset:pos + offset + 4] = (100).to_bytes(4, "little")
    z.write_bytes(bytes(raw))
    entries, problems = walk(z, limits=Limits(max_file_size=1 * MiB))
    assert not entries
    assert problems[("liar.zip", "big.txt")].error_type in ("FileTooLarge", "CompressionRatioExceeded", "BadZipFile")


def test_archive_total_size_limit_reports_the_rest(tmp_path):
    members = {f"d{i}.txt": variant(i) for i in range(6)}
    z = make_zip(tmp_path / "many.zip", members)
    entries, problems = walk(z, limits=Limits(max_archive_total=30_000))
    assert 1 <= len(entries) < 6
    assert any(p.error_type == "ArchiveTooLarge" for p in problems.values())


def test_tar_gz_bomb_ratio_is_stopped(tmp_path):
    (tmp_path / "b.tar.gz").write_bytes(tar_bytes({"doc.txt": variant(0), "zeros.txt": b"\0" * (8 * MiB),
                                                    "after.txt": variant(1)}))
    entries, problems = walk(tmp_path / "b.tar.gz", limits=Limits(max_ratio=50))
    assert ("b.tar.gz", "doc.txt") in entries
    assert any(p.error_type == "CompressionRatioExceeded" for p in problems.values())


def test_corrupt_zip_member_is_reported_and_others_survive(tmp_path):
    z = make_zip(tmp_path / "c.zip", {"a.txt": variant(0), "b.txt": variant(1)}, zipfile.ZIP_STORED)
    raw = bytearray(z.read_bytes())
    pos = raw.find(variant(0)[:50])
    raw[pos + 10] ^= 0xFF  # damage a.txt's bytes: its CRC no longer matches
    z.write_bytes(bytes(raw))
    entries, problems = walk(z)
    assert problems[("c.zip", "a.txt")].error_type == "BadZipFile"
    assert entries[("c.zip", "b.txt")].data == variant(1)


def test_truncated_tar_gz_keeps_earlier_members(tmp_path):
    data = tar_bytes({"a.txt": variant(0), "b.txt": variant(1) * 20, "c.txt": variant(2)})
    (tmp_path / "t.tar.gz").write_bytes(data[: len(data) * 2 // 3])
    entries, problems = walk(tmp_path / "t.tar.gz")
    assert ("t.tar.gz", "a.txt") in entries
    assert problems and all(p.path.endswith("t.tar.gz") for p in problems.values())


def test_not_an_archive_at_all(tmp_path):
    (tmp_path / "fake.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    entries, problems = walk(tmp_path / "fake.zip")
    assert not entries and len(problems) == 1


def test_nested_archives_and_depth_limit(tmp_path):
    inner = tar_bytes({"deep.txt": variant(0)})
    middle = io.BytesIO()
    with zipfile.ZipFile(middle, "w") as zf:
        zf.writestr("inner.tar.gz", inner)
        zf.writestr("mid.txt", variant(1))
    make_zip(tmp_path / "outer.zip", {"m/middle.zip": middle.getvalue(), "top.txt": variant(2)})
    entries, _ = walk(tmp_path / "outer.zip")
    assert set(entries) == {("outer.zip", "top.txt"), ("outer.zip", "m/middle.zip!/mid.txt"),
                            ("outer.zip", "m/middle.zip!/inner.tar.gz!/deep.txt")}
    assert entries[("outer.zip", "m/middle.zip!/inner.tar.gz!/deep.txt")].data == variant(0)
    entries, problems = walk(tmp_path / "outer.zip", limits=Limits(max_depth=2))
    assert ("outer.zip", "m/middle.zip!/mid.txt") in entries
    assert problems[("outer.zip", "m/middle.zip!/inner.tar.gz")].error_type == "NestedTooDeep"


def test_symlinks_are_not_followed_out_of_the_input(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(variant(0))
    root = tmp_path / "root"
    root.mkdir()
    (root / "real.txt").write_bytes(variant(1))
    os.symlink(outside / "secret.txt", root / "leak.txt")
    os.symlink(outside, root / "leakdir")
    os.symlink(root / "real.txt", root / "alias.txt")
    os.symlink(root / "missing.txt", root / "broken.txt")
    entries, problems = walk(root)
    assert set(entries) == {("real.txt", None), ("alias.txt", None)}
    assert problems[("leak.txt", None)].error_type == "SymlinkOutsideInput"
    assert problems[("leakdir", None)].error_type == "SymlinkOutsideInput"
    assert problems[("broken.txt", None)].error_type == "BrokenSymlink"


def test_file_size_limit_and_junk_files(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"a" * 5000)
    (tmp_path / "ok.txt").write_bytes(variant(0))
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (tmp_path / "data.json").write_text("{}")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (tmp_path / "noext").write_bytes("ỦY BAN NHÂN DÂN\nSố: 403/UBND-KGVX\n".encode())
    entries, problems = walk(tmp_path, limits=Limits(max_file_size=4096))
    assert problems[("big.txt", None)].error_type == "FileTooLarge"
    assert problems[("photo.png", None)].error_type == "UnsupportedFormat"
    assert problems[("data.json", None)].error_type == "UnsupportedFormat"
    assert problems[(".DS_Store", None)].error_type == "Skipped"
    assert set(entries) == {("noext", None)}  # ok.txt is above 4096 bytes
    entries, _ = walk(tmp_path)
    assert {("ok.txt", None), ("noext", None), ("big.txt", None)} == set(entries)


def test_docx_is_a_document_not_an_archive(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG")
    d.save(tmp_path / "cv.docx")
    (tmp_path / "renamed.bin").write_bytes((tmp_path / "cv.docx").read_bytes())
    entries, problems = walk(tmp_path)
    assert set(entries) == {("cv.docx", None), ("renamed.bin", None)}
    assert not problems
