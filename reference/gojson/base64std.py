"""Go 1.19 ``base64.StdEncoding.Decode`` as encoding/json uses it for []byte fields.

Standard alphabet, padding required, CR and LF ignored anywhere, non-zero trailing bits accepted
(``YR==`` decodes like ``YQ==``). Errors are Go's ``CorruptInputError`` texts with its offsets:
``illegal base64 data at input byte N``.
"""

from __future__ import annotations

import binascii
import re

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_VALID = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


class CorruptInputError(Exception):
    """base64.CorruptInputError; ``str(e)`` is Go's text."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")
        self.offset = offset


#: Try binascii's strict mode first (tests turn it off to check the rest).
FAST_PATH = True


def decoded_len(n: int) -> int:
    """StdEncoding.DecodedLen: the capacity of the buffer Go decodes into."""
    return n // 4 * 3


def decode(src: bytes) -> bytes:
    """The decoded bytes, or `CorruptInputError` at Go's offset."""
    if FAST_PATH and len(src) % 4 == 0 and not src.endswith(b"==="):
        # The common case at C speed: binascii's strict mode accepts only the alphabet and
        # trailing padding, and with a length that is a multiple of 4 and at most two '=' that
        # is exactly `_VALID` (strict mode alone would take 'QUJD====').
        try:
            return binascii.a2b_base64(src, strict_mode=True)
        except binascii.Error:
            pass
    stripped = src.replace(b"\n", b"").replace(b"\r", b"") if b"\n" in src or b"\r" in src else src
    if _VALID.fullmatch(stripped) is not None:
        # binascii (non-strict) ignores non-zero trailing bits, like Go's non-strict decoder.
        return binascii.a2b_base64(stripped)
    _find_error(src)
    raise AssertionError("base64: invalid input without an error offset")  # pragma: no cover


def _find_error(src: bytes) -> None:
    """Port of decodeQuantum's checks, quantum after quantum, raising at the first error."""
    n = len(src)
    si = 0
    while si < n:
        j = 0
        while j < 4:
            if si == n:
                if j == 0:
                    return
                # j == 1, or padding is required (StdEncoding): either way an error
                raise CorruptInputError(si - j)
            c = src[si]
            si += 1
            if c in _ALPHABET:
                j += 1
                continue
            if c == 0x0A or c == 0x0D:
                continue
            if c != 0x3D:  # not '='
                raise CorruptInputError(si - 1)
            # padding
            if j < 2:
                raise CorruptInputError(si - 1)
            if j == 2:
                while si < n and src[si] in b"\r\n":
                    si += 1
                if si == n:
                    raise CorruptInputError(n)
                if src[si] != 0x3D:
                    raise CorruptInputError(si - 1)
                si += 1
            while si < n and src[si] in b"\r\n":
                si += 1
            if si < n:
                raise CorruptInputError(si)  # trailing garbage
            return
