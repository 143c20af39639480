"""One explicit datasets schema: stable across shards, round trip back to Document."""

from __future__ import annotations

import datasets
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vbextract
from vbextract.dataset import document_row, features, from_dataset, row_to_record, to_dataset
from vbextract.document import (
    Appendix,
    Citation,
    Deadline,
    Document,
    Header,
    LegalBasis,
    PdfSignature,
    Section,
    Signature,
    Source,
    Task,
)


def full_document() -> Document:
    """Every field filled, sections three levels deep."""
    return Document(
        source=Source(path="/a/b.zip", member="x/cv.pdf", format="pdf", sha256="ab" * 32, pages=2,
                      encoding="utf-8", legacy_conversion="tcvn3", text_layer="good",
                      signatures=[PdfSignature(name="Sở A", signing_time="2024-01-02T03:04:05+07:00")],
                      offset_map=[(0, 0), (10, 14)]),
        text="ỦY BAN NHÂN DÂN", kind="formal",
        header=Header(issuer="ỦY BAN NHÂN DÂN", number="403", symbol="UBND-KGVX", doc_type="Công văn",
                      date="2021-04-06", date_source="header", national_motto=True, span=(0, 5), page=1,
                      bbox=(1.0, 2.0, 3.5, 4.25)),
        recipients=["Sở A", "Sở B"],
        legal_bases=[LegalBasis(verb="Căn cứ", text="Luật X", citation_refs=["Luật X"], span=(1, 2))],
        citations=[Citation(ref="56/2017/NĐ-CP", number="56", year=2017, symbol="NĐ-CP", span=(3, 4),
                            mentions=[(3, 4), (8, 9)])],
        sections=[Section(id="I", label="I.", title="MỤC ĐÍCH", kind="purpose", span=(0, 9), children=[
            Section(id="I.1", label="1.", span=(1, 4), children=[Section(id="I.1.a", label="a)", span=(2, 3))]),
            Section(id="I.2", label="2.", span=(4, 9))]), Section(id="II", label="II.", span=(9, 12))],
        tasks=[Task(id="I.1", label="1.", text="Triển khai", lead_units=["Sở A"], support_units=["Sở B"],
                    lead_inherited=True, deadline_ids=[0], section_kind="tasks", producer="ml", span=(1, 4), page=2)],
        deadlines=[Deadline(text="Quý IV", kind="period", start="2021-10-01", end="2021-12-31",
                            year_inferred=True, task_id="I.1", span=(5, 6))],
        signature=Signature(authority="KT.", chain=["KT. CHỦ TỊCH"], position="PHÓ CHỦ TỊCH", signer="N",
                            span=(10, 12), page=2, bbox=(0.0, 0.0, 1.0, 1.0)),
        distribution=["Như trên", "Lưu: VT"],
        appendices=[Appendix(title="PHỤ LỤC", span=(12, 14), header=Header(number="1"))],
        warnings=["something odd"],
    )


def test_full_document_round_trips():
    doc = full_document()
    ds = to_dataset([doc, Document()])
    assert ds.features == features()
    assert list(from_dataset(ds)) == [doc, Document()]


def test_schema_is_stable_across_shards_with_empty_and_null_fields(tmp_path):
    empty_shard = to_dataset([Document(), Document(text="x")])  # every list empty, every optional null
    full_shard = to_dataset([full_document()])
    assert empty_shard.features == full_shard.features == features()
    both = datasets.concatenate_datasets([empty_shard, full_shard])
    assert both.num_rows == 3
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    empty_shard.to_parquet(str(a))
    full_shard.to_parquet(str(b))
    reread = datasets.Dataset.from_parquet([str(a), str(b)], features=features(), cache_dir=str(tmp_path / "c"))
    assert list(from_dataset(reread)) == [Document(), Document(text="x"), full_document()]
    empty_shard.save_to_disk(str(tmp_path / "disk"))
    assert datasets.load_from_disk(str(tmp_path / "disk")).features == features()


def test_no_null_types_in_the_schema():
    def walk(feature):
        if isinstance(feature, dict):
            for v in feature.values():
                yield from walk(v)
        elif isinstance(feature, datasets.List):
            yield from walk(feature.feature)
        else:
            yield feature

    dtypes = {f.dtype for f in walk(dict(features()))}
    assert "null" not in dtypes and dtypes <= {"string", "int64", "float64", "bool"}


def test_sections_are_flat_with_parent_indexes():
    row = document_row(full_document())
    assert [(s["id"], s["parent"]) for s in row["sections"]] == [
        ("I", None), ("I.1", 0), ("I.1.a", 1), ("I.2", 0), ("II", None)]
    assert row_to_record(row)["sections"][0]["children"][0]["children"][0]["id"] == "I.1.a"


def test_real_parses_and_batch_results_go_in(tmp_path, seeds_dir):
    docs = [vbextract.parse(p) for p in sorted(seeds_dir.glob("*.txt"))]
    assert list(from_dataset(to_dataset(docs))) == docs
    results = list(vbextract.parse_many([seeds_dir], jobs=1))
    ds = vbextract.to_dataset(results)
    assert ds.num_rows == len(docs) and all(len(r["locations"]) == 1 for r in ds)


spans = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))
opt_text = st.none() | st.text(max_size=20)
sections = st.recursive(
    st.builds(Section, id=st.text(min_size=1, max_size=5), label=st.text(max_size=5), title=opt_text, span=spans),
    lambda children: st.builds(Section, id=st.text(min_size=1, max_size=5), label=st.text(max_size=5),
                               span=spans, children=st.lists(children, max_size=3)),
    max_leaves=8,
)
documents = st.builds(
    Document, text=st.text(max_size=50),
    header=st.builds(Header, issuer=opt_text, number=opt_text, year=st.none() | st.integers(1900, 2100)),
    sections=st.lists(sections, max_size=3),
    tasks=st.lists(st.builds(Task, id=st.text(min_size=1, max_size=6), text=st.text(max_size=30), span=spans,
                             lead_units=st.lists(st.text(max_size=10), max_size=2)), max_size=3),
    warnings=st.lists(st.text(max_size=10), max_size=2),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents, min_size=1, max_size=4))
def test_round_trip_property(docs):
    assert list(from_dataset(to_dataset(docs))) == docs


def test_rejects_rows_that_are_not_documents():
    with pytest.raises(Exception):  # noqa: B017
        to_dataset([{"not": "a document", "locations": []}])
