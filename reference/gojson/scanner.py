"""Go 1.19 encoding/json's scanner (scanner.go), ported state for state, for its error texts.

The fast parser (parse.py) decides whether a document is valid; when it is not, this byte-wise
state machine runs over the input to produce exactly Go's error, in one of Go's two ways of
driving it:

* `syntax_error`: ``checkValid``, what ``json.Unmarshal`` runs over the whole input: ``invalid
  character 'x' after top-level value``, ``unexpected end of JSON input``, ``invalid character
  '[' exceeded max depth`` (nesting deeper than 10000), ...;
* `first_value_end`: ``Decoder.readValue``, what ``json.Decoder.Decode`` runs: it stops where
  the first value ends and reports input that ends too early as ``unexpected EOF``.

The states are stepped byte by byte as in Go, except for runs whose steps are known in advance,
taken in bulk: plain string content, runs of ``[``, objects opened with a plain first key, runs of
``]`` and ``}`` (never past the depth limit nor the end of the top-level value: those bytes are
stepped, for Go's exact outcome); and objects and arrays that Python's C JSON parser reads as
valid, whole or up to where it fails (see `_ValueSkipper`): what is left to step is mostly the
few bytes around the error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import NoReturn

from reference.gostrconv import quote_byte_rune

MAX_NESTING_DEPTH = 10000

# Go's scan op codes (only the distinctions the checker needs).
_CONTINUE = 0
_SKIP_SPACE = 9
_END_OBJECT = 5
_END_ARRAY = 8
_END = 10
_ERROR = 11

# parseState values
_PARSE_OBJECT_KEY = 0
_PARSE_OBJECT_VALUE = 1
_PARSE_ARRAY_VALUE = 2

_SPACE = frozenset(b" \t\r\n")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_DIGITS = frozenset(b"0123456789")
_DIGITS19 = frozenset(b"123456789")

_State = Callable[["_Scanner", int], int]


def quote_char(c: int) -> str:
    """Go's quoteChar: the byte as a quoted character in an error text (Go converts the byte to
    a rune, so 0xEF is U+00EF 'ï', and quotes it with strconv.Quote)."""
    return quote_byte_rune(c)


class _Scanner:
    __slots__ = ("end_top", "err", "parse_state", "step")

    def __init__(self) -> None:
        self.step: _State = _state_begin_value
        self.parse_state = bytearray()  # Go's parseState stack, one code a level
        self.err: str | None = None
        self.end_top = False

    def error(self, c: int, context: str) -> int:
        self.step = _state_error
        self.err = "invalid character " + quote_char(c) + " " + context
        return _ERROR

    def push_parse_state(self, c: int, new_parse_state: int, success_state: int) -> int:
        self.parse_state.append(new_parse_state)
        if len(self.parse_state) <= MAX_NESTING_DEPTH:
            return success_state
        return self.error(c, "exceeded max depth")

    def pop_parse_state(self) -> None:
        self.parse_state.pop()
        if not self.parse_state:
            self.step = _state_end_top
            self.end_top = True
        else:
            self.step = _state_end_value

    def eof(self) -> int:
        if self.err is not None:
            return _ERROR
        if self.end_top:
            return _END
        self.step(self, 0x20)
        if self.end_top:
            return _END
        if self.err is None:
            self.err = "unexpected end of JSON input"
        return _ERROR


def _state_begin_value_or_empty(s: _Scanner, c: int) -> int:
    if c in _SPACE:
        return _SKIP_SPACE
    if c == 0x5D:  # ]
        return _state_end_value(s, c)
    return _state_begin_value(s, c)


def _state_begin_value(s: _Scanner, c: int) -> int:
    if c in _SPACE:
        return _SKIP_SPACE
    if c == 0x7B:  # {
        s.step = _state_begin_string_or_empty
        return s.push_parse_state(c, _PARSE_OBJECT_KEY, 2)
    if c == 0x5B:  # [
        s.step = _state_begin_value_or_empty
        return s.push_parse_state(c, _PARSE_ARRAY_VALUE, 6)
    if c == 0x22:
        s.step = _state_in_string
        return 1
    if c == 0x2D:  # -
        s.step = _state_neg
        return 1
    if c == 0x30:  # 0
        s.step = _state0
        return 1
    if c == 0x74:  # t
        s.step = _literal_state(b"rue", "true")
        return 1
    if c == 0x66:  # f
        s.step = _literal_state(b"alse", "false")
        return 1
    if c == 0x6E:  # n
        s.step = _literal_state(b"ull", "null")
        return 1
    if c in _DIGITS19:
        s.step = _state1
        return 1
    return s.error(c, "looking for beginning of value")


def _state_begin_string_or_empty(s: _Scanner, c: int) -> int:
    if c in _SPACE:
        return _SKIP_SPACE
    if c == 0x7D:  # }
        s.parse_state[-1] = _PARSE_OBJECT_VALUE
        return _state_end_value(s, c)
    return _state_begin_string(s, c)


def _state_begin_string(s: _Scanner, c: int) -> int:
    if c in _SPACE:
        return _SKIP_SPACE
    if c == 0x22:
        s.step = _state_in_string
        return 1
    return s.error(c, "looking for beginning of object key string")


def _state_end_value(s: _Scanner, c: int) -> int:
    if not s.parse_state:
        s.step = _state_end_top
        s.end_top = True
        return _state_end_top(s, c)
    if c in _SPACE:
        s.step = _state_end_value
        return _SKIP_SPACE
    ps = s.parse_state[-1]
    if ps == _PARSE_OBJECT_KEY:
        if c == 0x3A:  # :
            s.parse_state[-1] = _PARSE_OBJECT_VALUE
            s.step = _state_begin_value
            return 3
        return s.error(c, "after object key")
    if ps == _PARSE_OBJECT_VALUE:
        if c == 0x2C:  # ,
            s.parse_state[-1] = _PARSE_OBJECT_KEY
            s.step = _state_begin_string
            return 4
        if c == 0x7D:
            s.pop_parse_state()
            return 5
        return s.error(c, "after object key:value pair")
    if c == 0x2C:
        s.step = _state_begin_value
        return 7
    if c == 0x5D:
        s.pop_parse_state()
        return 8
    return s.error(c, "after array element")


def _state_end_top(s: _Scanner, c: int) -> int:
    if c not in _SPACE:
        s.error(c, "after top-level value")
    return _END


def _state_in_string(s: _Scanner, c: int) -> int:
    if c == 0x22:
        s.step = _state_end_value
        return _CONTINUE
    if c == 0x5C:
        s.step = _state_in_string_esc
        return _CONTINUE
    if c < 0x20:
        return s.error(c, "in string literal")
    return _CONTINUE


def _state_in_string_esc(s: _Scanner, c: int) -> int:
    if c in b'bfnrt\\/"':
        s.step = _state_in_string
        return _CONTINUE
    if c == 0x75:  # u
        s.step = _hex_state(4)
        return _CONTINUE
    return s.error(c, "in string escape code")


def _hex_state(remaining: int) -> _State:
    def state(s: _Scanner, c: int) -> int:
        if c in _HEX:
            s.step = _state_in_string if remaining == 1 else _hex_state(remaining - 1)
            return _CONTINUE
        return s.error(c, "in \\u hexadecimal character escape")

    return state


def _state_neg(s: _Scanner, c: int) -> int:
    if c == 0x30:
        s.step = _state0
        return _CONTINUE
    if c in _DIGITS19:
        s.step = _state1
        return _CONTINUE
    return s.error(c, "in numeric literal")


def _state1(s: _Scanner, c: int) -> int:
    if c in _DIGITS:
        s.step = _state1
        return _CONTINUE
    return _state0(s, c)


def _state0(s: _Scanner, c: int) -> int:
    if c == 0x2E:  # .
        s.step = _state_dot
        return _CONTINUE
    if c in b"eE":
        s.step = _state_e
        return _CONTINUE
    return _state_end_value(s, c)


def _state_dot(s: _Scanner, c: int) -> int:
    if c in _DIGITS:
        s.step = _state_dot0
        return _CONTINUE
    return s.error(c, "after decimal point in numeric literal")


def _state_dot0(s: _Scanner, c: int) -> int:
    if c in _DIGITS:
        return _CONTINUE
    if c in b"eE":
        s.step = _state_e
        return _CONTINUE
    return _state_end_value(s, c)


def _state_e(s: _Scanner, c: int) -> int:
    if c in b"+-":
        s.step = _state_e_sign
        return _CONTINUE
    return _state_e_sign(s, c)


def _state_e_sign(s: _Scanner, c: int) -> int:
    if c in _DIGITS:
        s.step = _state_e0
        return _CONTINUE
    return s.error(c, "in exponent of numeric literal")


def _state_e0(s: _Scanner, c: int) -> int:
    if c in _DIGITS:
        return _CONTINUE
    return _state_end_value(s, c)


def _literal_state(rest: bytes, word: str) -> _State:
    """stateT/stateTr/stateTru, stateF..., stateN...: expect the remaining letters of a literal."""
    want = rest[0]

    def state(s: _Scanner, c: int) -> int:
        if c == want:
            s.step = _literal_state(rest[1:], word) if len(rest) > 1 else _state_end_value
            return _CONTINUE
        return s.error(c, f"in literal {word} (expecting {quote_char(want)})")

    return state


def _state_error(s: _Scanner, c: int) -> int:
    return _ERROR


# Plain string content: bytes that leave stateInString unchanged. Skipped in bulk for speed.
_PLAIN_STRING_RUN = re.compile(rb'[^"\\\x00-\x1f]+')


_OPEN_RUN = re.compile(rb"\[+")
_CLOSE_RUN = re.compile(rb"[\]}]+")
# Objects opened, each with a plain first key and its colon: the steps push parseObjectValue (the
# key state, then the colon's change) and leave stateBeginValue. Each has two quotes (its key's).
# (Possessive: nothing in a run could be matched otherwise.)
_OBJECT_OPENS = re.compile(rb'(?:\{[ \t\r\n]*+"[^"\\\x00-\x1f]*+"[ \t\r\n]*+:[ \t\r\n]*+)++')
# What ']' and '}' close when they close without an error: an array, an object after a value.
_CLOSED_BY = bytes.maketrans(b"]}", bytes((_PARSE_ARRAY_VALUE, _PARSE_OBJECT_VALUE)))


def _open_arrays(s: _Scanner, data: bytes, i: int) -> int:
    """A run of '[' at a value's start: each pushes an array state, as the byte-wise steps would;
    the byte that crosses the depth limit is left to be stepped (for its error). Returns where
    the bulk step ends (`i` if nothing was taken)."""
    m = _OPEN_RUN.match(data, i)
    run = 0 if m is None else min(m.end() - i, MAX_NESTING_DEPTH - len(s.parse_state))
    if run > 0:
        s.parse_state.extend(bytes((_PARSE_ARRAY_VALUE,)) * run)
        s.step = _state_begin_value_or_empty
    return i + run


def _open_objects(s: _Scanner, data: bytes, i: int) -> int:
    """Objects opened with a plain first key, one inside the other (deep nesting). Past the
    depth limit Go fails on the '{' that crosses it: the scanner is left in that error, to be
    reported by the next step."""
    m = _OBJECT_OPENS.match(data, i)
    if m is None:
        return i
    levels = data.count(b'"', i, m.end()) // 2
    if len(s.parse_state) + levels > MAX_NESTING_DEPTH:
        s.error(0x7B, "exceeded max depth")
        return i + 1  # (inside the run: a byte is left to step, at the end of the input too)
    s.parse_state.extend(bytes((_PARSE_OBJECT_VALUE,)) * levels)
    s.step = _state_begin_value
    return m.end()


def _close_containers(s: _Scanner, data: bytes, i: int) -> int:
    """A run of ']' and '}' each closing what it can close (']' an array, '}' an object after a
    value): pops them in bulk, but not the last container (its closer may end the top-level
    value and is stepped, as is a closer that is an error)."""
    stack = s.parse_state
    m = _CLOSE_RUN.match(data, i)
    if m is None or len(stack) <= 1:
        return i
    closes = m.group()[: len(stack) - 1].translate(_CLOSED_BY)
    k = _common_prefix(closes, stack[::-1])
    if k > 0:
        del stack[len(stack) - k :]
        s.step = _state_end_value
    return i + k


def _common_prefix(a: bytes, b: bytes | bytearray) -> int:
    """The length of the longest common prefix of `a` and `b` (bisected: C-speed compares)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


# --- Valid values skipped at C speed ------------------------------------------------------------
#
# Python's C JSON parser accepts exactly Go's grammar (same whitespace, strings, escapes, numbers,
# literals) but for NaN and Infinity (rejected here by its parse_constant hook) and for nesting
# depth (it stops at its recursion limit, Go at 10000: bounded by counting brackets). So where the
# scanner is about to begin an object or array, Python's parser reads the value first:
#
# * if it reads the whole value, the value is valid for Go and Go's steps over it end after its
#   closing bracket in the state they started from, the value popped: it is skipped;
# * if it fails at offset e, it has accepted everything before e, and so would Go: the scanner is
#   put in the state Go's steps reach just after the last structural byte ({}[],: outside
#   strings) before e, which those structural bytes alone determine, and steps on from there
#   (over the failing token and to Go's own error, a few bytes on);
# * if it hits its recursion limit, or the value may be deeper than Go allows, the scanner steps
#   into the value and tries again at the values inside (a few times in all: deep nesting is
#   taken by the bulk runs above); after a NaN, it steps through the rest.


def reject_constant(name: str) -> NoReturn:
    """``parse_constant`` for Python's JSON parser: NaN, Infinity and -Infinity, which it takes
    and Go does not, are a ValueError."""
    raise ValueError(name)


_PYTHON_PARSER = json.JSONDecoder(parse_constant=reject_constant)
# Values left to Go's steps for their depth this many times: no more tries for this input.
_MAX_TOO_DEEP = 4
_NOT_STRUCTURAL_OR_QUOTE = bytes(c for c in range(256) if c not in b'{}[],:"')
_STRING_LEFT = re.compile(rb'"[^"]*"')
_THROUGH_LAST_STRUCTURAL = re.compile(rb".*[{}\[\],:]", re.S)
# '{' -> parseObjectValue, '[' -> parseArrayValue: the state of a container the scanner is inside.
_PARSE_STATE_OF = bytes.maketrans(b"{[", bytes((_PARSE_OBJECT_VALUE, _PARSE_ARRAY_VALUE)))
_ROUNDS = 32  # pair removals before `_unclosed` falls back to a stack


class _ValueSkipper:
    """Python's C parser over the input, to skip the values it finds valid (see above)."""

    __slots__ = ("data", "enabled", "text", "too_deep")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.text: str | None = None
        self.enabled = True
        self.too_deep = 0

    def skip(self, s: _Scanner, i: int) -> int:
        """The scanner `s` is about to step the '{' or '[' at `i`: skip what Python's parser
        finds valid of that value, leaving `s` in Go's state there. Returns where to step on
        (`i` if nothing was skipped)."""
        if self.text is None:
            self.text = self.data.decode("latin-1")  # one character per byte: same offsets
        try:
            end = _PYTHON_PARSER.raw_decode(self.text, i)[1]
        except json.JSONDecodeError as exc:
            return self._resume_before(s, i, exc.pos)
        except RecursionError:
            return self._too_deep(i)
        except ValueError:
            # NaN or Infinity (the hook), or an integer literal longer than int() converts:
            # Go's steps go through the rest
            self.enabled = False
            return i
        if not self._depth_ok(s, i, end):
            return self._too_deep(i)
        if s.parse_state:
            s.step = _state_end_value
        else:
            s.step = _state_end_top
            s.end_top = True
        return end

    def _too_deep(self, i: int) -> int:
        """The value at `i` is left to Go's steps: too deep for Python's parser, or maybe for
        Go's limit. Its inner values are tried, but only a few times in all: each try reads
        on to the same depth again."""
        self.too_deep += 1
        self.enabled = self.too_deep < _MAX_TOO_DEEP
        return i

    def _depth_ok(self, s: _Scanner, i: int, end: int) -> bool:
        """Whether data[i:end] cannot take the nesting past Go's limit (at most as deep as it
        has brackets, strings' included)."""
        data = self.data
        opened = data.count(b"[", i, end) + data.count(b"{", i, end)
        return len(s.parse_state) + opened <= MAX_NESTING_DEPTH

    def _resume_before(self, s: _Scanner, i: int, e: int) -> int:
        """Python's parser failed at `e` in the value at `i`: put `s` in Go's state after the
        last structural byte before `e`, and return that byte's offset + 1."""
        head = _mask_escapes(self.data[i:e])
        n = _through_last_structural(head)
        structure = _structure(head[:n])
        stack = s.parse_state
        opened = structure.translate(None, b"]},:")
        if len(stack) + len(opened) > MAX_NESTING_DEPTH:
            return self._too_deep(i)
        stack.extend(_unclosed(structure.translate(None, b",:")).translate(_PARSE_STATE_OF))
        last = structure[-1]
        if last == 0x7B:  # {
            stack[-1] = _PARSE_OBJECT_KEY
            s.step = _state_begin_string_or_empty
        elif last == 0x5B:  # [
            s.step = _state_begin_value_or_empty
        elif last == 0x3A:  # :  (the object's state is parseObjectValue already)
            s.step = _state_begin_value
        elif last == 0x2C and stack[-1] == _PARSE_OBJECT_VALUE:  # , in an object
            stack[-1] = _PARSE_OBJECT_KEY
            s.step = _state_begin_string
        elif last == 0x2C:  # , in an array
            s.step = _state_begin_value
        else:  # a closer, of a container inside the value (the value is still open)
            s.step = _state_end_value
        self.enabled = False  # Go's error is a few bytes on: nothing left worth skipping
        return i + n


# The text Python's parser accepted before failing: valid JSON but that it may end inside a token
# (a string, among others). Its strings are found by their quotes once escapes are masked.


def _mask_escapes(head: bytes) -> bytes:
    """`head` with its escaped backslashes and quotes masked (same length), so that its quotes
    are the strings' own. Escapes pair up left to right, as the replacements go (a valid text
    has no backslash outside strings)."""
    return head.replace(b"\\\\", b"__").replace(b'\\"', b"__")


def _through_last_structural(head: bytes) -> int:
    """The offset after the last structural byte outside strings in `head` (escapes masked):
    after the last structural byte, or when it is in a string (its quotes before are odd: the
    last string, maybe cut short), after the last one before that string."""
    m = _THROUGH_LAST_STRUCTURAL.match(head)
    assert m is not None  # (the value's own opening bracket)
    if head.count(b'"', 0, m.end()) & 1:
        m = _THROUGH_LAST_STRUCTURAL.match(head, 0, head.rfind(b'"', 0, m.end()))
        assert m is not None
    return m.end()


def _structure(text: bytes) -> bytes:
    """The structural bytes of `text` (escapes masked, strings whole) outside its strings: the
    strings reduced to their quotes and structural bytes, then removed (empty ones in bulk)."""
    reduced = text.translate(None, _NOT_STRUCTURAL_OR_QUOTE).replace(b'""', b"")
    return _STRING_LEFT.sub(b"", reduced) if b'"' in reduced else reduced


def _unclosed(brackets: bytes) -> bytes:
    """The brackets left open at the end of `brackets`, the brackets of a valid JSON prefix (so
    each closer closes the opener before it once the pairs inside are gone)."""
    for _ in range(_ROUNDS):
        reduced = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(reduced) == len(brackets):
            return brackets
        brackets = reduced
    stack = bytearray()  # nested deeper than the rounds went: one bracket at a time
    for c in brackets:
        if c in b"[{":
            stack.append(c)
        else:
            stack.pop()
    return bytes(stack)


def syntax_error(data: bytes) -> str | None:
    """Go's checkValid(data) (what json.Unmarshal runs first): the syntax error text, or None
    when `data` is one valid value."""
    return _scan(data, decoder=False)[1]


def first_value_end(data: bytes) -> tuple[int, str | None]:
    """Go's ``Decoder.readValue`` on a reader holding `data`: ``(n, None)`` where the first
    value ends (``data[:n]`` holds it, leading whitespace included), or ``(0, error text)``.

    It differs from `syntax_error` after and at the end of the value: it stops at the value's
    last byte (what follows is the next Decode's business), and input that ends inside a value
    is ``unexpected EOF`` (``io.ErrUnexpectedEOF``) whatever state the scanner is in (``1.`` and
    ``tru`` included, where checkValid names the character ``' '``); only whitespace is
    ``EOF``."""
    return _scan(data, decoder=True)


def _scan(data: bytes, decoder: bool) -> tuple[int, str | None]:
    """The byte loop of checkValid (`decoder` False) or of Decoder.readValue (True)."""
    s = _Scanner()
    skipper = _ValueSkipper(data)
    n = len(data)
    i = 0
    match_plain = _PLAIN_STRING_RUN.match
    while i < n:
        step = s.step
        if step is _state_in_string:
            m = match_plain(data, i)
            if m is not None:
                i = m.end()
                if i >= n:
                    break
        elif step is _state_begin_value or step is _state_begin_value_or_empty:
            c = data[i]
            if (c == 0x7B or c == 0x5B) and skipper.enabled:
                j = skipper.skip(s, i)
                if j > i:
                    i = j
                    continue
            if c == 0x5B:
                j = _open_arrays(s, data, i)
                if j > i:
                    i = j
                    continue
            elif c == 0x7B:
                j = _open_objects(s, data, i)
                if j > i:
                    i = j
                    continue
            elif c == 0x5D and step is _state_begin_value_or_empty:
                j = _close_containers(s, data, i)  # an empty array's ']' and what follows
                if j > i:
                    i = j
                    continue
        elif step is _state_end_value and (data[i] == 0x5D or data[i] == 0x7D):
            j = _close_containers(s, data, i)
            if j > i:
                i = j
                continue
        v = s.step(s, data[i])
        if v == _ERROR:
            return 0, s.err
        if decoder:
            if v == _END:
                return i, None  # scanEnd comes one byte late: that byte is not the value's
            if v in (_END_OBJECT, _END_ARRAY) and _state_end_value(s, 0x20) == _END:
                return i + 1, None  # the closing bracket of the top-level value
        i += 1
    if decoder:
        if s.step(s, 0x20) == _END:
            return n, None
        return 0, ("unexpected EOF" if data.strip(b" \t\r\n") else "EOF")
    if s.eof() == _ERROR:
        return 0, s.err
    return n, None
