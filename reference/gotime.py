"""Go's `time.Time` as the original uses it: an instant with nanoseconds and a fixed UTC offset.

Everything here mirrors Go 1.19.8 (`src/time/format.go`, `src/time/time.go`; read from the
toolchain the oracle is built with, /usr/lib/go-1.19/src/time/), the release the oracle runs:

* parsing is a port of the generic layout parser `time.parse` (Go 1.19 has no RFC 3339 fast
  path; 1.20 added one and became stricter), restricted to the layout elements that RFC3339 and
  RFC3339Nano use, with every leniency kept: 1- or 2-digit hours, a fraction after `.` or `,`
  even where the layout has none (truncated to 9 digits), offsets that are not range-checked
  (`+99:99`) and whose two-character fields go through Go's `atoi` (so `+-1:-5` is -01:05),
  the seconds field that may be missing when a fraction follows (`00:00:.5Z`), and the exact
  `ParseError` texts (value elements quoted by Go's private `quote`, which escapes bytes
  >= 0x80 and < 0x20 as `\\xNN`);
* `GoTime.format_rfc3339nano` is `Format(RFC3339Nano)`, `GoTime.marshal_json` is
  `MarshalJSON` wrapped the way `encoding/json` reports a failing marshaler.

Parsing works on bytes because Go strings are bytes: a JSON token may hold invalid UTF-8, and the
error text must show those bytes the way Go does.
"""

from __future__ import annotations

import re
import time as _time
from typing import Any, Final, NoReturn

from reference.errors import GoError

__all__ = [
    "RFC3339",
    "RFC3339NANO",
    "ZERO_TIME",
    "GoTime",
    "now",
    "parse_rfc3339",
    "unmarshal_json_token",
]

RFC3339: Final = "2006-01-02T15:04:05Z07:00"
RFC3339NANO: Final = "2006-01-02T15:04:05.999999999Z07:00"

_SECONDS_PER_DAY: Final = 86_400
# Days from 0000-03-01 (the start of Hinnant's era arithmetic) to 1970-01-01.
_EPOCH_SHIFT: Final = 719_468
# time.Time{} = 0001-01-01T00:00:00Z as Unix seconds.
_ZERO_UNIX: Final = -62_135_596_800


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (any year, negative included).

    Howard Hinnant's algorithm; Python's floor division makes it correct for negative years
    without the C version's adjustments.
    """
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - _EPOCH_SHIFT


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """The inverse of `_days_from_civil`: (year, month, day) of a day number since 1970-01-01."""
    z = days + _EPOCH_SHIFT
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def _append_int(x: int, width: int) -> str:
    """Go's `appendInt`: zero-padded to `width` digits, the sign in front of the padding."""
    if x < 0:
        return "-" + str(-x).zfill(width)
    return str(x).zfill(width)


def _format_zone(offset: int) -> str:
    """The `Z07:00` element: `Z` for offset 0, else ±hh:mm with hours that may exceed 24."""
    if offset == 0:
        return "Z"
    # Go: zone := offset / 60 (truncating division), sign taken from zone, not from offset.
    zone = -((-offset) // 60) if offset < 0 else offset // 60
    sign = "+"
    if zone < 0:
        sign = "-"
        zone = -zone
    return f"{sign}{_append_int(zone // 60, 2)}:{_append_int(zone % 60, 2)}"


class GoTime:
    """A Go `time.Time` with a fixed zone offset; immutable and hashable.

    `unix` and `nsec` give the instant (`unix` may be negative), `offset` the zone offset in
    seconds east of UTC as Go parsed it (not range-checked: `+99:99` is 362340). Equality is
    field equality (same instant AND same offset), like comparing two parsed values in Go.
    """

    # _json and _utc cache derived values (the object is immutable, so they never go stale):
    # decoded times are shared through `unmarshal_json_token`'s cache, and each is printed
    # several times (state, oci, docker).
    __slots__ = ("_json", "_utc", "nsec", "offset", "unix")

    unix: int
    nsec: int
    offset: int
    _json: str | None
    _utc: GoTime | None

    def __init__(self, unix: int, nsec: int = 0, offset: int = 0) -> None:
        if not 0 <= nsec <= 999_999_999:
            raise ValueError(f"nsec out of range: {nsec}")
        _set_unix(self, unix)
        _set_nsec(self, nsec)
        _set_offset(self, offset)
        _set_json(self, None)
        _set_utc(self, None)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("GoTime is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("GoTime is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoTime):
            return NotImplemented
        return self.unix == other.unix and self.nsec == other.nsec and self.offset == other.offset

    def __hash__(self) -> int:
        return hash((self.unix, self.nsec, self.offset))

    def __repr__(self) -> str:
        return f"GoTime({self.unix}, {self.nsec}, {self.offset})  # {self.format_rfc3339nano()}"

    # Immutable: copies may share the object, and pickling must not go through __setattr__.
    def __copy__(self) -> GoTime:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> GoTime:
        return self

    def __reduce__(self) -> tuple[type[GoTime], tuple[int, int, int]]:
        return (GoTime, (self.unix, self.nsec, self.offset))

    def is_zero(self) -> bool:
        """Go `IsZero`: the INSTANT is 0001-01-01T00:00:00Z, whatever the offset."""
        return self.unix == _ZERO_UNIX and self.nsec == 0

    def utc(self) -> GoTime:
        """Go `UTC()`: the same instant with offset 0."""
        if self.offset == 0:
            return self
        u = self._utc
        if u is None:
            u = _make(self.unix, self.nsec, 0)
            _set_utc(self, u)
        return u

    def year(self) -> int:
        """Go `Year()`: the year in the time's own zone."""
        return _civil_from_days((self.unix + self.offset) // _SECONDS_PER_DAY)[0]

    def format_rfc3339nano(self) -> str:
        """Go `Format(RFC3339Nano)`: fraction without trailing zeros, own offset, `Z` for 0."""
        return self._format()[1]

    def marshal_json(self, go_type: str) -> bytes:
        """`json.Marshal` of this value as a field of Go type `go_type` (`time.Time` or
        `*time.Time`): the quoted RFC3339Nano text, or the error encoding/json reports when
        the year in the time's own zone is outside 0..9999."""
        text = self.json_text()
        if text is None:
            raise GoError(marshal_error(go_type))
        return text.encode("ascii")

    def json_text(self) -> str | None:
        """The text `marshal_json` returns, as a str (cached), or None when the year in the
        time's own zone is outside 0..9999 (see `marshal_error`)."""
        text = self._json
        if text is None:
            year, formatted = self._format()
            text = '"' + formatted + '"' if 0 <= year <= 9999 else ""
            _set_json(self, text)
        return text or None

    def _format(self) -> tuple[int, str]:
        """(year in the own zone, Format(RFC3339Nano)), sharing the date computation."""
        days, secs = divmod(self.unix + self.offset, _SECONDS_PER_DAY)
        year, month, day = _civil_from_days(days)
        hour, secs = divmod(secs, 3600)
        minute, second = divmod(secs, 60)
        if 0 <= year <= 9999:
            text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        else:
            # Go prints years outside 0..9999 as they are: -0001, 10000.
            text = (
                f"{_append_int(year, 4)}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
            )
        nsec = self.nsec
        if nsec:
            text += "." + f"{nsec:09d}".rstrip("0")
        return year, text + _format_zone(self.offset)


def marshal_error(go_type: str) -> str:
    """What encoding/json reports when MarshalJSON of a `go_type` (``time.Time`` or
    ``*time.Time``) fails: the year is outside 0..9999."""
    return (
        f"json: error calling MarshalJSON for type {go_type}: "
        "Time.MarshalJSON: year outside of range [0,9999]"
    )


# Slot setters that bypass the immutability guard (used by the constructor and `_make`).
_set_unix = GoTime.__dict__["unix"].__set__
_set_nsec = GoTime.__dict__["nsec"].__set__
_set_offset = GoTime.__dict__["offset"].__set__
_set_json = GoTime.__dict__["_json"].__set__
_set_utc = GoTime.__dict__["_utc"].__set__
_new = object.__new__


def _make(unix: int, nsec: int, offset: int) -> GoTime:
    """Build a GoTime from already-valid fields without the constructor's checks (hot path)."""
    t: GoTime = _new(GoTime)
    _set_unix(t, unix)
    _set_nsec(t, nsec)
    _set_offset(t, offset)
    _set_json(t, None)
    _set_utc(t, None)
    return t


#: `time.Time{}`: 0001-01-01T00:00:00Z.
ZERO_TIME: Final = GoTime(_ZERO_UNIX, 0, 0)


def now() -> GoTime:
    """`time.Now()` (without the monotonic reading), in the host's current zone offset."""
    ns = _time.time_ns()
    unix, nsec = divmod(ns, 1_000_000_000)
    return GoTime(unix, nsec, _time.localtime(unix).tm_gmtoff)


# ---------------------------------------------------------------------------------------------
# Parsing: a port of Go 1.19's time.parse for the layout elements RFC 3339 layouts use.
# ---------------------------------------------------------------------------------------------

# Layout element kinds: Go's std* constants for the elements RFC3339 and RFC3339Nano contain.
# nextStdChunk must still recognise every element Go knows (to split layouts the same way);
# those this port does not parse come back as _STD_UNSUPPORTED and are refused up front.
_STD_NONE: Final = 0
_STD_LONG_YEAR: Final = 1  # "2006"
_STD_ZERO_MONTH: Final = 2  # "01"
_STD_ZERO_DAY: Final = 3  # "02"
_STD_HOUR: Final = 4  # "15"
_STD_ZERO_MINUTE: Final = 5  # "04"
_STD_ZERO_SECOND: Final = 6  # "05"
_STD_FRAC9: Final = 7  # ".999999999" (",999..." too)
_STD_ISO8601_COLON_TZ: Final = 8  # "Z07:00"
_STD_FRAC0: Final = 9  # ".000": recognised (the seconds element looks for it), not parsed
_STD_UNSUPPORTED: Final = 99

_DAYS_BEFORE: Final = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)


def _next_std_chunk(layout: str) -> tuple[str, int, int, str]:
    """Go's `nextStdChunk`: (prefix, kind, fraction digits, suffix).

    It must find the same element boundaries as Go for any layout, so every element is
    recognised; the ones this port does not parse come back as `_STD_UNSUPPORTED`.
    """
    n = len(layout)
    i = 0
    while i < n:
        c = layout[i]
        if c == "J":  # January, Jan
            if layout[i : i + 3] == "Jan":
                if layout[i : i + 7] == "January":
                    return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 7 :]
                if not _starts_with_lower(layout[i + 3 :]):
                    return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 3 :]
        elif c == "M":  # Monday, Mon, MST
            if n >= i + 3:
                if layout[i : i + 3] == "Mon":
                    if layout[i : i + 6] == "Monday":
                        return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 6 :]
                    if not _starts_with_lower(layout[i + 3 :]):
                        return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 3 :]
                if layout[i : i + 3] == "MST":
                    return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 3 :]
        elif c == "0":  # 01, 02, 03, 04, 05, 06, 002
            if n >= i + 2 and "1" <= layout[i + 1] <= "6":
                kind = (
                    _STD_ZERO_MONTH,
                    _STD_ZERO_DAY,
                    _STD_UNSUPPORTED,  # "03": 12-hour clock
                    _STD_ZERO_MINUTE,
                    _STD_ZERO_SECOND,
                    _STD_UNSUPPORTED,  # "06": 2-digit year
                )[ord(layout[i + 1]) - ord("1")]
                return layout[:i], kind, 0, layout[i + 2 :]
            if layout[i + 1 : i + 3] == "02":
                return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 3 :]
        elif c == "1":  # 15, 1
            if layout[i + 1 : i + 2] == "5":
                return layout[:i], _STD_HOUR, 0, layout[i + 2 :]
            return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 1 :]  # "1": month
        elif c == "2":  # 2006, 2
            if layout[i : i + 4] == "2006":
                return layout[:i], _STD_LONG_YEAR, 0, layout[i + 4 :]
            return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 1 :]  # "2": day
        elif c == "_":  # _2, _2006, __2
            if layout[i + 1 : i + 2] == "2":
                if layout[i + 1 : i + 5] == "2006":
                    return layout[: i + 1], _STD_LONG_YEAR, 0, layout[i + 5 :]
                return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 2 :]
            if layout[i + 1 : i + 3] == "_2":
                return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 3 :]
        elif c == "3" or c == "4" or c == "5":
            return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 1 :]  # hour12, minute, second
        elif c == "P":  # PM
            if layout[i + 1 : i + 2] == "M":
                return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 2 :]
        elif c == "p":  # pm
            if layout[i + 1 : i + 2] == "m":
                return layout[:i], _STD_UNSUPPORTED, 0, layout[i + 2 :]
        elif c == "-":  # -070000, -07:00:00, -0700, -07:00, -07
            for text, kind in (
                ("-070000", _STD_UNSUPPORTED),
                ("-07:00:00", _STD_UNSUPPORTED),
                ("-0700", _STD_UNSUPPORTED),
                ("-07:00", _STD_UNSUPPORTED),
                ("-07", _STD_UNSUPPORTED),
            ):
                if layout[i : i + len(text)] == text:
                    return layout[:i], kind, 0, layout[i + len(text) :]
        elif c == "Z":  # Z070000, Z07:00:00, Z0700, Z07:00, Z07
            for text, kind in (
                ("Z070000", _STD_UNSUPPORTED),
                ("Z07:00:00", _STD_UNSUPPORTED),
                ("Z0700", _STD_UNSUPPORTED),
                ("Z07:00", _STD_ISO8601_COLON_TZ),
                ("Z07", _STD_UNSUPPORTED),
            ):
                if layout[i : i + len(text)] == text:
                    return layout[:i], kind, 0, layout[i + len(text) :]
        elif (c == "." or c == ",") and i + 1 < n and layout[i + 1] in "09":
            ch = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == ch:
                j += 1
            # The run of digits must end here: only a fractional second is all digits.
            if not (j < n and "0" <= layout[j] <= "9"):
                kind = _STD_FRAC0 if ch == "0" else _STD_FRAC9
                return layout[:i], kind, j - (i + 1), layout[j:]
        i += 1
    return layout, _STD_NONE, 0, ""


def _starts_with_lower(s: str) -> bool:
    return bool(s) and "a" <= s[0] <= "z"


class _Chunk:
    """One step of the parse loop: the literal prefix, then one layout element."""

    __slots__ = ("kind", "ndigits", "next_kind", "prefix", "prefix_text", "stdstr")

    def __init__(self, prefix: str, kind: int, ndigits: int, stdstr: str, next_kind: int) -> None:
        self.prefix = prefix.encode()
        self.prefix_text = prefix
        self.kind = kind
        self.ndigits = ndigits
        self.stdstr = stdstr
        self.next_kind = next_kind  # the kind nextStdChunk finds after this element


class _Layout:
    """A layout split into chunks once (Go re-splits on every Parse; the result is the same)."""

    __slots__ = ("chunks", "quoted")

    def __init__(self, layout: str) -> None:
        self.quoted = _quote(layout.encode())
        pieces: list[tuple[str, int, int, str]] = []
        rest = layout
        while True:
            prefix, kind, ndigits, suffix = _next_std_chunk(rest)
            if kind in (_STD_UNSUPPORTED, _STD_FRAC0):
                raise ValueError(f"layout {layout!r}: element not supported by this port")
            pieces.append((prefix, kind, ndigits, rest[len(prefix) : len(rest) - len(suffix)]))
            if kind == _STD_NONE:
                break
            rest = suffix
        self.chunks = tuple(
            _Chunk(p, k, d, s, pieces[n + 1][1] if n + 1 < len(pieces) else _STD_NONE)
            for n, (p, k, d, s) in enumerate(pieces)
        )


def _quote(s: bytes) -> str:
    """Go 1.19 time's private `quote`: double quotes, `"` and `\\` escaped, and every byte of a
    non-ASCII rune, of an invalid UTF-8 sequence or below 0x20 written as `\\xNN` (per byte:
    Go's loop ends up escaping each such byte individually)."""
    return '"' + "".join([_QUOTE_BYTE[b] for b in s]) + '"'


_QUOTE_BYTE: Final = tuple(
    f"\\x{b:02x}" if b >= 0x80 or b < 0x20 else ("\\" + chr(b) if b in b'"\\' else chr(b))
    for b in range(256)
)


def _parse_error(
    layout: _Layout, value: bytes, layout_elem: str, value_elem: bytes, message: str = ""
) -> GoError:
    """`*time.ParseError` and its `Error()` text."""
    if message:
        return GoError(f"parsing time {_quote(value)}{message}")
    return GoError(
        f"parsing time {_quote(value)} as {layout.quoted}: "
        f"cannot parse {_quote(value_elem)} as {_quote(layout_elem.encode())}"
    )


def _skip(value: bytes, prefix: bytes) -> bytes | None:
    """Go's `skip`: strip `prefix` from `value`, runs of spaces matching runs of spaces."""
    while prefix:
        if prefix[0] == 0x20:
            if value and value[0] != 0x20:
                return None
            prefix = prefix.lstrip(b" ")
            value = value.lstrip(b" ")
            continue
        if not value or value[0] != prefix[0]:
            return None
        prefix = prefix[1:]
        value = value[1:]
    return value


def _is_digit(s: bytes, i: int) -> bool:
    return i < len(s) and 0x30 <= s[i] <= 0x39


def _getnum(s: bytes, fixed: bool) -> tuple[int, bytes, bool]:
    """Go's `getnum`: one or two digits (exactly two when fixed); (value, rest, ok)."""
    if not _is_digit(s, 0):
        return 0, s, False
    if not _is_digit(s, 1):
        if fixed:
            return 0, s, False
        return s[0] - 0x30, s[1:], True
    return (s[0] - 0x30) * 10 + s[1] - 0x30, s[2:], True


def _atoi(s: bytes) -> int | None:
    """Go time's private `atoi`: optional sign, then only digits (empty digits = 0)."""
    neg = False
    if s and s[0] in b"+-":
        neg = s[0] == 0x2D
        s = s[1:]
    if s and not s.isdigit():
        return None
    x = int(s) if s else 0
    return -x if neg else x


def _parse_nanoseconds(value: bytes, nbytes: int) -> int:
    """Go's `parseNanoseconds` for a separator followed by digits only (always true here)."""
    if nbytes > 10:
        nbytes = 10
    digits = value[1:nbytes]
    return int(digits) * 10 ** (10 - nbytes) if digits else 0


def _days_in(month: int, year: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_BEFORE[month] - _DAYS_BEFORE[month - 1]


def _parse(layout: _Layout, avalue: bytes) -> GoTime:
    """Go 1.19 `time.Parse(layout, value)` for the supported elements; GoError on failure."""
    value = avalue
    year = 0
    month = -1
    day = -1
    hour = minute = sec = nsec = 0
    zone_offset = -1  # -1: no numeric offset seen (Go uses the same sentinel)
    for chunk in layout.chunks:
        skipped = _skip(value, chunk.prefix)
        if skipped is None:
            raise _parse_error(layout, avalue, chunk.prefix_text, value)
        value = skipped
        kind = chunk.kind
        if kind == _STD_NONE:
            if value:
                raise _parse_error(layout, avalue, "", value, ": extra text: " + _quote(value))
            break
        ok = True
        range_err = ""
        if kind == _STD_LONG_YEAR:
            if len(value) < 4 or not _is_digit(value, 0):
                ok = False
            else:
                # Go advances past the 4 bytes before atoi, so an error shows what follows.
                p, value = value[:4], value[4:]
                parsed = _atoi(p)
                year, ok = (0, False) if parsed is None else (parsed, True)
        elif kind == _STD_ZERO_MONTH:
            month, value, ok = _getnum(value, True)
            if ok and not 0 < month <= 12:
                range_err = "month"
        elif kind == _STD_ZERO_DAY:
            # Validated against month and year after the loop.
            day, value, ok = _getnum(value, True)
        elif kind == _STD_HOUR:
            hour, value, ok = _getnum(value, False)
            if not 0 <= hour < 24:
                range_err = "hour"
        elif kind == _STD_ZERO_MINUTE:
            minute, value, ok = _getnum(value, True)
            if not 0 <= minute < 60:
                range_err = "minute"
        elif kind == _STD_ZERO_SECOND:
            sec, value, ok = _getnum(value, True)
            if not 0 <= sec < 60:
                range_err = "second"
            elif (
                len(value) >= 2
                and value[0] in b".,"
                and _is_digit(value, 1)
                and chunk.next_kind != _STD_FRAC0
                and chunk.next_kind != _STD_FRAC9
            ):
                # A fraction the layout does not mention: take every digit. Go runs this even
                # when the seconds themselves failed and then forgets that failure, so
                # "00:00:.5Z" parses as 00:00:00.5.
                n = 2
                while _is_digit(value, n):
                    n += 1
                nsec = _parse_nanoseconds(value, n)
                ok = True
                value = value[n:]
        elif kind == _STD_FRAC9:
            if len(value) >= 2 and value[0] in b".," and _is_digit(value, 1):
                # At most 9 digits; a 10th is left for the next element to choke on.
                i = 0
                while i < 9 and _is_digit(value, i + 1):
                    i += 1
                nsec = _parse_nanoseconds(value, 1 + i)
                value = value[1 + i :]
        else:  # _STD_ISO8601_COLON_TZ
            if value[:1] == b"Z":
                value = value[1:]
                zone_offset = 0
            elif len(value) < 6 or value[3] != 0x3A:
                ok = False
            else:
                # Go consumes the six bytes before checking them: an error shows what follows.
                sign, hh, mm, value = value[0], value[1:3], value[4:6], value[6:]
                hr = _atoi(hh)
                mi = _atoi(mm) if hr is not None else None
                if hr is None or mi is None or sign not in b"+-":
                    ok = False
                else:
                    zone_offset = (hr * 60 + mi) * 60
                    if sign == 0x2D:
                        zone_offset = -zone_offset
        if range_err:
            raise _parse_error(layout, avalue, chunk.stdstr, value, f": {range_err} out of range")
        if not ok:
            raise _parse_error(layout, avalue, chunk.stdstr, value)

    if month < 0:
        month = 1
    if day < 0:
        day = 1
    if day < 1 or day > _days_in(month, year):
        raise _parse_error(layout, avalue, "", value, ": day out of range")
    local = _days_from_civil(year, month, day) * _SECONDS_PER_DAY + hour * 3600 + minute * 60
    if zone_offset == -1:  # no zone in the layout: Parse defaults to UTC
        zone_offset = 0
    return _make(local + sec - zone_offset, nsec, zone_offset)


_RFC3339_QUOTED: Final = _Layout('"' + RFC3339 + '"')
_LAYOUTS: dict[str, _Layout] = {RFC3339NANO: _Layout(RFC3339NANO), RFC3339: _Layout(RFC3339)}

# The common, well-formed token. Anything it does not match, or whose fields are out of range,
# goes through the full port, which alone decides errors; on what this accepts, both agree.
_FAST_TOKEN: Final = re.compile(
    rb'"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{1,2}):([0-9]{2}):([0-9]{2})'
    rb'(?:[.,]([0-9]+))?(?:Z|([+-])([0-9]{2}):([0-9]{2}))"'
)
_fast_match = _FAST_TOKEN.fullmatch


# Parsed tokens and texts, by their bytes: GoTime is immutable, and a stream of requests repeats
# the same times over and over. Bounded: emptied when full.
_PARSED: dict[bytes, GoTime | str] = {}
_PARSED_MAX: Final = 4096


def unmarshal_json_token(raw: bytes) -> GoTime:
    """Go 1.19 `(*time.Time).UnmarshalJSON(raw)` for a raw token other than `null`:
    `Parse("\\"" + RFC3339 + "\\"", string(raw))` on the token as it appears in the document
    (quotes included, escapes not decoded). Raises GoError with Go's exact text."""
    found = _PARSED.get(raw)
    if found is None:
        try:
            found = _unmarshal_json_token(raw)
        except GoError as e:
            found = str(e)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[raw] = found
    if type(found) is str:
        raise GoError(found)
    return found  # type: ignore[return-value]


_PARSED_STR: dict[str, GoTime | None] = {}


def unmarshal_json_string(s: str) -> GoTime | None:
    """`unmarshal_json_token` of the token ``"s"`` written without escapes (what a JSON
    decoder's plain string node stands for), or None where that raises (the caller then goes
    through `unmarshal_json_token` for the error). Cached by the string."""
    found = _PARSED_STR.get(s, False)
    if found is False:
        try:
            found = unmarshal_json_token(b'"' + s.encode("utf-8", "surrogatepass") + b'"')
        except GoError:
            found = None
        if len(_PARSED_STR) >= _PARSED_MAX:
            _PARSED_STR.clear()
        _PARSED_STR[s] = found
    return found  # type: ignore[return-value]


def _unmarshal_json_token(raw: bytes) -> GoTime:
    m = _fast_match(raw)
    if m is not None:
        ys, mos, ds, hs, mis, ss, frac, sign, oh, om = m.groups()
        year = int(ys)
        month = int(mos)
        day = int(ds)
        hour = int(hs)
        minute = int(mis)
        sec = int(ss)
        if (
            0 < month <= 12
            and 0 < day <= _days_in(month, year)
            and hour < 24
            and minute < 60
            and sec < 60
        ):
            nsec = 0
            if frac:
                frac = frac[:9]
                nsec = int(frac) * 10 ** (9 - len(frac))
            offset = 0
            if sign is not None:
                offset = (int(oh) * 60 + int(om)) * 60
                if sign == b"-":
                    offset = -offset
            local = (
                _days_from_civil(year, month, day) * _SECONDS_PER_DAY
                + hour * 3600
                + minute * 60
                + sec
            )
            return _make(local - offset, nsec, offset)
    return _parse(_RFC3339_QUOTED, raw)


def _go_string(s: str) -> bytes:
    """The bytes of the Go string a Python str stands for. Lone surrogates (Python's json
    keeps them from `\\udXXX` escapes) become U+FFFD, as Go's JSON decoding makes them."""
    try:
        return s.encode()
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode()


def parse_rfc3339(s: str, layout: str = RFC3339NANO) -> GoTime:
    """Go 1.19 `time.Parse(layout, s)` (the protocol's `now` and `history_timestamp` use
    RFC3339Nano). Raises GoError with Go's `ParseError` text. Only layouts made of the
    elements RFC 3339 uses are supported (ValueError otherwise)."""
    if layout == RFC3339NANO:
        found = _PARSED_NANO.get(s)
        if found is None:
            try:
                found = _parse(_LAYOUTS[RFC3339NANO], _go_string(s))
            except GoError as e:
                found = str(e)
            if len(_PARSED_NANO) >= _PARSED_MAX:
                _PARSED_NANO.clear()
            _PARSED_NANO[s] = found
        if type(found) is str:
            raise GoError(found)
        return found  # type: ignore[return-value]
    compiled = _LAYOUTS.get(layout)
    if compiled is None:
        compiled = _LAYOUTS.setdefault(layout, _Layout(layout))
    return _parse(compiled, _go_string(s))


_PARSED_NANO: dict[str, GoTime | str] = {}
