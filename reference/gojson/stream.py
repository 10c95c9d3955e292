"""Go 1.19 ``json.Decoder`` (stream.go) over input that is all there: ``json.NewDecoder(
bytes.NewReader(data))``, which is how the oracle reads each request line.

It differs from ``json.Unmarshal`` (decode.py) in what surrounds the value:

* `Decoder.decode` reads the FIRST value only (Go's ``readValue``); whatever follows is left for
  `Decoder.more` and the next call, valid or not;
* input that ends inside the value is ``unexpected EOF`` (even ``1.`` or ``tru``, where
  Unmarshal names the character ``' '``); only whitespace is ``EOF``;
* `Decoder.disallow_unknown_fields` makes an object key that matches no struct field an error
  (``json: unknown field "x"``), saved like a type error: the first error wins.

The value itself is decoded by the same rules and code as Unmarshal (`decode.decode_tree`).
"""

from __future__ import annotations

from typing import Any

from reference.gojson.decode import decode_tree, raw_keys
from reference.gojson.parse import JSONSyntaxError, parse_first
from reference.gojson.types import GoType

__all__ = ["Decoder"]

_JSON_SPACE = b" \t\r\n"


class Decoder:
    """``json.NewDecoder(bytes.NewReader(data))``."""

    __slots__ = ("_data", "_disallow", "_err", "_pos")

    def __init__(self, data: bytes) -> None:
        self._data = bytes(data)
        self._pos = 0  # dec.scanp: where the next value starts
        self._err: str | None = None  # dec.err: a read error sticks
        self._disallow = False

    def disallow_unknown_fields(self) -> None:
        """``dec.DisallowUnknownFields()``."""
        self._disallow = True

    def decode(self, t: GoType, value: Any) -> tuple[Any, str | None]:
        """``dec.Decode(&value)`` with `value` of Go type `t`: ``(new value, error text)``.

        A syntax error (or EOF) decodes nothing and every later call returns it again; after a
        type error the decoder goes on with the next value, as Go's does."""
        if self._err is not None:
            return value, self._err
        rest = self._data[self._pos :] if self._pos else self._data
        try:
            root, end = parse_first(rest, raw_keys(t))
        except JSONSyntaxError as e:
            self._err = str(e)
            return value, self._err
        self._pos += end
        return decode_tree(root, rest[:end], t, value, self._disallow)

    def more(self) -> bool:
        """``dec.More()``: is there another element in the current array or object? At the top
        level: anything but whitespace, ``]`` or ``}`` after the value counts."""
        rest = self._data[self._pos :].lstrip(_JSON_SPACE)
        return bool(rest) and rest[0] not in b"]}"
