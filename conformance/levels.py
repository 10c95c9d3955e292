"""Compare two protocol responses and tell the conformance level the second one reaches.

The levels, loose to strict (``LEVELS``), are those of ``spec/PROTOCOL.md``:

``outcome``
    the same outcome class: ``ok``, ``error`` (ok false, panic null) or ``panic``;
``semantic``
    and the same values: every output field holding a JSON text (``state``, ``oci``, ``docker``,
    ``output``, ``oconfig``, ``dconfig``) parses to the same JSON value (key order, whitespace and
    escaping aside); time strings (``created`` keys, the response's ``created``) denote the same
    instant *and* the same zone offset (``...00.500Z`` equals ``...00.5Z``); every other field
    (``annotations``, ``name``, ``names``, ``createdBy``, ``layerID``, ``preferredManifestType``,
    ``stage``, ...) has the same JSON value, and the ``*_error`` fields are present alike;
``bytes``
    and every output text is the identical string (what Go's ``json.Marshal`` printed);
``errors``
    and the texts of ``error``, ``panic`` and ``*_error`` are identical too.

:func:`compare` returns the highest level reached (``None`` when even the outcome differs) and the
first difference that stopped the next level, written for a human: the field, a JSON path inside
the field's document, and expected/actual snippets around the first differing character.

Only ``id`` (checked by the runner) and ``implementation`` (describe's answer) are never compared.
The module is pure and depends on the standard library only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Literal

__all__ = ["LEVELS", "Comparison", "compare", "outcome_of"]

LEVELS: Final = ("outcome", "semantic", "bytes", "errors")

Outcome = Literal["ok", "error", "panic"]

# Response fields holding a JSON text printed by Go's json.Marshal.
JSON_TEXT_FIELDS: Final = frozenset({"state", "oci", "docker", "output", "oconfig", "dconfig"})
# Response fields holding a time printed with Format(RFC3339Nano).
TIME_FIELDS: Final = frozenset({"created"})
# Error texts: only the strictest level compares them. The *_error fields' presence is semantic.
ERROR_TEXT_FIELDS: Final = frozenset(
    {"error", "panic", "state_error", "oci_error", "docker_error", "output_error"}
)
PRESENCE_ONLY_FIELDS: Final = ERROR_TEXT_FIELDS - {"error", "panic"}
IGNORED_FIELDS: Final = frozenset({"id", "implementation"})
# The oracle's field order: differences are reported in this order, unknown fields after, sorted.
FIELD_ORDER: Final = (
    "id", "op", "ok", "stage", "error", "panic",
    "state", "state_error", "oci", "oci_error", "docker", "docker_error", "annotations",
    "output", "output_error",
    "oconfig", "dconfig", "created", "createdBy", "preferredManifestType", "name", "names",
    "layerID", "implementation",
)  # fmt: skip
# JSON keys of the original's map-typed fields: a "created" key inside one is a plain string.
MAP_KEYS: Final = frozenset({"Labels", "annotations", "Volumes", "ExposedPorts"})

_SNIPPET = 40  # characters of context shown on each side of a difference
_VALUE_SNIPPET = 120  # characters of a JSON value shown in a difference


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`.

    ``level`` is the highest level in :data:`LEVELS` the actual response reaches, or ``None`` when
    even the outcome differs. ``difference`` explains why the next level was not reached; it is
    ``None`` exactly when ``level == "errors"``.
    """

    level: str | None
    difference: str | None

    def at_least(self, level: str) -> bool:
        """Whether the reached level is ``level`` or stricter."""
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r} (known: {', '.join(LEVELS)})")
        return self.level is not None and LEVELS.index(self.level) >= LEVELS.index(level)


def outcome_of(response: Mapping[str, Any]) -> Outcome:
    """The outcome class of a response: ``ok`` (``ok`` is true), ``panic`` (``panic`` is set),
    else ``error``. Only the JSON value ``true`` counts as ok."""
    if response.get("ok") is True:
        return "ok"
    if response.get("panic") is not None:
        return "panic"
    return "error"


def compare(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> Comparison:
    """Compare ``actual`` with ``expected`` (both protocol responses); see the module docstring."""
    want, got = outcome_of(expected), outcome_of(actual)
    if want != got:
        return Comparison(None, f"outcome: expected {want}, got {got}{_outcome_detail(actual)}")
    fields = _fields(expected, actual)
    for check, level in ((_semantic, "outcome"), (_bytes, "semantic"), (_errors, "bytes")):
        for name in fields:
            difference = check(name, expected, actual)
            if difference is not None:
                return Comparison(level, difference)
    return Comparison("errors", None)


def _outcome_detail(response: Mapping[str, Any]) -> str:
    parts = []
    for key in ("stage", "error", "panic"):
        value = response.get(key)
        if value is not None:
            parts.append(f"{key} {_show(value)}")
    return f" ({', '.join(parts)})" if parts else ""


def _fields(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    present = (set(expected) | set(actual)) - IGNORED_FIELDS
    known = [name for name in FIELD_ORDER if name in present]
    return known + sorted(present - set(FIELD_ORDER))


_MISSING: Final = object()


def _presence(name: str, want: Any, got: Any) -> str | None:
    if want is _MISSING and got is not _MISSING:
        return f"{name}: not expected, got {_show(got)}"
    if got is _MISSING and want is not _MISSING:
        return f"{name}: missing, expected {_show(want)}"
    return None


# --- level checks: each returns the difference that stops the level, or None --------------------


def _semantic(name: str, expected: Mapping[str, Any], actual: Mapping[str, Any]) -> str | None:
    want, got = expected.get(name, _MISSING), actual.get(name, _MISSING)
    if name in ("error", "panic"):
        return None  # texts are the errors level; panic's presence is the outcome already
    if name in PRESENCE_ONLY_FIELDS:
        # An absent field and a null one both mean "no marshal error".
        if (want is None or want is _MISSING) != (got is None or got is _MISSING):
            shown = "absent" if got is None or got is _MISSING else f"present ({_show(got)})"
            wanted = "absent" if want is None or want is _MISSING else f"present ({_show(want)})"
            return f"{name}: expected {wanted}, got {shown}"
        return None
    presence = _presence(name, want, got)
    if presence is not None or want is _MISSING:
        return presence
    if name in JSON_TEXT_FIELDS and isinstance(want, str):
        return _semantic_json_text(name, want, got)
    if name in TIME_FIELDS and isinstance(want, str) and isinstance(got, str):
        if _same_time(want, got):
            return None
        return f"{name}: expected time {_show(want)}, got {_show(got)}{_time_hint(want, got)}"
    difference = _value_difference(want, got, "$")
    return None if difference is None else f"{name}: {difference}"


def _bytes(name: str, expected: Mapping[str, Any], actual: Mapping[str, Any]) -> str | None:
    if name not in JSON_TEXT_FIELDS and name not in TIME_FIELDS:
        return None
    want, got = expected.get(name), actual.get(name)
    if isinstance(want, str) and isinstance(got, str) and want != got:
        return f"{name}: {text_difference(want, got)}"
    return None


def _errors(name: str, expected: Mapping[str, Any], actual: Mapping[str, Any]) -> str | None:
    if name not in ERROR_TEXT_FIELDS:
        return None
    want, got = expected.get(name), actual.get(name)
    if want == got and type(want) is type(got):
        return None
    if isinstance(want, str) and isinstance(got, str):
        return f"{name}: {text_difference(want, got)}"
    return f"{name}: expected {_show(want)}, got {_show(got)}"


# --- JSON texts ---------------------------------------------------------------------------------


class _DuplicateKeyError(ValueError):
    pass


def _pairs_to_dict(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # Go never prints a key twice: a duplicate is a difference, not a merge.
            raise _DuplicateKeyError(f"duplicate key {json.dumps(key, ensure_ascii=False)}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json_text(text: str) -> Any:
    """Parse a JSON text strictly: no NaN/Infinity, no duplicate keys; non-integers as Decimal."""
    return json.loads(
        text,
        object_pairs_hook=_pairs_to_dict,
        parse_float=Decimal,
        parse_constant=_reject_constant,
    )


def _semantic_json_text(name: str, want: str, got: Any) -> str | None:
    if not isinstance(got, str):
        return f"{name}: expected a JSON text (a string), got {_json_kind(got)} {_show(got)}"
    try:
        want_value = parse_json_text(want)
    except ValueError:
        # The expected text is not JSON (a hand-made expectation): only equal texts match.
        return None if want == got else f"{name}: {text_difference(want, got)}"
    try:
        got_value = parse_json_text(got)
    except ValueError as error:
        return f"{name}: not a valid JSON text ({error}): {_show(got)}"
    difference = _value_difference(want_value, got_value, "$")
    return None if difference is None else f"{name}: {difference}"


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _same_kind(a: Any, b: Any) -> bool:
    return _json_kind(a) == _json_kind(b)


def _child_path(path: str, key: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _value_difference(want: Any, got: Any, path: str, parent_key: str | None = None) -> str | None:
    """The first difference between two JSON values, or None; ``created`` keys compare as times."""
    if not _same_kind(want, got):
        wanted, shown = f"{_json_kind(want)} {_show(want)}", f"{_json_kind(got)} {_show(got)}"
        return f"at {path}: expected {wanted}, got {shown}"
    if isinstance(want, dict):
        for key, value in want.items():
            child = _child_path(path, key)
            if key not in got:
                return f"at {child}: missing, expected {_show(value)}"
            is_time = key == "created" and parent_key not in MAP_KEYS
            if is_time and isinstance(value, str) and isinstance(got[key], str):
                if not _same_time(value, got[key]):
                    hint = _time_hint(value, got[key])
                    return f"at {child}: expected time {_show(value)}, got {_show(got[key])}{hint}"
                continue
            difference = _value_difference(value, got[key], child, key)
            if difference is not None:
                return difference
        for key in got:
            if key not in want:
                return f"at {_child_path(path, key)}: not expected, got {_show(got[key])}"
        return None
    if isinstance(want, list):
        for index, (a, b) in enumerate(zip(want, got, strict=False)):
            difference = _value_difference(a, b, f"{path}[{index}]")
            if difference is not None:
                return difference
        if len(want) != len(got):
            return f"at {path}: expected {len(want)} elements, got {len(got)}: {_show(got)}"
        return None
    if want != got:
        if isinstance(want, str) and isinstance(got, str):
            return f"at {path}: {text_difference(want, got)}"
        return f"at {path}: expected {_show(want)}, got {_show(got)}"
    return None


# --- Go times -----------------------------------------------------------------------------------

# What time.Parse(RFC3339) accepts in Go 1.19, and Format's output (years beyond 4 digits and
# negative years included, for Format's sake): date, 1- or 2-digit hour, '.' or ',' fraction.
_TIME = re.compile(
    r"(-?\d{4,})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|([+-])(\d{2,}):(\d{2}))"
)


def parse_go_time(text: str) -> tuple[int, int, int] | None:
    """``(unix seconds, nanoseconds, offset seconds)`` of an RFC 3339 time, or None.

    Lenient like Go 1.19 (offsets are not range-checked, fraction digits beyond 9 truncated);
    calendar ranges are not checked: the kit compares times Go printed, it does not validate them.
    """
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = match.group(7) or ""
    nanos = int((fraction + "000000000")[:9])
    offset = 0
    if match.group(8) != "Z":
        offset = int(match.group(10)) * 3600 + int(match.group(11)) * 60
        if match.group(9) == "-":
            offset = -offset
    days = _days_from_civil(year, month, day)
    unix = days * 86400 + hour * 3600 + minute * 60 + second - offset
    return unix, nanos, offset


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Proleptic Gregorian day number (H. Hinnant's algorithm): works for year 0 and below, which
    # datetime cannot represent but Go prints.
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _same_time(want: str, got: str) -> bool:
    a, b = parse_go_time(want), parse_go_time(got)
    if a is None or b is None:
        return want == got
    return a == b


def _time_hint(want: str, got: str) -> str:
    a, b = parse_go_time(want), parse_go_time(got)
    if a is None or b is None:
        return "" if b is not None else " (not an RFC 3339 time)"
    if a[:2] == b[:2]:
        return " (same instant, different offset)"
    if a[2] == b[2]:
        return " (different instant)"
    return " (different instant and offset)"


# --- rendering ----------------------------------------------------------------------------------


def _show(value: Any, limit: int = _VALUE_SNIPPET) -> str:
    if value is _MISSING:
        return "absent"
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_difference(want: str, got: str) -> str:
    """Where two strings first differ: character and UTF-8 byte offsets, and both neighbourhoods."""
    index = 0
    limit = min(len(want), len(got))
    while index < limit and want[index] == got[index]:
        index += 1
    byte_offset = len(want[:index].encode("utf-8", "surrogatepass"))
    where = f"first difference at character {index} (byte {byte_offset})"
    if index == limit:
        shorter = "actual" if len(got) < len(want) else "expected"
        where += f"; the {shorter} text ends there ({len(want)} vs {len(got)} characters)"
    return f"{where}: expected {_around(want, index)}, got {_around(got, index)}"


def _around(text: str, index: int) -> str:
    start = max(0, index - _SNIPPET)
    end = min(len(text), index + _SNIPPET)
    quoted = json.dumps(text[start:end], ensure_ascii=False)
    return ("…" if start > 0 else "") + quoted + ("…" if end < len(text) else "")
