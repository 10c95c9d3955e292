"""The parse tree: Go's string rules, and the fast path (Python's C scanner) building exactly the
tree the slow path (tokenizer) builds, accepting exactly what Go's scanner accepts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.gojson.parse import (
    JObject,
    JSONSyntaxError,
    RawStr,
    _parse_tokens,
    decode_utf8,
    parse,
    raw_token,
)
from reference.gojson.scanner import syntax_error

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def shape(node: Any) -> Any:
    """The tree with node types made explicit (so a number literal never equals a string). A
    RawStr is a str whose raw token differs: the two paths agree on the value."""
    t = type(node)
    if t is JObject:
        return ("obj", [(type(k).__name__, str(k), shape(v)) for k, v in node])
    if t is list:
        return ("arr", [shape(v) for v in node])
    if t is RawStr:
        return ("str", str(node))
    return (t.__name__, node)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        # GO_JSON_SEMANTICS.md section 7: one U+FFFD per invalid byte
        (b"v\xe2\x82x\xed\xa0\x80y\xc0\x80z\xf4\x90\x80\x80!", "v��x���y��z����!"),
        (b"\xe2\x82", "��"),
        (b"\xf0\x9f\x98", "���"),
        (b"\xf0\x9f\x98\x80", "😀"),
        (b"\\ud800\\ud83d\\ude00\\udc00x", "�😀�x"),
        (b"\\ud83d\\u0041", "�A"),
        (b"\\udc00\\ud800", "��"),
        (b'\\u0000\\/\\b\\f\\n\\r\\t\\"\\\\', '\x00/\b\f\n\r\t"\\'),
        (b"\\u00e9\xc3\xa9\xff", "éé�"),
    ],
)
def test_string_values(raw: bytes, value: str) -> None:
    tok = b'"' + raw + b'"'
    for tree in (parse(b"[" + tok + b"]"), _parse_tokens(b"[" + tok + b"]")):
        (node,) = tree
        assert node == value
    # where a custom unmarshaler may read it, the raw token is exact
    data = b'{"CREATED":' + tok + b"}"
    tree = parse(data, frozenset({"created"}))
    assert tree[0][1] == value
    assert raw_token(tree[0][1], data, tree) == tok


def test_regular_strings_are_plain_str() -> None:
    (node,) = _parse_tokens(b'["abc\xc3\xa9"]')
    assert type(node) is str
    (node,) = _parse_tokens(b'["a\\u0062c"]')
    assert type(node) is RawStr
    assert node.raw == b'"a\\u0062c"'


def test_decode_utf8_is_per_byte() -> None:
    # Python's "replace" gives one U+FFFD for the truncated sequence; Go gives one per byte
    assert b"\xe2\x82x".decode("utf-8", "replace") == "\ufffdx"
    assert decode_utf8(b"\xe2\x82x") == "\ufffd\ufffdx"


def test_keys_are_unescaped_plain_str() -> None:
    tree = _parse_tokens(b'{"\\u0061uthor":1,"a\xff":2}')
    assert [(type(k), k) for k, _ in tree] == [(str, "author"), (str, "a\ufffd")]


def test_numbers_keep_their_literal() -> None:
    assert parse(b"[1.0,-0,1e400,12345678901234567890]") == [
        b"1.0",
        b"-0",
        b"1e400",
        b"12345678901234567890",
    ]


def test_duplicate_keys_kept_in_order() -> None:
    assert parse(b'{"a":1,"A":2,"a":null}') == [("a", b"1"), ("A", b"2"), ("a", None)]


def test_composite_raw_token() -> None:
    data = b'{"x":[[1],{"y":[2]}],"created":[ [1], {"y" :\t[2]} ]}'
    tree = parse(data)
    assert raw_token(tree[1][1], data, tree) == b'[ [1], {"y" :\t[2]} ]'
    assert raw_token(tree[1][1][1], data, tree) == b'{"y" :\t[2]}'
    assert raw_token(tree[0][1][0], data, tree) == b"[1]"


def test_time_keys_with_escaped_values_take_the_slow_path() -> None:
    data = b'{"cr\\u0065ated":"2016\\u002d02"}'
    tree = parse(data, frozenset({"created"}))
    assert type(tree[0][1]) is RawStr
    assert tree[0][1].raw == b'"2016\\u002d02"'
    assert type(parse(data)[0][1]) is str  # nobody asked for raw tokens


def corpus_documents() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("*/*.json"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")
def test_fast_and_slow_paths_build_the_same_tree_on_the_corpus() -> None:
    docs = corpus_documents()
    assert docs
    for path in docs:
        data = path.read_bytes()
        assert shape(parse(data)) == shape(_parse_tokens(data)), path.name


JSONISH = st.lists(
    st.sampled_from(
        [
            b"{",
            b"}",
            b"[",
            b"]",
            b",",
            b":",
            b'"a"',
            b'"\\u00e9"',
            b'"\\ud800"',
            b'"\xff"',
            b"1",
            b"-0.5e3",
            b"true",
            b"null",
            b"fals",
            b" ",
            b"\t",
            b"\n",
            b"\x0c",
            b"01",
            b"\x00",
            b'"',
            b"\\",
            b"NaN",
            b"1.",
            b"\xef\xbb\xbf",
            b'"created"',
        ]
    ),
    max_size=24,
).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(JSONISH)
def test_parser_accepts_exactly_what_go_accepts(data: bytes) -> None:
    expected = syntax_error(data)
    if expected is not None:
        with pytest.raises(JSONSyntaxError) as info:
            parse(data, frozenset({"created"}))
        assert str(info.value) == expected
        return
    tree = parse(data, frozenset({"created"}))
    assert shape(tree) == shape(_parse_tokens(data))


def _dump(value: Any, ws: list[str]) -> str:
    """Serialize a generated JSON value, with the generated whitespace between tokens."""
    pad = ws[0] if ws else ""
    rot = ws[1:] + ws[:1]  # the next whitespace for nested values
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}{pad}:{_dump(v, rot)}" for k, v in value.items()]
        return "{" + ",".join(items) + pad + "}"
    if isinstance(value, list):
        return "[" + ",".join(pad + _dump(v, rot) for v in value) + pad + "]"
    return json.dumps(value)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.lists(st.sampled_from(["", " ", "\n\t", "\r\n "]), max_size=3))
def test_both_paths_build_the_same_tree_for_valid_documents(value: Any, ws: list[str]) -> None:
    data = _dump(value, ws).encode("utf-8", "surrogatepass")
    assert syntax_error(data) is None
    assert shape(parse(data)) == shape(_parse_tokens(data))


STRING_PIECES = st.lists(
    st.sampled_from(
        [
            b"a",
            b"\\ud800",
            b"\\uDBFF",
            b"\\udc00",
            b"\\ud83d\\ude00",
            b"\\\\",
            b"\\\\ud800",
            b"\\u0041",
            b'\\"',
            b"\xff",
            b"\xe2\x82",
            b"\xed\xa0\x80",
            "é".encode(),
            b"\\n",
        ]
    ),
    max_size=6,
).map(lambda pieces: b'"' + b"".join(pieces) + b'"')


@settings(max_examples=500, deadline=None)
@given(STRING_PIECES, STRING_PIECES, STRING_PIECES, STRING_PIECES, STRING_PIECES)
def test_fast_path_strings_are_gos(s1: bytes, s2: bytes, s3: bytes, s4: bytes, s5: bytes) -> None:
    """Lone surrogate escapes (rewritten before the C scanner) and invalid UTF-8 (decoded one
    U+FFFD per byte) give the slow path's tree; values under raw keys keep their raw tokens."""
    data = b'{"created":' + s1 + b',"x":[' + s2 + b",{" + s3 + b":" + s4 + b'}],"id":' + s5 + b"}"
    raw_keys = frozenset({"created", "id"})
    fast = parse(data, raw_keys)
    slow = _parse_tokens(data)
    assert shape(fast) == shape(slow)
    for i in (0, 2):
        assert raw_token(fast[i][1], data, fast) == raw_token(slow[i][1], data, slow)
    assert raw_token(slow[0][1], data, slow) == s1


@pytest.mark.parametrize("limit", [1000, 20000])
def test_depth_limit_whatever_the_recursion_limit(limit: int) -> None:
    """Go allows 10000 levels: with the default recursion limit the C scanner gives up (and the
    slow path decides), with a raised one the brackets are counted first."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        assert depth_of(parse(b"[" * 3000 + b"]" * 3000)) == 3000
        with pytest.raises(JSONSyntaxError, match="exceeded max depth"):
            parse(b"[" * 10001 + b"]" * 10001)
    finally:
        sys.setrecursionlimit(old)


def depth_of(value: Any) -> int:
    """The nesting depth of [[...[]...]] (without recursion)."""
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    return depth
