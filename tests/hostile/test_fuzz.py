"""CI fuzz: hypothesis drives the hostile-input generators (bounded examples, a deadline each).

Whatever the input, ``parse`` returns a Document that serializes, or raises InputError. The
longer run with counts is ``benchmarks/bench_fuzz.py`` (results in ``benchmarks/results/fuzz.md``).
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vbextract
from vbextract.errors import InputError
from vbextract.limits import Limits

_spec = importlib.util.spec_from_file_location("vbx_fuzzgen", Path(__file__).with_name("fuzzgen.py"))
assert _spec is not None and _spec.loader is not None
fuzzgen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzzgen)

LIMITS = Limits(timeout_s=20, max_decompressed_mb=16, max_pages=50)
FUZZ = settings(max_examples=20, deadline=20_000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parse_only_input_errors(data, name):
    try:
        doc = vbextract.parse(data, name=name, use_ml=False, limits=LIMITS)
    except InputError:
        return
    doc.model_dump_json()


@pytest.mark.parametrize("kind", sorted(fuzzgen.KINDS))
def test_fuzz_generated_inputs(kind):
    @FUZZ
    @given(st.randoms(use_true_random=False))
    def run(rng: random.Random) -> None:
        parse_only_input_errors(fuzzgen.KINDS[kind](rng), fuzzgen.NAMES[kind])

    run()


@FUZZ
@given(st.text(alphabet=st.characters(codec=None, categories=None), max_size=400))
def test_fuzz_any_text(text):
    parse_only_input_errors(text, None)


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["x.txt", "x.rtf", "x.html", "x.docx", "x.pdf", "x.bin", None]))
def test_fuzz_any_bytes(data, name):
    parse_only_input_errors(data, name)
