"""Syntax errors: Go 1.19's scanner texts (expected values read off scanner.go by hand, and the
oracle's answers quoted in GO_JSON_SEMANTICS.md section 1)."""

from __future__ import annotations

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
