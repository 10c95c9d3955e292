"""gojson.stream.Decoder: Go 1.19's json.Decoder over in-memory input (stream.go's readValue,
Decode, More, DisallowUnknownFields). Expected values are read off stream.go and scanner.go by
hand; the protocol's recorded oracle answers (test_protocol.py) exercise the same paths through
main.go."""

from __future__ import annotations

import pytest

from reference.gojson import parse as parse_module
from reference.gojson.parse import JSONSyntaxError, parse_first
from reference.gojson.scanner import first_value_end, syntax_error
from reference.gojson.stream import Decoder
from reference.gojson.types import (
    PTR_STRING,
    RAW_MESSAGE,
    STRING,
    GoStruct,
    SliceType,
    gofield,
)


class Req(GoStruct, go_name="main.req"):
    ID: bytes | None = gofield(RAW_MESSAGE, "id")
    Op: str = gofield(STRING, "op")
    Now: str | None = gofield(PTR_STRING, "now")
    Names: list[str] | None = gofield(SliceType(STRING), "names")


REQ = Req.go_type


@pytest.mark.parametrize(
    ("data", "end", "error"),
    [
        # the value ends at its last byte; what follows is not looked at
        (b'{"a":1}', 7, None),
        (b'  {"a":1} x', 9, None),
        (b"[1,2]]", 5, None),
        (b"{}{}", 2, None),
        # scalars end one byte late: at the byte after them (not part of the value)
        (b"123 ", 3, None),
        (b"123x", 3, None),
        (b"0123", 1, None),
        (b"truex", 4, None),
        (b'"ab"c', 4, None),
        # ... or at the end of the input
        (b"123", 3, None),
        (b"null", 4, None),
        # truncated: io.ErrUnexpectedEOF whatever the scanner's state (checkValid differs)
        (b'{"a":', 0, "unexpected EOF"),
        (b"1.", 0, "unexpected EOF"),
        (b"-", 0, "unexpected EOF"),
        (b"tru", 0, "unexpected EOF"),
        (b'"abc', 0, "unexpected EOF"),
        (b"[[[", 0, "unexpected EOF"),
        (b" \n", 0, "EOF"),
        (b"", 0, "EOF"),
        # syntax errors inside the value are the scanner's
        (b"1.x", 0, "invalid character 'x' after decimal point in numeric literal"),
        (b"1ex", 0, "invalid character 'x' in exponent of numeric literal"),
        (b"trux", 0, "invalid character 'x' in literal true (expecting 'e')"),
        (b'{"a" 1}', 0, "invalid character '1' after object key"),
        (b"\xef\xbb\xbf{}", 0, "invalid character 'ï' looking for beginning of value"),
        (b"[" * 10001, 0, "invalid character '[' exceeded max depth"),
    ],
)
def test_first_value_end(data: bytes, end: int, error: str | None) -> None:
    assert first_value_end(data) == (end, error)
    if error is None:
        assert syntax_error(data[:end]) is None  # the value alone is one valid document
        parse_first(data)  # and the parser agrees
        assert parse_first(data)[1] == end
    else:
        with pytest.raises(JSONSyntaxError) as info:
            parse_first(data)
        assert str(info.value) == error


def test_unmarshal_and_decoder_differ_at_the_end() -> None:
    """The brief's example: ``1.`` at the end of the input."""
    assert syntax_error(b"1.") == "invalid character ' ' after decimal point in numeric literal"
    assert first_value_end(b"1.") == (0, "unexpected EOF")
    assert syntax_error(b"{} x") == "invalid character 'x' after top-level value"
    assert first_value_end(b"{} x") == (2, None)


@pytest.mark.parametrize(
    ("line", "more"),
    [
        (b'{"op":"a"}', False),
        (b'{"op":"a"}\n', False),
        (b'{"op":"a"} \t\r\n', False),
        (b'{"op":"a"}]', False),  # More() is false before ']' and '}' (even at the top level)
        (b'{"op":"a"} }', False),
        (b'{"op":"a"}x', True),
        (b'{"op":"a"} {"op":"b"}', True),
        (b'{"op":"a"},', True),
    ],
)
def test_more(line: bytes, more: bool) -> None:
    dec = Decoder(line)
    req, err = dec.decode(REQ, Req())
    assert err is None
    assert req.Op == "a"
    assert dec.more() is more


def test_decoder_reads_values_one_after_the_other() -> None:
    dec = Decoder(b'{"op":"a"} {"op":"b"} 7 {')
    assert dec.decode(REQ, Req())[0].Op == "a"
    assert dec.decode(REQ, Req())[0].Op == "b"
    # a type error does not stop the stream: the next value is read
    error = dec.decode(REQ, Req())[1]
    assert error == "json: cannot unmarshal number into Go value of type main.req"
    assert dec.more()
    assert dec.decode(REQ, Req())[1] == "unexpected EOF"
    assert dec.decode(REQ, Req())[1] == "unexpected EOF"  # a read error sticks


def test_disallow_unknown_fields() -> None:
    line = b'{"op":"a","x\\u00e9\\"":1,"y":2,"NOW":"t","names":["n"]}'
    dec = Decoder(line)
    req, err = dec.decode(REQ, Req())
    assert err is None  # unknown keys are skipped silently by default
    assert req.Now == "t"
    dec = Decoder(line)
    dec.disallow_unknown_fields()
    req, err = dec.decode(REQ, Req())
    assert err == 'json: unknown field "xé\\""'  # the first error wins; %q of the key
    assert req.Now == "t"  # decoding went on
    dec = Decoder(b'{"names":[1],"x":1}')
    dec.disallow_unknown_fields()
    assert dec.decode(REQ, Req())[1] == (
        "json: cannot unmarshal number into Go struct field req.names of type string"
    )


@pytest.mark.parametrize(
    ("value", "raw"),
    [
        (b'"a\\u0041\\"b"', b'"a\\u0041\\"b"'),  # escapes kept: the raw bytes
        (b"1.50e+3", b"1.50e+3"),
        (b"null", b"null"),
        (b"true", b"true"),
        (b'{ "b" : [1, "\\u00e9"] }', b'{ "b" : [1, "\\u00e9"] }'),  # not compacted on decode
        (b'"\xff"', b'"\xff"'),  # invalid UTF-8 copied as it is
    ],
)
def test_raw_message_is_the_value_bytes(value: bytes, raw: bytes) -> None:
    line = b'{"op":"x","id":' + value + b',"now":"t"}\n'
    req, err = Decoder(line).decode(REQ, Req())
    assert err is None
    assert req.ID == raw  # noqa: SIM300 (the decoded value on the left)
    assert req.Now == "t"


def test_slow_path_gives_the_same_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_first without Python's C scanner: the same trees and ends."""
    lines = [
        b'{"op":"x","id":{"k":["\\u00e9",1.5e3]},"names":["a","b"]} tail',
        b'  [1, {"a": null}]  x',
        b'{"op":"\\ud800","id":"a\\"b"}',
    ]
    fast = [parse_first(line) for line in lines]
    monkeypatch.setattr(parse_module, "C_SCANNER", False)
    assert [parse_first(line) for line in lines] == fast
