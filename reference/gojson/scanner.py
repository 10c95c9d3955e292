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
stepped, for Go's exact outcome).
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
        self.parse_state: list[int] = []
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
# An object opened, a plain key and its colon: the steps push parseObjectValue (the key state,
# then the colon's change) and leave stateBeginValue.
_OBJECT_OPEN = re.compile(rb'\{[ \t\r\n]*"[^"\\\x00-\x1f]*"[ \t\r\n]*:[ \t\r\n]*')
_CLOSES = {0x5D: _PARSE_ARRAY_VALUE, 0x7D: _PARSE_OBJECT_VALUE}  # what ']' and '}' may close


def _run_length(pattern: re.Pattern[bytes], data: bytes, i: int) -> int:
    m = pattern.match(data, i)
    return 0 if m is None else m.end() - i


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
        elif (step is _state_begin_value or step is _state_begin_value_or_empty) and data[
            i
        ] == 0x5B:
            # A run of '[': each pushes an array state, as the byte-wise steps would; the
            # byte that crosses the depth limit is then stepped normally (for its error).
            run = min(_run_length(_OPEN_RUN, data, i), MAX_NESTING_DEPTH - len(s.parse_state))
            if run > 0:
                s.parse_state.extend([_PARSE_ARRAY_VALUE] * run)
                s.step = _state_begin_value_or_empty
                i += run
                continue
        elif (step is _state_begin_value or step is _state_begin_value_or_empty) and data[
            i
        ] == 0x7B:
            # Objects opened with a plain first key, one after the other (deep nesting), up to
            # the depth limit (the '{' that crosses it is stepped normally, for its error).
            stack = s.parse_state
            j = i
            room = MAX_NESTING_DEPTH - len(stack)
            while room > 0:
                m = _OBJECT_OPEN.match(data, j)
                if m is None:
                    break
                j = m.end()
                room -= 1
                stack.append(_PARSE_OBJECT_VALUE)
            if j > i:
                s.step = _state_begin_value
                i = j
                continue
        elif (
            (step is _state_end_value or (step is _state_begin_value_or_empty and data[i] == 0x5D))
            and data[i] in _CLOSES
            and len(s.parse_state) > 1
        ):
            # A run of ']' and '}' each closing what it can close (']' an array, '}' an object
            # after a value): pops them in bulk (not the last one, which may end the top-level
            # value and is stepped normally; nor one that is an error).
            m = _CLOSE_RUN.match(data, i)
            assert m is not None
            stack = s.parse_state
            k = 0
            for c in m.group():
                if len(stack) - k <= 1 or stack[-1 - k] != _CLOSES[c]:
                    break
                k += 1
            if k > 0:
                del stack[len(stack) - k :]
                s.step = _state_end_value
                i += k
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
