"""``vbextract batch INPUT… -o OUT``: parse folders and archives into one output, resumably."""

from __future__ import annotations

import sys
import time
from pathlib import Path

FORMATS = ("jsonl", "parquet", "json-dir", "hf")
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def register(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="parse many files, folders and archives into one output",
        description=(
            "Parse every document under INPUT (files, folders, .zip, .tar, .tar.gz, nested) in worker "
            "processes. Each input ends up in OUT or in the errors file; identical files are parsed once "
            "and listed under every path. Kill it at any time and run again with --resume. "
            "Exit status: 0 all parsed, 1 finished with failures (see the errors file), 2 usage error, "
            "130 interrupted. Example: vbextract batch archive.zip scans/ -o out.jsonl --jobs 4"
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
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="per-document time limit; a worker past it is killed (default 120, 0 = none)")
    p.add_argument("--max-file-size", default="100M", metavar="SIZE",
                   help="skip documents larger than this, e.g. 50M, 1G (default 100M)")
    p.add_argument("--max-archive-size", default="4G", metavar="SIZE",
                   help="stop reading an archive that expands to more than this in total (default 4G)")
    p.add_argument("--max-ratio", type=float, default=100.0, metavar="R",
                   help="zip-bomb limit: largest compression ratio accepted above 1 MiB (default 100)")
    p.add_argument("--max-depth", type=int, default=3, metavar="N", help="archives nested deeper are not opened")
    p.add_argument("--max-memory", metavar="SIZE",
                   help="address-space limit per worker, e.g. 2G: a document needing more fails with "
                        "MemoryError instead of exhausting the machine (default: none)")
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


def parse_size(text: str) -> int:
    """``"50M"`` → 52428800; plain numbers are bytes."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    s = text.strip().lower().removesuffix("ib").removesuffix("b")
    if s and s[-1] in units:
        return int(float(s[:-1]) * units[s[-1]])
    return int(s)


def run(args) -> int:
    from ..archive import Limits
    from ..batch import (
        BatchOptions,
        BatchStats,
        ErrorLog,
        WorkerStartError,
        execute,
        guess_format,
        open_sink,
        problem_result,
        remove_output,
        scan,
        start_pool,
    )

    started = time.monotonic()
    out = Path(args.output)
    fmt = args.format or guess_format(args.output)
    problem = _check_output(out, fmt, args)
    if problem:
        print(f"vbextract batch: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        limits = Limits(max_file_size=parse_size(args.max_file_size),
                        max_archive_total=parse_size(args.max_archive_size),
                        max_ratio=args.max_ratio, max_depth=args.max_depth)
        max_memory = parse_size(args.max_memory) if args.max_memory else None
    except ValueError as exc:
        print(f"vbextract batch: bad size: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.overwrite:
        remove_output(out)
    errors_path = Path(args.errors) if args.errors else default_errors_path(out)
    options = BatchOptions(jobs=args.jobs, timeout=args.timeout or None, use_ml=not args.no_ml, limits=limits,
                           scheduler=args.scheduler, parser=args.parser, max_memory=max_memory,
                           max_tasks_per_child=args.max_tasks_per_worker)

    _stop_on_sigterm()
    stats = BatchStats()
    pool = start_pool(options, stats)  # workers load their models while the inputs are scanned
    try:
        manifest = _scan_with_progress(scan, args.inputs, limits, args.quiet)
        sink = open_sink(out, fmt, args.resume)
        errlog = ErrorLog(errors_path, args.resume, args.retry_failed)
    except BaseException:
        if pool:
            pool.close()
        raise
    stats.inputs, stats.unique = manifest.inputs, len(manifest.locations)
    bar = _progress(manifest.inputs, args.quiet)
    complete = failed_to_start = False
    try:
        for problem_item in manifest.problems:
            _record(problem_result(problem_item), sink, errlog, stats, bar)
        todo = _count_finished(manifest, sink.done, errlog.failed, stats, bar)
        for result in execute(manifest, todo, options, stats, pool):
            _record(result, sink, errlog, stats, bar)
        sink.add_locations(_new_locations(manifest, sink))
        complete = True
    except KeyboardInterrupt:
        print("\nvbextract batch: interrupted; run again with --resume to continue", file=sys.stderr)
    except WorkerStartError as exc:
        bar.close()
        print(f"vbextract batch: {exc}", file=sys.stderr)
        failed_to_start = True
    finally:
        if pool:
            pool.close()
        bar.close()
        errlog.close()
        sink.close(complete)
    elapsed = time.monotonic() - started
    print(stats.summary(), file=sys.stderr)
    parsed_now = stats.inputs - stats.resumed
    print(f"time: {elapsed:.1f} s ({parsed_now / max(elapsed, 1e-9):.1f} inputs/s)", file=sys.stderr)
    print(f"output: {out} ({fmt}); errors: {errors_path}", file=sys.stderr)
    if failed_to_start:
        return EXIT_USAGE
    if not complete:
        return EXIT_INTERRUPTED
    return EXIT_SOME_FAILED if stats.failed else EXIT_OK


def _stop_on_sigterm() -> None:
    """``kill``/``timeout``/a scheduler's SIGTERM stops the batch like Ctrl-C: workers are shut
    down and the output is flushed, ready for ``--resume``."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def default_errors_path(out: Path) -> Path:
    """``out.jsonl`` → ``out.errors.jsonl``; ``docs/`` → ``docs.errors.jsonl`` (never inside OUT)."""
    stem = out.name[: -len(out.suffix)] if out.suffix in (".jsonl", ".ndjson", ".parquet", ".pq") else out.name
    return out.with_name(stem + ".errors.jsonl")


def _check_output(out: Path, fmt: str, args) -> str | None:
    if args.jobs is not None and args.jobs < 1:
        return "--jobs must be at least 1"
    if args.resume and args.overwrite:
        return "--resume and --overwrite contradict each other"
    from ..batch import staging_path

    exists = (out.is_dir() and any(out.iterdir())) if fmt == "json-dir" else out.exists()
    exists = exists or staging_path(out).exists()
    if exists and not (args.resume or args.overwrite):
        return f"{out} already exists; use --resume to continue that batch or --overwrite to start over"
    if args.scheduler and not args.scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        return f"--scheduler expects an address like tcp://HOST:8786, not {args.scheduler!r}"
    if fmt in ("parquet", "hf"):
        try:
            import datasets  # noqa: F401
        except ImportError:
            return f"--format {fmt} needs the datasets extra: pip install 'vbextract[datasets]'"
    return None


def _scan_with_progress(scan, inputs, limits, quiet: bool):
    from tqdm import tqdm

    with tqdm(desc="scanning", unit=" files", file=sys.stderr, disable=quiet, leave=False) as bar:
        return scan(inputs, limits, on_item=lambda: bar.update(1))


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="parsing", unit=" doc", file=sys.stderr, disable=quiet, smoothing=0.05,
                dynamic_ncols=True, mininterval=0.5)


def _count_finished(manifest, done: dict[str, int], failed: dict[str, str], stats, bar) -> set[str]:
    """Count inputs finished by an earlier run; return the content hashes still to parse."""
    todo = set()
    for sha, locations in manifest.locations.items():
        if sha in done:
            n = len(locations)
            stats.resumed += n
            if done[sha]:
                stats.with_warnings += n
            else:
                stats.parsed += n
            bar.update(n)
        elif sha in failed:
            n = len(locations)
            stats.resumed += n
            stats.failed += n
            stats.failure_types[failed[sha]] = stats.failure_types.get(failed[sha], 0) + n
            bar.update(n)
        else:
            todo.add(sha)
    _show_counts(stats, bar)
    return todo


def _new_locations(manifest, sink) -> dict[str, list[dict]]:
    """Copies of documents finished in an earlier run that that run did not see."""
    extra = {}
    for sha, stored in sink.stored.items():
        known = {(loc.get("path"), loc.get("member")) for loc in stored}
        new = [loc.as_dict() for loc in manifest.locations.get(sha, []) if (loc.path, loc.member) not in known]
        if new:
            extra[sha] = new
    return extra


def _record(result, sink, errlog, stats, bar) -> None:
    if result.error is None:
        sink.write(result)
    else:
        errlog.write(result)
    stats.count(result)
    bar.update(len(result.locations))
    _show_counts(stats, bar)


def _show_counts(stats, bar) -> None:
    bar.set_postfix_str(f"ok={stats.parsed} warn={stats.with_warnings} failed={stats.failed}", refresh=False)

