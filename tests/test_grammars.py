"""The grammar is data: every pattern matches its examples (whole, with their groups) and none of its
counter-examples; patterns of one group do not claim each other's examples; every entry is registered."""

from importlib import resources

import pytest
import regex
import yaml

import vbextract.parts.citations  # noqa: F401  (registers patterns)
import vbextract.parts.deadlines  # noqa: F401
import vbextract.parts.signature  # noqa: F401
import vbextract.parts.units  # noqa: F401
from vbextract.grammars import (
    REGISTRY,
    VARS,
    GrammarTimeout,
    Pattern,
    entries,
    expand,
    grammar_files,
    pattern,
)

# Entries of grammars/*.yaml carry a group; the rest are still registered from code (parts/units,
# parts/deadlines, parts/citations) and keep the older "search" check until they move.
DATA = {name: p for name, p in REGISTRY.items() if p.group}
CODE = {name: p for name, p in REGISTRY.items() if not p.group}


def _yaml(name):
    return yaml.safe_load(resources.files("vbextract.grammars").joinpath(name).read_text(encoding="utf-8"))


def test_every_pattern_documents_itself():
    assert len(DATA) >= 19
    found_in = {e["name"] for f in grammar_files() for e in entries(f)[1] if e.get("found_in")}
    for name, p in REGISTRY.items():
        # a pattern whose lookahead reads past its match cannot match an example whole: it lists
        # where it is found instead (``found_in``, checked below)
        assert p.examples or name in found_in, f"pattern {name} has no examples"


def test_every_yaml_entry_is_registered_and_complete():
    names = []
    for f in grammar_files():
        group, found = entries(f)
        for e in found:
            names.append(e["name"])
            assert {"name", "on", "pattern", "why"} <= set(e) and ("examples" in e or "found_in" in e), f"{f}: {e['name']} lacks a field"
            assert e["on"] in ("text", "fold"), e["name"]
            assert str(e["why"]).strip(), e["name"]
            assert REGISTRY[e["name"]].group == e.get("group", group)
    assert len(names) == len(set(names)), "a pattern name is defined twice"
    assert set(names) == set(DATA)


def test_every_variable_used_is_defined():
    used = set()
    for f in [*grammar_files(), "vars.yaml"]:
        text = resources.files("vbextract.grammars").joinpath(f).read_text(encoding="utf-8")
        text = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
        used |= {a or b for a, b in regex.findall(r"\$(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*))", text)}
    assert used <= set(VARS), sorted(used - set(VARS))
    with pytest.raises(KeyError):
        expand("$NOT_A_VARIABLE", VARS)


@pytest.mark.parametrize(("name", "i"), [(n, i) for n, p in DATA.items() for i in range(len(p.examples))])
def test_example_matches_whole_with_its_groups(name, i):
    p = DATA[name]
    ex = p.examples[i]
    m = p.fullmatch(ex)
    assert m is not None, f"{name} does not match {ex!r} whole"
    got = {k: v for k, v in m.groupdict().items() if v is not None}
    assert got == p.example_groups[i], f"{name}: {ex!r}"


@pytest.mark.parametrize(("name", "i"), [(n, i) for n, p in DATA.items() for i in range(len(p.examples))])
def test_no_other_entry_of_the_group_claims_the_example(name, i):
    p = DATA[name]
    ex = p.examples[i]
    for other in DATA.values():
        if other is p or other.group != p.group or other.name in p.overlaps or p.name in other.overlaps:
            continue
        assert other.fullmatch(ex) is None, f"{other.name} also matches {name}'s example {ex!r}"


@pytest.mark.parametrize(("name", "ex"), [(n, ex) for n, p in DATA.items() for ex in p.counter_examples])
def test_counter_example_fails(name, ex):
    assert DATA[name].fullmatch(ex) is None, f"{name} matches its counter-example {ex!r}"


@pytest.mark.parametrize(("name", "ex"), [(n, ex) for n, p in DATA.items() for ex in p.counter_examples])
def test_counter_example_is_not_found_at_its_start(name, ex):
    # a stronger check for the anchored patterns: not even a prefix of a counter-example matches
    p = DATA[name]
    if p.source.lstrip("(?mxi)").startswith("^"):
        assert p.match(ex) is None, f"{name} matches the start of {ex!r}"


CASES = [(name, ex, True) for name, p in CODE.items() for ex in p.examples] + [
    (name, ex, False) for name, p in CODE.items() for ex in p.counter_examples
]


@pytest.mark.parametrize(("name", "example", "should_match"), CASES)
def test_code_pattern_examples(name, example, should_match):
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


def test_one_bullet_set():
    # the bullet of blocks and the dashes of the recipient and distribution lists are one set
    assert "[$BULLET]" in _yaml("bullet.yaml")["patterns"][0]["pattern"]
    for ch in "-–—•+∙·◦▪*":
        assert REGISTRY["bullet"].fullmatch(f"{ch} Sở Tài chính"), ch


# Groups moved from code (deadlines, units, tasks): their entries keep the older, stronger check
# that a counter-example is not found anywhere in it, and a lookahead that reads past the match
# lists its examples under ``found_in`` (found by search, not matched whole).
_MOVED = ("deadline", "unit", "task", "citation")
FOUND_IN = [(e["name"], ex) for f in grammar_files() for e in entries(f)[1] for ex in e.get("found_in", ())]


@pytest.mark.parametrize(("name", "ex"), FOUND_IN)
def test_found_in_example_is_found(name, ex):
    assert REGISTRY[name].search(ex) is not None, f"{name} is not found in {ex!r}"


@pytest.mark.parametrize(("name", "ex"), [(n, ex) for n, p in DATA.items() if p.group in _MOVED
                                          for ex in p.counter_examples])
def test_moved_counter_example_is_not_found(name, ex):
    assert DATA[name].search(ex) is None, f"{name} is found in its counter-example {ex!r}"


def test_moved_groups_are_registered():
    groups = {p.group for p in DATA.values()}
    assert {"deadline", "unit", "task"} <= groups
    assert len([p for p in DATA.values() if p.group == "deadline"]) == 45
    assert len([p for p in DATA.values() if p.group == "unit"]) == 18
    assert len([p for p in DATA.values() if p.group == "task"]) == 34


def test_one_date_grammar():
    # dates are spelled once, in vars.yaml ($DAY $YEAR $YEAR_C $DSEP $BLANK $DATE $DATE_END
    # $CITED_DATE $QUARTER): the header, citation, deadline, stamp and ML entries use those pieces
    spelled = (r"\d{4}", r"(?:19|20)\d\d", r"\s*[/.\-]\s*", "IV|III|II|I")
    for f in grammar_files():
        for e in entries(f)[1]:
            for piece in spelled:
                assert piece not in e["pattern"], f"{f}: {e['name']} spells {piece!r} (use the date variables)"
    # the same day, month and year pieces read the same dates in the header, citations, deadlines
    for text, d, m, y in (("ngày 05 tháng 3 năm 2025", "05", "3", "2025"), ("ngày 5/3/2025", "5", "3", "2025")):
        w = REGISTRY["wordy_date"].search(text) or REGISTRY["numeric_date"].search(text)
        assert (w["d"], w["m"], w["y"]) == (d, m, y)
        c = REGISTRY["citation_date_after"].search(", ban hành " + text)
        assert c is not None and c["date"] == text[5:]
        dl = REGISTRY["deadline_by"].search("trước " + text)
        assert dl is not None and (dl["awy"] or dl["ay"]) == y


def test_no_vietnamese_date_is_spelled_in_code():
    # what regex_census counts: no regex written in code (outside grammars/) reads "ngày … tháng …
    # năm" or a year; the PDF metadata date ("D:20260306…") is the one technical date left
    import ast
    from pathlib import Path

    from vbextract.tools.regex_census import _INLINE, _MODULES, _literal

    src = Path(__file__).resolve().parents[1] / "src" / "vbextract"
    found = []
    for path in src.rglob("*.py"):
        rel = path.relative_to(src).as_posix()
        if rel.startswith(("grammars/", "tools/regex_census")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            f = getattr(node, "func", None)
            if (isinstance(node, ast.Call) and node.args and isinstance(f, ast.Attribute)
                    and isinstance(f.value, ast.Name) and f.value.id in _MODULES and f.attr in {"compile", *_INLINE}):
                lit = _literal(node.args[0]) or ""
                if any(w in lit for w in ("ngày", "tháng", "năm", "(?:19|20)")) or (r"\d{4}" in lit and "D?:?" not in lit):
                    found.append(f"{rel}:{node.lineno}")
    assert not found, found
