"""Go's ``strconv.Quote`` (what ``fmt``'s ``%q`` prints), the one copy the reference uses.

Error texts of the original, of the oracle's ``main.go`` (``unknown op %q``), of encoding/json
(``json: unknown field %q``, the scanner's ``invalid character 'x'``) and of the store layer all
quote Go strings this way.

A Go string is bytes; the Python ``str`` standing for it follows the reference's one convention
(gojson.encode uses it too): a lone surrogate U+DC80..U+DCFF is one undecodable byte (Python's
``surrogateescape``), any other lone surrogate the three bytes of its ``surrogatepass`` encoding.
``strconv.Quote`` prints each such byte as ``\\xNN``. Strings that come out of the JSON decoder
never hold surrogates (Go's decoder turns invalid UTF-8 into U+FFFD).
"""

from __future__ import annotations

__all__ = ["quote", "quote_byte_rune"]

_ESCAPES = {
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


def _quote_char(ch: str) -> str:
    """One character of ``strconv.Quote``'s output (``"`` escaped; the caller handles ``'``)."""
    esc = _ESCAPES.get(ch)
    if esc is not None:
        return esc
    # strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space: what
    # Python calls printable (no "Other", no "Separator" but the space). (Python's Unicode
    # tables are newer than Go 1.19's; they differ only on code points assigned since.)
    if ch.isprintable():
        return ch
    r = ord(ch)
    if r < 0x20 or r == 0x7F:
        return f"\\x{r:02x}"
    if 0xDC80 <= r <= 0xDCFF:  # surrogateescape: one invalid byte
        return f"\\x{r - 0xDC00:02x}"
    if 0xD800 <= r <= 0xDFFF:  # surrogatepass: the three bytes of an invalid sequence
        return "".join(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
    if r < 0x10000:
        return f"\\u{r:04x}"
    return f"\\U{r:08x}"


def quote(s: str) -> str:
    """``strconv.Quote(s)``."""
    if s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'  # the common case: nothing to escape
    return '"' + "".join([_quote_char(ch) for ch in s]) + '"'


def quote_byte_rune(c: int) -> str:
    """encoding/json's ``quoteChar(c)``: the byte ``c`` taken as the rune U+00cc, single-quoted
    as ``strconv.Quote`` would print it (``'`` escaped, ``"`` not)."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + _quote_char(chr(c)) + "'"
