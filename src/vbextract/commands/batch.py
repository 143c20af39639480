"""``vbextract batch INPUT… -o OUT``: parse folders and archives into one output, resumably."""

from __future__ import annotations

import sys
from pathlib import Path

FORMATS = ("jsonl", "parquet", "json-dir", "hf")
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_IO_ERROR, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 74, 75, 130


def register(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="parse many files, folders and archives into one output",
        description=(
            "Parse every document under INPUT (files, folders, .zip, .tar, .tar.gz, nested) in worker "
            "processes. Each input ends up in OUT or in the errors file; identical files are parsed once "
            "and listed under every path. Kill it at any time and run again with --resume. "
            "Exit status: 0 all parsed, 1 finished with failures (see the errors file), 2 usage error "
            "(bad option, missing input path), 74 cannot write the output (disk full …), 75 another batch "
            "is writing OUT, 130 interrupted. Example: vbextract batch archive.zip scans/ -o out.jsonl --jobs 4"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="a .jsonl file, a .parquet file, a folder of JSON files or a datasets folder")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: from OUT: .parquet → parquet, folder → json-dir, else jsonl)")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: the machine's cores)")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted batch: keep OUT and skip documents already in it")
    p.add_argument("--overwrite", action="store_true", help="replace an existing OUT")
    p.add_argument("--retry-failed", action="store_true",
                   help="with --resume, parse again the documents listed as failed in the errors file")
    p.add_argument("--reparse-older", action="store_true",
                   help="with --resume, parse again the documents whose records another vbextract version wrote")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="per-document time limit; a worker past it is killed (default 120, 0 = none)")
    p.add_argument("--max-file-size", default="100M", metavar="SIZE",
                   help="skip documents larger than this, e.g. 50M, 1G (default 100M)")
    p.add_argument("--max-archive-size", default="4G", metavar="SIZE",
                   help="stop reading an archive that expands to more than this in total (default 4G)")
    p.add_argument("--max-ratio", type=float, default=100.0, metavar="R",
                   help="zip-bomb limit: largest compression ratio accepted above 1 MiB (default 100)")
    p.add_argument("--max-depth", type=int, default=3, metavar="N", help="archives nested deeper are not opened")
    p.add_argument("--max-memory", default="6G", metavar="SIZE",
                   help="address-space limit per worker, e.g. 2G: a document needing more fails with "
                        "MemoryError instead of exhausting the machine (default 6G, 0 = none)")
    p.add_argument("--max-decompressed", default="64M", metavar="SIZE",
                   help="a .docx whose parts inflate to more than this fails (default 64M, 0 = none)")
    p.add_argument("--max-pages", type=int, default=1000, metavar="N",
                   help="PDFs with more pages fail (default 1000, 0 = none)")
    p.add_argument("--max-tasks-per-worker", type=int, metavar="N",
                   help="replace each worker after N documents (bounds slow memory leaks; default: never)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run on a Dask cluster instead of local processes (inputs must be on shared storage)")
    p.add_argument("--no-ml", action="store_true", help="rules only; skip the statistical components")
    p.add_argument("--errors", metavar="FILE", help="errors file (JSONL; default: OUT.errors.jsonl)")
    p.add_argument("--parser", metavar="MODULE:FUNCTION",
                   help="advanced: a function (data: bytes, name: str, use_ml: bool) -> Document to use "
                        "instead of vbextract.parse")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..batch import OutputBusy, WorkerStartError, run_batch

    options = _options(args)
    if isinstance(options, str):
        print(f"vbextract batch: {options}", file=sys.stderr)
        return EXIT_USAGE
    fmt = args.format or _guess_format(args.output)
    problem = _check_args(args, fmt)
    if problem:
        print(f"vbextract batch: {problem}", file=sys.stderr)
        return EXIT_USAGE
    progress = _Bars(args.quiet)
    try:
        run = run_batch(args.inputs, args.output, fmt=fmt, options=options, resume=args.resume,
                        overwrite=args.overwrite, errors=args.errors, retry_failed=args.retry_failed,
                        progress=progress, reparse_older=args.reparse_older)
    except (FileExistsError, WorkerStartError) as exc:
        progress.close()
        print(f"vbextract batch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputBusy as exc:
        progress.close()
        print(f"vbextract batch: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except KeyboardInterrupt:  # before the run had anything to save
        progress.close()
        print("\nvbextract batch: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        progress.close()
        print(f"vbextract batch: cannot write the output: {exc.strerror or exc} "
              f"({getattr(exc, 'filename', None) or args.output}); run again with --resume once fixed",
              file=sys.stderr)
        return EXIT_IO_ERROR
    progress.close()
    if run.other_versions:
        from .._meta import __version__

        which = ", ".join(f"{n} by {'a vbextract without a generator block' if v == 'older' else 'vbextract ' + v}"
                          for v, n in sorted(run.other_versions.items()))
        if run.reparsed_older:
            print(f"vbextract batch: parsed again with vbextract {__version__} the records written {which}",
                  file=sys.stderr)
        else:
            print(f"vbextract batch: {run.output} holds records written {which} (this is vbextract "
                  f"{__version__}); they were kept as they are, so the output mixes versions. Run again with "
                  "--resume --reparse-older to parse them with this version", file=sys.stderr)
    if not run.complete:
        print("vbextract batch: interrupted; run again with --resume to continue", file=sys.stderr)
    print(run.stats.summary(), file=sys.stderr)
    print(f"time: {run.elapsed:.1f} s ({run.rate:.1f} inputs/s finished by this run)", file=sys.stderr)
    print(f"output: {run.output} ({run.format}); errors: {run.errors}", file=sys.stderr)
    if not run.complete:
        return EXIT_INTERRUPTED
    return EXIT_SOME_FAILED if run.stats.failed else EXIT_OK


def _options(args):
    """BatchOptions from the arguments, or a usage message."""
    from .. import limits
    from ..archive import Limits
    from ..batch import BatchOptions

    try:
        archive_limits = Limits(max_file_size=limits.parse_size(args.max_file_size),
                                max_archive_total=limits.parse_size(args.max_archive_size),
                                max_ratio=args.max_ratio, max_depth=args.max_depth)
        max_memory = limits.parse_size(args.max_memory) or None
        decompressed = limits.parse_size(args.max_decompressed)
    except ValueError as exc:
        return f"bad size: {exc}"
    per_doc = limits.DEFAULT_LIMITS.with_(
        max_input_mb=archive_limits.max_file_size / limits.MiB,
        max_decompressed_mb=decompressed / limits.MiB if decompressed else None,
        max_pages=args.max_pages or None)
    return BatchOptions(jobs=args.jobs, timeout=args.timeout or None, use_ml=not args.no_ml,
                        limits=archive_limits, scheduler=args.scheduler, parser=args.parser,
                        max_memory=max_memory, max_tasks_per_child=args.max_tasks_per_worker, doc_limits=per_doc)


def _guess_format(output: str) -> str:
    from ..batch import guess_format

    return guess_format(output)


def _check_args(args, fmt: str) -> str | None:
    import os

    if args.jobs is not None and args.jobs < 1:
        return "--jobs must be at least 1"
    if args.resume and args.overwrite:
        return "--resume and --overwrite contradict each other"
    if args.reparse_older and not args.resume:
        return "--reparse-older goes with --resume"
    missing = [p for p in args.inputs if not os.path.lexists(p)]
    if missing:
        return f"no such file or folder: {', '.join(missing)}"
    if args.scheduler and not args.scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        return f"--scheduler expects an address like tcp://HOST:8786, not {args.scheduler!r}"
    if args.scheduler:
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            return "--scheduler needs Dask: pip install 'vbextract[dask]'"
    if fmt in ("parquet", "hf"):
        import importlib.util

        if importlib.util.find_spec("datasets") is None:
            return f"--format {fmt} needs the datasets extra: pip install 'vbextract[datasets]'"
    return None


class _Bars:
    """tqdm bars for the scan and the parse (``--quiet``: none)."""

    def __init__(self, quiet: bool) -> None:
        from tqdm import tqdm

        self.quiet = quiet
        self.scan = tqdm(desc="scanning", unit=" files", file=sys.stderr, disable=quiet, leave=False)
        self.bar = None

    def scanned(self) -> None:
        self.scan.update(1)

    def scan_done(self, total: int) -> None:
        from tqdm import tqdm

        self.scan.close()
        self.bar = tqdm(total=total, desc="parsing", unit=" doc", file=sys.stderr, disable=self.quiet,
                        smoothing=0.05, dynamic_ncols=True, mininterval=0.5)

    def advance(self, n: int, stats) -> None:
        if self.bar is None:
            return
        self.bar.update(n)
        self.bar.set_postfix_str(f"ok={stats.parsed} warn={stats.with_warnings} failed={stats.failed}",
                                 refresh=False)

    def close(self) -> None:
        self.scan.close()
        if self.bar is not None:
            self.bar.close()


def default_errors_path(out: Path) -> Path:
    from ..batch import default_errors_path as path

    return path(out)
