"""The few JSON reads a store needs, with Go's field matching and the depth limit applied first."""

from __future__ import annotations

import json
from typing import Any

from ..gojson.fold import fold_key, fold_name
from .fs import FsError, check_json_depth

__all__ = ["go_field", "loads"]


def loads(data: bytes, where: str) -> Any:
    """Parse ``data`` (already size-limited) after the nesting check; errors name ``where``."""
    check_json_depth(data, where)
    try:
        return json.loads(data)
    except ValueError as exc:
        raise FsError(f"{where}: not valid JSON: {exc}") from None


def go_field(obj: dict[str, Any], key: str) -> Any:
    """The value Go's ``encoding/json`` assigns to the struct field tagged ``key``.

    Go matches an object key to a field exactly or, failing that, by its case folding (gojson's
    fold: ASCII case, plus U+017F for ``s`` and U+212A for ``k``), and when an object repeats a
    matching key the last one wins.
    """
    found: Any = None
    folded = fold_name(key)
    for k, v in obj.items():
        if k == key or fold_key(k) == folded:
            found = v
    return found
