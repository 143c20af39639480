"""Walking batch inputs: files, folders, zip and tar archives (nested), safely.

Everything found becomes either an :class:`Entry` (a document to parse) or a :class:`Problem`
(something that is reported in the errors file instead), so that every input is accounted for.

Safety rules, because archives come from strangers:

* member names are never used to write files, and names that would escape (``../x``, ``/etc/x``,
  ``C:\\x``) are reported and skipped all the same, so the output never carries them;
* zip bombs: a member whose uncompressed size is more than ``max_ratio`` times its compressed
  size (above 1 MiB), and archives whose members add up to more than ``max_archive_total``,
  are stopped; sizes in headers are not trusted, reads are capped;
* files (and members) larger than ``max_file_size`` are reported, not read;
* symbolic links inside a folder are followed only when they point inside that folder;
  link members of tar/zip archives are never followed;
* a corrupt archive or member is reported and the walk goes on;
* archives inside archives are opened down to ``max_depth`` levels.

A member inside a nested archive is named with ``!/`` between levels, like a jar URL:
``bundle.zip`` member ``2024/inner.tar.gz!/cv-403.docx``.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

MiB = 1024 * 1024
NESTED_SEP = "!/"
# Below this size the compression ratio says nothing: a short memo of repeated lines may
# legitimately compress 200:1, while a bomb needs volume to hurt.
_RATIO_FLOOR = 1 * MiB
_CHUNK = 1 * MiB

DOCUMENT_EXTENSIONS = {
    ".txt", ".text", ".md", ".markdown", ".pdf", ".docx", ".doc", ".rtf", ".html", ".htm", ".xhtml",
}
# Files that are text or zip inside but are not documents: reported, never parsed as text.
NOT_DOCUMENT_EXTENSIONS = {
    ".json", ".jsonl", ".ndjson", ".xml", ".csv", ".tsv", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods",
    ".odp", ".epub", ".jar", ".apk", ".exe", ".dll", ".so", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif",
    ".tiff", ".webp", ".mp3", ".mp4", ".avi", ".mov", ".wav", ".js", ".css", ".py", ".sql", ".log",
    ".parquet", ".arrow",
}
ARCHIVE_EXTENSIONS = (".zip", ".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz")
_SINGLE_COMPRESSED = {".gz": gzip.decompress, ".bz2": bz2.decompress, ".xz": lzma.decompress}


@dataclass(frozen=True)
class Limits:
    """Safety limits for one batch; the defaults suit ordinary office archives."""

    max_file_size: int = 100 * MiB
    max_archive_total: int = 4 * 1024 * MiB
    max_ratio: float = 100.0
    max_depth: int = 3
    max_members: int = 1_000_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Entry:
    """One document to parse: a file on disk (``data`` is None, read it from ``path``) or an
    archive member (``data`` holds its bytes)."""

    path: str
    member: str | None
    size: int
    data: bytes | None = None

    @property
    def name(self) -> str:
        """The name that carries the format hint (the innermost member name, else the path)."""
        if self.member:
            return self.member.rsplit(NESTED_SEP, 1)[-1]
        return self.path

    def read(self) -> bytes:
        return self.data if self.data is not None else Path(self.path).read_bytes()

    def sha256(self) -> str:
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        return file_sha256(self.path)


@dataclass(frozen=True)
class Problem:
    """An input that will not be parsed, and why (goes to the errors file)."""

    path: str
    member: str | None
    reason: str
    error_type: str


class _LimitExceeded(Exception):
    def __init__(self, reason: str, error_type: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error_type = error_type


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


# ----------------------------------------------------------------------------- walking the disk


def iter_disk_files(inputs: Iterable[str | os.PathLike]) -> Iterator[Entry | Problem]:
    """Files named on the command line and files under named folders, in a stable order.

    Yields an :class:`Entry` without data for each regular file (archives included: open them
    with :func:`iter_file`), and a :class:`Problem` for what cannot be used.
    """
    for raw in inputs:
        path = str(raw)
        try:
            st = os.stat(path)  # a file named explicitly may be a link: the user chose it
        except OSError as exc:
            yield Problem(path, None, f"cannot open: {exc.strerror or exc}", type(exc).__name__)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_folder(path)
        elif stat.S_ISREG(st.st_mode):
            yield Entry(path, None, st.st_size)
        else:
            yield Problem(path, None, "not a regular file", "NotARegularFile")


def _walk_folder(root: str) -> Iterator[Entry | Problem]:
    real_root = os.path.realpath(root)

    def on_error(exc: OSError) -> None:
        problems.append(Problem(exc.filename or root, None, f"cannot list folder: {exc.strerror}",
                                type(exc).__name__))

    problems: list[Problem] = []
    for folder, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        yield from problems
        problems.clear()
        dirnames.sort()
        for d in list(dirnames):
            full = os.path.join(folder, d)
            if os.path.islink(full) and not _inside(os.path.realpath(full), real_root):
                # os.walk does not descend into linked folders; links inside the root are
                # covered by walking their target, links outside it must not pull files in.
                yield Problem(full, None, "symbolic link to a folder outside the input; not followed",
                              "SymlinkOutsideInput")
        for name in sorted(filenames):
            yield _disk_entry(os.path.join(folder, name), real_root)
    yield from problems


def _disk_entry(full: str, real_root: str) -> Entry | Problem:
    if os.path.islink(full):
        target = os.path.realpath(full)
        if not os.path.exists(target):
            return Problem(full, None, "broken symbolic link", "BrokenSymlink")
        if not _inside(target, real_root):
            return Problem(full, None, "symbolic link to a file outside the input; not followed",
                           "SymlinkOutsideInput")
    try:
        st = os.stat(full)
    except OSError as exc:
        return Problem(full, None, f"cannot open: {exc.strerror or exc}", type(exc).__name__)
    if not stat.S_ISREG(st.st_mode):
        return Problem(full, None, "not a regular file", "NotARegularFile")
    return Entry(full, None, st.st_size)


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


# ----------------------------------------------------------------------------- one file


def looks_like_archive(head: bytes, name: str) -> bool:
    """Zip (but not a Word .docx, which is a zip too), tar, or a compressed stream."""
    low = name.lower()
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return not low.endswith((".docx", ".xlsx", ".pptx", ".odt", ".ods", ".epub"))
    if len(head) > 262 and head[257:262] == b"ustar":
        return True
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")):
        return True
    return low.endswith(ARCHIVE_EXTENSIONS)


def iter_file(entry: Entry, limits: Limits = DEFAULT_LIMITS) -> Iterator[Entry | Problem]:
    """Expand one file found by :func:`iter_disk_files`: itself when it is a document, its
    members (recursively) when it is an archive."""
    try:
        with open(entry.path, "rb") as fh:
            head = fh.read(2048)
            archive = looks_like_archive(head, entry.path) and not _is_office_zip(fh)
    except OSError as exc:
        yield Problem(entry.path, None, f"cannot read: {exc.strerror or exc}", type(exc).__name__)
        return
    if not archive:
        # The size limit is for documents; an archive is limited by what it expands to.
        if entry.size > limits.max_file_size:
            yield Problem(entry.path, None, _too_big(entry.size, limits), "FileTooLarge")
        else:
            yield _document_or_problem(entry, head)
        return
    budget = _Budget(limits)
    try:
        with open(entry.path, "rb") as fh:
            yield from _iter_archive(fh, entry.path, "", entry.path, 1, limits, budget)
    except OSError as exc:
        yield Problem(entry.path, None, f"cannot read: {exc.strerror or exc}", type(exc).__name__)


class _Budget:
    """Uncompressed bytes and members read from one top-level archive (all nesting levels)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.total = 0
        self.members = 0

    def take(self, size: int) -> None:
        self.total += size
        self.members += 1
        if self.total > self.limits.max_archive_total:
            raise _LimitExceeded(
                f"archive expands to more than {_size(self.limits.max_archive_total)} in total "
                "(zip-bomb limit); remaining members not read", "ArchiveTooLarge")
        if self.members > self.limits.max_members:
            raise _LimitExceeded(f"archive has more than {self.limits.max_members} members; "
                                 "remaining members not read", "TooManyMembers")


def _iter_archive(fh: BinaryIO, path: str, prefix: str, name: str, depth: int, limits: Limits,
                  budget: _Budget) -> Iterator[Entry | Problem]:
    """Members of the archive in ``fh``; ``prefix`` is the member chain of the archive itself."""
    where = _where(prefix)
    if depth > limits.max_depth:
        yield Problem(path, where, f"archive nested deeper than {limits.max_depth} levels; not opened",
                      "NestedTooDeep")
        return
    head = fh.read(512)
    fh.seek(0)
    try:
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")) or zipfile.is_zipfile(fh):
            fh.seek(0)
            yield from _iter_zip(fh, path, prefix, depth, limits, budget)
        else:
            fh.seek(0)
            yield from _iter_tar_or_stream(fh, path, prefix, name, depth, limits, budget)
    except _LimitExceeded as exc:
        yield Problem(path, where, exc.reason, exc.error_type)


def _iter_zip(fh: BinaryIO, path: str, prefix: str, depth: int, limits: Limits,
              budget: _Budget) -> Iterator[Entry | Problem]:
    where = _where(prefix)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        yield Problem(path, where, f"corrupt or unreadable zip archive: {exc}", type(exc).__name__)
        return
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            member = prefix + info.filename
            unsafe = _unsafe_name(info.filename)
            if unsafe:
                yield Problem(path, member, unsafe, "UnsafeMemberName")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                yield Problem(path, member, "symbolic link inside the archive; not followed",
                              "SymlinkMember")
                continue
            if info.flag_bits & 0x1:
                yield Problem(path, member, "encrypted archive member", "EncryptedMember")
                continue
            problem = _zip_size_problem(info, limits)
            if problem:
                yield Problem(path, member, *problem)
                continue
            try:
                with zf.open(info) as src:
                    data = _read_capped(src, limits.max_file_size, max(info.compress_size, 1), limits)
            except _LimitExceeded as exc:
                yield Problem(path, member, exc.reason, exc.error_type)
                continue
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
                    zlib_error(), lzma.LZMAError) as exc:
                yield Problem(path, member, f"corrupt archive member: {exc}", type(exc).__name__)
                continue
            budget.take(len(data))
            yield from _member(data, path, member, depth, limits, budget)


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _zip_size_problem(info: zipfile.ZipInfo, limits: Limits) -> tuple[str, str] | None:
    if info.file_size > limits.max_file_size:
        return _too_big(info.file_size, limits), "FileTooLarge"
    if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return (f"compression ratio {info.file_size / max(info.compress_size, 1):.0f}:1 exceeds "
                f"{limits.max_ratio:.0f}:1 (zip-bomb limit)", "CompressionRatioExceeded")
    return None


def _iter_tar_or_stream(fh: BinaryIO, path: str, prefix: str, name: str, depth: int, limits: Limits,
                        budget: _Budget) -> Iterator[Entry | Problem]:
    where = _where(prefix)
    counter = _CountingReader(fh)
    try:
        # Stream mode: members are read in order, never seeking, so a .tar.gz is decompressed once.
        tf = tarfile.open(fileobj=counter, mode="r|*")  # type: ignore[call-overload]  # noqa: SIM115
    except tarfile.ReadError:
        yield from _single_compressed(fh, path, prefix, name, depth, limits, budget)
        return
    except (tarfile.TarError, OSError, EOFError, zlib_error(), lzma.LZMAError) as exc:
        yield Problem(path, where, f"corrupt or unreadable archive: {exc}", type(exc).__name__)
        return
    try:
        yield from _tar_members(tf, counter, path, prefix, depth, limits, budget)
    except (tarfile.TarError, OSError, EOFError, zlib_error(), lzma.LZMAError) as exc:
        yield Problem(path, where, f"archive is truncated or corrupt; later members not read: {exc}",
                      type(exc).__name__)
    finally:
        tf.close()


def _tar_members(tf: tarfile.TarFile, counter: _CountingReader, path: str, prefix: str, depth: int,
                 limits: Limits, budget: _Budget) -> Iterator[Entry | Problem]:
    for info in tf:
        if info.isdir():
            continue
        member = prefix + info.name
        unsafe = _unsafe_name(info.name)
        if unsafe:
            yield Problem(path, member, unsafe, "UnsafeMemberName")
            continue
        if info.issym() or info.islnk():
            yield Problem(path, member, "link inside the archive; not followed", "SymlinkMember")
            continue
        if not info.isfile():
            yield Problem(path, member, "not a regular file", "NotARegularFile")
            continue
        if info.size > limits.max_file_size:
            yield Problem(path, member, _too_big(info.size, limits), "FileTooLarge")
            continue
        src = tf.extractfile(info)
        if src is None:
            continue
        data = _read_capped(src, limits.max_file_size, None, limits)
        budget.take(len(data))
        _check_stream_ratio(counter, budget, limits)
        yield from _member(data, path, member, depth, limits, budget)


def _check_stream_ratio(counter: _CountingReader, budget: _Budget, limits: Limits) -> None:
    """A compressed tar has no per-member sizes: compare what came out with what went in."""
    if budget.total > _RATIO_FLOOR and budget.total > limits.max_ratio * max(counter.consumed, 1):
        raise _LimitExceeded(
            f"compression ratio {budget.total / max(counter.consumed, 1):.0f}:1 exceeds "
            f"{limits.max_ratio:.0f}:1 (zip-bomb limit); remaining members not read",
            "CompressionRatioExceeded")


def _single_compressed(fh: BinaryIO, path: str, prefix: str, name: str, depth: int, limits: Limits,
                       budget: _Budget) -> Iterator[Entry | Problem]:
    """``report.txt.gz``: one compressed document, not a tar."""
    where = _where(prefix)
    fh.seek(0)
    head = fh.read(6)
    fh.seek(0)
    opener = {b"\x1f\x8b": gzip.GzipFile, b"BZ": bz2.BZ2File, b"\xfd7": lzma.LZMAFile}.get(head[:2])
    if opener is None:
        yield Problem(path, where, "not a readable archive", "CorruptArchive")
        return
    compressed = _remaining_size(fh)
    try:
        with opener(fileobj=fh) as src:  # type: ignore[operator]
            data = _read_capped(src, limits.max_file_size, compressed, limits)
    except _LimitExceeded as exc:
        yield Problem(path, where, exc.reason, exc.error_type)
        return
    except (OSError, EOFError, zlib_error(), lzma.LZMAError) as exc:
        yield Problem(path, where, f"corrupt compressed file: {exc}", type(exc).__name__)
        return
    inner = PurePosixPath(name.rsplit(NESTED_SEP, 1)[-1]).name
    inner = inner.rsplit(".", 1)[0] if "." in inner else inner
    budget.take(len(data))
    yield from _member(data, path, prefix + inner, depth, limits, budget)


def _member(data: bytes, path: str, member: str, depth: int, limits: Limits,
            budget: _Budget) -> Iterator[Entry | Problem]:
    buf = io.BytesIO(data)
    if looks_like_archive(data[:512], member) and not _is_office_zip(buf):
        yield from _iter_archive(buf, path, member + NESTED_SEP, member, depth + 1, limits, budget)
    else:
        yield _document_or_problem(Entry(path, member, len(data), data), data[:2048])


def _is_office_zip(fh: BinaryIO) -> bool:
    """A .docx/.xlsx/.odt is a zip too; it is a document (or unsupported), never walked."""
    pos = fh.tell()
    try:
        fh.seek(0)
        if fh.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
            return False
        fh.seek(0)
        with zipfile.ZipFile(fh) as zf:
            names = set(zf.namelist())
        return "[Content_Types].xml" in names or "mimetype" in names
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        fh.seek(pos)


def _document_or_problem(entry: Entry, head: bytes) -> Entry | Problem:
    """Keep documents vbextract can read; report junk (images, spreadsheets, OS metadata)."""
    from .readers import sniff_format

    name = entry.name.replace("\\", "/")
    base = PurePosixPath(name).name
    if "__MACOSX/" in name or base.startswith("._") or base in (".DS_Store", "Thumbs.db", "desktop.ini"):
        return Problem(entry.path, entry.member, "operating-system metadata file; skipped", "Skipped")
    ext = PurePosixPath(base.lower()).suffix
    fmt = sniff_format(head, base)
    if ext in NOT_DOCUMENT_EXTENSIONS and fmt in ("txt", "docx"):
        return Problem(entry.path, entry.member, f"unsupported file type ({ext})", "UnsupportedFormat")
    if ext in DOCUMENT_EXTENSIONS or fmt != "txt":
        return entry
    if b"\x00" in head or not _decodes_as_text(head):
        kind = ext or "no extension"
        return Problem(entry.path, entry.member, f"unsupported file type ({kind}, binary content)",
                       "UnsupportedFormat")
    return entry  # text with an odd or missing extension: worth parsing


def _decodes_as_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        return exc.start >= len(head) - 3


def _read_capped(src: IO[bytes], cap: int, compressed: int | None, limits: Limits) -> bytes:
    """Read at most ``cap`` bytes; headers lie, so the cap and the ratio are checked while reading."""
    chunks: list[bytes] = []
    total = 0
    while True:
        block = src.read(_CHUNK)
        if not block:
            return b"".join(chunks)
        total += len(block)
        if total > cap:
            raise _LimitExceeded(f"larger than the {_size(cap)} file-size limit (more than "
                                 f"{cap} bytes when decompressed)", "FileTooLarge")
        if compressed is not None and total > _RATIO_FLOOR and total > limits.max_ratio * compressed:
            raise _LimitExceeded(f"compression ratio above {limits.max_ratio:.0f}:1 (zip-bomb limit)",
                                 "CompressionRatioExceeded")
        chunks.append(block)


def _remaining_size(fh: BinaryIO) -> int:
    pos = fh.tell()
    end = fh.seek(0, io.SEEK_END)
    fh.seek(pos)
    return max(end - pos, 1)


class _CountingReader(io.RawIOBase):
    """Counts the compressed bytes a stream decoder has consumed."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        block = self.raw.read(size)
        self.consumed += len(block)
        return block


def _where(prefix: str) -> str | None:
    """The member name of the archive whose members start with ``prefix`` (None: the file itself)."""
    return prefix.removesuffix(NESTED_SEP) or None


def _unsafe_name(name: str) -> str | None:
    """Why a member name is unsafe (absolute, drive letter, or climbing out), else None."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "absolute path in archive member name (path traversal); skipped"
    if ".." in PurePosixPath(norm).parts:
        return "'..' in archive member name (path traversal); skipped"
    if "\x00" in norm:
        return "NUL byte in archive member name; skipped"
    return None


def _size(n: int) -> str:
    from .limits import format_size

    return format_size(n)


def _too_big(size: int, limits: Limits) -> str:
    return f"file is {_size(size)}, above the {_size(limits.max_file_size)} file-size limit"


def iter_inputs(inputs: Iterable[str | os.PathLike], limits: Limits = DEFAULT_LIMITS) -> Iterator[Entry | Problem]:
    """Every document and every problem under ``inputs``, archives expanded."""
    for item in iter_disk_files(inputs):
        if isinstance(item, Problem):
            yield item
        else:
            yield from iter_file(item, limits)


def read_location(path: str, member: str | None, limits: Limits = DEFAULT_LIMITS,
                  index: int | None = None) -> bytes:
    """The bytes of one document given its location (used by workers that read shared storage).

    ``index`` (the member's position among the file's items) tells apart members that share a
    name; without it the first member of that name is read."""
    if member is None:
        return _open_bytes(path)
    top = Entry(path, None, 0)
    for i, item in enumerate(iter_file(top, limits)):
        if isinstance(item, Entry) and item.member == member and (index is None or i == index):
            return item.read()
    raise FileNotFoundError(f"{member} not found in {path}")


def _open_bytes(path: str) -> bytes:
    if "://" in path:
        import fsspec  # optional: lets cluster workers read s3://, gs://, hdfs:// … inputs

        with fsspec.open(path, "rb") as fh:
            return fh.read()
    return Path(path).read_bytes()
