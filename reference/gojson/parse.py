"""Input side of encoding/json: a validated parse tree of the whole document, built fast.

Go's Unmarshal first checks the whole input (``checkValid``) and decodes nothing on a syntax
error; then it decodes. Here `parse` does both checks and tree building in one pass and the typed
decoder (decode.py) walks the tree, which gives the same results: a syntax error is reported
before anything is decoded.

Tree nodes (chosen so the decoder can dispatch on ``type(node)``):

* object -> `JObject`: a list of ``(key, value)`` pairs in document order, duplicates kept;
  keys are unescaped ``str``;
* array -> ``list``; string -> ``str``, or `RawStr` when its token is not simply the UTF-8 of
  the value between quotes (escapes, invalid UTF-8): time.Time parses the RAW token;
* number -> ``bytes``: the literal, verbatim (``1.0`` is not ``1`` for an int field);
* true/false -> ``bool``; null -> ``None``.

Strings follow Go's unquote: invalid UTF-8 becomes U+FFFD once per invalid byte (Python's
"replace" would use one U+FFFD per maximal subpart), lone surrogate escapes become U+FFFD.

`parse` reads one document (json.Unmarshal); `parse_first` reads the first value of its input as
json.Decoder does (stream.py), leaving the rest alone.

Speed: documents go through Python's C json scanner, with hooks that keep number literals and
duplicate keys, and with the input prepared so that its strings are Go's (`_c_text`: invalid UTF-8
decoded one U+FFFD per byte, lone surrogate escapes rewritten as ``\\ufffd``), unless a raw token
matters: the C scanner keeps none, so `raw_token` of its strings is exact only where the token was
the plain UTF-8 of the value, which is checked for the values of keys whose raw token a custom
unmarshaler reads (time.Time, json.RawMessage). The rest (those raw tokens, nesting deeper than
the C scanner goes) goes through a regex tokenizer and an iterative builder (depth 10000 needs no
recursion). Only when a document is invalid does the exact port of Go's scanner (scanner.py) run,
for the error text.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections import deque
from collections.abc import Iterable
from typing import Any, NoReturn

from reference.gojson.fold import fold_key
from reference.gojson.scanner import (
    MAX_NESTING_DEPTH,
    first_value_end,
    reject_constant,
    syntax_error,
)


class JObject(list[tuple[str, Any]]):
    """A JSON object as its (key, value) pairs, in document order."""

    __slots__ = ()


class RawStr(str):
    """A decoded string whose raw token (``.raw``, quotes included) differs from its UTF-8."""

    raw: bytes


class JSONSyntaxError(Exception):
    """The document is not valid JSON; ``str(e)`` is Go's SyntaxError text."""


def _fffd_per_byte(exc: UnicodeError) -> tuple[str, int]:
    # Go's utf8.DecodeRune reports width 1 for any invalid sequence: one U+FFFD, then resume at
    # the NEXT byte. Resuming at exc.start + 1 makes Python's decoder do exactly that.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "\ufffd", exc.start + 1


_ERRORS = "gojson-fffd-per-byte"
codecs.register_error(_ERRORS, _fffd_per_byte)


def decode_utf8(b: bytes) -> str:
    """Go's string(b) as JSON sees it: invalid UTF-8 replaced by U+FFFD per invalid byte."""
    return b.decode("utf-8", _ERRORS)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _unquote_escaped(tok: bytes) -> str:
    """Go's unquoteBytes for a string token containing escapes (already syntax-checked)."""
    text = tok.decode("utf-8", _ERRORS)
    # The C scanstring pairs surrogates exactly like Go's utf16.DecodeRune (a high surrogate
    # followed by a low one combines, anything else stays alone); Go then turns the lone ones
    # into U+FFFD. Raw text can hold no surrogates, so every one here came from an escape.
    value: str = json.decoder.scanstring(text, 1)[0]  # type: ignore[attr-defined]
    if _LONE_SURROGATE.search(value) is not None:
        value = _LONE_SURROGATE.sub("\ufffd", value)
    return value


def _string_node(tok: bytes) -> str:
    """The node of a string token."""
    if b"\\" not in tok:
        try:
            return tok[1:-1].decode("utf-8")
        except UnicodeDecodeError:
            s = RawStr(decode_utf8(tok[1:-1]))
    else:
        s = RawStr(_unquote_escaped(tok))
    s.raw = tok
    return s


# One token, after optional whitespace: a string, a number, a run of '[' or of ']' (deep
# nesting costs one token, not one per bracket), other punctuation or a literal, else one byte
# (which is always an error). Strings are validated by the pattern itself (escapes, no control
# bytes); numbers follow RFC 8259 exactly as Go's scanner does.
_TOKEN = re.compile(
    rb"""[ \t\n\r]*(
        "[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"
      | -?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?
      | \[(?:[ \t\n\r]*\[)*
      | \](?:[ \t\n\r]*\])*
      | [{},:]
      | true | false | null
      | .
    )""",
    re.S | re.X,
)

# The builder's tokens: the same, except that objects opened each with a plain (escape-free)
# first key and its colon, one inside the other, are one token, and so is a run of '}' (deep
# nesting of objects costs a token, not one per level).
_OBJECT_OPEN = rb'\{[ \t\n\r]*"[^"\\\x00-\x1f]*"[ \t\n\r]*:'
_BUILD_TOKEN = re.compile(
    _TOKEN.pattern.replace(
        b"(",
        b"(%s(?:[ \t\n\r]*%s)* | " % (_OBJECT_OPEN, _OBJECT_OPEN)
        + rb"\}(?:[ \t\n\r]*\})+"
        + b" | ",
        1,
    ),
    re.S | re.X,
)
_PLAIN_KEY = re.compile(rb'"[^"]*"')  # the keys of such a token (quotes included)

_QUOTE, _MINUS, _LBRACE, _RBRACE, _LBRACKET, _RBRACKET, _COMMA, _COLON = b'"-{}[],:'
_NUMBER_START = frozenset(b"-0123456789")

# builder states
_VALUE, _VALUE_OR_END, _KEY_OR_END, _KEY, _COLON_NEXT, _COMMA_OR_END, _DONE = range(7)


def _innermost_are(stack: list[Any], n: int, kind: type) -> bool:
    """Whether the `n` innermost open containers are all of type `kind` (list or JObject), at
    C speed (runs of closers in deep nesting)."""
    return n <= len(stack) and list(map(type, stack[len(stack) - n :])).count(kind) == n


def _nest(chain: list[Any], items: Iterable[Any]) -> None:
    """Appends items[k] to chain[k], at C speed: a chain of containers opened one inside the
    other (runs of openers in deep nesting)."""
    deque(map(list.append, chain, items), maxlen=0)


def _fail(data: bytes) -> NoReturn:
    msg = syntax_error(data)
    if msg is None:  # pragma: no cover - the fast parser and the scanner disagree
        raise AssertionError("gojson: parser rejected a document Go's scanner accepts")
    raise JSONSyntaxError(msg)


def _parse_tokens(data: bytes) -> Any:
    """The iterative builder: a state machine over the tokens; any violation of the grammar
    hands over to Go's scanner for the error text."""
    end = len(data.rstrip(b" \t\n\r"))
    tokens = _BUILD_TOKEN.findall(data, 0, end)
    stack: list[Any] = []  # open containers, innermost last
    top: Any = None
    top_is_list = False
    key = ""
    root: Any = None
    state = _VALUE
    max_depth = MAX_NESTING_DEPTH
    for tok in tokens:
        c = tok[0]
        if c == _RBRACKET or (c == _RBRACE and len(tok) > 1):
            # A run of ']' closes arrays (the innermost may be empty); a run of '}' closes
            # objects (the first may close an empty one). The others hold the one just closed.
            if c == _RBRACKET:
                n = 1 if len(tok) == 1 else tok.count(b"]")
                can_close = top_is_list and state in (_VALUE_OR_END, _COMMA_OR_END)
                kind: type = list
            else:
                n = tok.count(b"}")
                can_close = state in (_COMMA_OR_END, _KEY_OR_END)
                kind = JObject
            if not can_close or (n > 1 and not _innermost_are(stack, n, kind)):
                _fail(data)
            del stack[len(stack) - n :]
            if stack:
                top = stack[-1]
                top_is_list = type(top) is list
                state = _COMMA_OR_END
            else:
                top = None
                top_is_list = False
                state = _DONE
            continue
        if state <= _VALUE_OR_END:
            if c == _QUOTE:
                if len(tok) < 2:
                    _fail(data)
                val: Any = _string_node(tok)
            elif c in _NUMBER_START:
                if tok == b"-":
                    _fail(data)
                val = tok
            elif c in (_LBRACKET, _LBRACE):
                # containers opened, each in the one before: a run of '[', a '{', or objects
                # each with a plain first key and its colon (deep nesting costs one token)
                inner_key = key
                chain: list[Any]
                if c == _LBRACKET:
                    chain = [[] for _ in range(1 if len(tok) == 1 else tok.count(b"["))]
                    _nest(chain, chain[1:])
                    opened = _VALUE_OR_END
                elif len(tok) == 1:
                    chain = [JObject()]
                    opened = _KEY_OR_END
                elif tok.count(b'"') == 2:  # one object (its key has no quote: no escape)
                    chain = [JObject()]
                    k = _string_node(tok[tok.index(b'"') : tok.rindex(b'"') + 1])
                    inner_key = k if type(k) is str else str(k)
                    opened = _VALUE
                else:
                    keys = _PLAIN_KEY.findall(tok)
                    names = {k: str(_string_node(k)) for k in set(keys)}  # (a key is a str)
                    chain = [JObject() for _ in keys]
                    _nest(chain, zip(map(names.__getitem__, keys), chain[1:], strict=False))
                    inner_key = names[keys[-1]]
                    opened = _VALUE
                if top is None:
                    root = chain[0]
                elif top_is_list:
                    top.append(chain[0])
                else:
                    top.append((key, chain[0]))
                stack.extend(chain)
                if len(stack) > max_depth:
                    _fail(data)
                top = chain[-1]
                top_is_list = c == _LBRACKET
                key = inner_key  # the innermost object's first key, for its value
                state = opened
                continue
            elif tok == b"true":
                val = True
            elif tok == b"false":
                val = False
            elif tok == b"null":
                val = None
            else:
                _fail(data)
            if top is None:
                root = val
                state = _DONE
            else:
                if top_is_list:
                    top.append(val)
                else:
                    top.append((key, val))
                state = _COMMA_OR_END
        elif state == _COMMA_OR_END:
            if c == _COMMA:
                state = _VALUE if top_is_list else _KEY
                continue
            if c == _RBRACE and not top_is_list:
                stack.pop()
                if stack:
                    top = stack[-1]
                    top_is_list = type(top) is list
                else:
                    top = None
                    state = _DONE
                continue
            _fail(data)
        elif state in (_KEY, _KEY_OR_END):
            if c == _QUOTE and len(tok) >= 2:
                k = _string_node(tok)
                key = k if type(k) is str else str(k)
                state = _COLON_NEXT
            elif c == _RBRACE and state == _KEY_OR_END:
                stack.pop()
                if stack:
                    top = stack[-1]
                    top_is_list = type(top) is list
                    state = _COMMA_OR_END
                else:
                    top = None
                    state = _DONE
            else:
                _fail(data)
        elif state == _COLON_NEXT:
            if c != _COLON:
                _fail(data)
            state = _VALUE
        else:  # a second top-level value
            _fail(data)
    if state != _DONE:
        _fail(data)
    return root


#: Use Python's C scanner where it gives Go's tree (tests turn it off to check the slow path).
C_SCANNER = True

_C_DECODER = json.JSONDecoder(
    object_pairs_hook=JObject,
    parse_int=str.encode,
    parse_float=str.encode,
    parse_constant=reject_constant,
)


# Every string token in order (so matches stay aligned on token boundaries), and when one is an
# object key followed by a value token with an escape, that value token too.
_KEY_THEN_ESCAPED_VALUE = re.compile(
    rb'"([^"\\]*(?:\\.[^"\\]*)*)"'
    rb'(?:[ \t\n\r]*:[ \t\n\r]*("[^"\\]*\\.[^"\\]*(?:\\.[^"\\]*)*"))?',
    re.S,
)


def _escaped_raw_value(data: bytes, raw_keys: frozenset[str]) -> bool:
    """Whether some value written with escapes belongs to a key (folded) in `raw_keys`: then its
    raw token matters (time.Time parses it) and only the slow path keeps raw tokens."""
    if not raw_keys or _raw_key_prefilter(raw_keys).search(data) is None:
        return False
    for key, value in _KEY_THEN_ESCAPED_VALUE.findall(data):
        if value:
            k = json.loads(b'"' + key + b'"') if b"\\" in key else key.decode("utf-8")
            if fold_key(k) in raw_keys:
                return True
    return False


_PREFILTERS: dict[tuple[frozenset[str], bool], re.Pattern[bytes]] = {}


def _raw_key_prefilter(raw_keys: frozenset[str], high: bool = False) -> re.Pattern[bytes]:
    """A pattern found in every document where a key of `raw_keys` has an escaped string value
    (with `high`: or one with a non-ASCII byte), and rarely elsewhere: one C-speed search
    instead of `_KEY_THEN_ESCAPED_VALUE`'s walk over every string token. A key folds to a name
    when each character is the name's in either case (or U+017F for ``s``, U+212A for ``k``,
    see fold.py); any escape may spell any character."""
    pattern = _PREFILTERS.get((raw_keys, high))
    if pattern is None:
        any_escape = rb"\\(?:u[0-9a-fA-F]{4}|.)"
        keys = []
        for name in sorted(raw_keys):
            chars = []
            for ch in name:
                options = [re.escape(c.encode()) for c in {ch, ch.upper()}]
                options += [re.escape(c.encode("utf-8")) for c, a in _FOLDS_TO.items() if a == ch]
                chars.append(b"(?:" + b"|".join([*sorted(options), any_escape]) + b")")
            keys.append(b"".join(chars))
        value = rb'"[^"\\\x80-\xff]*[\\\x80-\xff]' if high else rb'"[^"\\]*\\'
        pattern = _PREFILTERS[raw_keys, high] = re.compile(
            b'"(?:' + b"|".join(keys) + rb')"[ \t\n\r]*:[ \t\n\r]*' + value, re.S
        )
    return pattern


# The non-ASCII characters whose folding reaches an ASCII letter (see fold.py).
_FOLDS_TO = {"\u017f": "s", "\u212a": "k"}


def parse(data: bytes, raw_keys: frozenset[str] = frozenset()) -> Any:
    """The parse tree of `data` (``json.Unmarshal``: exactly one value), or `JSONSyntaxError`
    with Go's text.

    `raw_keys`: folded object keys whose string values may be handed to a custom UnmarshalJSON
    (time.Time's ``created``): their raw tokens must be recoverable (see `raw_token`)."""
    # Python's C scanner accepts exactly Go's grammar except NaN/Infinity (rejected by the hook)
    # and any nesting depth (Go allows 10000): see `_c_depth_ok`. Otherwise the slow path
    # decides.
    if not C_SCANNER:
        return _parse_tokens(data)
    if not _c_depth_ok(data):
        return _parse_deep(data)
    text = _c_text(data, raw_keys)
    if text is None:
        return _parse_tokens(data)
    try:
        return _C_DECODER.decode(text)
    except RecursionError:
        return _parse_deep(data)
    except ValueError:
        # Not JSON for Python, so not for Go either: only the error text is left to find.
        message = syntax_error(data)
        if message is None:  # pragma: no cover - a disagreement: let the slow path decide
            return _parse_tokens(data)
        raise JSONSyntaxError(message) from None


def _parse_deep(data: bytes) -> Any:
    """A document nested deeper than the C scanner goes: such documents are mostly too deep
    for Go as well, which Go's scanner finds faster than the tree builder gets there."""
    message = syntax_error(data)
    if message is not None:
        raise JSONSyntaxError(message)
    return _parse_tokens(data)


def _c_depth_ok(data: bytes) -> bool:
    """Whether the C scanner's tree of `data` cannot be deeper than Go allows (10000): it raises
    RecursionError past the interpreter's recursion limit (1000 by default), so only a raised
    limit needs the brackets counted (at most 10000 brackets in all: no deeper than that)."""
    if sys.getrecursionlimit() <= MAX_NESTING_DEPTH:
        return True
    return data.count(b"[") + data.count(b"{") <= MAX_NESTING_DEPTH


def _c_text(data: bytes, raw_keys: frozenset[str], valid_utf8_only: bool = False) -> str | None:
    """The text to give Python's C scanner so that its tree is Go's, or None when only the
    slow path builds Go's tree.

    The C scanner's strings differ from Go's in three ways, all dealt with here: it reads text
    (Go's invalid UTF-8 is one U+FFFD per byte: the text is decoded that way, which cannot
    change the document's structure, as invalid bytes outside strings are syntax errors
    either way); it keeps lone surrogate escapes (Go: U+FFFD: they are rewritten as
    ``\\ufffd``, same length); and its strings do not remember their raw tokens (so a value
    under a raw key written with escapes or non-ASCII bytes takes the slow path)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if valid_utf8_only or (raw_keys and _raw_key_prefilter(raw_keys, True).search(data)):
            return None
        text = data.decode("utf-8", _ERRORS)
    if "\\" in text:
        if raw_keys and _escaped_raw_value(data, raw_keys):
            return None
        if _SURROGATE_ESCAPE_TEXT.search(text) is not None:
            text = _LONE_SURROGATE_ESCAPE.sub(_fffd_escape, text)
    return text


# A \u escape of a UTF-16 surrogate (possibly after an escaped backslash: a false alarm).
_SURROGATE_ESCAPE_TEXT = re.compile(r"\\u[dD][89a-fA-F]")
# Escapes in order: an escaped backslash (skipped, so what follows it is not taken for an
# escape), a high surrogate escape followed by a low one (a pair: kept), any other surrogate
# escape (alone: Go's unquote makes it U+FFFD, as utf16.DecodeRune fails on it).
_LONE_SURROGATE_ESCAPE = re.compile(
    r"(\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)


def _fffd_escape(m: re.Match[str]) -> str:
    return m.group(1) or "\\ufffd"


_JSON_SPACE = " \t\n\r"


def parse_first(data: bytes, raw_keys: frozenset[str] = frozenset()) -> tuple[Any, int]:
    """The parse tree of the first value of `data` and where it ends (``data[:end]`` holds it),
    as ``json.Decoder.Decode`` reads it: what follows the value is left alone, and input that
    ends inside the value is ``unexpected EOF``. `JSONSyntaxError` with Go's text otherwise."""
    if C_SCANNER and _c_depth_ok(data):
        # (valid UTF-8 only: the end is then the same in text and in bytes)
        text = _c_text(data, raw_keys, valid_utf8_only=True)
        if text is not None:
            start = len(text) - len(text.lstrip(_JSON_SPACE))
            # Containers only: after a top-level number the C scanner stops at a '.', 'e' or
            # 'E' that Go's scanner would take (and fail on); the slow path knows.
            if start < len(text) and text[start] in "{[":
                try:
                    tree, end = _C_DECODER.raw_decode(text, start)
                except (ValueError, RecursionError):
                    pass  # the slow path finds Go's error (or the deep value)
                else:
                    if not data.isascii():
                        end = len(text[:end].encode("utf-8"))
                    return tree, end
    # The slow path: Go's scanner finds where the value ends (or its error), then the value
    # alone is one valid document.
    end, message = first_value_end(data)
    if message is not None:
        raise JSONSyntaxError(message)
    return parse(data[:end], raw_keys), end


def raw_token(node: Any, data: bytes, root: Any) -> bytes:
    """The exact bytes of `node`'s value in `data` (what a Go UnmarshalJSON method receives)."""
    t = type(node)
    if t is str:
        text: str = node
        return b'"' + text.encode("utf-8") + b'"'
    if t is RawStr:
        raw: bytes = node.raw
        return raw
    if t is bytes:
        return bytes(node)  # a number literal
    if node is None:
        return b"null"
    if t is bool:
        return b"true" if node else b"false"
    return _container_span(node, data, root)


def _container_span(node: Any, data: bytes, root: Any) -> bytes:
    """Rare path (a time.Time given an array or object): find the container's ordinal among
    all containers in document order, then its bytes by re-tokenizing with offsets."""
    ordinal = 0
    todo = [root]
    found = False
    while todo:
        n = todo.pop()
        tn = type(n)
        if tn is list or tn is JObject:
            if n is node:
                found = True
                break
            ordinal += 1
            children = n if tn is list else [v for _, v in n]
            todo.extend(reversed(children))
    if not found:  # pragma: no cover
        raise AssertionError("gojson: node not in tree")
    end = len(data.rstrip(b" \t\n\r"))
    seen = -1
    depth = 0
    start = 0
    for m in _TOKEN.finditer(data, 0, end):
        c = data[m.start(1)]
        if c not in (_LBRACE, _LBRACKET, _RBRACE, _RBRACKET):
            continue
        # a token may be a run of brackets (with whitespace): take them one by one
        for pos in range(m.start(1), m.end(1)):
            b = data[pos]
            if b in (_LBRACE, _LBRACKET):
                if depth:
                    depth += 1
                else:
                    seen += 1
                    if seen == ordinal:
                        start = pos
                        depth = 1
            elif depth and b in (_RBRACE, _RBRACKET):
                depth -= 1
                if depth == 0:
                    return data[start : pos + 1]
    raise AssertionError("gojson: container span not found")  # pragma: no cover
