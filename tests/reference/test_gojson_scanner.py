"""Syntax errors: Go 1.19's scanner texts (expected values read off scanner.go by hand, and the
oracle's answers quoted in GO_JSON_SEMANTICS.md section 1)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.gojson import scanner
from reference.gojson.parse import JSONSyntaxError, parse
from reference.gojson.scanner import first_value_end, quote_char, syntax_error


@pytest.mark.parametrize(
    ("byte", "quoted"),
    [
        (ord("x"), "'x'"),
        (ord("'"), "'\\''"),  # quoteChar's own special case
        (ord('"'), "'\"'"),
        (ord("\\"), "'\\\\'"),
        (0x07, "'\\a'"),
        (0x08, "'\\b'"),
        (0x09, "'\\t'"),
        (0x0A, "'\\n'"),
        (0x0B, "'\\v'"),
        (0x0C, "'\\f'"),
        (0x0D, "'\\r'"),
        (0x00, "'\\x00'"),
        (0x1F, "'\\x1f'"),
        (0x7F, "'\\x7f'"),
        (0x80, "'\\u0080'"),  # C1 controls are not printable
        (0x9F, "'\\u009f'"),
        (0xA0, "'\\u00a0'"),  # NBSP: not printable for strconv
        (0xAD, "'\\u00ad'"),  # soft hyphen: format character
        (0xA1, "'¡'"),
        (0xEF, "'ï'"),  # the first byte of a UTF-8 BOM, as a rune
        (0xFF, "'ÿ'"),
    ],
)
def test_quote_char(byte: int, quoted: str) -> None:
    assert quote_char(byte) == quoted


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # GO_JSON_SEMANTICS.md section 1 (oracle answers)
        (b'{"author":"a",', "unexpected end of JSON input"),
        (b'{"author":"a"} x', "invalid character 'x' after top-level value"),
        (b'{"author":"a",}', "invalid character '}' looking for beginning of object key string"),
        (b"{'author':'a'}", "invalid character '\\'' looking for beginning of object key string"),
        (b'{"author":"a"/*c*/}', "invalid character '/' after object key:value pair"),
        (b'{"Retries":NaN}', "invalid character 'N' looking for beginning of value"),
        (b'{"Retries":01}', "invalid character '1' after object key:value pair"),
        (b'{"Retries":+1}', "invalid character '+' looking for beginning of value"),
        (b'{"Retries":.5}', "invalid character '.' looking for beginning of value"),
        (b'{"Retries":1.}', "invalid character '}' after decimal point in numeric literal"),
        (b'{"Retries":-}', "invalid character '}' in numeric literal"),
        (b'\xef\xbb\xbf{"author":"a"}', "invalid character 'ï' looking for beginning of value"),
        (b'\x0c{"author":"a"}', "invalid character '\\f' looking for beginning of value"),
        (b'{"author":"a\tb"}', "invalid character '\\t' in string literal"),
        (b'{"author":"\\x"}', "invalid character 'x' in string escape code"),
        (b"", "unexpected end of JSON input"),
        (b"[" * 10001 + b"]" * 10001, "invalid character '[' exceeded max depth"),
        # read off scanner.go
        (b"   ", "unexpected end of JSON input"),
        (b"{} {}", "invalid character '{' after top-level value"),
        (b"{}}", "invalid character '}' after top-level value"),
        (b"[1,]", "invalid character ']' looking for beginning of value"),
        (b"[,1]", "invalid character ',' looking for beginning of value"),
        (b"[1 2]", "invalid character '2' after array element"),
        (b'{"a" 1}', "invalid character '1' after object key"),
        (b'{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
        (b"{1:2}", "invalid character '1' looking for beginning of object key string"),
        (b'"\\u12G4"', "invalid character 'G' in \\u hexadecimal character escape"),
        # at EOF Go steps a space through the current state (checked with the oracle)
        (b"tru", "invalid character ' ' in literal true (expecting 'e')"),
        (b"nul", "invalid character ' ' in literal null (expecting 'l')"),
        (b"-", "invalid character ' ' in numeric literal"),
        (b"1.", "invalid character ' ' after decimal point in numeric literal"),
        (b'"\\u12', "invalid character ' ' in \\u hexadecimal character escape"),
        (b'"abc', "unexpected end of JSON input"),
        (b"[1,", "unexpected end of JSON input"),
        (b"trUe", "invalid character 'U' in literal true (expecting 'u')"),
        (b"fals3", "invalid character '3' in literal false (expecting 'e')"),
        (b"nul1", "invalid character '1' in literal null (expecting 'l')"),
        (b"1e", "invalid character ' ' in exponent of numeric literal"),
        (b"\xff", "invalid character 'ÿ' looking for beginning of value"),
        (b"1e+x", "invalid character 'x' in exponent of numeric literal"),
        (b"-a", "invalid character 'a' in numeric literal"),
        (b'"\x00"', "invalid character '\\x00' in string literal"),
        (b"\x80", "invalid character '\\u0080' looking for beginning of value"),
        (b"{\xff:1}", "invalid character 'ÿ' looking for beginning of object key string"),
        (b"Infinity", "invalid character 'I' looking for beginning of value"),
        (b'{"a":' * 10001 + b"1" + b"}" * 10001, "invalid character '{' exceeded max depth"),
        (b"[" * 10000 + b"]" * 9999, "unexpected end of JSON input"),
        (b"[" * 10000 + b"]" * 10001, "invalid character ']' after top-level value"),
    ],
)
def test_syntax_error_texts(data: bytes, message: str) -> None:
    assert syntax_error(data) == message
    with pytest.raises(JSONSyntaxError) as info:
        parse(data)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "data",
    [
        b" \t\r\n{}\r\n\t ",
        b"0",
        b"-0.0e-0",
        b'"\\u00e9\\/\\b"',
        b'"\xff\xfe"',
        b"[" * 10000 + b"]" * 10000,
        b'{"a":' * 10000 + b"1" + b"}" * 10000,
        b"[ [ ] , [ [ ] ] ]",
        b'{"\x7f":"\x7f"}',
    ],
)
def test_valid_documents(data: bytes) -> None:
    assert syntax_error(data) is None
    parse(data)  # no exception


def bytewise(data: bytes, decoder: bool) -> tuple[int, str | None]:
    """scanner.go's loops stepped one byte at a time, as Go does (no bulk runs): checkValid,
    or Decoder.readValue."""
    s = scanner._Scanner()
    for i, c in enumerate(data):
        v = s.step(s, c)
        if v == scanner._ERROR:
            return 0, s.err
        if decoder:
            if v == scanner._END:
                return i, None
            ends_value = v in (scanner._END_OBJECT, scanner._END_ARRAY)
            if ends_value and scanner._state_end_value(s, 0x20) == scanner._END:
                return i + 1, None
    if decoder:
        if s.step(s, 0x20) == scanner._END:
            return len(data), None
        return 0, ("unexpected EOF" if data.strip(b" \t\r\n") else "EOF")
    if s.eof() == scanner._ERROR:
        return 0, s.err
    return len(data), None


NESTING = st.lists(
    st.sampled_from(
        [
            *(b"[", b"]", b"{", b"}", b'{"a":', b'{"k" : ', b'{"\\u0041":', b",", b":", b"1"),
            *(b'"s"', b" ", b"]]", b"}}", b"]}", b"[[", b"x", b"null"),
        ]
    ),
    max_size=40,
).map(b"".join)


@settings(max_examples=500, deadline=None)
@given(NESTING, st.sampled_from([0, 0, 0, 9999, 10000]))
def test_bulk_runs_step_like_go(data: bytes, depth: int) -> None:
    """The scanner's bulk runs (plain strings, '[' runs, '{"key":' runs, ']'/'}' runs) end in
    the state Go's byte-wise steps reach, at the depth limit too."""
    if depth:
        data = b'{"a":' * (depth // 2) + b"[" * (depth - depth // 2) + data
    assert syntax_error(data) == bytewise(data, decoder=False)[1]
    assert first_value_end(data) == bytewise(data, decoder=True)


def assert_steps_like_go(data: bytes) -> None:
    assert scanner._scan(data, decoder=False) == bytewise(data, decoder=False)
    assert scanner._scan(data, decoder=True) == bytewise(data, decoder=True)


# Tokens for the C-parser skips (see scanner._ValueSkipper): strings whose content holds
# structural bytes, quotes and backslashes (escaped), numbers, literals, and tokens cut short or
# invalid, which Python's parser and Go's reject at different offsets.
TOKENS = st.sampled_from(
    [
        *(b"[", b"]", b"{", b"}", b"[]", b"{}", b",", b":", b" ", b"\n\t", b'{"a":', b'{"k" : '),
        *(b'"s"', b'"[{,:}]"', b'"\\""', b'"\\\\"', b'"\\\\\\""', b'"a\\u00e9\\/"', b'"\xff\x80"'),
        *(b"0", b"-1.5e+3", b"12", b"true", b"false", b"null", b"NaN", b"-Infinity", b"Infinity"),
        *(b'"ab', b'"a\\', b'"\\u12', b"tr", b"1.", b"1e", b"-", b"01", b"1.e", b"+1", b".5"),
        *(b'"\\x"', b'"\x01"', b"\x00", b"x", b"\xef", b"/", b"'"),
    ]
)
SKIPPED = st.lists(TOKENS, max_size=60).map(b"".join)


@settings(max_examples=1500, deadline=None)
@given(SKIPPED, st.sampled_from([b"", b"[", b"{", b'{"a":[{"b":', b" [ [1, {}, ", b"[" * 40]))
def test_skips_step_like_go(data: bytes, prefix: bytes) -> None:
    """Values skipped with Python's parser, whole or up to where it fails, leave the scanner
    where Go's byte-wise steps do."""
    assert_steps_like_go(prefix + data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 0, 1, 2]), st.data())
def test_damaged_documents_step_like_go(
    value: object, indent: int | None, draw: st.DataObject
) -> None:
    """A document cut at any offset, or with a byte inserted, replaced or removed anywhere."""
    doc = json.dumps(value, indent=indent, ensure_ascii=draw.draw(st.booleans())).encode()
    cut = draw.draw(st.integers(0, len(doc)))
    assert_steps_like_go(doc[:cut])
    byte = draw.draw(st.sampled_from(b' \t\n{}[]:,"\\0123456789-.eEtfnux\x00\x1f\x7f\x80\xff'))
    action = draw.draw(st.sampled_from(["insert", "replace", "remove"]))
    tail = doc[cut:] if action == "insert" else doc[cut + 1 :]
    assert_steps_like_go(doc[:cut] + (b"" if action == "remove" else bytes([byte])) + tail)


CONFIG = (
    b'{"architecture": "amd64", "config": {"Env": ["PATH=/usr/bin", "A=[{,:}]"], '
    b'"Cmd": ["/bin/sh", "-c", "echo \\"[1, 2]\\" \\\\"], "ExposedPorts": {"80/tcp": {}}, '
    b'"Labels": {}, "Size": -12.5e+3, "Tty": false, "Stdin": true, "Domain": null}, '
    b'"history": [{"created": "2017-06-20T18:20:18.5Z", "empty_layer": true}, [], [[1]]], '
    b'"rootfs": {"type": "layers", "diff_ids": ["sha256:aaaa", "\\u00e9\xc3\xa9"]}}'
)


def test_every_truncation_steps_like_go() -> None:
    """Cut anywhere: inside each kind of token, right after each kind of structural byte."""
    for n in range(len(CONFIG) + 1):
        assert_steps_like_go(CONFIG[:n])
        assert_steps_like_go(CONFIG[:n] + b"x")


@pytest.mark.parametrize(
    "data",
    [
        b"[" + b"1" * 5000 + b"]",  # too long for Python's int(): Go's steps take it
        b"[" + b"1" * 5000 + b",x]",
        b'[{"a":[NaN]}, 1]',
        b"[" * 9990 + b"[[[[[[[[[[[1]]]]]]]]]]]" + b"]" * 9990,  # skippable, but past Go's limit
        b"[" * 9990 + b"[[[[[[[[[[1]]]]]]]]]]" + b"]" * 9990,  # at the limit
        b"[" * 9990 + b"[[[[[[[[[[[1,",  # a failing value that crosses the limit
        b"[" * 9990 + b"[[[[[[[[[1,",
        b'[{"a":' * 3000 + b"1" + b"}]" * 3000,  # deeper than Python's recursion limit
        b'[{"a":' * 3000 + b"1" + b"}]" * 2999 + b"}",
        b'[{"a":' * 5001,  # past Go's limit, no bulk run
        b"[" + b"[" * 40 + b"]" * 40 + b",x]",  # more nesting than the pair-removal rounds
        b"[" + b"[" * 40 + b"[1" + b"]" * 39 + b",x",
        b'{"a":' * 10000 + b"{}" + b"}" * 10000,
        b'{"a":' * 10001 + b"{}",
        b'{"a":' * 10001,
        b'{"a":' * 9999 + b"[1]" + b"}" * 9999 + b" \n x",
        b'{"a":' * 9999 + b"[[1" + b"}" * 9999,
        b"[" * 10000 + b"1" + b"]" * 9999 + b"}",
        b' {"a": [1, 2]}  {"b": 3}',
        b" [1, 2]\n",
        b'{"a": "x"} x',
    ],
    ids=lambda data: f"{data[:12]!r}..{len(data)}",
)
def test_edge_inputs_step_like_go(data: bytes) -> None:
    assert_steps_like_go(data)


def stepped(data: bytes) -> scanner._Scanner:
    """The scanner after Go's byte-wise steps over `data` (stopped at an error)."""
    s = scanner._Scanner()
    for c in data:
        if s.step(s, c) == scanner._ERROR:
            break
    return s


def state(s: scanner._Scanner) -> tuple[object, ...]:
    return bytes(s.parse_state), s.step, s.end_top, s.err


def bulk_steps(s: scanner._Scanner, data: bytes, i: int) -> list[Callable[[scanner._Scanner], int]]:
    """The bulk steps `_scan` may take at `i` in the state of `s`."""
    c = data[i]
    steps: list[Callable[[scanner._Scanner], int]] = []
    if s.step in (scanner._state_begin_value, scanner._state_begin_value_or_empty):
        if c in b"[{":
            steps.append(lambda t: scanner._ValueSkipper(data).skip(t, i))
        if c == ord("["):
            steps.append(lambda t: scanner._open_arrays(t, data, i))
        if c == ord("{"):
            steps.append(lambda t: scanner._open_objects(t, data, i))
    closer = c == ord("]") or (c == ord("}") and s.step is scanner._state_end_value)
    if closer and s.step in (scanner._state_end_value, scanner._state_begin_value_or_empty):
        steps.append(lambda t: scanner._close_containers(t, data, i))
    return steps


@settings(max_examples=300, deadline=None)
@given(SKIPPED)
def test_bulk_steps_reach_gos_state(data: bytes) -> None:
    """Each bulk step, wherever `_scan` may take it, leaves the scanner's whole state (parse
    stack, step function, end of top-level value) as Go's byte-wise steps over the same bytes,
    not just the same final answer."""
    data = b'[{"a": ' + data
    for i in range(len(data)):
        before = stepped(data[:i])
        if before.err is not None:
            break
        for bulk in bulk_steps(before, data, i):
            s = stepped(data[:i])
            j = bulk(s)
            if j > i:
                assert state(s) == state(stepped(data[:j])), (i, j)


def test_skip_deep_structure_reaches_gos_state() -> None:
    """More nesting than `_unclosed` removes pairs in rounds: its one-at-a-time fallback."""
    deep = (b'{"a":' + b"[" * 40 + b"]" * 40 + b",{}]", b"[" + b'{"a":[' * 35 + b"1" + b"]}" * 35)
    for data in (deep[0], deep[1] + b", [[1, 2 x"):
        s = scanner._Scanner()
        j = scanner._ValueSkipper(data).skip(s, 0)
        assert 0 < j < len(data)
        assert state(s) == state(stepped(data[:j]))
