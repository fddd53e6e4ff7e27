"""The fast front-matter reader must read exactly what YAML reads, or step aside."""

import math
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.annotations.markdown_format import _yaml, render
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Candidate,
    Confidence,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.annotations.quick_yaml import read_mapping


def yaml_reads(header: str) -> Any:
    return yaml.load(header, Loader=_yaml()[1])  # noqa: S506 - a SafeLoader


def header_of(annotation: Annotation) -> str:
    text = render(annotation)
    return text[4 : text.index("\n---\n", 4) + 1]


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b and type(a) is type(b))


def make(**changes: Any) -> Annotation:
    fields: dict[str, Any] = {
        "id": "01m8y96y8k7frpea6q",
        "source": "talks/the long night.md",
        "kind": Kind.DISSENT,
        "anchor": Anchor(
            TextQuoteSelector("the exact words", "it's the ", ", and then"),
            TextPositionSelector(120, 135),
            "eb5ff99f253fa40d",
        ),
        "start": 259.224,
        "end": 260.5,
        "speaker": "Inés Carvalho-Reyes",
        "tags": ("heat", "cities"),
        "confidence": Confidence.LOW,
        "created": "2026-12-03T15:43:47Z",
    }
    fields.update(changes)
    return Annotation(**fields)


def test_a_typical_annotation_is_read_without_yaml_and_the_same() -> None:
    header = header_of(make())
    quick = read_mapping(header)
    assert quick is not None, "the fast path must serve the files readmark writes"
    assert quick == yaml_reads(header)
    assert quick["tags"] == ["heat", "cities"]
    assert quick["start"] == 259.224
    assert quick["quote_prefix"] == "it's the "


def test_an_annotation_that_needs_review_is_read_without_yaml_and_the_same() -> None:
    candidate = Candidate(98, 131, "the exact words, it's said", 87.5)
    header = header_of(make(candidate=candidate, searched="5c0e9a1b2d3f4e6a"))
    quick = read_mapping(header)
    assert quick is not None
    assert quick == yaml_reads(header)
    assert (quick["review_candidate"], quick["review_start"], quick["review_score"]) == (
        "the exact words, it's said",
        98,
        87.5,
    )


@pytest.mark.parametrize(
    "header",
    [
        "speaker: yes\n",  # YAML 1.1 reads a boolean
        "start: 1:30\n",  # sexagesimal
        "start: 1.5e+3\n",
        "no: 1\n",  # the key itself reads as a boolean
        "start: 0x1F\n",
        "created: 2026-01-02\n",
        "note: |\n  block text\n",
        "tags: [a, b]\n",
        "  indented: 1\n",
        "id: a # a comment\n",
        "id: 'unclosed\n",
        'id: "bad \\q escape"\n',
        "id: a\n\n",
        "",
    ],
)
def test_what_is_not_plainly_simple_is_left_to_yaml(header: str) -> None:
    assert read_mapping(header) is None


_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(
    speaker=st.one_of(st.none(), _text),
    source=_text.filter(lambda s: s.strip() != ""),
    prefix=_text,
    suffix=_text,
    tags=st.lists(st.text(st.characters(codec="ascii"), min_size=1, max_size=12), max_size=4),
    start=st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)),
    candidate=st.one_of(
        st.none(),
        st.builds(
            Candidate,
            st.integers(0, 10**9),
            st.integers(0, 10**9),
            _text,
            st.floats(0, 100, allow_nan=False),
        ),
    ),
)
def test_rendered_front_matter_reads_the_same_both_ways(
    speaker: str | None,
    source: str,
    prefix: str,
    suffix: str,
    tags: list[str],
    start: float | None,
    candidate: Candidate | None,
) -> None:
    annotation = make(
        speaker=speaker,
        source=source,
        tags=tuple(tags),
        start=start,
        end=None,
        anchor=Anchor(TextQuoteSelector("x", prefix, suffix), TextPositionSelector(0, 1), "0"),
        candidate=candidate,
        searched="9b1c0e7d2a4f6e3b" if candidate else "",
    )
    try:
        header = header_of(annotation)
    except UnicodeError:
        return
    quick = read_mapping(header)
    if quick is not None:
        expected = yaml_reads(header)
        assert quick.keys() == expected.keys()
        for key in quick:
            assert same(quick[key], expected[key]), key


_value = st.one_of(
    st.sampled_from(["null", "~", "true", "false", "yes", "No", "[]", "1", "-3", "1.5", "0.0"]),
    st.from_regex(r"[A-Za-z0-9 ._:#'\"\\/-]{0,12}", fullmatch=True),
    _text.map(lambda t: "'" + t.replace("'", "''") + "'"),
    _text.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[a-z_]{1,6}", fullmatch=True), _value), max_size=6))
def test_any_header_the_fast_path_takes_reads_as_yaml_reads_it(
    pairs: list[tuple[str, str]],
) -> None:
    header = "".join(f"{key}: {value}\n" for key, value in pairs)
    quick = read_mapping(header)
    if quick is None:
        return
    expected = yaml_reads(header)
    assert isinstance(expected, dict)
    assert quick.keys() == expected.keys()
    for key in quick:
        assert same(quick[key], expected[key]), (key, header)


# Each edge of the characters YAML accepts in a stream, and the line breaks its own parser must
# fold (CR, NEL, LS, PS): one side is read here, the other left to YAML (a line feed ends the
# line, so it is no character of a value).
_EDGES = [0x0, 0x8, 0x9, 0xB, 0xC, 0xD, 0x1F, 0x20, 0x7E, 0x7F, 0x85, 0x9F, 0xA0, 0x2027, 0x2028,
          0x2029, 0x202A, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000,
          0x10FFFF]  # fmt: skip


@pytest.mark.parametrize("code", _EDGES, ids=[f"U+{code:04X}" for code in _EDGES])
def test_a_character_yaml_would_refuse_or_fold_is_left_to_yaml(code: int) -> None:
    char = chr(code)
    header = f"note: 'one{char}two'\n"
    refused_or_folded = bool(yaml.reader.Reader.NON_PRINTABLE.search(char)) or char in (
        "\r\x85\u2028\u2029"
    )
    quick = read_mapping(header)
    if refused_or_folded:
        assert quick is None
    else:
        assert quick == {"note": f"one{char}two"}
