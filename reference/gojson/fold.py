"""Go 1.19 encoding/json key folding (fold.go) for ASCII field names.

A key matches a field name when they are equal under ASCII case folding, where the key may also
spell an ``s`` as U+017F (LATIN SMALL LETTER LONG S) and a ``k`` as U+212A (KELVIN SIGN): the only
two non-ASCII runes whose simple folding reaches ASCII. Nothing else folds (so not Python's
``casefold``: ``ß`` is not ``ss``, ``ﬅ`` is not ``st``).

`fold_key` maps a key to the canonical form of every field name it matches (the lower-cased name),
or None when it can match no ASCII name at all; a struct then looks the result up in a dict.
"""

from __future__ import annotations

_SPECIAL = str.maketrans({"\u017f": "s", "\u212a": "k"})


def fold_name(name: str) -> str:
    """The canonical form of an (ASCII) field name."""
    if not name.isascii():
        raise ValueError("only ASCII field names are supported")
    return name.lower()


def fold_key(key: str) -> str | None:
    """The canonical form a JSON key folds to, or None if it cannot match an ASCII name."""
    if key.isascii():
        return key.lower()
    key = key.translate(_SPECIAL)
    if key.isascii():
        return key.lower()
    return None
