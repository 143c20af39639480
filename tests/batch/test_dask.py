"""Dask: a LocalCluster run equals the local run (parse_bag and ``batch --scheduler``)."""

from __future__ import annotations

import json
import zipfile

import pytest

distributed = pytest.importorskip("distributed")

import vbextract  # noqa: E402
import vbextract.dask as vdask  # noqa: E402
from vbextract.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as c:
        yield c


@pytest.fixture
def inputs(tmp_path, helpers):
    folder = tmp_path / "in"
    helpers.write_variants(folder, 8)
    (folder / "dup.txt").write_bytes(helpers.variant(3))
    (folder / "empty.txt").write_bytes(b"")
    with zipfile.ZipFile(folder / "p.zip", "w") as zf:
        zf.writestr("a/z1.txt", helpers.variant(20))
        zf.writestr("a/dup.txt", helpers.variant(4))
        zf.writestr("../bad.txt", helpers.variant(21))
    return folder


def canonical(records):
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records)


def local_run(folder):
    results = list(vbextract.parse_many([folder], jobs=2))
    ok = [json.loads(r.record) for r in results if r.ok]
    failed = sorted((loc.path, loc.member, r.error.error_type) for r in results if not r.ok for loc in r.locations)
    return ok, failed


def test_parse_bag_on_local_cluster_equals_local_run(cluster, inputs):
    with distributed.Client(cluster) as client:
        results = vdask.parse_bag([str(inputs)]).compute(scheduler=client.get)
    ok = [vdask.to_record(r) for r in results if vdask.is_parsed(r)]
    failed = sorted((loc["path"], loc["member"], r["error"]["error_type"])
                    for r in results if not vdask.is_parsed(r) for loc in r["locations"])
    local_ok, local_failed = local_run(inputs)
    assert canonical(ok) == canonical(local_ok)
    assert failed == local_failed
    assert len(ok) == 9  # 8 variants + the zip's own file; duplicates folded into their records


def test_batch_with_scheduler_equals_local_batch(cluster, inputs, tmp_path):
    assert main(["batch", "-q", str(inputs), "-o", str(tmp_path / "local.jsonl")]) == 1
    assert main(["batch", "-q", str(inputs), "-o", str(tmp_path / "dask.jsonl"),
                 "--scheduler", cluster.scheduler_address]) == 1

    def lines(name):
        return canonical(json.loads(x) for x in (tmp_path / name).read_text().splitlines())

    assert lines("dask.jsonl") == lines("local.jsonl")
    assert lines("dask.errors.jsonl") == lines("local.errors.jsonl")


def test_parse_bag_without_a_cluster_and_from_a_bag(inputs):
    import dask.bag as db

    results = vdask.parse_bag([str(inputs)], dedupe=False).compute(scheduler="sync")
    docs = [vdask.to_document(r) for r in results if vdask.is_parsed(r)]
    assert len(docs) == 11  # every copy parsed on its own without dedupe
    paths = sorted(str(p) for p in inputs.glob("doc*.txt"))
    from_bag = vdask.parse_bag(db.from_sequence(paths, npartitions=2)).compute(scheduler="sync")
    assert sorted(r["locations"][0]["path"] for r in from_bag) == paths
