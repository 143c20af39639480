"""Every grammar pattern matches its examples and none of its counter-examples."""

import pytest

import vbextract.parts.citations  # noqa: F401  (registers patterns)
import vbextract.parts.deadlines  # noqa: F401
import vbextract.parts.signature  # noqa: F401
import vbextract.parts.units  # noqa: F401
from vbextract.grammars import REGISTRY, GrammarTimeout, Pattern, pattern

CASES = [(name, ex, True) for name, p in REGISTRY.items() for ex in p.examples] + [
    (name, ex, False) for name, p in REGISTRY.items() for ex in p.counter_examples
]


def test_every_pattern_documents_itself():
    assert len(REGISTRY) >= 20
    for name, p in REGISTRY.items():
        assert p.examples, f"pattern {name} has no examples"


@pytest.mark.parametrize(("name", "example", "should_match"), CASES)
def test_pattern_examples(name, example, should_match):
    p = REGISTRY[name]
    found = p.search(example) is not None
    assert found is should_match, f"{name}: {example!r}"


def test_catastrophic_pattern_times_out_instead_of_hanging():
    evil = Pattern("evil", r"(a|aa)+b")
    with pytest.raises(GrammarTimeout):
        evil.search("a" * 40 + "!")


def test_pattern_registry_is_keyed_by_name():
    p = pattern("tmp_test_pattern", r"\d+", examples=["1"])
    assert REGISTRY["tmp_test_pattern"] is p
    del REGISTRY["tmp_test_pattern"]
