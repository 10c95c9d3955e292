"""Go 1.19 ``json.Unmarshal`` into values of declared Go types (decode.go, rule for rule).

``unmarshal(data, t, value)`` is ``json.Unmarshal(data, &value)`` for a Go variable of type `t`
holding `value`: it decodes INTO the existing value and returns ``(new_value, error_text)``.

What Go does, and so what this does (GO_JSON_SEMANTICS.md has the oracle's evidence):

* syntax errors first, nothing decoded (parse.py);
* object keys: exact match first, else the first field whose name folds to the key (fold.py);
  unknown keys skipped; every occurrence of a key is decoded, in order, into the CURRENT value:
  maps and structs merge, and so do slices element by element, including stale elements between
  the slice's length and its capacity (`_decode_array`);
* ``null``: no-op for strings, numbers, bools, structs and time.Time; nil for pointers, slices
  and maps;
* wrong JSON kinds: an ``UnmarshalTypeError`` is remembered (the first one is returned) and
  decoding goes on; nil pointers and maps have been allocated on the way;
* custom ``UnmarshalJSON`` errors (time.Time, strslice.StrSlice) abort at once and replace the
  remembered error; the time field is left at the zero time;
* json.RawMessage takes the value's bytes as they are (any value, ``null`` included);
* unknown keys are skipped, or (a Decoder after ``DisallowUnknownFields``, stream.py) saved as
  ``json: unknown field "k"`` like a type error.

Each Go type gets one decoder function ``(node, current, ctx) -> new value``, built once and cached
on the type; a struct's is generated code (a branch per field, with the fast path of its kind: a
plain assignment for a JSON string into a string or time field, for null, ...). Struct values (and
the structs pointers point to) are updated in place, as Go does through addresses, so aliases see
the changes; immutable values are returned and stored by the caller. An abort is the `_Abort`
exception; on its way up every level stores the partial value Go would have left in place.

`unmarshal` is json.Unmarshal; `decode_tree` is the decoding half, shared with the Decoder
(stream.py), which finds its value differently.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from reference import gotime
from reference.errors import GoError
from reference.gojson import base64std
from reference.gojson.fold import fold_key, fold_name  # noqa: F401 (fold_key: generated code)
from reference.gojson.parse import JObject, JSONSyntaxError, RawStr, parse, raw_token
from reference.gojson.types import (
    GoBytes,
    GoSlice,
    GoType,
    Kind,
    MapType,
    PtrType,
    SliceType,
    StructType,
    zero,
)
from reference.gostrconv import quote  # noqa: F401 (used by the generated struct decoders)

__all__ = ["decode_tree", "raw_keys", "unmarshal"]

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


class _Marker:
    """A singleton marker; copies and pickles stay the same object (they can sit in a slice's
    stale elements, which user code may copy)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<gojson {self.name}>"

    def __copy__(self) -> _Marker:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Marker:
        return self

    def __reduce__(self) -> str:
        return self.name


_ONLY_STR = frozenset({str})  # `_ONLY_STR.issuperset(map(type, xs))`: all are plain strings
_KEEP = _Marker("_KEEP")  # "the slot keeps its current value"
_UNSET = _Marker("_UNSET")  # a backing-array slot never written: Go's zero value, made on demand


class _Abort(Exception):
    """An error returned by a custom UnmarshalJSON: ends the whole Unmarshal.

    ``value`` is what the slot being decoded holds at that moment (or _KEEP): each level sets it
    for its own slot while the exception travels up."""

    def __init__(self, message: str, value: Any) -> None:
        super().__init__(message)
        self.message = message
        self.value = value


class _Ctx:
    """One Unmarshal call: the first saved error and Go's errorContext."""

    __slots__ = ("data", "disallow_unknown_fields", "root", "saved", "stack", "struct")

    def __init__(self, data: bytes, root: Any, disallow_unknown_fields: bool = False) -> None:
        self.data = data
        self.root = root
        self.disallow_unknown_fields = disallow_unknown_fields  # Decoder.DisallowUnknownFields
        self.saved: str | None = None
        self.struct: str | None = None  # errorContext.Struct.Name(); None = no struct yet
        self.stack: list[str] = []  # errorContext.FieldStack (JSON keys)

    def type_error_text(self, what: str, type_name: str) -> str:
        """UnmarshalTypeError.Error() after addErrorContext."""
        if self.struct is not None or self.stack:
            return (
                f"json: cannot unmarshal {what} into Go struct field "
                f"{self.struct or ''}.{'.'.join(self.stack)} of type {type_name}"
            )
        return f"json: cannot unmarshal {what} into Go value of type {type_name}"

    def save_type_error(self, what: str, type_name: str) -> None:
        if self.saved is None:
            self.saved = self.type_error_text(what, type_name)


def _kind_of(node: Any) -> str:
    """The JSON kind word Go puts in an UnmarshalTypeError."""
    t = type(node)
    if t is str or t is RawStr:
        return "string"
    if t is bytes:
        return "number"
    if t is bool:
        return "bool"
    if t is JObject:
        return "object"
    return "array"


_Decoder = Callable[[Any, Any, _Ctx], Any]
_CACHE: dict[GoType, _Decoder] = {}


def decoder_for(t: GoType) -> _Decoder:
    """The (cached) decoder of `t`. Struct decoders are generated with their field decoders at
    hand; while one is being built (under the lock, so that other threads wait for it), a
    recursive reference to it gets a forwarder."""
    dec = _CACHE.get(t)
    if dec is None:
        with _BUILD_LOCK:
            dec = _CACHE.get(t) or _BUILDING.get(t)
            if dec is None:
                cache = _CACHE

                def forward(node: Any, cur: Any, ctx: _Ctx) -> Any:
                    return cache[t](node, cur, ctx)

                _BUILDING[t] = forward
                try:
                    dec = _CACHE[t] = _build(t)
                finally:
                    del _BUILDING[t]
    return dec


_BUILD_LOCK = threading.RLock()
_BUILDING: dict[GoType, _Decoder] = {}


def _build(t: GoType) -> _Decoder:
    k = t.kind
    if k is Kind.STRING:
        return _string_decoder(t.name)
    if k is Kind.BOOL:
        return _bool_decoder(t.name)
    if k is Kind.INT:
        return _int_decoder(t.name, signed=True)
    if k is Kind.UINT8:
        return _int_decoder(t.name, signed=False)
    if k is Kind.TIME:
        return _decode_time
    if k is Kind.STRSLICE:
        return _decode_strslice
    if k is Kind.RAW_MESSAGE:
        return _decode_raw_message
    if k is Kind.EMPTY_STRUCT:
        return _empty_struct_decoder(t.name)
    if k is Kind.BYTES:
        return _decode_bytes
    if isinstance(t, PtrType):
        return _ptr_decoder(t)
    if isinstance(t, SliceType):
        return _slice_decoder(t)
    if isinstance(t, MapType):
        return _map_decoder(t)
    if isinstance(t, StructType):
        return _struct_decoder(t)
    raise TypeError(f"gojson: no decoder for {t!r}")  # pragma: no cover


# --- scalars --------------------------------------------------------------------------------


def _string_decoder(name: str) -> _Decoder:
    def dec(node: Any, cur: Any, ctx: _Ctx) -> Any:
        t = type(node)
        if t is str:
            return node
        if t is RawStr:
            return str(node)
        if node is not None:
            ctx.save_type_error(_kind_of(node), name)
        return cur

    return dec


def _bool_decoder(name: str) -> _Decoder:
    def dec(node: Any, cur: Any, ctx: _Ctx) -> Any:
        if type(node) is bool:
            return node
        if node is not None:
            ctx.save_type_error(_kind_of(node), name)
        return cur

    return dec


def _int_decoder(name: str, signed: bool) -> _Decoder:
    lo, hi = (_INT64_MIN, _INT64_MAX) if signed else (0, 255)

    def dec(node: Any, cur: Any, ctx: _Ctx) -> Any:
        if type(node) is bytes:
            # strconv.ParseInt(lit, 10, 64) / ParseUint: digits only (a JSON literal can only add
            # '-', '.', 'e', 'E', '+'), then the range of the Go type.
            digits = node.lstrip(b"-")
            # (a JSON integer has no leading zeros: more than 19 digits is out of int64 range,
            # and Python's int() refuses very long digit strings)
            if digits.isdigit() and len(digits) <= 19 and (signed or node[0] != 0x2D):
                n = int(node)
                if lo <= n <= hi:
                    return n
            ctx.save_type_error("number " + node.decode("ascii"), name)
            return cur
        if node is not None:
            ctx.save_type_error(_kind_of(node), name)
        return cur

    return dec


def _empty_struct_decoder(name: str) -> _Decoder:
    def dec(node: Any, cur: Any, ctx: _Ctx) -> Any:
        # An object's keys are all unknown to struct{}: skipped, whatever their values.
        if node is not None and type(node) is not JObject:
            ctx.save_type_error(_kind_of(node), name)
        return cur

    return dec


# --- custom unmarshalers ------------------------------------------------------------------------


def _decode_time(node: Any, cur: Any, ctx: _Ctx) -> Any:
    """time.Time.UnmarshalJSON on the raw token; ``*t, err = Parse(...)``: zero on error."""
    if node is None:
        return cur
    raw = raw_token(node, ctx.data, ctx.root)
    try:
        return gotime.unmarshal_json_token(raw)
    except GoError as e:
        raise _Abort(str(e), gotime.ZERO_TIME) from None


def _decode_strslice(node: Any, cur: Any, ctx: _Ctx) -> Any:
    """strslice.StrSlice.UnmarshalJSON: a nested Unmarshal into ``make([]string, 0, 1)``, and if
    that fails (even partially) into a string; the string attempt's error is returned."""
    if node is None:
        return None  # the nested Unmarshal of null sets p to nil, and *e = p
    t = type(node)
    if t is list:
        if _ONLY_STR.issuperset(map(type, node)):
            # the common case, without the loop: what the nested Unmarshal leaves
            p = GoSlice(node)
            if node:
                stale = _grown_cap(len(node), 1) - len(node)
                if stale:
                    p.stale = [_UNSET] * stale
            return p
        sub = _Ctx(ctx.data, ctx.root)
        p = GoSlice()
        p.stale = [""]  # cap 1
        p = _string_slice(node, p, sub)
        if sub.saved is None:
            return p
    elif t is str or t is RawStr:
        return GoSlice([str(node)])
    # the string attempt fails: UnmarshalTypeError{Value: kind, Type: string}, which the outer
    # Unmarshal's addErrorContext completes with the field being decoded
    raise _Abort(ctx.type_error_text(_kind_of(node), "string"), _KEEP)


def _decode_raw_message(node: Any, cur: Any, ctx: _Ctx) -> Any:
    """json.RawMessage.UnmarshalJSON: a copy of the value's bytes, whatever the value (``null``
    included: indirect stops at the RawMessage's own address, so its method gets the literal)."""
    return raw_token(node, ctx.data, ctx.root)


# --- pointers, slices, maps -------------------------------------------------------------------


def _ptr_decoder(t: PtrType) -> _Decoder:
    elem_t = t.elem
    elem_dec: _Decoder | None = None
    make_zero = _zero_maker(elem_t)

    def dec(node: Any, cur: Any, ctx: _Ctx) -> Any:
        nonlocal elem_dec
        if node is None:
            return None
        if elem_dec is None:
            elem_dec = decoder_for(elem_t)
        if cur is None:
            cur = make_zero()  # Go's indirect allocates before looking at the JSON kind
        try:
            return elem_dec(node, cur, ctx)
        except _Abort as e:
            if e.value is _KEEP:
                e.value = cur
            raise

    return dec


def _backing(cur: Any) -> tuple[list[Any], int]:
    """The backing array (elements up to the capacity) and the length of a slice value."""
    if cur is None:
        return [], 0
    items = list(cur)
    length = len(items)
    stale = getattr(cur, "stale", None)
    if stale:
        items.extend(stale)
    return items, length


class _Partial:
    """A slice cut short by an abort: its backing array and length at that moment."""

    __slots__ = ("backing", "length")

    def __init__(self, backing: list[Any], length: int) -> None:
        self.backing = backing
        self.length = length


def _zero_maker(t: GoType) -> Callable[[], Any]:
    """A factory of fresh zero values of `t` (a class for structs, else a constant's)."""
    if isinstance(t, StructType):
        return t.cls
    z = zero(t)
    return lambda: z


def _grown_cap(n: int, cap: int = 0) -> int:
    """The capacity Go's array() ends with after writing n elements into a slice of capacity
    `cap` (a nil slice: 0)."""
    if cap == 0 and n < len(_GROWN_FROM_NIL):
        return _GROWN_FROM_NIL[n]
    while cap < n:
        cap = max(4, cap + cap // 2)
    return cap


def _decode_array(
    node: list[Any],
    backing: list[Any],
    length: int,
    ctx: _Ctx,
    elem_dec: _Decoder,
    make_zero: Callable[[], Any],
    strings: bool = False,
) -> int:
    """Go's array() for a slice, on its backing array (updated in place): decode element i INTO
    element i, growing like Go (new capacity max(4, cap + cap/2), copying the first len
    elements), then cut the length to the number of elements. Returns the new length; elements
    past it stay in `backing` (stale, yet decoded into by a later duplicate key).

    `strings`: the elements are Go strings, so a JSON string simply replaces the element."""
    cap = len(backing)
    n = 0
    for i, en in enumerate(node):
        if i >= cap:
            # Here len == cap == i: nothing stale is lost by the copy.
            cap = max(4, cap + cap // 2)
            backing.extend([_UNSET] * (cap - len(backing)))
        if i >= length:
            length = i + 1
        n = i + 1
        if strings and type(en) is str:
            backing[i] = en
            continue
        old = backing[i]
        if old is _UNSET:
            old = backing[i] = make_zero()
        try:
            backing[i] = elem_dec(en, old, ctx)
        except _Abort as e:
            if e.value is not _KEEP:
                backing[i] = e.value
            e.value = _Partial(backing, length)
            raise
    return min(length, n)


_GROWN_FROM_NIL = [0, 4, 4, 4, 4, 6, 6, 9, 9, 9, 13, 13, 13, 13, 19, 19, 19, 19, 19, 19]


def _make_slice(backing: list[Any], length: int) -> GoSlice:
    s = GoSlice(backing[:length])
    if len(backing) > length:
        s.stale = backing[length:]
    return s


def _slice_decoder(t: SliceType) -> _Decoder:
    elem_t = t.elem
    name = t.name
    strings = elem_t.kind is Kind.STRING
    make_zero = _zero_maker(elem_t)
    elem_dec: _Decoder | None = None

    def dec(node: Any, cur: Any, ctx: _Ctx) -> Any:
        nonlocal elem_dec
        if type(node) is list:
            if not node:
                return GoSlice()  # `[]` installs a fresh empty slice: nothing stale survives
            if strings and cur is None and _ONLY_STR.issuperset(map(type, node)):
                # the common case, without the loop: a nil slice filled with strings
                s = GoSlice(node)
                s.stale = [_UNSET] * (_grown_cap(len(node)) - len(node))
                return s
            if elem_dec is None:
                elem_dec = decoder_for(elem_t)
            backing, length = _backing(cur)
            try:
                length = _decode_array(node, backing, length, ctx, elem_dec, make_zero, strings)
            except _Abort as e:
                if isinstance(e.value, _Partial):
                    e.value = _make_slice(e.value.backing, e.value.length)
                raise
            return _make_slice(backing, length)
        return _non_array(node, cur, ctx, name)

    return dec


def _non_array(node: Any, cur: Any, ctx: _Ctx, name: str) -> Any:
    if node is None:
        return None
    ctx.save_type_error(_kind_of(node), name)
    return cur


def _string_slice(node: list[Any], cur: Any, ctx: _Ctx) -> GoSlice:
    """A []string decode (used by StrSlice's nested Unmarshal)."""
    if not node:
        return GoSlice()
    backing, length = _backing(cur)
    length = _decode_array(node, backing, length, ctx, _STRING_DEC, _zero_string, True)
    return _make_slice(backing, length)


def _decode_bytes(node: Any, cur: Any, ctx: _Ctx) -> Any:
    """[]byte: a base64 string, or (it is a []uint8) an array of numbers 0..255."""
    t = type(node)
    if t is str or t is RawStr:
        src = node.encode("utf-8")
        try:
            b = base64std.decode(src)
        except base64std.CorruptInputError as e:
            if ctx.saved is None:
                ctx.saved = str(e)  # not an UnmarshalTypeError: no context added
            return cur
        # Go decodes into make([]byte, DecodedLen(len(src))) and keeps b[:n]: the zeroed rest
        # of that buffer is capacity a later array value for the same key decodes into.
        gb = GoBytes(b)
        gb.stale = bytes(base64std.decoded_len(len(src)) - len(b))
        return gb
    if t is list:
        if not node:
            return GoBytes(b"")
        backing, length = _backing(cur)
        # uint8 elements cannot abort
        length = _decode_array(node, backing, length, ctx, _UINT8_DEC, _zero_int)
        vals = [0 if v is _UNSET else v for v in backing]
        gb = GoBytes(bytes(vals[:length]))
        gb.stale = bytes(vals[length:])
        return gb
    return _non_array(node, cur, ctx, "[]uint8")


def _map_decoder(t: MapType) -> _Decoder:
    elem_t = t.elem
    name = t.name
    elem_dec: _Decoder | None = None
    strings = elem_t.kind is Kind.STRING
    empty_structs = elem_t.kind is Kind.EMPTY_STRUCT

    def dec(node: Any, cur: Any, ctx: _Ctx) -> Any:
        nonlocal elem_dec
        if type(node) is JObject:
            if elem_dec is None:
                elem_dec = decoder_for(elem_t)
            m = {} if cur is None else cur
            for key, val in node:
                # Go decodes each value into a fresh zero element (mapElem is zeroed for every
                # key), so map values are replaced, never merged; the entry is stored even when
                # a type error was saved for it.
                if strings and type(val) is str:
                    m[key] = val
                    continue
                if empty_structs and type(val) is JObject:
                    m[key] = None  # struct{}: every key of the object is unknown, skipped
                    continue
                try:
                    m[key] = elem_dec(val, zero(elem_t), ctx)
                except _Abort as e:  # pragma: no cover - no map element type can abort here
                    e.value = m
                    raise
            return m
        return _non_array_or_object(node, cur, ctx, name)

    return dec


def _non_array_or_object(node: Any, cur: Any, ctx: _Ctx, name: str) -> Any:
    if node is None:
        return None
    ctx.save_type_error(_kind_of(node), name)
    return cur


# --- structs ----------------------------------------------------------------------------------


# fast paths of a struct field: a JSON value that a plain assignment decodes (a JSON string
# for a string or *string field, a bool for a bool; a string for a time.Time or *time.Time
# when it parses: errors take the generic path)
_GENERIC, _STRING_FIELD, _BOOL_FIELD, _TIME_FIELD = range(4)
#: Use those fast paths (tests turn them off, with a fresh decoder cache, to check the rest).
FAST_FIELDS = True


_NULL_EFFECT = {
    Kind.STRING: "keep",
    Kind.BOOL: "keep",
    Kind.INT: "keep",
    Kind.UINT8: "keep",
    Kind.TIME: "keep",
    Kind.STRUCT: "keep",
    Kind.EMPTY_STRUCT: "keep",
    Kind.PTR: "nil",
    Kind.SLICE: "nil",
    Kind.MAP: "nil",
    Kind.BYTES: "nil",
    Kind.STRSLICE: "nil",
    # (json.RawMessage keeps the literal: its own decoder)
}


def _fast_kind(t: GoType) -> int:
    k = t.kind
    if isinstance(t, PtrType):
        k = t.elem.kind
        if k is Kind.STRING:
            return _STRING_FIELD  # a nil pointer becomes a pointer to the string: the string
        return _TIME_FIELD if k is Kind.TIME else _GENERIC
    if k is Kind.STRING:
        return _STRING_FIELD
    if k is Kind.BOOL:
        return _BOOL_FIELD
    return _TIME_FIELD if k is Kind.TIME else _GENERIC


def _struct_decoder(t: StructType) -> _Decoder:
    """A function generated for the struct: the object's members in document order, each key
    matched exactly or by folding (to a field number), then a branch per field, found by
    bisection: the fast path of its kind (a JSON string for a string, *string, time.Time or
    *time.Time field; a bool for a bool), else Go's errorContext pushed and the field's
    decoder called on the field's current value."""
    fields = t.json_fields
    exact: dict[str, int] = {}
    folded: dict[str | None, int] = {}
    # Per-type data is bound in the function's closure; helpers (fold_key, quote, gotime, ...)
    # are this module's globals, looked up when called, as in hand-written code.
    closure: dict[str, Any] = {"EXACT": exact, "FOLDED": folded}
    for i, f in enumerate(fields):
        exact[f.name] = i
        folded.setdefault(fold_name(f.name), i)
        closure[f"D{i}"] = decoder_for(f.type)

    def branch(i: int, ind: str) -> list[str]:
        f = fields[i]
        attr = f.attr
        fast = _fast_kind(f.type) if FAST_FIELDS else _GENERIC
        out = []
        if fast == _STRING_FIELD:
            out += [
                f"{ind}if type(val) is str:",
                f"{ind}    cur.{attr} = val",
                f"{ind}    continue",
            ]
        elif fast == _BOOL_FIELD:
            out += [
                f"{ind}if type(val) is bool:",
                f"{ind}    cur.{attr} = val",
                f"{ind}    continue",
            ]
        elif fast == _TIME_FIELD:
            out += [
                f"{ind}if type(val) is str:",
                f"{ind}    tm = gotime.unmarshal_json_string(val)",
                f"{ind}    if tm is not None:",
                f"{ind}        cur.{attr} = tm",
                f"{ind}        continue",
            ]
        null = _NULL_EFFECT.get(f.type.kind) if FAST_FIELDS else None
        if null == "keep":  # JSON null is a no-op for a string, number, bool, struct, time
            out += [f"{ind}if val is None:", f"{ind}    continue"]
        elif null == "nil":  # ... and makes a pointer, slice or map nil
            out += [f"{ind}if val is None:", f"{ind}    cur.{attr} = None", f"{ind}    continue"]
        # Go's errorContext while the value is decoded: this struct and the key path. On an
        # abort Go leaves the field as it was when the error happened; the errorContext is not
        # restored (the caller's addErrorContext uses it).
        out += [
            f"{ind}stack.append({f.name!r})",
            f"{ind}ctx.struct = {t.short_name!r}",
            f"{ind}try:",
            f"{ind}    new = D{i}(val, cur.{attr}, ctx)",
            f"{ind}except _Abort as a:",
            f"{ind}    if a.value is not _KEEP:",
            f"{ind}        cur.{attr} = a.value",
            f"{ind}    a.value = _KEEP",
            f"{ind}    raise",
            f"{ind}cur.{attr} = new",
            f"{ind}stack.pop()",
            f"{ind}ctx.struct = outer",
        ]
        return out

    def bisect(lo: int, hi: int, ind: str) -> list[str]:
        if hi - lo == 1:
            return branch(lo, ind)
        mid = (lo + hi) // 2
        return [
            f"{ind}if i < {mid}:",
            *bisect(lo, mid, ind + "    "),
            f"{ind}else:",
            *bisect(mid, hi, ind + "    "),
        ]

    lines = [
        "def dec(node, cur, ctx):",
        "    if type(node) is not JObject:",
        "        if node is not None:",
        f"            ctx.save_type_error(_kind_of(node), {t.name!r})",
        "        return cur",
    ]
    if fields:
        lines += [
            "    stack = ctx.stack",
            "    outer = ctx.struct",
            "    for key, val in node:",
            "        i = EXACT.get(key)",
            "        if i is None:",
            "            i = FOLDED.get(fold_key(key))",
            "            if i is None:",
            "                # unknown key: skipped (an error too, after DisallowUnknownFields)",
            "                if ctx.disallow_unknown_fields and ctx.saved is None:",
            "                    ctx.saved = 'json: unknown field ' + quote(key)",
            "                continue",
            *bisect(0, len(fields), "        "),
        ]
    else:
        lines += [
            "    for key, val in node:",
            "        if ctx.disallow_unknown_fields and ctx.saved is None:",
            "            ctx.saved = 'json: unknown field ' + quote(key)",
        ]
    lines.append("    return cur")
    factory = "def make(" + ", ".join(closure) + "):\n"
    src = factory + "".join(f"    {line}\n" for line in lines) + "    return dec\n"
    made: dict[str, Any] = {}
    # generated from declared fields only
    exec(compile(src, f"<gojson decoder of {t.name}>", "exec"), globals(), made)
    dec: _Decoder = made["make"](**closure)
    return dec


# --- entry point ------------------------------------------------------------------------------


_RAW_KEYS: dict[GoType, frozenset[str]] = {}


def raw_keys(t: GoType) -> frozenset[str]:
    """The folded JSON keys, anywhere under `t`, of fields whose custom UnmarshalJSON reads the
    raw token of a string (time.Time, json.RawMessage): the parser must keep those tokens
    recoverable."""
    keys = _RAW_KEYS.get(t)
    if keys is None:
        found: set[str] = set()
        seen: set[GoType] = set()
        todo = [t]
        while todo:
            u = todo.pop()
            if u in seen:
                continue
            seen.add(u)
            if isinstance(u, (PtrType, SliceType, MapType)):
                todo.append(u.elem)
            elif isinstance(u, StructType):
                for f in u.json_fields:
                    ft = f.type.elem if isinstance(f.type, PtrType) else f.type
                    if ft.kind is Kind.TIME or ft.kind is Kind.RAW_MESSAGE:
                        found.add(fold_name(f.name))
                    todo.append(f.type)
        keys = _RAW_KEYS[t] = frozenset(found)
    return keys


def unmarshal(data: bytes, t: GoType, value: Any) -> tuple[Any, str | None]:
    """``json.Unmarshal(data, &value)`` with `value` of Go type `t`.

    Returns the value after decoding (struct values are updated in place and returned; other
    values may be new objects) and Go's error text, or None. A syntax error decodes nothing."""
    data = bytes(data)
    keys = raw_keys(t)
    last = _LAST_PARSE[0]  # (one read: another thread may replace the triple, not change it)
    if last[0] is data and last[1] == keys:
        root = last[2]  # the same document object again (a config tried as two types)
    else:
        try:
            root = parse(data, keys)
        except JSONSyntaxError as e:
            root = _Invalid(str(e))  # the text only: a kept exception would keep its frames
        _LAST_PARSE[0] = (data, keys, root)
    if type(root) is _Invalid:
        return value, root.message
    return decode_tree(root, data, t, value)


class _Invalid:
    """A document `parse` rejected, and Go's text for it."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


# The last document parsed by `unmarshal`, by identity (a reference is kept, so the identity
# cannot be reused by another object): the original decodes the same config or manifest bytes
# into two types in a row (initConfig), and a parse tree is never modified by decoding.
_LAST_PARSE: list[tuple[Any, Any, Any]] = [(None, None, None)]


def decode_tree(
    root: Any, data: bytes, t: GoType, value: Any, disallow_unknown_fields: bool = False
) -> tuple[Any, str | None]:
    """``d.unmarshal(&value)`` once the syntax is known to be valid: decode the parse tree
    `root` of `data` (the value's bytes, for raw tokens) into `value`, as `unmarshal` does."""
    ctx = _Ctx(data, root, disallow_unknown_fields)
    try:
        new = decoder_for(t)(root, value, ctx)
    except _Abort as e:
        return (value if e.value is _KEEP else e.value), e.message
    return new, ctx.saved


_STRING_DEC = _string_decoder("string")
_UINT8_DEC = _int_decoder("uint8", signed=False)


def _zero_string() -> str:
    return ""


def _zero_int() -> int:
    return 0
