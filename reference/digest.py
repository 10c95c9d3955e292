"""go-digest v1.0.0-rc0 as cri-o vendored it in 2017: `Parse`, `Validate`, `NewDigestFromHex`.

rc0 differs from go-digest 1.0.0 (what Debian ships): its format check is the loose
`^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$`, so UPPER-case hex is valid, and only then are the algorithm
(sha256 / sha384 / sha512) and the hex length (2 x hash size) checked. The oracle's restatement,
`oracle/gopath/src/github.com/opencontainers/go-digest/digest.go`, is the ground truth followed
here, check order included.
"""

from __future__ import annotations

import re
from typing import Final

from reference.errors import GoError

__all__ = [
    "CANONICAL",
    "ERR_DIGEST_INVALID_FORMAT",
    "ERR_DIGEST_INVALID_LENGTH",
    "ERR_DIGEST_UNSUPPORTED",
    "is_valid",
    "new_digest_from_hex",
    "parse",
    "validate",
]

ERR_DIGEST_INVALID_FORMAT: Final = "invalid checksum digest format"
ERR_DIGEST_INVALID_LENGTH: Final = "invalid checksum digest length"
ERR_DIGEST_UNSUPPORTED: Final = "unsupported digest algorithm"

#: `digest.Canonical`, the algorithm `NewDigestFromHex(digest.Canonical.String(), id)` uses.
CANONICAL: Final = "sha256"

# Hash sizes in bytes of the algorithms rc0 knows (all linked into the real binary).
_SIZES: Final = {"sha256": 32, "sha384": 48, "sha512": 64}

# rc0's DigestRegexpAnchored. Go's `$` (no multi-line flag) is the end of the text, so this uses
# fullmatch, never `$` (Python's `$` would also match before a final newline). The character
# class is spelled with an escaped `-` for clarity; Go reads `0-9-_` the same way (range, `-`,
# `_`). All classes are ASCII, so a Python str and Go's bytes match alike.
_ANCHORED: Final = re.compile(r"[a-zA-Z0-9\-_+.]+:[a-fA-F0-9]+")


def validate(s: str) -> str | None:
    """`digest.Digest(s).Validate()`: None when valid, else the error text."""
    i = s.find(":")
    if i < 0 or i + 1 == len(s) or _ANCHORED.fullmatch(s) is None:
        return ERR_DIGEST_INVALID_FORMAT
    size = _SIZES.get(s[:i])
    if size is None:
        return ERR_DIGEST_UNSUPPORTED
    # The regexp admits ASCII only, so len() counts bytes as Go's len does.
    if size * 2 != len(s) - i - 1:
        return ERR_DIGEST_INVALID_LENGTH
    return None


def parse(s: str) -> str:
    """`digest.Parse(s)`: returns `s` when it validates, else raises GoError with rc0's text."""
    err = validate(s)
    if err is not None:
        raise GoError(err)
    return s


def is_valid(s: str) -> bool:
    """`digest.Parse(s)` returned no error."""
    return validate(s) is None


def new_digest_from_hex(alg: str, hex_: str) -> str:
    """`digest.NewDigestFromHex(alg, hex)`: `alg + ":" + hex`, not validated."""
    return f"{alg}:{hex_}"
