"""Go 1.19 ``json.Marshal`` of values of declared Go types (encode.go).

* struct fields in declaration order (Go's typeFields: embedded fields in place), ``omitempty``
  leaves out "", 0, false, nil pointers and zero-length slices/maps (never a struct, so never a
  time.Time);
* strings escaped like Go with HTML escaping on: ``<`` ``>`` ``&`` U+2028 U+2029 as ``\\u003c``
  etc., control characters as ``\\u00XX`` in lower case except ``\\n \\r \\t`` (no ``\\b \\f``),
  DEL and all other non-ASCII raw;
* map keys sorted by their UTF-8 bytes; nil slices/maps/pointers as ``null``; []byte as padded
  standard base64;
* time.Time through ``GoTime.marshal_json`` with the Go type Go reports in the error: a
  ``*time.Time`` field is ``*time.Time``; a ``time.Time`` field is ``time.Time`` (checked with the
  oracle: Go's addrMarshalerEncoder reports ``v.Type()``, the value type, even though it calls
  the method through the field's address).

Errors raise GoError with Go's text (the whole Marshal fails, as in Go).
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Callable
from json.encoder import encode_basestring as _c_encode_basestring
from typing import Any

from reference.gojson.types import GoType, Kind, MapType, PtrType, SliceType, StructType

__all__ = ["compact", "marshal", "quote"]

_Encoder = Callable[[Any, list[str]], None]
_CACHE: dict[tuple[GoType, bool], _Encoder] = {}

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


_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE_PAIR = re.compile(r"\\(.)", re.S)
_GO_SHORT = {"b": "\\u0008", "f": "\\u000c"}


def _go_short_escape(m: re.Match[str]) -> str:
    return _GO_SHORT.get(m.group(1), m.group())


def quote(s: str, escape_html: bool = True) -> str:
    """Go's encodeState.string(s, escapeHTML): the JSON string literal. ``json.Marshal`` escapes
    HTML; a ``json.Encoder`` after ``SetEscapeHTML(false)`` does not (the oracle's responses)."""
    needs = _NEEDS_ESCAPE if escape_html else _NEEDS_ESCAPE_NO_HTML
    if needs.search(s) is None:
        return '"' + s + '"'
    if _SURROGATE.search(s) is not None:
        return '"' + needs.sub(_escape, s) + '"'  # (without HTML, <>& are not matched)
    # Python's C encoder escapes the same characters as Go (lower-case \u00XX, DEL and
    # non-ASCII raw) except for \b and \f (Go: \u0008, \u000c) and HTML's <, >, & and
    # U+2028, U+2029, fixed up below; it is much faster than a substitution per character.
    q = _c_encode_basestring(s)
    if "\\b" in q or "\\f" in q:
        q = _ESCAPE_PAIR.sub(_go_short_escape, q)  # pairs, so "\\\\b" stays as it is
    if escape_html:
        if "<" in q:
            q = q.replace("<", "\\u003c")
        if ">" in q:
            q = q.replace(">", "\\u003e")
        if "&" in q:
            q = q.replace("&", "\\u0026")
    if "\u2028" in q:
        q = q.replace("\u2028", "\\u2028")
    if "\u2029" in q:
        q = q.replace("\u2029", "\\u2029")
    return q


def encoder_for(t: GoType, escape_html: bool = True) -> _Encoder:
    """The (cached) encoder of `t`; composite encoders look their children up on first use."""
    enc = _CACHE.get((t, escape_html))
    if enc is None:
        enc = _CACHE[t, escape_html] = _build(t, escape_html)
    return enc


def _build(t: GoType, escape_html: bool) -> _Encoder:
    k = t.kind
    if k is Kind.STRING:
        return _enc_string if escape_html else _enc_string_no_html
    if k is Kind.BOOL:
        return _enc_bool
    if k is Kind.INT or k is Kind.UINT8:
        return _enc_int
    if k is Kind.TIME:
        return _time_encoder(t.name)
    if k is Kind.BYTES:
        return _enc_bytes
    if k is Kind.EMPTY_STRUCT:
        return _enc_empty_struct
    if k is Kind.RAW_MESSAGE:
        return _enc_raw_message if escape_html else _enc_raw_message_no_html
    if isinstance(t, PtrType):
        return _ptr_encoder(t, escape_html)
    if isinstance(t, SliceType) or k is Kind.STRSLICE:
        elem = t.elem if isinstance(t, SliceType) else _STRING
        return _slice_encoder(elem, escape_html)
    if isinstance(t, MapType):
        return _map_encoder(t, escape_html)
    if isinstance(t, StructType):
        return _struct_encoder(t, escape_html)
    raise TypeError(f"gojson: no encoder for {t!r}")  # pragma: no cover


def _enc_string(v: Any, out: list[str]) -> None:
    out.append(quote(v))


def _enc_string_no_html(v: Any, out: list[str]) -> None:
    out.append(quote(v, False))


def _enc_bool(v: Any, out: list[str]) -> None:
    out.append("true" if v else "false")


def _enc_int(v: Any, out: list[str]) -> None:
    out.append(str(int(v)))


def _enc_bytes(v: Any, out: list[str]) -> None:
    if v is None:
        out.append("null")
    else:
        out.append('"' + binascii.b2a_base64(bytes(v), newline=False).decode("ascii") + '"')


def _enc_empty_struct(v: Any, out: list[str]) -> None:
    out.append("{}")


def _enc_raw_message(v: Any, out: list[str]) -> None:
    out.append("null" if v is None else compact(v, True).decode("utf-8", "surrogateescape"))


def _enc_raw_message_no_html(v: Any, out: list[str]) -> None:
    out.append("null" if v is None else compact(v, False).decode("utf-8", "surrogateescape"))


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


def _time_encoder(go_type: str) -> _Encoder:
    def enc(v: Any, out: list[str]) -> None:
        out.append(v.marshal_json(go_type).decode("utf-8"))

    return enc


def _ptr_encoder(t: PtrType, escape_html: bool) -> _Encoder:
    if t.elem.kind is Kind.TIME:
        # a *time.Time is a Marshaler itself: the error names the pointer type
        tenc = _time_encoder(t.name)

        def enc_time(v: Any, out: list[str]) -> None:
            if v is None:
                out.append("null")
            else:
                tenc(v, out)

        return enc_time
    elem_t = t.elem
    elem_enc: _Encoder | None = None

    def enc(v: Any, out: list[str]) -> None:
        nonlocal elem_enc
        if v is None:
            out.append("null")
            return
        if elem_enc is None:
            elem_enc = encoder_for(elem_t, escape_html)
        elem_enc(v, out)

    return enc


def _slice_encoder(elem_t: GoType, escape_html: bool) -> _Encoder:
    elem_enc: _Encoder | None = None

    def enc(v: Any, out: list[str]) -> None:
        nonlocal elem_enc
        if v is None:
            out.append("null")
            return
        if not v:
            out.append("[]")
            return
        if elem_enc is None:
            elem_enc = encoder_for(elem_t, escape_html)
        if elem_enc is _enc_string:
            out.append("[" + ",".join([quote(s) for s in v]) + "]")
            return
        sep = "["
        for item in v:
            out.append(sep)
            sep = ","
            elem_enc(item, out)
        out.append("]")

    return enc


def _map_encoder(t: MapType, escape_html: bool) -> _Encoder:
    elem_t = t.elem
    elem_enc: _Encoder | None = None

    def enc(v: Any, out: list[str]) -> None:
        nonlocal elem_enc
        if v is None:
            out.append("null")
            return
        if not v:
            out.append("{}")
            return
        if elem_enc is None:
            elem_enc = encoder_for(elem_t, escape_html)
        sep = "{"
        # Go sorts by the keys' bytes; for valid Unicode that is code point order, Python's.
        for key in sorted(v):
            out.append(sep + quote(key, escape_html) + ":")
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


_INLINE = {Kind.STRING: 1, Kind.BOOL: 2, Kind.INT: 3}


def _struct_encoder(t: StructType, escape_html: bool) -> _Encoder:
    # per JSON field: (attribute, '"key":', omit mode, inline kind, field type); omit mode 0 =
    # never, 1 = when falsy (Go's "", 0, false, zero length), 2 = when None (nil pointer);
    # inline kind: 1 string, 2 bool, 3 int, 0 the field's encoder
    plan: list[tuple[str, str, int, int, GoType]] = []
    for f in t.json_fields:
        mode = 0
        if f.omitempty:
            if f.type.kind in _FALSY_KINDS:
                mode = 1
            elif f.type.kind is Kind.PTR:
                mode = 2
        key = quote(f.name, escape_html) + ":"
        plan.append((f.attr, key, mode, _INLINE.get(f.type.kind, 0), f.type))
    resolved: list[tuple[str, str, int, int, _Encoder]] | None = None

    def enc(v: Any, out: list[str]) -> None:
        nonlocal resolved
        if resolved is None:
            resolved = [(a, k, m, i, encoder_for(ft, escape_html)) for a, k, m, i, ft in plan]
        sep = "{"
        for attr, key, mode, inline, fenc in resolved:
            fv = getattr(v, attr)
            if mode == 1:
                if not fv:
                    continue
            elif mode == 2 and fv is None:
                continue
            if inline == 1:
                out.append(sep + key + quote(fv, escape_html))
            elif inline == 2:
                out.append(sep + key + ("true" if fv else "false"))
            elif inline == 3:
                out.append(sep + key + str(int(fv)))
            else:
                out.append(sep + key)
                fenc(fv, out)
            sep = ","
        out.append("}" if sep == "," else "{}")

    return enc


_STRING = GoType(Kind.STRING, "string")


def marshal(t: GoType, value: Any, escape_html: bool = True) -> bytes:
    """``json.Marshal(&value)`` for `value` of Go type `t`; raises GoError like Go's error.
    Without `escape_html`, what a ``json.Encoder`` after ``SetEscapeHTML(false)`` writes (less
    its newline)."""
    out: list[str] = []
    encoder_for(t, escape_html)(value, out)
    return "".join(out).encode("utf-8", "surrogateescape")
