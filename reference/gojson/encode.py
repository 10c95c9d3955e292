"""Go 1.19 ``json.Marshal`` of values of declared Go types (encode.go).

* struct fields in declaration order (Go's typeFields: embedded fields in place), ``omitempty``
  leaves out "", 0, false, nil pointers and zero-length slices/maps (never a struct, so never a
  time.Time);
* strings escaped like Go with HTML escaping on: ``<`` ``>`` ``&`` U+2028 U+2029 as ``\\u003c``
  etc., control characters as ``\\u00XX`` in lower case except ``\\n \\r \\t`` (no ``\\b \\f``),
  DEL and all other non-ASCII raw;
* map keys sorted by their UTF-8 bytes; nil slices/maps/pointers as ``null``; []byte as padded
  standard base64;
* time.Time through ``GoTime.json_text`` with the Go type Go reports in the error: a
  ``*time.Time`` field is ``*time.Time``; a ``time.Time`` field is ``time.Time`` (checked with the
  oracle: Go's addrMarshalerEncoder reports ``v.Type()``, the value type, even though it calls
  the method through the field's address).

Errors raise GoError with Go's text (the whole Marshal fails, as in Go).

Three ways of writing (`_Mode`): ``json.Marshal`` (HTML escaped); a ``json.Encoder`` after
``SetEscapeHTML(false)`` (the oracle's response lines); and ``json.Marshal``'s text already
escaped as the content of a JSON string (`Escaped`): the oracle prints such texts (``state``,
``oci``, ...) as strings of its response, and writing them that way directly costs nothing,
where escaping them afterwards is a pass over every byte.

Speed: struct encoders are generated per type (one block per field, strings, times, []string
and the common maps written inline); strings are checked with one regex search and, when they
need escaping, escaped by Python's C encoder plus Go's few differences.
"""

from __future__ import annotations

import binascii
import re
import threading
from collections.abc import Callable
from json.encoder import encode_basestring as _c_encode_basestring
from typing import Any

from reference import gotime
from reference.errors import GoError
from reference.gojson.types import GoType, Kind, MapType, PtrType, SliceType, StructType

__all__ = ["Escaped", "compact", "marshal", "marshal_reusing", "marshal_string", "quote"]

_Encoder = Callable[[Any, list[str]], None]

# Everything Go's encodeState.string does not copy through verbatim (lone surrogates can only
# come from Python code, never from the decoder: see _escape), with and without HTML escaping.
_NEEDS_ESCAPE = re.compile('[\x00-\x1f"\\\\<>&\u2028\u2029\ud800-\udfff]')
_NEEDS_ESCAPE_NO_HTML = re.compile('[\x00-\x1f"\\\\\u2028\u2029\ud800-\udfff]')
_ESCAPES = {chr(c): f"\\u{c:04x}" for c in range(0x20)}
_ESCAPES.update(
    {
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        '"': '\\"',
        "\\": "\\\\",
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    esc = _ESCAPES.get(ch)
    if esc is not None:
        return esc
    # A lone surrogate stands for invalid UTF-8 in a Go string: Go writes \ufffd per invalid
    # byte. U+DC80..U+DCFF is Python's surrogateescape for one byte; others are 3 bytes.
    return "\\ufffd" if "\udc80" <= ch <= "\udcff" else "\\ufffd" * 3


_ESCAPE_PAIR = re.compile(r"\\(.)", re.S)
_GO_SHORT = {"b": "\\u0008", "f": "\\u000c"}


def _go_short_escape(m: re.Match[str]) -> str:
    return _GO_SHORT.get(m.group(1), m.group())


class Escaped(str):
    """A Go string that is a ``json.Marshal`` text, held already escaped as the content of a
    JSON string (its ``\\`` and ``"`` escaped: Marshal's text has no other character that needs
    it, HTML's included). `quote` writes it between quotes as it is."""

    __slots__ = ()


def quote(s: str, escape_html: bool = True) -> str:
    """Go's encodeState.string(s, escapeHTML): the JSON string literal. ``json.Marshal`` escapes
    HTML; a ``json.Encoder`` after ``SetEscapeHTML(false)`` does not (the oracle's responses)."""
    needs = _NEEDS_ESCAPE if escape_html else _NEEDS_ESCAPE_NO_HTML
    if needs.search(s) is None:
        return '"' + s + '"'
    if type(s) is Escaped:
        return '"' + s + '"'
    ascii_only = s.isascii()
    if not ascii_only and _has_surrogate(s):
        return '"' + needs.sub(_escape, s) + '"'  # (without HTML, <>& are not matched)
    # Python's C encoder escapes the same characters as Go (lower-case \u00XX, DEL and
    # non-ASCII raw) except for \b and \f (Go: \u0008, \u000c) and HTML's <, >, & and
    # U+2028, U+2029, fixed up below; it is much faster than a substitution per character.
    q: str = _c_encode_basestring(s)
    if "\b" in s or "\f" in s:  # (one-character searches are the fast ones)
        q = _ESCAPE_PAIR.sub(_go_short_escape, q)  # pairs, so "\\\\b" stays as it is
    if escape_html:
        if "<" in q:
            q = q.replace("<", "\\u003c")
        if ">" in q:
            q = q.replace(">", "\\u003e")
        if "&" in q:
            q = q.replace("&", "\\u0026")
    if not ascii_only:
        if "\u2028" in q:
            q = q.replace("\u2028", "\\u2028")
        if "\u2029" in q:
            q = q.replace("\u2029", "\\u2029")
    return q


def _has_surrogate(s: str) -> bool:
    """Whether `s` holds a lone surrogate (UTF-8 encoding fails at C speed exactly then)."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _quote_no_html(s: str) -> str:
    return quote(s, False)


def _embed(text: str) -> str:
    """A Marshal text (HTML escaped) as the content of a JSON string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _unembed(text: str) -> str:
    """`_embed` undone."""
    return _ESCAPE_PAIR.sub(_unescape_pair, text)


def _unescape_pair(m: re.Match[str]) -> str:
    return m.group(1)


def _quote_embedded(s: str) -> str:
    return _embed(quote(s))


class _Mode:
    """How strings are written: `q` quotes one, `ns` finds whether it needs escaping (when it
    does not, the literal is `Q` + s + `Q`), `text` writes a constant piece of JSON text.
    (`q` and `ns` are read from this module when an encoder is built, not before.)"""

    __slots__ = ("Q", "embedded", "escape_html", "name", "text")

    def __init__(
        self, name: str, escape_html: bool, embedded: bool, text: Callable[[str], str]
    ) -> None:
        self.name = name
        self.escape_html = escape_html  # (json.RawMessage's compact escapes HTML too)
        self.embedded = embedded
        self.Q = '\\"' if embedded else '"'
        self.text = text

    @property
    def q(self) -> Callable[[str], str]:
        if self.embedded:
            return _quote_embedded
        return quote if self.escape_html else _quote_no_html

    @property
    def ns(self) -> Callable[[str], re.Match[str] | None]:
        return (_NEEDS_ESCAPE if self.escape_html else _NEEDS_ESCAPE_NO_HTML).search

    def __bool__(self) -> bool:
        # True when it escapes HTML: builders once took that flag, and code written for the
        # flag (tests that wrap them) still reads a mode right.
        return self.escape_html


def _same(text: str) -> str:
    return text


_MARSHAL = _Mode("marshal", True, False, _same)
_NO_HTML = _Mode("no_html", False, False, _same)
# (a string that Marshal writes without escapes has no '"' or '\\': it embeds as it is)
_EMBEDDED = _Mode("embedded", True, True, _embed)

_CACHE: dict[tuple[GoType, _Mode], _Encoder] = {}


#: Write embedded texts with their own encoders (tests, and code that patches the encoders,
#: turn it off: the embedded text is then Marshal's text escaped afterwards, the slow way).
EMBEDDED_ENCODERS = True


def _mode(escape_html: bool, embedded: bool) -> _Mode:
    if embedded:
        if not escape_html:
            raise ValueError("gojson: an embedded text is json.Marshal's (HTML escaped)")
        return _EMBEDDED
    return _MARSHAL if escape_html else _NO_HTML


def encoder_for(t: GoType, escape_html: bool = True, embedded: bool = False) -> _Encoder:
    """The (cached) encoder of `t`."""
    return _encoder(t, _mode(escape_html, embedded))


def _encoder(t: GoType, mode: _Mode) -> _Encoder:
    """The (cached) encoder of `t` in `mode`. Struct encoders are generated with their field
    encoders at hand; while one is being built (under the lock, so that other threads wait for
    it), a recursive reference to it gets a forwarder."""
    key = (t, mode)
    enc = _CACHE.get(key)
    if enc is None:
        with _BUILD_LOCK:
            enc = _CACHE.get(key) or _BUILDING.get(key)
            if enc is None:

                def forward(v: Any, out: list[str]) -> None:
                    _CACHE[key](v, out)

                _BUILDING[key] = forward
                try:
                    enc = _CACHE[key] = _build(t, mode)
                finally:
                    del _BUILDING[key]
    return enc


_BUILD_LOCK = threading.RLock()
_BUILDING: dict[tuple[GoType, _Mode], _Encoder] = {}


def _build(t: GoType, mode: _Mode) -> _Encoder:
    k = t.kind
    if k is Kind.STRING:
        q = mode.q

        def enc_string(v: Any, out: list[str]) -> None:
            out.append(q(v))

        return enc_string
    if k is Kind.BOOL:
        return _enc_bool
    if k is Kind.INT or k is Kind.UINT8:
        return _enc_int
    if k is Kind.TIME:
        return _time_encoder(t.name, mode)
    if k is Kind.BYTES:
        b64 = _b64 if not mode.embedded else _b64_embedded

        def enc_bytes(v: Any, out: list[str]) -> None:
            out.append("null" if v is None else b64(v))

        return enc_bytes
    if k is Kind.EMPTY_STRUCT:
        return _enc_empty_struct
    if k is Kind.RAW_MESSAGE:

        def enc_raw(v: Any, out: list[str]) -> None:
            if v is None:
                out.append("null")
            else:
                text = compact(v, mode.escape_html).decode("utf-8", "surrogateescape")
                out.append(mode.text(text))

        return enc_raw
    if isinstance(t, PtrType):
        return _ptr_encoder(t, mode)
    if isinstance(t, SliceType) or k is Kind.STRSLICE:
        elem = t.elem if isinstance(t, SliceType) else _STRING
        return _slice_encoder(elem, mode)
    if isinstance(t, MapType):
        return _map_encoder(t, mode)
    if isinstance(t, StructType):
        enc: _Encoder = _generate_struct_encoder(t, mode, frozenset())
        return enc
    raise TypeError(f"gojson: no encoder for {t!r}")  # pragma: no cover


def _enc_bool(v: Any, out: list[str]) -> None:
    out.append("true" if v else "false")


def _enc_int(v: Any, out: list[str]) -> None:
    out.append(str(int(v)))


def _enc_empty_struct(v: Any, out: list[str]) -> None:
    out.append("{}")


def _b64(v: bytes) -> str:
    return '"' + binascii.b2a_base64(v, newline=False).decode("ascii") + '"'


def _b64_embedded(v: bytes) -> str:
    return '\\"' + binascii.b2a_base64(v, newline=False).decode("ascii") + '\\"'


_COMPACT = re.compile(rb'("[^"\\]*(?:\\.[^"\\]*)*")|[ \t\r\n]+', re.S)
_HTML_BYTES = re.compile(rb"[<>&]|\xe2\x80[\xa8\xa9]")


def _keep_string(m: re.Match[bytes]) -> bytes:
    return m.group(1) or b""


def _escape_html_byte(m: re.Match[bytes]) -> bytes:
    return _ESCAPES[m.group().decode()].encode()


def compact(raw: bytes, escape_html: bool = True) -> bytes:
    """Go's ``compact`` of a valid JSON text (what encoding/json does to a ``MarshalJSON``
    result such as a json.RawMessage): the whitespace between tokens removed and, with
    `escape_html`, ``<``, ``>``, ``&``, U+2028 and U+2029 escaped (only strings can hold them).
    Bytes are copied as they are, invalid UTF-8 included."""
    out = raw
    if b" " in raw or b"\n" in raw or b"\t" in raw or b"\r" in raw:
        out = _COMPACT.sub(_keep_string, raw)
    if escape_html and _HTML_BYTES.search(out) is not None:
        out = _HTML_BYTES.sub(_escape_html_byte, out)
    return out


def _time_json(v: Any, go_type: str) -> str:
    """A time.Time's (or *time.Time's, as `go_type` says) MarshalJSON text, or its GoError."""
    text: str | None = v.json_text()
    if text is None:
        raise GoError(gotime.marshal_error(go_type))
    return text


def _time_json_embedded(v: Any, go_type: str) -> str:
    return "\\" + _time_json(v, go_type)[:-1] + '\\"'  # (no '"' or '\\' inside: RFC 3339)


def _time_encoder(go_type: str, mode: _Mode) -> _Encoder:
    tj = _time_json if not mode.embedded else _time_json_embedded

    def enc(v: Any, out: list[str]) -> None:
        out.append(tj(v, go_type))

    return enc


def _ptr_encoder(t: PtrType, mode: _Mode) -> _Encoder:
    if t.elem.kind is Kind.TIME:
        # a *time.Time is a Marshaler itself: the error names the pointer type
        tenc = _time_encoder(t.name, mode)

        def enc_time(v: Any, out: list[str]) -> None:
            if v is None:
                out.append("null")
            else:
                tenc(v, out)

        return enc_time
    elem_enc = _encoder(t.elem, mode)

    def enc(v: Any, out: list[str]) -> None:
        if v is None:
            out.append("null")
        else:
            elem_enc(v, out)

    return enc


def _slice_encoder(elem_t: GoType, mode: _Mode) -> _Encoder:
    if elem_t.kind is Kind.STRING:
        ns, q, quote_char = mode.ns, mode.q, mode.Q

        def enc_strings(v: Any, out: list[str]) -> None:
            out.append("null" if v is None else _string_list(v, ns, q, quote_char))

        return enc_strings
    elem_enc = _encoder(elem_t, mode)

    def enc(v: Any, out: list[str]) -> None:
        if v is None:
            out.append("null")
            return
        if not v:
            out.append("[]")
            return
        sep = "["
        for item in v:
            out.append(sep)
            sep = ","
            elem_enc(item, out)
        out.append("]")

    return enc


def _string_list(x: list[str], ns: Any, q: Callable[[str], str], quote_char: str) -> str:
    """A []string (not nil): one search for all its strings in the common case."""
    if not x:
        return "[]"
    if ns("".join(x)) is None:
        sep = quote_char + "," + quote_char
        return "[" + quote_char + sep.join(x) + quote_char + "]"
    return "[" + ",".join([q(y) for y in x]) + "]"


def _map_encoder(t: MapType, mode: _Mode) -> _Encoder:
    elem_t = t.elem
    ns, q, quote_char = mode.ns, mode.q, mode.Q
    # Go sorts by the keys' bytes; for valid Unicode that is code point order, Python's.
    if elem_t.kind is Kind.STRING:
        between = quote_char + ":" + quote_char

        def enc_strings(v: Any, out: list[str]) -> None:
            if v is None:
                out.append("null")
                return
            keys = sorted(v)
            values = [v[k] for k in keys]
            if ns("".join(keys)) is None and ns("".join(values)) is None:
                # nothing to escape (the common case): one search for all the strings
                items = [
                    quote_char + k + between + x + quote_char
                    for k, x in zip(keys, values, strict=True)
                ]
            else:
                items = [q(k) + ":" + q(x) for k, x in zip(keys, values, strict=True)]
            out.append("{" + ",".join(items) + "}")

        return enc_strings
    if elem_t.kind is Kind.EMPTY_STRUCT:
        after = quote_char + ":{}"

        def enc_set(v: Any, out: list[str]) -> None:
            if v is None:
                out.append("null")
                return
            keys = sorted(v)
            if ns("".join(keys)) is None:
                out.append("{" + ",".join([quote_char + k + after for k in keys]) + "}")
            else:
                out.append("{" + ",".join([q(k) + ":{}" for k in keys]) + "}")

        return enc_set
    elem_enc = _encoder(elem_t, mode)

    def enc(v: Any, out: list[str]) -> None:
        if v is None:
            out.append("null")
            return
        if not v:
            out.append("{}")
            return
        sep = "{"
        for key in sorted(v):
            out.append(sep + q(key) + ":")
            sep = ","
            elem_enc(v[key], out)
        out.append("}")

    return enc


# omitempty tests, by kind: "falsy" (Go's zero-length / false / 0) or "nil" (pointers).
_FALSY_KINDS = {
    Kind.STRING,
    Kind.BOOL,
    Kind.INT,
    Kind.UINT8,
    Kind.SLICE,
    Kind.BYTES,
    Kind.MAP,
    Kind.STRSLICE,
    Kind.RAW_MESSAGE,
}


def _generate_struct_encoder(t: StructType, mode: _Mode, reuse: frozenset[str]) -> Any:
    """A function generated for the struct: one straight block per JSON field (Go's field
    order, omitempty test, key bytes and value encoding), strings, bools, ints, times and
    []string written inline, other values through their own encoders.

    With `reuse` (attributes of struct-valued fields), the function takes a third argument:
    the texts of those fields, already encoded (or the GoError their encoding raised)."""
    # Per-type data is bound in the function's closure; helpers (_time_json, _b64, ...) are
    # this module's globals, looked up when called, as in hand-written code.
    closure: dict[str, Any] = {"ns": mode.ns, "q": mode.q, "QC": mode.Q}
    tj = "_time_json_embedded" if mode.embedded else "_time_json"
    b64 = "_b64_embedded" if mode.embedded else "_b64"
    head = ["def enc(v, out, known):" if reuse else "def enc(v, out):", "    a = out.append"]
    body: list[str] = []
    state = "start"  # nothing written yet / "dynamic": maybe (in `s`) / "done": surely
    # A pointer field pointing at an earlier struct field of the same struct (V2Image's Config
    # = &ContainerConfig after fixupConfig) prints the same text: that text is kept.
    kept: dict[GoType, str] = {}  # struct type -> the attribute whose text is kept
    for f in t.json_fields:
        if isinstance(f.type, PtrType) and isinstance(f.type.elem, StructType):
            for g in t.json_fields:
                if g is f:
                    break
                if g.type is f.type.elem and g.attr not in reuse:
                    kept.setdefault(g.type, g.attr)
    qc = repr(mode.Q)
    str_expr = "(" + qc + " + {0} + " + qc + " if ns({0}) is None else q({0}))"
    for i, f in enumerate(t.json_fields):
        ft = f.type
        kind = ft.kind
        omit = ""
        if f.omitempty:
            if kind in _FALSY_KINDS:
                omit = "if x:"
            elif kind is Kind.PTR:
                omit = "if x is not None:"
        key = mode.text(quote(f.name)) + ":"
        if state == "done":
            prefix = repr("," + key)
        elif state == "start" and not omit:
            prefix = repr("{" + key)
        else:
            if state == "start":
                head.append("    s = '{'")
                state = "dynamic"
            prefix = "s + " + repr(key)
        body.append(f"    x = v.{f.attr}")
        ind = "    "
        if omit:
            body.append(ind + omit)
            ind += "    "
        elem = ft.elem if isinstance(ft, (PtrType, SliceType)) else None
        if f.attr in reuse:
            if kind is not Kind.STRUCT:
                raise TypeError(f"gojson: only struct fields can be reused, not {f.attr}")
            body[-1] = f"    x = known[{f.attr!r}]"
            body.append(f"{ind}if type(x) is not str and type(x) is not Escaped:")
            body.append(f"{ind}    raise GoError(str(x))")  # (not x: its traceback would hold us)
            body.append(f"{ind}a({prefix} + x)")
        elif kind is Kind.STRING:
            body.append(f"{ind}a({prefix} + {str_expr.format('x')})")
        elif kind is Kind.BOOL:
            body.append(f"{ind}a({prefix} + ('true' if x else 'false'))")
        elif kind is Kind.INT or kind is Kind.UINT8:
            body.append(f"{ind}a({prefix} + str(int(x)))")
        elif kind is Kind.TIME:
            body.append(f"{ind}a({prefix} + {tj}(x, {ft.name!r}))")
        elif kind is Kind.PTR and elem is not None and elem.kind is Kind.TIME:
            body.append(f"{ind}a({prefix} + ('null' if x is None else {tj}(x, {ft.name!r})))")
        elif kind is Kind.BYTES:
            body.append(f"{ind}a({prefix} + ('null' if x is None else {b64}(x)))")
        elif kind is Kind.STRSLICE or (
            kind is Kind.SLICE and elem is not None and elem.kind is Kind.STRING
        ):
            body.append(f"{ind}a({prefix} + ('null' if x is None else _string_list(x, ns, q, QC)))")
        elif kind is Kind.PTR:
            closure[f"e{i}"] = _encoder(ft, mode)
            body.append(f"{ind}if x is None:")
            body.append(f"{ind}    a({prefix} + 'null')")
            if elem in kept:
                body.append(f"{ind}elif x is v.{kept[elem]}:")
                body.append(f"{ind}    a({prefix} + t_{kept[elem]})")
            body.append(f"{ind}else:")
            body.append(f"{ind}    a({prefix})")
            body.append(f"{ind}    e{i}(x, out)")
        elif kept.get(ft) == f.attr:
            closure[f"e{i}"] = _encoder(ft, mode)
            body.append(f"{ind}o = []")
            body.append(f"{ind}e{i}(x, o)")
            body.append(f"{ind}t_{f.attr} = ''.join(o)")
            body.append(f"{ind}a({prefix} + t_{f.attr})")
        else:
            closure[f"e{i}"] = _encoder(ft, mode)
            body.append(f"{ind}a({prefix})")
            body.append(f"{ind}e{i}(x, out)")
        if omit and state == "dynamic":
            body.append(f"{ind}s = ','")
        if not omit:
            state = "done"
    if state == "done":
        body.append("    a('}')")
    elif state == "start":
        body.append("    a('{}')")
    else:
        body.append("    a('}' if s == ',' else '{}')")
    factory = "def make(" + ", ".join(closure) + "):\n"
    src = factory + "".join(f"    {line}\n" for line in head + body) + "    return enc\n"
    made: dict[str, Any] = {}
    name = f"<gojson {mode.name} encoder of {t.name}>"
    exec(compile(src, name, "exec"), globals(), made)  # generated from declared fields only
    return made["make"](**closure)


_STRING = GoType(Kind.STRING, "string")


_REUSING: dict[tuple[StructType, _Mode, frozenset[str]], Any] = {}


def marshal_reusing(
    t: GoType, value: Any, known: dict[str, str | GoError], embedded: bool = False
) -> str:
    """`marshal_string` for a struct or pointer-to-struct type `t`, where the struct fields
    named in `known` (attributes) are not encoded again: `known` gives what encoding them gave,
    the text or the GoError raised. The same text (or error) as `marshal_string` when each is
    what ``marshal_string(field type, field value, embedded=embedded)`` gives, in a fraction of
    the time when the caller needed those texts anyway."""
    st = t.elem if isinstance(t, PtrType) else t
    if not isinstance(st, StructType):
        raise TypeError(f"gojson: marshal_reusing needs a struct type, not {t!r}")
    if value is None:  # a nil pointer
        return Escaped("null") if embedded else "null"
    if embedded and not EMBEDDED_ENCODERS:
        plain = {k: v if isinstance(v, GoError) else _unembed(v) for k, v in known.items()}
        return Escaped(_embed(marshal_reusing(t, value, plain)))
    mode = _mode(True, embedded)
    key = (st, mode, frozenset(known))
    enc = _REUSING.get(key)
    if enc is None:
        enc = _REUSING[key] = _generate_struct_encoder(st, mode, key[2])
    out: list[str] = []
    enc(value, out, known)
    return Escaped("".join(out)) if embedded else "".join(out)


def marshal_string(t: GoType, value: Any, escape_html: bool = True, embedded: bool = False) -> str:
    """`marshal`'s text as a str (what Go's ``string(b)`` of it is), for callers that want
    text, without the round trip through bytes. (Only a json.RawMessage holding invalid UTF-8
    would give lone surrogates here, as ``surrogateescape`` does; no original type has one.)

    `embedded`: that text as an `Escaped` (the content of a JSON string), written so directly.
    """
    if embedded and not EMBEDDED_ENCODERS:
        return Escaped(_embed(marshal_string(t, value, escape_html)))
    out: list[str] = []
    _encoder(t, _mode(escape_html, embedded))(value, out)
    return Escaped("".join(out)) if embedded else "".join(out)


def marshal(t: GoType, value: Any, escape_html: bool = True) -> bytes:
    """``json.Marshal(&value)`` for `value` of Go type `t`; raises GoError like Go's error.
    Without `escape_html`, what a ``json.Encoder`` after ``SetEscapeHTML(false)`` writes (less
    its newline)."""
    out: list[str] = []
    _encoder(t, _NO_HTML if not escape_html else _MARSHAL)(value, out)
    return "".join(out).encode("utf-8", "surrogateescape")
