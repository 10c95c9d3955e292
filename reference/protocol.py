"""The conformance protocol (``spec/PROTOCOL.md``): one request in, one response out.

This module is the reference's one face. It is a transcription of the oracle's
``cmd/copydata-oracle/main.go``, byte for byte on the wire:

* a request line is decoded the way the oracle decodes it: ``json.NewDecoder`` with
  ``DisallowUnknownFields`` into its ``request`` struct (Go's syntax messages, "unexpected EOF",
  case-insensitive keys, last duplicate wins, the first type error wins, stale slice elements),
  then ``dec.More()``; on failure the ``id``/``op`` are salvaged with ``json.Unmarshal`` into a
  two-field probe, exactly when Go's probe would succeed;
* each op runs the same steps in the same order as ``handle`` in main.go, so the same request
  problem is reported first (``now`` before the blobs, blobs before ``history_timestamp``, ...);
* the response is printed as its ``json.Encoder`` (``SetEscapeHTML(false)``) prints the
  ``response`` struct: field order, ``omitempty``, the echoed raw ``id`` (compacted), the
  HTML-escaped ``json.Marshal`` texts embedded as strings.

:func:`handle` (in-process) sends the request through the same bytes path, so both transports
give the same answers. Nothing raises: a Python exception that is not a modelled Go error or
panic becomes a response with ``stage: "call"`` and an ``internal error:`` text (a bug).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import reference
from reference import convert, copydata, gojson, gotime, model
from reference.errors import GoError, GoPanic
from reference.gojson.types import zero as go_zero

__all__ = ["OPS", "handle", "handle_line", "is_blank_line"]

#: What ``describe`` announces (the oracle's ``supportedOps``, in its order).
OPS = (
    "import_image",
    "import_container",
    "open",
    "make_oci",
    "make_docker_v2s2",
    "make_docker_v2s1",
    "make_image_ref",
    "roundtrip",
)

# ---------------------------------------------------------------------------------------------
# Go helpers: strconv.Quote, UTF-8 with one U+FFFD per invalid byte, strings.TrimSpace.


def _go_replace(exc: UnicodeError) -> tuple[str, int]:
    """One U+FFFD per invalid byte, as Go's ``utf8.DecodeRune`` loop does.

    Python's own ``replace`` handler replaces a whole "maximal subpart" (``E2 82`` -> one
    U+FFFD) where Go replaces each byte (two).
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "\ufffd", exc.start + 1


_GO_REPLACE = "copydata-reference-go-replace"
codecs.register_error(_GO_REPLACE, _go_replace)


def _go_decode_utf8(data: bytes) -> str:
    """``string(b)`` read rune by rune: invalid bytes become U+FFFD one by one."""
    return data.decode("utf-8", _GO_REPLACE)


def _go_is_print(ch: str) -> bool:
    """``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols and ASCII space.

    (Python's Unicode tables are a newer version than Go 1.19's; they differ only on code
    points assigned since Unicode 13.)
    """
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


_QUOTE_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    '"': '\\"',
    "\\": "\\\\",
}


def _go_quote(s: str) -> str:
    """``strconv.Quote(s)`` (what ``fmt``'s ``%q`` prints) for a valid UTF-8 string."""
    out = ['"']
    for ch in s:
        if ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif _go_is_print(ch):
            out.append(ch)
        else:
            r = ord(ch)
            if r < 0x20 or r == 0x7F:
                out.append(f"\\x{r:02x}")
            elif 0xD800 <= r < 0xE000:  # not a valid rune: Go prints U+FFFD's escape
                out.append("\\ufffd")
            elif r < 0x10000:
                out.append(f"\\u{r:04x}")
            else:
                out.append(f"\\U{r:08x}")
    out.append('"')
    return "".join(out)


# unicode.IsSpace: Latin-1 spaces plus the White_Space property.
_GO_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


def is_blank_line(line: bytes) -> bool:
    """``len(strings.TrimSpace(string(line))) == 0``: the oracle skips such lines silently.

    Note that this is Go's Unicode notion of space (NBSP, U+2028, VT, ... count), not JSON's.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False  # an invalid byte is RuneError, never a space
    return all(ch in _GO_SPACES for ch in text)


# ---------------------------------------------------------------------------------------------
# Go's encoding/json scanner, transcribed (Go 1.19 scanner.go). Used only to produce the exact
# syntax error of an invalid request line; valid lines take the fast regex parser below.

_SCAN_CONTINUE = 0
_SCAN_BEGIN_LITERAL = 1
_SCAN_BEGIN_OBJECT = 2
_SCAN_OBJECT_KEY = 3
_SCAN_OBJECT_VALUE = 4
_SCAN_END_OBJECT = 5
_SCAN_BEGIN_ARRAY = 6
_SCAN_ARRAY_VALUE = 7
_SCAN_END_ARRAY = 8
_SCAN_SKIP_SPACE = 9
_SCAN_END = 10
_SCAN_ERROR = 11

_PARSE_OBJECT_KEY = 0
_PARSE_OBJECT_VALUE = 1
_PARSE_ARRAY_VALUE = 2

_MAX_NESTING_DEPTH = 10000


def _is_space(c: int) -> bool:
    return c in (0x20, 0x09, 0x0D, 0x0A)


def _quote_char(c: int) -> str:
    """``quoteChar`` of Go's scanner: the byte as a rune, single-quoted."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + _go_quote(chr(c))[1:-1] + "'"


class _Scanner:
    """Go's ``scanner``: one step function per state, ``step(c)`` per byte."""

    def __init__(self) -> None:
        self.step = self.state_begin_value
        self.parse_state: list[int] = []
        self.err: str | None = None

    def error(self, c: int, context: str) -> int:
        self.step = self.state_error
        self.err = "invalid character " + _quote_char(c) + " " + context
        return _SCAN_ERROR

    def state_error(self, c: int) -> int:
        return _SCAN_ERROR

    def push_parse_state(self, c: int, new_parse_state: int, success_state: int) -> int:
        self.parse_state.append(new_parse_state)
        if len(self.parse_state) <= _MAX_NESTING_DEPTH:
            return success_state
        return self.error(c, "exceeded max depth")

    def pop_parse_state(self) -> None:
        self.parse_state.pop()
        if not self.parse_state:
            self.step = self.state_end_top
        else:
            self.step = self.state_end_value

    def state_begin_value_or_empty(self, c: int) -> int:
        if _is_space(c):
            return _SCAN_SKIP_SPACE
        if c == 0x5D:  # ]
            return self.state_end_value(c)
        return self.state_begin_value(c)

    def state_begin_value(self, c: int) -> int:
        if _is_space(c):
            return _SCAN_SKIP_SPACE
        if c == 0x7B:  # {
            self.step = self.state_begin_string_or_empty
            return self.push_parse_state(c, _PARSE_OBJECT_KEY, _SCAN_BEGIN_OBJECT)
        if c == 0x5B:  # [
            self.step = self.state_begin_value_or_empty
            return self.push_parse_state(c, _PARSE_ARRAY_VALUE, _SCAN_BEGIN_ARRAY)
        if c == 0x22:
            self.step = self.state_in_string
            return _SCAN_BEGIN_LITERAL
        if c == 0x2D:  # -
            self.step = self.state_neg
            return _SCAN_BEGIN_LITERAL
        if c == 0x30:  # 0
            self.step = self.state_0
            return _SCAN_BEGIN_LITERAL
        if c == 0x74:  # t
            self.step = self._literal_state(b"rue", "true")
            return _SCAN_BEGIN_LITERAL
        if c == 0x66:  # f
            self.step = self._literal_state(b"alse", "false")
            return _SCAN_BEGIN_LITERAL
        if c == 0x6E:  # n
            self.step = self._literal_state(b"ull", "null")
            return _SCAN_BEGIN_LITERAL
        if 0x31 <= c <= 0x39:
            self.step = self.state_1
            return _SCAN_BEGIN_LITERAL
        return self.error(c, "looking for beginning of value")

    def state_begin_string_or_empty(self, c: int) -> int:
        if _is_space(c):
            return _SCAN_SKIP_SPACE
        if c == 0x7D:  # }
            self.parse_state[-1] = _PARSE_OBJECT_VALUE
            return self.state_end_value(c)
        return self.state_begin_string(c)

    def state_begin_string(self, c: int) -> int:
        if _is_space(c):
            return _SCAN_SKIP_SPACE
        if c == 0x22:
            self.step = self.state_in_string
            return _SCAN_BEGIN_LITERAL
        return self.error(c, "looking for beginning of object key string")

    def state_end_value(self, c: int) -> int:
        if not self.parse_state:
            # Completed top-level before the current byte.
            self.step = self.state_end_top
            return self.state_end_top(c)
        if _is_space(c):
            self.step = self.state_end_value
            return _SCAN_SKIP_SPACE
        ps = self.parse_state[-1]
        if ps == _PARSE_OBJECT_KEY:
            if c == 0x3A:  # :
                self.parse_state[-1] = _PARSE_OBJECT_VALUE
                self.step = self.state_begin_value
                return _SCAN_OBJECT_KEY
            return self.error(c, "after object key")
        if ps == _PARSE_OBJECT_VALUE:
            if c == 0x2C:  # ,
                self.parse_state[-1] = _PARSE_OBJECT_KEY
                self.step = self.state_begin_string
                return _SCAN_OBJECT_VALUE
            if c == 0x7D:
                self.pop_parse_state()
                return _SCAN_END_OBJECT
            return self.error(c, "after object key:value pair")
        if c == 0x2C:
            self.step = self.state_begin_value
            return _SCAN_ARRAY_VALUE
        if c == 0x5D:
            self.pop_parse_state()
            return _SCAN_END_ARRAY
        return self.error(c, "after array element")

    def state_end_top(self, c: int) -> int:
        if not _is_space(c):
            # Complain about non-space byte on next call (the value itself has ended).
            self.error(c, "after top-level value")
        return _SCAN_END

    def state_in_string(self, c: int) -> int:
        if c == 0x22:
            self.step = self.state_end_value
            return _SCAN_CONTINUE
        if c == 0x5C:
            self.step = self.state_in_string_esc
            return _SCAN_CONTINUE
        if c < 0x20:
            return self.error(c, "in string literal")
        return _SCAN_CONTINUE

    def state_in_string_esc(self, c: int) -> int:
        if c in b'bfnrt\\/"':
            self.step = self.state_in_string
            return _SCAN_CONTINUE
        if c == 0x75:  # u
            self.step = self._hex_state(4)
            return _SCAN_CONTINUE
        return self.error(c, "in string escape code")

    def _hex_state(self, remaining: int) -> Any:
        def state(c: int) -> int:
            if 0x30 <= c <= 0x39 or 0x61 <= c <= 0x66 or 0x41 <= c <= 0x46:
                self.step = (
                    self.state_in_string if remaining == 1 else self._hex_state(remaining - 1)
                )
                return _SCAN_CONTINUE
            return self.error(c, "in \\u hexadecimal character escape")

        return state

    def _literal_state(self, rest: bytes, word: str) -> Any:
        def state(c: int) -> int:
            if c == rest[0]:
                self.step = (
                    self.state_end_value if len(rest) == 1 else self._literal_state(rest[1:], word)
                )
                return _SCAN_CONTINUE
            return self.error(c, f"in literal {word} (expecting {_quote_char(rest[0])})")

        return state

    def state_neg(self, c: int) -> int:
        if c == 0x30:
            self.step = self.state_0
            return _SCAN_CONTINUE
        if 0x31 <= c <= 0x39:
            self.step = self.state_1
            return _SCAN_CONTINUE
        return self.error(c, "in numeric literal")

    def state_1(self, c: int) -> int:
        if 0x30 <= c <= 0x39:
            self.step = self.state_1
            return _SCAN_CONTINUE
        return self.state_0(c)

    def state_0(self, c: int) -> int:
        if c == 0x2E:
            self.step = self.state_dot
            return _SCAN_CONTINUE
        if c in (0x65, 0x45):
            self.step = self.state_e
            return _SCAN_CONTINUE
        return self.state_end_value(c)

    def state_dot(self, c: int) -> int:
        if 0x30 <= c <= 0x39:
            self.step = self.state_dot_0
            return _SCAN_CONTINUE
        return self.error(c, "after decimal point in numeric literal")

    def state_dot_0(self, c: int) -> int:
        if 0x30 <= c <= 0x39:
            return _SCAN_CONTINUE
        if c in (0x65, 0x45):
            self.step = self.state_e
            return _SCAN_CONTINUE
        return self.state_end_value(c)

    def state_e(self, c: int) -> int:
        if c in (0x2B, 0x2D):
            self.step = self.state_e_sign
            return _SCAN_CONTINUE
        return self.state_e_sign(c)

    def state_e_sign(self, c: int) -> int:
        if 0x30 <= c <= 0x39:
            self.step = self.state_e_0
            return _SCAN_CONTINUE
        return self.error(c, "in exponent of numeric literal")

    def state_e_0(self, c: int) -> int:
        if 0x30 <= c <= 0x39:
            return _SCAN_CONTINUE
        return self.state_end_value(c)


def _decoder_read_error(data: bytes) -> str | None:
    """The error ``Decoder.readValue`` returns for the first value of ``data``, or None.

    Unlike ``json.Unmarshal`` it stops at the end of the first value (what follows is for
    ``More()``) and reports a truncated value as ``unexpected EOF``.
    """
    scan = _Scanner()
    for c in data:
        v = scan.step(c)
        if v == _SCAN_END:
            return None
        if v in (_SCAN_END_OBJECT, _SCAN_END_ARRAY) and scan.state_end_value(0x20) == _SCAN_END:
            return None
        if v == _SCAN_ERROR:
            return scan.err
    if scan.step(0x20) == _SCAN_END:
        return None
    if any(not _is_space(c) for c in data):
        return "unexpected EOF"
    return "EOF"  # io.EOF: unreachable for lines that are not blank


# ---------------------------------------------------------------------------------------------
# The fast parser: exactly JSON's grammar (what Go's scanner accepts), with regexes for tokens.
# It reads the first value of a line into a small tree; when it fails, the scanner above is run
# to produce Go's message.

_WS_RE = re.compile(rb"[ \t\r\n]*")
_STRING_RE = re.compile(
    rb'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"'
)
_NUMBER_RE = re.compile(rb"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")

_OBJECT = "object"
_ARRAY = "array"
_STRING = "string"
_NUMBER = "number"
_BOOL = "bool"
_NULL = "null"


@dataclass
class _Node:
    """A JSON value of the request line: its kind, its byte span, its members."""

    kind: str
    start: int
    end: int = -1
    #: object: (key span start, key span end, value); array: values.
    members: list[tuple[int, int, _Node]] = field(default_factory=list)
    items: list[_Node] = field(default_factory=list)


class _SyntaxFailure(Exception):
    """The fast parser gave up: the scanner will say why."""


def _skip_ws(data: bytes, pos: int) -> int:
    m = _WS_RE.match(data, pos)
    assert m is not None  # matches the empty string at worst
    return m.end()


def _parse_key(data: bytes, pos: int) -> tuple[int, int, int]:
    """A key string at ``pos``, then ``:``; returns the key span and the position after ``:``."""
    m = _STRING_RE.match(data, pos)
    if m is None:
        raise _SyntaxFailure
    after = _skip_ws(data, m.end())
    if after >= len(data) or data[after] != 0x3A:
        raise _SyntaxFailure
    return pos, m.end(), _skip_ws(data, after + 1)


def _number_goes_on(m: re.Match[bytes], following: int) -> bool:
    """Would Go's number states consume the byte after the regex's match (and then fail)?

    After the integer part they take ``.``, ``e``, ``E``; after a fraction ``e``, ``E``; after an
    exponent nothing (the number ends there, even before another ``e``).
    """
    fraction, exponent = m.group(1), m.group(2)
    if exponent is not None:
        return False
    return following in b"eE" or (fraction is None and following == 0x2E)


def _parse_first_value(data: bytes) -> tuple[_Node, int]:
    """The first JSON value of ``data`` (leading whitespace skipped) and where it ends."""
    n = len(data)
    pos = _skip_ws(data, 0)
    stack: list[_Node] = []
    keys: list[tuple[int, int]] = []
    while True:
        # A value starts at pos.
        if pos >= n:
            raise _SyntaxFailure
        c = data[pos]
        value: _Node
        if c in (0x7B, 0x5B):  # { [
            node = _Node(_OBJECT if c == 0x7B else _ARRAY, pos)
            stack.append(node)
            if len(stack) > _MAX_NESTING_DEPTH:
                raise _SyntaxFailure
            pos = _skip_ws(data, pos + 1)
            closer = 0x7D if c == 0x7B else 0x5D
            if pos < n and data[pos] == closer:
                stack.pop()
                node.end = pos + 1
                pos += 1
                value = node
            else:
                if c == 0x7B:
                    kstart, kend, pos = _parse_key(data, pos)
                    keys.append((kstart, kend))
                continue
        elif c == 0x22:
            m = _STRING_RE.match(data, pos)
            if m is None:
                raise _SyntaxFailure
            value = _Node(_STRING, pos, m.end())
            pos = m.end()
        elif c == 0x2D or 0x30 <= c <= 0x39:
            m = _NUMBER_RE.match(data, pos)
            if m is None or (m.end() < n and _number_goes_on(m, data[m.end()])):
                raise _SyntaxFailure
            value = _Node(_NUMBER, pos, m.end())
            pos = m.end()
        elif data.startswith(b"true", pos) or data.startswith(b"null", pos):
            value = _Node(_BOOL if c == 0x74 else _NULL, pos, pos + 4)
            pos += 4
        elif data.startswith(b"false", pos):
            value = _Node(_BOOL, pos, pos + 5)
            pos += 5
        else:
            raise _SyntaxFailure
        # A value ended at pos: hand it to its container, then find what comes next.
        while True:
            if not stack:
                return value, pos
            parent = stack[-1]
            if parent.kind == _OBJECT:
                kstart, kend = keys.pop()
                parent.members.append((kstart, kend, value))
            else:
                parent.items.append(value)
            pos = _skip_ws(data, pos)
            if pos >= n:
                raise _SyntaxFailure
            c = data[pos]
            if c == 0x2C:  # ,
                pos = _skip_ws(data, pos + 1)
                if parent.kind == _OBJECT:
                    kstart, kend, pos = _parse_key(data, pos)
                    keys.append((kstart, kend))
                break
            if c == (0x7D if parent.kind == _OBJECT else 0x5D):
                stack.pop()
                parent.end = pos + 1
                pos += 1
                value = parent
                continue
            raise _SyntaxFailure


_SIMPLE_ESCAPES = {
    ord('"'): '"',
    ord("\\"): "\\",
    ord("/"): "/",
    ord("b"): "\b",
    ord("f"): "\f",
    ord("n"): "\n",
    ord("r"): "\r",
    ord("t"): "\t",
}


def _unquote(data: bytes, start: int, end: int) -> str:
    """Go's ``unquote`` of the (valid) string token ``data[start:end]``, quotes included.

    Invalid UTF-8 -> one U+FFFD per byte; a surrogate escape that is not half of a valid pair
    -> U+FFFD.
    """
    content = data[start + 1 : end - 1]
    if b"\\" not in content:
        return _go_decode_utf8(content)
    out: list[str] = []
    i = 0
    n = len(content)
    while i < n:
        j = content.find(b"\\", i)
        if j < 0:
            out.append(_go_decode_utf8(content[i:]))
            break
        if j > i:
            out.append(_go_decode_utf8(content[i:j]))
        esc = content[j + 1]
        if esc != 0x75:  # not \u
            out.append(_SIMPLE_ESCAPES[esc])
            i = j + 2
            continue
        r = int(content[j + 2 : j + 6], 16)
        i = j + 6
        if 0xD800 <= r < 0xE000:
            if content[i : i + 2] == b"\\u":
                r2 = int(content[i + 2 : i + 6], 16)
                if r < 0xDC00 <= r2 < 0xE000:
                    out.append(chr(0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00)))
                    i += 6
                    continue
            r = 0xFFFD
        out.append(chr(r))
    return "".join(out)


_COMPACT_RE = re.compile(rb'("[^"\\]*(?:\\.[^"\\]*)*")|[ \t\r\n]+', re.DOTALL)


def _compact(raw: bytes) -> bytes:
    """``json.Compact`` without HTML escaping: whitespace outside strings removed."""
    return _COMPACT_RE.sub(lambda m: m.group(1) or b"", raw)


# ---------------------------------------------------------------------------------------------
# The oracle's `request` struct and its decoding.

# The *string fields (nil unless given; JSON null sets them back to nil). The other fields
# are id (json.RawMessage), names ([]string) and plain strings (JSON null leaves them as is).
_PTR_STRING_FIELDS = (
    "config",
    "config_text",
    "manifest",
    "manifest_text",
    "state",
    "state_text",
    "docker",
    "docker_text",
    "oci",
    "oci_text",
    "now",
    "goos",
    "goarch",
    "input",
    "input_text",
    "history_timestamp",
)
# Declaration order of main.go's `request` (the order a case-insensitive match is searched in).
_REQUEST_FIELDS = (
    "id",
    "op",
    "config",
    "config_text",
    "manifest",
    "manifest_text",
    "state",
    "state_text",
    "docker",
    "docker_text",
    "oci",
    "oci_text",
    "image_name",
    "image_id",
    "container_name",
    "container_id",
    "now",
    "goos",
    "goarch",
    "type",
    "input",
    "input_text",
    "manifest_type",
    "names",
    "layer_id",
    "history_timestamp",
)


def _fold_equal(name: str, key: str) -> bool:
    """Go 1.19's case-insensitive key match for an ASCII field name.

    ASCII letters match either case; ``s``/``S`` also match U+017F (ſ) and ``k``/``K`` U+212A
    (Kelvin sign); nothing else folds.
    """
    if len(name) != len(key):
        return False
    for n, k in zip(name, key, strict=True):
        if n == k:
            continue
        if n.isascii() and n.isalpha():
            if k.isascii() and k.lower() == n.lower():
                continue
            if n in "sS" and k == "\u017f":
                continue
            if n in "kK" and k == "\u212a":
                continue
        return False
    return True


def _match_field(key: str, fields: tuple[str, ...]) -> str | None:
    """The struct field a key decodes into: the exact name, else the first that folds equal."""
    if key in fields:
        return key
    for name in fields:
        if _fold_equal(name, key):
            return name
    return None


@dataclass
class _Request:
    """main.go's ``request``; None = a nil pointer (or nil slice)."""

    id: bytes | None = None
    op: str = ""
    config: str | None = None
    config_text: str | None = None
    manifest: str | None = None
    manifest_text: str | None = None
    state: str | None = None
    state_text: str | None = None
    docker: str | None = None
    docker_text: str | None = None
    oci: str | None = None
    oci_text: str | None = None
    image_name: str = ""
    image_id: str = ""
    container_name: str = ""
    container_id: str = ""
    now: str | None = None
    goos: str | None = None
    goarch: str | None = None
    type: str = ""
    input: str | None = None
    input_text: str | None = None
    manifest_type: str = ""
    #: ``names`` is a Go slice: its backing array outlives a shorter re-decode (duplicate keys).
    names_backing: list[str] = field(default_factory=list)
    names_len: int = 0
    names_nil: bool = True
    layer_id: str = ""
    history_timestamp: str | None = None

    @property
    def names(self) -> list[str] | None:
        return None if self.names_nil else self.names_backing[: self.names_len]


class _Decoding:
    """One ``d.unmarshal`` into a struct: the first saved error wins."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.saved: str | None = None

    def save(self, message: str) -> None:
        if self.saved is None:
            self.saved = message

    def type_error(self, node: _Node, go_type: str, field_name: str) -> None:
        self.save(
            f"json: cannot unmarshal {node.kind} into Go struct field request.{field_name}"
            f" of type {go_type}"
        )

    def string(self, node: _Node) -> str:
        return _unquote(self.data, node.start, node.end)


def _decode_names(d: _Decoding, req: _Request, node: _Node) -> None:
    """``[]string`` from ``node``, into the existing slice as Go's ``d.array`` does."""
    if node.kind == _NULL:
        req.names_nil = True
        req.names_backing, req.names_len = [], 0
        return
    if node.kind != _ARRAY:
        d.type_error(node, "[]string", "names")
        return
    backing = req.names_backing if not req.names_nil else []
    length = req.names_len if not req.names_nil else 0
    for i, item in enumerate(node.items):
        if i >= len(backing):
            # Growing past the capacity: Go copies into a bigger array (the zero values are
            # what a null element then leaves in place).
            backing.append("")
        if i >= length:
            length = i + 1
        if item.kind == _STRING:
            backing[i] = d.string(item)
        elif item.kind != _NULL:  # null leaves the element as it was (possibly stale)
            d.type_error(item, "string", "names")
    if len(node.items) < length:
        length = len(node.items)
    if not node.items:
        backing, length = [], 0  # reflect.MakeSlice(v.Type(), 0, 0)
    req.names_backing, req.names_len, req.names_nil = backing, length, False


def _decode_request(data: bytes, root: _Node) -> tuple[_Request, str | None]:
    """``dec.Decode(&req)`` with ``DisallowUnknownFields``, the syntax already checked."""
    req = _Request()
    d = _Decoding(data)
    if root.kind == _NULL:
        return req, None
    if root.kind != _OBJECT:
        return req, f"json: cannot unmarshal {root.kind} into Go value of type main.request"
    for kstart, kend, value in root.members:
        key = _unquote(data, kstart, kend)
        name = _match_field(key, _REQUEST_FIELDS)
        if name is None:
            d.save(f"json: unknown field {_go_quote(key)}")
            continue
        if name == "id":
            req.id = data[value.start : value.end]  # json.RawMessage: any value, raw
        elif name == "names":
            _decode_names(d, req, value)
        elif name in _PTR_STRING_FIELDS:
            if value.kind == _NULL:
                setattr(req, name, None)
            elif value.kind == _STRING:
                setattr(req, name, d.string(value))
            else:
                d.type_error(value, "string", name)
        elif value.kind == _STRING:  # op and the plain string fields
            setattr(req, name, d.string(value))
        elif value.kind != _NULL:  # null is a no-op for a string
            d.type_error(value, "string", name)
    return req, d.saved


def _probe(data: bytes, root: _Node, end: int) -> tuple[bytes | None, str] | None:
    """``json.Unmarshal(line, &probe)`` with ``probe{ID json.RawMessage; Op string}``.

    Returns (id, op) when it succeeds: the whole line must be one value, an object (or null),
    whose ``op`` keys hold strings or nulls.
    """
    if _skip_ws(data, end) != len(data):
        return None
    if root.kind == _NULL:
        return None, ""
    if root.kind != _OBJECT:
        return None
    probe_id: bytes | None = None
    probe_op = ""
    for kstart, kend, value in root.members:
        name = _match_field(_unquote(data, kstart, kend), ("id", "op"))
        if name == "id":
            probe_id = data[value.start : value.end]
        elif name == "op":
            if value.kind == _STRING:
                probe_op = _unquote(data, value.start, value.end)
            elif value.kind != _NULL:
                return None
    return probe_id, probe_op


# ---------------------------------------------------------------------------------------------
# Base64 exactly as Go's base64.StdEncoding.DecodeString (errors and all).

_B64_CANONICAL_RE = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_DECODE_MAP = {c: i for i, c in enumerate(_B64_ALPHABET)}


class _Base64Error(Exception):
    """``base64.CorruptInputError``."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")


def _go_base64_decode(text: str) -> bytes:
    """``base64.StdEncoding.DecodeString``: padded, CR/LF skipped, trailing bits ignored."""
    src = text.encode("utf-8")
    if _B64_CANONICAL_RE.fullmatch(src):
        return base64.b64decode(src)
    out = bytearray()
    si = 0
    n = len(src)
    while si < n:
        # decodeQuantum
        dbuf = [0, 0, 0, 0]
        dlen = 4
        err: _Base64Error | None = None
        j = 0
        while j < 4:
            if si == n:
                if j == 0:
                    return bytes(out)
                raise _Base64Error(si - j)  # j == 1, or padding missing
            ch = src[si]
            si += 1
            if ch in _B64_DECODE_MAP:
                dbuf[j] = _B64_DECODE_MAP[ch]
                j += 1
                continue
            if ch in (0x0A, 0x0D):
                continue
            if ch != 0x3D:  # not '='
                raise _Base64Error(si - 1)
            # We've reached the end and there's padding
            if j in (0, 1):
                raise _Base64Error(si - 1)  # incorrect padding
            if j == 2:
                # "==" is expected, the first "=" is already consumed; skip over newlines.
                while si < n and src[si] in (0x0A, 0x0D):
                    si += 1
                if si == n:
                    raise _Base64Error(n)  # not enough padding
                if src[si] != 0x3D:
                    raise _Base64Error(si - 1)  # incorrect padding
                si += 1
            while si < n and src[si] in (0x0A, 0x0D):
                si += 1
            if si < n:
                err = _Base64Error(si)  # trailing garbage
            dlen = j
            break
        val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]
        out += bytes((val >> 16 & 0xFF, val >> 8 & 0xFF, val & 0xFF))[: dlen - 1]
        if err is not None:
            raise err
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# The response: main.go's `response` struct, printed by json.Encoder with SetEscapeHTML(false).


class _Raw(bytes):
    """A ``json.RawMessage`` field's bytes (printed compacted, never re-escaped)."""


# Field order of main.go's `response`; every field but id/op/ok/error/panic is omitempty.
_RESPONSE_FIELDS = (
    "id",
    "op",
    "ok",
    "stage",
    "error",
    "panic",
    "state",
    "state_error",
    "oci",
    "oci_error",
    "docker",
    "docker_error",
    "annotations",
    "output",
    "output_error",
    "oconfig",
    "dconfig",
    "created",
    "createdBy",
    "preferredManifestType",
    "name",
    "names",
    "layerID",
    "implementation",
)
_ALWAYS_PRESENT = frozenset({"id", "op", "ok", "error", "panic"})
# Fields a panic leaves out ("Whatever was produced before the panic is not meaningful").
_CLEARED_BY_PANIC = (
    "state",
    "oci",
    "docker",
    "output",
    "state_error",
    "oci_error",
    "docker_error",
    "output_error",
    "annotations",
)


class _Response:
    """Field values; None = nil (omitted where omitempty, ``null`` otherwise)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {"id": None, "op": "", "ok": False, "stage": ""}

    def __setitem__(self, key: str, value: Any) -> None:
        self.values[key] = value

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def fail(self, stage: str, err: GoError) -> None:
        self.values.update(ok=False, stage=stage, error=str(err))

    def encode(self) -> bytes:
        """The line ``enc.Encode(&resp)`` writes, newline included."""
        parts: list[bytes] = []
        for name in _RESPONSE_FIELDS:
            value = self.values.get(name)
            if name == "id":
                parts.append(b'"id":' + (_compact(value) if value is not None else b"null"))
                continue
            if name not in _ALWAYS_PRESENT and (value is None or (name == "stage" and not value)):
                continue  # omitempty: a nil *string or RawMessage, the "" stage string
            parts.append(b'"' + name.encode() + b'":' + _encode_value(value))
        return b"{" + b",".join(parts) + b"}\n"


# Characters Go's encoder escapes besides '"' and '\\' (those two are replaced first, in C).
_ENVELOPE_ESCAPE_RE = re.compile("[\x00-\x1f\u2028\u2029\ud800-\udfff]")
_HTML_ESCAPE_RE = re.compile("[\x00-\x1f<>&\u2028\u2029\ud800-\udfff]")
_CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _CONTROL_ESCAPES:
        return _CONTROL_ESCAPES[ch]
    if "\ud800" <= ch <= "\udfff":
        return "\\ufffd"  # not valid UTF-8: Go writes the replacement character
    return f"\\u{ord(ch):04x}"


def _go_string(s: str, escape_html: bool) -> bytes:
    """A Go string as ``encoding/json`` writes it (``\\u00XX`` for controls, U+2028/9 escaped)."""
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    pattern = _HTML_ESCAPE_RE if escape_html else _ENVELOPE_ESCAPE_RE
    if pattern.search(s) is not None:
        s = pattern.sub(_escape_char, s)
    return ('"' + s + '"').encode("utf-8")


def _encode_value(value: Any) -> bytes:
    if isinstance(value, _Raw):
        return _compact(value)
    if value is None:
        return b"null"
    if value is True:
        return b"true"
    if value is False:
        return b"false"
    if isinstance(value, str):
        return _go_string(value, escape_html=False)
    raise TypeError(f"response field of type {type(value).__name__}")


def _raw_json(value: Any) -> _Raw:
    """main.go's ``rawJSON(v)``: ``json.Marshal(v)`` (HTML-escaped, map keys sorted) for the
    values it is used on: nil, string, []string, map[string]string, the describe object."""
    if value is None:
        return _Raw(b"null")
    if isinstance(value, str):
        return _Raw(_go_string(value, escape_html=True))
    if isinstance(value, (list, tuple)):
        return _Raw(b"[" + b",".join(_raw_json(v) for v in value) + b"]")
    if isinstance(value, dict):
        items = sorted(value.items())  # code point order = UTF-8 byte order
        return _Raw(
            b"{"
            + b",".join(_go_string(k, escape_html=True) + b":" + _raw_json(v) for k, v in items)
            + b"}"
        )
    raise TypeError(f"rawJSON of {type(value).__name__}")


# ---------------------------------------------------------------------------------------------
# The ops (main.go's `handle`).


class _BadRequest(Exception):
    """main.go's ``badRequest`` panic payload."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _set_env(req: _Request, need_now: bool) -> copydata.Host:
    """main.go's ``setEnv``: the injected platform and clock (``time.Time{}`` without ``now``)."""
    goos = req.goos if req.goos is not None else "linux"
    goarch = req.goarch if req.goarch is not None else "amd64"
    if req.now is None:
        if need_now:
            raise _BadRequest('"now" (RFC3339Nano) is required for op ' + req.op)
        return copydata.Host(now=gotime.ZERO_TIME, goos=goos, goarch=goarch)
    try:
        now = gotime.parse_rfc3339(req.now)
    except GoError as exc:
        raise _BadRequest(f'"now" is not RFC3339Nano: {exc}') from None
    return copydata.Host(now=now, goos=goos, goarch=goarch)


def _blob(b64: str | None, text: str | None, name: str) -> bytes | None:
    """main.go's ``blob``: base64 or ``<name>_text``, not both; None for nil."""
    if b64 is not None and text is not None:
        raise _BadRequest(f"give either {_go_quote(name)} or {_go_quote(name + '_text')}, not both")
    if text is not None:
        return text.encode("utf-8")
    if b64 is None:
        return None
    try:
        return _go_base64_decode(b64)
    except (_Base64Error, binascii.Error) as exc:
        raise _BadRequest(f"{_go_quote(name)} is not valid padded standard base64: {exc}") from None


def _require_blob(b64: str | None, text: str | None, name: str) -> bytes:
    if b64 is None and text is None:
        raise _BadRequest(f"{_go_quote(name)} (base64) or {_go_quote(name + '_text')} is required")
    blob = _blob(b64, text, name)
    assert blob is not None
    return blob


def _marshal_into(resp: _Response, go_type: Any, value: Any, out: str) -> None:
    """main.go's ``marshalInto``: the text into ``out`` or the error into ``out + "_error"``."""
    try:
        resp[out] = gojson.marshal(go_type, value).decode("utf-8")
    except GoError as exc:
        resp[out + "_error"] = str(exc)


def _report(resp: _Response, c: model.CopyData) -> None:
    """main.go's ``report``: state, oci, docker, annotations of a CopyData."""
    _marshal_into(resp, model.CopyDataPtr_T, c, "state")
    _marshal_into(resp, model.OCIImage_T, c.OCIv1, "oci")
    _marshal_into(resp, model.V2Image_T, c.Docker, "docker")
    resp["annotations"] = _raw_json(copydata.annotations(c))


class _Stage:
    """The oracle's ``stage`` variable: where a panic is attributed."""

    def __init__(self) -> None:
        self.value = "request"


def _run(req: _Request, resp: _Response, stage: _Stage) -> None:
    op = req.op
    if op == "describe":
        resp["ok"] = True
        resp["implementation"] = _raw_json(
            {
                "name": "copydata-reference",
                "version": reference.__version__,
                "language": "python",
                "ops": list(OPS),
            }
        )
    elif op in ("import_image", "import_container"):
        host = _set_env(req, True)
        config = _blob(req.config, req.config_text, "config")
        manifest = _blob(req.manifest, req.manifest_text, "manifest")
        stage.value = "call"
        args = (req.image_id, req.image_name, config, manifest, req.container_name)
        try:
            if op == "import_image":
                c = copydata.import_copy_data_from_image(*args, req.container_id, host)
                state = None
            else:
                c, state = copydata.import_copy_data_for_container(*args, req.container_id, host)
        except GoError as exc:
            resp.fail("call", exc)
            return
        stage.value = "report"
        resp["ok"] = True
        _report(resp, c)
        if state is not None:
            # state is exactly what Save() wrote (it equals json.Marshal(c)).
            resp["state"], resp["state_error"] = state.decode("utf-8"), None
    elif op == "open":
        host = _set_env(req, True)
        blob = _require_blob(req.state, req.state_text, "state")
        stage.value = "call"
        try:
            c = copydata.open_copy_data(blob, host)
        except GoError as exc:
            resp.fail("call", exc)
            return
        stage.value = "report"
        resp["ok"] = True
        _report(resp, c)
    elif op in ("make_oci", "make_docker_v2s2", "make_docker_v2s1"):
        _run_converter(req, resp, stage)
    elif op == "make_image_ref":
        _run_make_image_ref(req, resp, stage)
    elif op == "roundtrip":
        _run_roundtrip(req, resp, stage)
    else:
        raise _BadRequest(f"unknown op {_go_quote(op)}")


def _run_converter(req: _Request, resp: _Response, stage: _Stage) -> None:
    op = req.op
    host = _set_env(req, op == "make_docker_v2s1")
    result: Any
    if op == "make_oci":
        blob = _require_blob(req.docker, req.docker_text, "docker")
        in_type, out_type = model.V2Image_T, model.OCIImage_T
        zero: Any = model.V2Image()
    elif op == "make_docker_v2s2":
        blob = _require_blob(req.oci, req.oci_text, "oci")
        in_type, out_type = model.OCIImage_T, model.V2Image_T
        zero = model.OCIImage()
    else:
        blob = _require_blob(req.manifest, req.manifest_text, "manifest")
        in_type, out_type = model.V2S1Manifest_T, model.V2Image_T
        zero = model.V2S1Manifest()
    stage.value = "decode"
    value, err = gojson.unmarshal(blob, in_type, zero)
    if err is not None:
        resp.fail("decode", GoError(err))
        return
    stage.value = "call"
    try:
        if op == "make_oci":
            result = convert.make_oci_v1_image(value)
        elif op == "make_docker_v2s2":
            result = convert.make_docker_v2s2_image(value)
        else:
            result = convert.make_docker_v2s1_image(value, host.now)
    except GoError as exc:
        resp.fail("call", exc)
        return
    stage.value = "report"
    resp["ok"] = True
    _marshal_into(resp, out_type, result, "output")


def _run_make_image_ref(req: _Request, resp: _Response, stage: _Stage) -> None:
    host = _set_env(req, True)
    config = _blob(req.config, req.config_text, "config")
    manifest = _blob(req.manifest, req.manifest_text, "manifest")
    history_timestamp = None
    if req.history_timestamp is not None:
        try:
            history_timestamp = gotime.parse_rfc3339(req.history_timestamp)
        except GoError as exc:
            raise _BadRequest(f'"history_timestamp" is not RFC3339Nano: {exc}') from None
    stage.value = "call"
    try:
        c = copydata.import_copy_data_from_image(
            req.image_id,
            req.image_name,
            config,
            manifest,
            req.container_name,
            req.container_id,
            host,
        )
        ref = copydata.make_image_ref(
            c, req.manifest_type, req.names, req.layer_id, history_timestamp, host
        )
    except GoError as exc:
        resp.fail("call", exc)
        return
    stage.value = "report"
    resp["ok"] = True
    resp["oconfig"] = ref.oconfig.decode("utf-8")
    resp["dconfig"] = ref.dconfig.decode("utf-8")
    resp["created"] = ref.created.format_rfc3339nano()
    resp["createdBy"] = ref.created_by
    resp["annotations"] = _raw_json(ref.annotations)  # may be null (nil map)
    resp["preferredManifestType"] = ref.preferred_manifest_type
    resp["name"] = _raw_json(ref.name)
    resp["names"] = _raw_json(ref.names)
    resp["layerID"] = ref.layer_id


def _run_roundtrip(req: _Request, resp: _Response, stage: _Stage) -> None:
    _set_env(req, False)
    go_type = model.ROUNDTRIP_TYPES.get(req.type)
    if go_type is None:
        known = ", ".join(sorted(model.ROUNDTRIP_TYPES))
        raise _BadRequest(f"unknown type {_go_quote(req.type)} (known: {known})")
    blob = _require_blob(req.input, req.input_text, "input")
    stage.value = "decode"
    # main.go's constructors: a pointer to a zero value; for "*CopyData" a **CopyData whose
    # *CopyData is NOT nil (&CopyData{}), so a failed decode still prints an empty CopyData.
    value: Any = model.CopyData() if req.type == "*CopyData" else go_zero(go_type)
    value, derr = gojson.unmarshal(blob, go_type, value)
    stage.value = "encode"
    _marshal_into(resp, go_type, value, "output")
    resp["ok"] = derr is None and resp["output_error"] is None
    if derr is not None:
        resp["stage"], resp["error"] = "decode", derr
    elif resp["output_error"] is not None:
        resp["stage"], resp["error"] = "encode", resp["output_error"]


# ---------------------------------------------------------------------------------------------
# main.go's `process`, and the two public faces.


def _process(line: bytes, resp: _Response, stage: _Stage) -> None:
    try:
        root, end = _parse_first_value(line)
    except _SyntaxFailure:
        message = _decoder_read_error(line)
        if message is None:  # the two parsers disagree: a bug, reported as such
            raise AssertionError("request parser and scanner disagree") from None
        # The probe (json.Unmarshal of the whole line) fails on the same syntax error.
        raise _BadRequest(message) from None
    req, err = _decode_request(line, root)
    if err is not None:
        # Try to salvage the id for the echo.
        probe = _probe(line, root, end)
        if probe is not None:
            resp["id"], resp["op"] = probe
        raise _BadRequest(err)
    resp["id"], resp["op"] = req.id, req.op
    # dec.More(): is there another value on the line (anything but whitespace, "]" or "}")?
    rest = _skip_ws(line, end)
    if rest < len(line) and line[rest] not in b"]}":
        raise _BadRequest("more than one JSON value on the line")
    _run(req, resp, stage)


def handle_line(line: bytes) -> bytes:
    """What the oracle prints for one input line: ``b""`` for a blank line (skipped), else the
    response line, ``\\n`` included. ``line`` may end with its ``\\n`` or not (a last line)."""
    if is_blank_line(line):
        return b""
    resp = _Response()
    stage = _Stage()
    try:
        _process(line, resp, stage)
    except _BadRequest as exc:
        resp.values.update(ok=False, stage="request", error="bad request: " + exc.message)
        resp["panic"] = None
    except GoPanic as exc:
        resp.values.update(ok=False, stage=stage.value, panic=str(exc))
        for name in _CLEARED_BY_PANIC:
            resp[name] = None
    except Exception as exc:  # a bug of this package; never let it escape
        resp.values.update(ok=False, stage="call", panic=None)
        resp["error"] = f"internal error: {type(exc).__name__}: {exc}"
        for name in _CLEARED_BY_PANIC:
            resp[name] = None
    try:
        return resp.encode()
    except Exception as exc:  # pragma: no cover - a bug in the response itself
        fallback = _Response()
        fallback.values.update(ok=False, stage="call", error=f"internal error: {exc!r}")
        return fallback.encode()


def handle(request: dict[str, Any]) -> dict[str, Any]:
    """One request object -> one response object, as the oracle would answer its JSON text.

    The request goes through the very bytes path of :func:`handle_line` (``json.dumps`` with
    ASCII escapes, then Go's decoding rules), so the in-process and subprocess transports agree
    on every request, malformed ones included.
    """
    try:
        line = json.dumps(request, ensure_ascii=True).encode("ascii")
    except (TypeError, ValueError) as exc:
        return {
            "id": None,
            "op": "",
            "ok": False,
            "stage": "request",
            "error": f"bad request: the request is not JSON-serializable: {exc}",
            "panic": None,
        }
    answer: dict[str, Any] = json.loads(handle_line(line))
    return answer
