"""Planted faults: the reference implementation with ONE rule of the spec broken, one per fault.

Each fault is declared once, as data, in :data:`FAULTS`: its id (also the name of its handle),
the rule of ``fixtures/RULES.tsv`` it breaks, a one-line description of the broken behaviour,
where it is planted, and the conformance level at which the kit must notice it (``bytes``, the
kit's default, or ``errors`` for a fault that changes error texts only). Every fault is usable as
an implementation under test::

    copydata-conformance --copydata-impl tests.conformance.planted.faults:fold_ascii_only

(the module's ``__getattr__`` hands out ``handle(request) -> response`` for every fault id).

How a fault is planted: its handle patches the reference's internals (module attributes,
methods of ``GoTime``, the field lists of declared Go types) at the narrowest seam that implements
the rule, calls ``reference.protocol.handle``, and restores everything, for every request. The
reference caches what it computed once: decoders and encoders per Go type (closures that
captured the builder functions and the type's fields), parsed times by their text. A fault whose
seam such a cache would bypass runs with that cache empty, and the cache gets its own entries
back afterwards (:meth:`Patcher.fresh`, :meth:`Patcher.fresh_codecs`); a fault in string
tokens runs parse.py's own tokenizer for every document (``parse.C_SCANNER`` off). These
stand-ins alone change no answer (``test_planted`` runs every bundled case through them).

Thread safety: the patches are process-global. A module lock is held while they are in place, so
two faulty handles never interleave, and the kit calls an in-process implementation from one
thread, one request at a time, which is all this supports. Code that runs the real reference in
another thread while a faulty handle is running would see the fault: never do that.

A seam stops working when the reference is reorganised (a fast path that no longer goes through
the patched function, say). ``test_planted.py`` notices: every fault must change at least one
answer of the bundled suite, and the answer must be the fault's, not a crash of the patch.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import re
import sys
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any, Final

import reference.gojson as gojson_package
from reference import convert, copydata, digest, gotime, model, protocol, refname
from reference.errors import GoError, GoPanic
from reference.gojson import base64std, decode, encode, parse, scanner
from reference.gojson.fold import fold_key
from reference.gojson.parse import JObject, JSONSyntaxError, RawStr
from reference.gojson.types import (
    STRSLICE,
    GoSlice,
    GoStruct,
    GoType,
    JSONField,
    Kind,
    MapType,
    PtrType,
    StructType,
)
from reference.gotime import GoTime

__all__ = ["BY_ID", "FAULTS", "Fault", "Patcher", "handle_for", "planted"]

Handle = Callable[[dict[str, Any]], dict[str, Any]]
Decoder = Callable[[Any, Any, Any], Any]
Encoder = Callable[[Any, list[str]], None]
Unmarshal = Callable[[bytes, GoType, Any], tuple[Any, "str | None"]]
#: What runs in place of a wrapped decoder, encoder, json.Unmarshal: the same arguments, the
#: wrapped function first.
Around = Callable[[Decoder, Any, Any, Any], Any]
EncoderAround = Callable[[Encoder, Any, list[str]], None]
UnmarshalAround = Callable[[Unmarshal, bytes, GoType, Any], tuple[Any, "str | None"]]

_MISSING: Final = object()


class Patcher:
    """Records attribute changes and undoes them, newest first."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def set(self, target: Any, name: str, value: Any) -> None:
        """``setattr(target, name, value)`` until :meth:`undo` (modules, classes, slot objects)."""
        try:
            # a class's own attribute, not one inherited (restoring must not copy it down)
            old = vars(target).get(name, _MISSING)
        except TypeError:  # __slots__ instance (a GoType): the slot always has a value
            old = getattr(target, name)
        setattr(target, name, value)
        if old is _MISSING:
            self._undo.append(lambda: delattr(target, name))
        else:
            self._undo.append(lambda: setattr(target, name, old))

    def fresh(self, cache: dict[Any, Any]) -> None:
        """Run with `cache` empty; its entries are put back afterwards (and whatever the
        faulty run cached is dropped)."""
        saved = dict(cache)
        cache.clear()

        def restore() -> None:
            cache.clear()
            cache.update(saved)

        self._undo.append(restore)

    def fresh_codecs(self) -> None:
        """Run with empty decoder/encoder caches (see the module docs)."""
        for cache in (decode._CACHE, decode._RAW_KEYS, encode._CACHE):
            self.fresh(cache)
        if isinstance(vars(encode).get("_REUSING"), dict):  # marshal_reusing's encoders
            self.fresh(vars(encode)["_REUSING"])
        if "EMBEDDED_ENCODERS" in vars(encode):
            # texts embedded in JSON strings: Marshal's text escaped afterwards, so that a
            # patched encoder (written for plain texts) is used for them too
            self.set(encode, "EMBEDDED_ENCODERS", False)

    def undo(self) -> None:
        while self._undo:
            self._undo.pop()()


@dataclasses.dataclass(frozen=True)
class Fault:
    """One planted fault (see the module docstring)."""

    id: str
    rule: str
    description: str
    planted: str
    plant: Callable[[Patcher], None] = dataclasses.field(repr=False, compare=False)
    level: str = "bytes"
    #: A fault the bundled suite is known NOT to catch: the case the fixtures lack (the test
    #: expects the miss, strictly: once a fixture catches it, this must be removed).
    hole: str | None = None


_LOCK: Final = threading.RLock()


@contextlib.contextmanager
def planted(fault: Fault) -> Iterator[None]:
    """The reference with `fault` planted, for the duration of the ``with`` block."""
    with _LOCK:
        patcher = Patcher()
        try:
            fault.plant(patcher)
            yield
        finally:
            patcher.undo()


# ---------------------------------------------------------------------------------------------
# Helpers shared by several faults


def _unmarshal_wrapper(p: Patcher, wrap: Callable[[Unmarshal], Unmarshal]) -> None:
    """Replace ``json.Unmarshal`` for every caller: copydata, convert and protocol all call it as
    ``gojson.unmarshal``, the package attribute."""
    p.set(gojson_package, "unmarshal", wrap(gojson_package.unmarshal))


def _around_unmarshal(p: Patcher, around: UnmarshalAround) -> None:
    """``json.Unmarshal`` for every caller (:func:`_unmarshal_wrapper`) becomes
    ``around(real, data, t, value)``, with `real` the function it replaces."""

    def wrap(real: Unmarshal) -> Unmarshal:
        def unmarshal(data: bytes, t: GoType, value: Any) -> tuple[Any, str | None]:
            return around(real, data, t, value)

        return unmarshal

    _unmarshal_wrapper(p, wrap)


def _on_syntax_error(p: Patcher, recover: Callable[..., tuple[Any, str | None] | None]) -> None:
    """``json.Unmarshal`` as it is, except when it reports a syntax error: then
    ``recover(real, data, t, value, err)`` answers instead, unless it returns None."""

    def around(real: Unmarshal, data: bytes, t: GoType, value: Any) -> tuple[Any, str | None]:
        new, err = real(data, t, value)
        if err is None or not _is_syntax_error(data):
            return new, err
        answer = recover(real, data, t, value, err)
        return (new, err) if answer is None else answer

    _around_unmarshal(p, around)


def _is_syntax_error(data: bytes) -> bool:
    try:
        parse.parse(bytes(data))
    except JSONSyntaxError:
        return True
    return False


def _pieces(data: bytes) -> list[bytes]:
    """The tokens of `data` as parse.py's tokenizer sees them, runs of brackets split up."""
    end = len(data.rstrip(b" \t\n\r"))
    pieces: list[bytes] = []
    for token in parse._TOKEN.findall(data, 0, end):
        if token[:1] in (b"[", b"]") and len(token) > 1:
            pieces.extend(bytes([c]) for c in token if c not in b" \t\n\r")
        else:
            pieces.append(token)
    return pieces


_LITERALS: Final = (b"true", b"false", b"null")


def _is_scalar(piece: bytes) -> bool:
    if piece[:1] == b'"':
        return len(piece) >= 2 and piece.endswith(b'"')
    if piece[:1] in b"-0123456789" and piece != b"-":
        return True
    return piece in _LITERALS


def _salvage(data: bytes) -> tuple[bytes | None, bytes | None]:
    """What a streaming decoder that stops at the first syntax error would have read.

    Returns (the text up to the last point where the document could be closed, with the missing
    closing brackets added; the first complete top-level value when one precedes the error).
    """
    stack: list[bytes] = []  # the closing brackets still owed
    state = "value"  # value, value_or_end, key, key_or_end, colon, comma_or_end, done
    out: list[bytes] = []
    first: bytes | None = None
    for piece in _pieces(data):
        c = piece[:1]
        ok = state != "done"
        if not ok:
            pass
        elif c in (b"[", b"{"):
            ok = state in ("value", "value_or_end")
            if ok:
                stack.append(b"]" if c == b"[" else b"}")
                state = "value_or_end" if c == b"[" else "key_or_end"
        elif c in (b"]", b"}"):
            may_end = "value_or_end" if c == b"]" else "key_or_end"
            ok = bool(stack) and stack[-1] == c and state in ("comma_or_end", may_end)
            if ok:
                stack.pop()
                state = "comma_or_end" if stack else "done"
        elif c == b",":
            ok = state == "comma_or_end"
            if ok:
                state = "value" if stack[-1] == b"]" else "key"
        elif c == b":":
            ok = state == "colon"
            if ok:
                state = "value"
        elif state in ("key", "key_or_end"):
            ok = c == b'"' and _is_scalar(piece)
            if ok:
                state = "colon"
        elif state in ("value", "value_or_end"):
            ok = _is_scalar(piece)
            if ok:
                state = "comma_or_end" if stack else "done"
        if not ok:
            break
        out.append(piece)
        if state == "done" and first is None:
            first = b"".join(out)
    # Back up to the last point where closing brackets make a document: drop a dangling key,
    # colon or comma (none of them is a bracket, so the stack is unchanged).
    drop = 0
    if state in ("colon", "key"):
        drop = 1
    elif state == "value":
        if not stack:
            return None, first
        drop = 2 if stack[-1] == b"}" else 1
    kept = out[: len(out) - drop]
    if not kept:
        return None, first
    return b"".join(kept) + b"".join(reversed(stack)), first


def _wrap_builder(p: Patcher, name: str, wrap: Callable[..., Decoder]) -> None:
    """Wrap one of decode.py's per-type decoder builders (``_map_decoder(t)``, ...):
    ``wrap(original_builder, *builder_args)`` returns the decoder."""
    original = getattr(decode, name)

    def builder(*args: Any, **kwargs: Any) -> Decoder:
        return wrap(original, *args, **kwargs)

    p.fresh_codecs()
    p.set(decode, name, builder)


def _around_decoders(p: Patcher, name: str, around_for: Callable[..., Around | None]) -> None:
    """Wrap every decoder one of decode.py's per-type builders makes (:func:`_wrap_builder`):
    ``around_for(*builder_args)`` tells, once per type, what runs in the decoder's place,
    ``around(inner, node, cur, ctx)`` with `inner` the decoder built (None: `inner` itself)."""

    def wrap(builder: Callable[..., Decoder], *args: Any, **kwargs: Any) -> Decoder:
        inner = builder(*args, **kwargs)
        around = around_for(*args, **kwargs)
        if around is None:
            return inner

        def dec(node: Any, cur: Any, ctx: Any) -> Any:
            return around(inner, node, cur, ctx)

        return dec

    _wrap_builder(p, name, wrap)


def _every_type(around: Around) -> Callable[..., Around]:
    """An `around_for` of :func:`_around_decoders` that wraps the decoders of every type alike."""
    return lambda *args, **kwargs: around


def _around_encoders(p: Patcher, name: str, around: EncoderAround) -> None:
    """Wrap every encoder one of encode.py's per-type builders (``_slice_encoder(t, ...)``, ...)
    makes: ``around(inner, v, out)`` runs in its place, with `inner` the encoder built."""
    real = getattr(encode, name)

    def builder(t: GoType, *args: Any) -> Encoder:
        inner: Encoder = real(t, *args)

        def enc(v: Any, out: list[str]) -> None:
            around(inner, v, out)

        return enc

    p.set(encode, name, builder)


def _field_of(t: StructType) -> Callable[[str], str | None]:
    """Which JSON field of `t` a key decodes into (Go: exact name first, else folded)."""
    exact = {f.name for f in t.json_fields}
    folded: dict[str, str] = {}
    for f in t.json_fields:
        folded.setdefault(f.name.lower(), f.name)

    def field(key: str) -> str | None:
        if key in exact:
            return key
        k = fold_key(key)
        return folded.get(k) if k is not None else None

    return field


def _struct_types() -> list[StructType]:
    return [v for v in vars(model).values() if isinstance(v, StructType)]


def _with_fields(t: StructType, change: Callable[[JSONField], JSONField | None]) -> list[JSONField]:
    out = []
    for f in t.json_fields:
        new = change(f)
        out.append(f if new is None else new)
    return out


def _copy_field(f: JSONField, name: str | None = None, type_: GoType | None = None) -> JSONField:
    return JSONField(
        f.name if name is None else name,
        f.attr,
        f.type if type_ is None else type_,
        f.omitempty,
        f.tagged,
        f.index,
    )


def _proxy(module: Any, **overrides: Any) -> SimpleNamespace:
    """A stand-in for a module as one importer sees it: the overrides, else the module's own
    attributes (looked up when used)."""

    class _Proxy(SimpleNamespace):
        def __getattr__(self, name: str) -> Any:
            return getattr(module, name)

    return _Proxy(**overrides)


def _copydata_unmarshal(p: Patcher, after: Callable[[GoType, Any, str | None], Any]) -> None:
    """Wrap json.Unmarshal as copydata.py (only) sees it: ``after(type, value, err)`` returns
    the (value, err) the original's code then looks at."""
    real = gojson_package

    def unmarshal(data: bytes, t: GoType, value: Any) -> tuple[Any, str | None]:
        new, err = real.unmarshal(data, t, value)
        result: tuple[Any, str | None] = after(t, new, err)
        return result

    p.set(copydata, "gojson", _proxy(real, unmarshal=unmarshal))


# ---------------------------------------------------------------------------------------------
# §1 syntax


def _plant_syntax_prefix_decoded(p: Patcher) -> None:
    def recover(real: Unmarshal, data: bytes, t: GoType, value: Any, err: str) -> Any:
        prefix, _ = _salvage(bytes(data))
        if prefix is None or _is_syntax_error(prefix):
            return None
        partial, _ = real(prefix, t, value)
        return partial, err  # the syntax error is still reported

    _on_syntax_error(p, recover)


def _plant_syntax_trailing_ignored(p: Patcher) -> None:
    def recover(real: Unmarshal, data: bytes, t: GoType, value: Any, err: str) -> Any:
        _, first = _salvage(bytes(data))
        if first is None or _is_syntax_error(first):
            return None
        return real(first, t, value)  # what follows the first value is ignored

    _on_syntax_error(p, recover)


def _plant_syntax_trailing_comma(p: Patcher) -> None:
    def recover(real: Unmarshal, data: bytes, t: GoType, value: Any, err: str) -> Any:
        pieces = _pieces(bytes(data))
        kept = [
            piece
            for i, piece in enumerate(pieces)
            if not (piece == b"," and i + 1 < len(pieces) and pieces[i + 1] in (b"]", b"}"))
        ]
        if len(kept) == len(pieces):
            return None
        return real(b"".join(kept), t, value)

    _on_syntax_error(p, recover)


def _c_decoder(p: Patcher, **options: Any) -> None:
    """parse.py's Python C scanner (``parse._C_DECODER``) as the reference sets it up, with
    `options` of ``json.JSONDecoder`` changed."""
    settings: dict[str, Any] = {
        "object_pairs_hook": JObject,
        "parse_int": str.encode,
        "parse_float": str.encode,
        "parse_constant": scanner.reject_constant,
    }
    p.set(parse, "_C_DECODER", json.JSONDecoder(**(settings | options)))


def _plant_syntax_nan_accepted(p: Patcher) -> None:
    # Python's json.loads accepts NaN and Infinity; here they reach the typed decoder as number
    # literals (a type error for an int field, no longer a syntax error of the whole document).
    _c_decoder(p, parse_constant=str.encode)


def _plant_syntax_control_chars(p: Patcher) -> None:
    # json.loads(strict=False): raw control characters inside strings are accepted.
    _c_decoder(p, strict=False)


def _plant_syntax_bom_skipped(p: Patcher) -> None:
    def around(real: Unmarshal, data: bytes, t: GoType, value: Any) -> tuple[Any, str | None]:
        data = bytes(data)
        if data.startswith(b"\xef\xbb\xbf"):  # Python's utf-8-sig
            data = data[3:]
        return real(data, t, value)

    _around_unmarshal(p, around)


def _plant_syntax_empty_is_null(p: Patcher) -> None:
    def around(real: Unmarshal, data: bytes, t: GoType, value: Any) -> tuple[Any, str | None]:
        if not bytes(data).strip(b" \t\r\n"):
            return value, None
        return real(data, t, value)

    _around_unmarshal(p, around)


def _plant_syntax_depth_off_by_one(p: Patcher) -> None:
    # parse.py's tree builder reads its own copy of the limit; Go's scanner (scanner.py: deep
    # documents are checked there first, and the Decoder's readValue) reads the original.
    for module in (parse, scanner):
        p.set(module, "MAX_NESTING_DEPTH", vars(module)["MAX_NESTING_DEPTH"] + 1)


# ---------------------------------------------------------------------------------------------
# §2 keys


# Not planted: Go's preference for an exact key over a folded one. No struct of the 2017 types has
# two JSON fields whose names fold alike, so no input can tell it apart from "first field that
# folds" (test_planted checks that this stays true).


def _plant_fold_case_sensitive(p: Patcher) -> None:
    p.set(decode, "fold_key", lambda key: None)


def _plant_fold_ascii_only(p: Patcher) -> None:
    p.set(decode, "fold_key", lambda key: key.lower() if key.isascii() else None)


def _plant_fold_casefold(p: Patcher) -> None:
    p.set(decode, "fold_key", lambda key: key.casefold())


def _plant_fold_first_wins(p: Patcher) -> None:
    def around_for(t: StructType) -> Around:
        field_of = _field_of(t)

        def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
            if type(node) is JObject:
                spelling: dict[str, str] = {}
                kept = JObject()
                for key, val in node:
                    f = field_of(key)
                    # a second spelling of a field already set is ignored (dict.setdefault)
                    if f is not None and spelling.setdefault(f, key) != key:
                        continue
                    kept.append((key, val))
                node = kept
            return inner(node, cur, ctx)

        return around

    _around_decoders(p, "_struct_decoder", around_for)


def _plant_unknown_keys_rejected(p: Patcher) -> None:
    def around_for(t: StructType) -> Around:
        field_of = _field_of(t)

        def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
            if type(node) is JObject and ctx.saved is None:
                for key, _ in node:
                    if field_of(key) is None:  # Decoder.DisallowUnknownFields
                        ctx.saved = f'json: unknown field "{key}"'
                        break
            return inner(node, cur, ctx)

        return around

    _around_decoders(p, "_struct_decoder", around_for)


def _plant_untagged_names_lowercase(p: Patcher) -> None:
    p.fresh_codecs()
    for t in _struct_types():
        fields = _with_fields(
            t, lambda f: None if f.tagged else _copy_field(f, name=f.name.lower())
        )
        p.set(t, "json_fields", fields)


def _plant_embedded_fields_last(p: Patcher) -> None:
    p.fresh_codecs()
    for t in _struct_types():
        if any(len(f.index) > 1 for f in t.json_fields):
            # promoted fields after the struct's own ones, not in the embedded struct's place
            fields = sorted(t.json_fields, key=lambda f: (len(f.index) > 1, f.index))
            p.set(t, "json_fields", fields)


def _plant_unexported_decoded(p: Patcher) -> None:
    def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
        if type(node) is JObject and ctx.saved is None:
            for key, val in node:
                # `store` decoded like an exported field (of Go type storage.Store)
                if key.lower() == "store" and val is not None:
                    kind = decode._kind_of(val)
                    ctx.saved = (
                        f"json: cannot unmarshal {kind} into Go struct field "
                        "CopyData.store of type storage.Store"
                    )
                    break
        return inner(node, cur, ctx)

    _around_decoders(p, "_struct_decoder", lambda t: around if t is model.CopyData_T else None)


def _slow_parser_only(p: Patcher) -> None:
    """Every document through parse.py's own tokenizer (``_parse_tokens``, where each string
    token becomes a node through ``_string_node``), not Python's C scanner: parse.C_SCANNER,
    the switch the reference's tests use to check that both give the same trees."""
    p.set(parse, "C_SCANNER", False)


def _plant_key_escapes_raw(p: Patcher) -> None:
    # Keys are matched on their raw text: "\u0061uthor" is not author.
    _slow_parser_only(p)
    real = parse._string_node

    def string_node(tok: bytes) -> str:
        if b"\\" in tok and _called_for_a_key():
            return parse.decode_utf8(tok[1:-1])
        return real(tok)

    p.set(parse, "_string_node", string_node)


def _called_for_a_key() -> bool:
    """Whether parse._string_node was called by the tokenizer for an object key (the builder's
    state tells; the same function makes value strings)."""
    frame = sys._getframe(2)
    return frame.f_code.co_name == "_parse_tokens" and frame.f_locals.get("state") in (
        parse._KEY,
        parse._KEY_OR_END,
    )


# ---------------------------------------------------------------------------------------------
# §3 duplicate keys


def _dedupe_tree(root: Any) -> Any:
    """Every object of a parse tree as a Python dict sees it: one entry per key, the first
    position, the last value."""
    todo = [root]
    while todo:
        node = todo.pop()
        if type(node) is JObject:
            merged: dict[str, Any] = {}
            for key, val in node:
                merged[key] = val
            node[:] = list(merged.items())
            todo.extend(merged.values())
        elif type(node) is list:
            todo.extend(node)
    return root


def _plant_dup_keys_last_only(p: Patcher) -> None:
    real = vars(decode)["parse"]

    def parse_last_only(data: bytes, raw_keys: frozenset[str] = frozenset()) -> Any:
        return _dedupe_tree(real(data, raw_keys))

    p.set(decode, "parse", parse_last_only)


def _plant_dup_map_replaced(p: Patcher) -> None:
    def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
        return inner(node, None if type(node) is JObject else cur, ctx)

    _around_decoders(p, "_map_decoder", _every_type(around))


def _plant_dup_struct_replaced(p: Patcher) -> None:
    def is_struct(t: GoType) -> bool:
        return isinstance(t, StructType) or (
            isinstance(t, PtrType) and isinstance(t.elem, StructType)
        )

    def around_for(t: StructType) -> Around:
        field_of = _field_of(t)
        structs = {f.name for f in t.json_fields if is_struct(f.type)}

        def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
            if type(node) is JObject:
                last: dict[str, int] = {}
                for i, (key, _) in enumerate(node):
                    f = field_of(key)
                    if f in structs:
                        last[f] = i
                # only the last occurrence of a struct-valued key counts: no merging
                node = JObject(
                    (key, val)
                    for i, (key, val) in enumerate(node)
                    if field_of(key) not in structs or last[field_of(key) or ""] == i
                )
            return inner(node, cur, ctx)

        return around

    _around_decoders(p, "_struct_decoder", around_for)


def _plant_dup_slice_fresh(p: Patcher) -> None:
    def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
        return inner(node, None if type(node) is list else cur, ctx)

    _around_decoders(p, "_slice_decoder", _every_type(around))


def _plant_dup_slice_no_stale(p: Patcher) -> None:
    # Elements within the old length are still decoded into; the capacity beyond it is lost.
    p.set(decode, "_make_slice", lambda backing, length: GoSlice(backing[:length]))


# ---------------------------------------------------------------------------------------------
# §4 null


def _null_through_field_decoders(p: Patcher) -> None:
    """Generated struct decoders handle a JSON null for a field inline (``_NULL_EFFECT``: a
    no-op, or nil), never calling the field's decoder: without that table every null goes to
    the field's decoder, which gives the same answers on every bundled case (checked by
    ``_plant_machinery_only`` in test_planted.py)."""
    if isinstance(vars(decode).get("_NULL_EFFECT"), dict):
        p.fresh_codecs()
        p.set(decode, "_NULL_EFFECT", {})


def _plant_null_zeroes_scalars(p: Patcher) -> None:
    def scalar(zero_value: Any) -> Callable[..., Around]:
        def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
            return zero_value if node is None else inner(node, cur, ctx)

        return _every_type(around)

    _around_decoders(p, "_string_decoder", scalar(""))
    _around_decoders(p, "_bool_decoder", scalar(False))
    _around_decoders(p, "_int_decoder", scalar(0))
    _null_through_field_decoders(p)
    real_time = decode._decode_time
    p.set(
        decode,
        "_decode_time",
        lambda node, cur, ctx: gotime.ZERO_TIME if node is None else real_time(node, cur, ctx),
    )


def _plant_null_keeps_collections(p: Patcher) -> None:
    def keep(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
        return cur if node is None else inner(node, cur, ctx)

    for name in ("_slice_decoder", "_map_decoder", "_ptr_decoder"):
        _around_decoders(p, name, _every_type(keep))
    _null_through_field_decoders(p)
    for name in ("_decode_strslice", "_decode_bytes"):
        real: Decoder = getattr(decode, name)
        p.set(
            decode,
            name,
            lambda node, cur, ctx, real=real: cur if node is None else real(node, cur, ctx),
        )


def _plant_null_elements_dropped(p: Patcher) -> None:
    def in_map(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
        if type(node) is JObject:
            node = JObject((k, v) for k, v in node if v is not None)
        return inner(node, cur, ctx)

    def in_slice(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
        if type(node) is list:
            node = [v for v in node if v is not None]
        return inner(node, cur, ctx)

    _around_decoders(p, "_map_decoder", _every_type(in_map))
    _around_decoders(p, "_slice_decoder", _every_type(in_slice))


def _plant_null_top_level_error(p: Patcher) -> None:
    def around(real: Unmarshal, data: bytes, t: GoType, value: Any) -> tuple[Any, str | None]:
        if bytes(data).strip(b" \t\r\n") == b"null":
            return value, f"json: cannot unmarshal null into Go value of type {t.name}"
        return real(data, t, value)

    _around_unmarshal(p, around)


# ---------------------------------------------------------------------------------------------
# §5 type errors


def _plant_type_mismatch_aborts(p: Patcher) -> None:
    def save_type_error(self: Any, what: str, type_name: str) -> None:
        raise decode._Abort(self.type_error_text(what, type_name), decode._KEEP)

    p.set(decode._Ctx, "save_type_error", save_type_error)


def _plant_type_mismatch_last_error(p: Patcher) -> None:
    def save_type_error(self: Any, what: str, type_name: str) -> None:
        self.saved = self.type_error_text(what, type_name)

    p.set(decode._Ctx, "save_type_error", save_type_error)


def _plant_type_mismatch_no_allocation(p: Patcher) -> None:
    def around_for(t: PtrType) -> Around | None:
        if not isinstance(t.elem, StructType):
            return None
        name = t.elem.name

        def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
            if cur is None and node is not None and type(node) is not JObject:
                ctx.save_type_error(decode._kind_of(node), name)
                return None  # the kind is checked before the pointer is allocated
            return inner(node, cur, ctx)

        return around

    _around_decoders(p, "_ptr_decoder", around_for)


def _plant_time_error_continues(p: Patcher) -> None:
    def decode_time(node: Any, cur: Any, ctx: Any) -> Any:
        if node is None:
            return cur
        try:
            return gotime.unmarshal_json_token(parse.raw_token(node, ctx.data, ctx.root))
        except GoError as error:
            if ctx.saved is None:
                ctx.saved = str(error)  # recorded like a type error; decoding goes on
            return gotime.ZERO_TIME

    p.fresh_codecs()
    p.set(decode, "_decode_time", decode_time)


def _plant_strslice_error_continues(p: Patcher) -> None:
    real = decode._decode_strslice

    def decode_strslice(node: Any, cur: Any, ctx: Any) -> Any:
        try:
            return real(node, cur, ctx)
        except decode._Abort as abort:
            if ctx.saved is None:
                ctx.saved = abort.message  # recorded like a type error; decoding goes on
            return cur

    p.fresh_codecs()
    p.set(decode, "_decode_strslice", decode_strslice)


def _plant_strslice_string_rejected(p: Patcher) -> None:
    real = decode._decode_strslice

    def decode_strslice(node: Any, cur: Any, ctx: Any) -> Any:
        if type(node) is str or type(node) is RawStr:
            ctx.save_type_error("string", STRSLICE.name)  # a plain []string
            return cur
        return real(node, cur, ctx)

    p.fresh_codecs()
    p.set(decode, "_decode_strslice", decode_strslice)


# ---------------------------------------------------------------------------------------------
# §6 integers


_INT64: Final = (-(1 << 63), (1 << 63) - 1)


def _integral(literal: bytes) -> int | None:
    """The value of a JSON number literal that Python's float() finds integral, else None."""
    try:
        value = float(literal)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
        return None
    return int(value)


def _plant_int_integral_float(p: Patcher) -> None:
    def around_for(name: str, signed: bool = True) -> Around:
        def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
            if type(node) is bytes and any(c in node for c in b".eE"):
                n = _integral(node)
                if n is not None and _INT64[0] <= n <= _INT64[1] and (signed or 0 <= n <= 255):
                    return n
            return inner(node, cur, ctx)

        return around

    _around_decoders(p, "_int_decoder", around_for)


def _plant_int_unbounded(p: Patcher) -> None:
    def around_for(name: str, signed: bool = True) -> Around:
        def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
            if signed and type(node) is bytes and node.lstrip(b"-").isdigit():
                return int(node)  # Python ints have no int64 range
            return inner(node, cur, ctx)

        return around

    _around_decoders(p, "_int_decoder", around_for)


def _plant_schema_version_float(p: Patcher) -> None:
    def around_for(t: StructType) -> Around | None:
        if not any(f.name == "schemaVersion" for f in t.json_fields):
            return None
        field_of = _field_of(t)

        def around(inner: Decoder, node: Any, cur: Any, ctx: Any) -> Any:
            if type(node) is JObject:
                fixed = JObject()
                for key, val in node:
                    if field_of(key) == "schemaVersion" and type(val) is bytes:
                        n = _integral(val)
                        val = str(n).encode() if n is not None else val  # 1.0 == 1
                    fixed.append((key, val))
                node = fixed
            return inner(node, cur, ctx)

        return around

    _around_decoders(p, "_struct_decoder", around_for)


# ---------------------------------------------------------------------------------------------
# §7 strings in


def _plant_utf8_maximal_subpart(p: Patcher) -> None:
    p.set(parse, "_ERRORS", "replace")  # Python's handler: one U+FFFD per maximal subpart


def _plant_surrogates_kept(p: Patcher) -> None:
    _slow_parser_only(p)
    p.set(parse, "_LONE_SURROGATE", re.compile("(?!)"))  # never finds one to replace


def _plant_utf8_keys_distinct(p: Patcher) -> None:
    _slow_parser_only(p)
    real = parse._string_node

    def string_node(tok: bytes) -> str:
        if b"\\" not in tok and _called_for_a_key():
            try:
                tok[1:-1].decode("utf-8")
            except UnicodeDecodeError:
                # surrogateescape keeps each invalid byte distinct: no collisions
                return tok[1:-1].decode("utf-8", "surrogateescape")
        return real(tok)

    p.set(parse, "_string_node", string_node)


# ---------------------------------------------------------------------------------------------
# §8 strings out, §10 map order, §11 omitempty


_ESCAPE_PAIR: Final = re.compile(r"\\(u[0-9a-f]{4}|.)", re.S)
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")


def _plant_quote(p: Patcher, escapes: dict[str, str]) -> None:
    """Go's quote, with some of its escapes (``\\u003c``...) written differently."""
    real = encode.quote

    def fix(m: re.Match[str]) -> str:
        return escapes.get(m.group(0), m.group(0))

    def quote(s: str, *args: Any, **kwargs: Any) -> str:
        return _ESCAPE_PAIR.sub(fix, real(s, *args, **kwargs))

    p.fresh_codecs()
    p.set(encode, "quote", quote)


def _plant_escape_html_off(p: Patcher) -> None:
    _plant_quote(p, {"\\u003c": "<", "\\u003e": ">", "\\u0026": "&"})


def _plant_escape_line_separators_raw(p: Patcher) -> None:
    _plant_quote(p, {"\\u2028": "\u2028", "\\u2029": "\u2029"})


def _plant_escape_short_bf(p: Patcher) -> None:
    _plant_quote(p, {"\\u0008": "\\b", "\\u000c": "\\f"})


def _plant_escape_non_ascii(p: Patcher) -> None:
    real = encode.quote

    def escape(m: re.Match[str]) -> str:
        # json.dumps' default ensure_ascii=True (astral characters as surrogate pairs)
        return str(json.encoder.encode_basestring_ascii(m.group(0)))[1:-1]

    def quote(s: str, *args: Any, **kwargs: Any) -> str:
        return _NON_ASCII.sub(escape, real(s, *args, **kwargs))

    p.fresh_codecs()
    p.set(encode, "quote", quote)
    # the reference quotes only strings its escape pattern finds something in
    for name in ("_NEEDS_ESCAPE", "_NEEDS_ESCAPE_NO_HTML"):
        pattern = getattr(encode, name)
        p.set(encode, name, re.compile(pattern.pattern[:-1] + r"\x80-\U0010ffff]"))


def _plant_map_insertion_order(p: Patcher) -> None:
    def map_encoder(t: MapType, escape_html: bool = True) -> Encoder:
        def enc(v: Any, out: list[str]) -> None:
            if v is None:
                out.append("null")
                return
            if not v:
                out.append("{}")
                return
            elem = encode.encoder_for(t.elem, escape_html)
            sep = "{"
            for key in v:  # dict order, not sorted
                out.append(sep + encode.quote(key, escape_html) + ":")
                sep = ","
                elem(v[key], out)
            out.append("}")

        return enc

    p.fresh_codecs()
    p.set(encode, "_map_encoder", map_encoder)


def _go_omits(f: JSONField, value: Any) -> bool:
    """Go's omitempty test (encode.go isEmptyValue) for the kinds declared here."""
    if f.type.kind is Kind.PTR:
        return value is None
    if f.type.kind in (Kind.STRUCT, Kind.TIME, Kind.EMPTY_STRUCT):
        return False
    return not value


def _plant_struct_encoder(p: Patcher, omits: Callable[[JSONField, Any], bool] = _go_omits) -> None:
    """Struct encoders that encode every field through ``encode.encoder_for`` (the reference
    generates code with strings, times and []string inlined, out of reach of a patched field
    encoder), with the omitempty test `omits`. With Go's test the output is the reference's,
    byte for byte (``test_planted`` checks it on every bundled case)."""

    def generate(t: StructType, mode: Any = True, reuse: frozenset[str] = frozenset()) -> Any:
        # `mode`: encode.py's _Mode (how strings are written), or the older escape_html flag
        field_encoder: Callable[[GoType], Encoder]
        if isinstance(mode, bool):
            keys = [encode.quote(f.name, mode) + ":" for f in t.json_fields]

            def field_encoder(ft: GoType) -> Encoder:
                return encode.encoder_for(ft, mode)

        else:
            keys = [mode.text(encode.quote(f.name)) + ":" for f in t.json_fields]

            def field_encoder(ft: GoType) -> Encoder:
                return vars(encode)["_encoder"](ft, mode)  # type: ignore[no-any-return]

        encoders: list[Encoder] = []

        def enc_known(v: Any, out: list[str], known: dict[str, Any]) -> None:
            if not encoders:
                encoders.extend(field_encoder(f.type) for f in t.json_fields)
            sep = "{"
            for f, key, fenc in zip(t.json_fields, keys, encoders, strict=True):
                value = getattr(v, f.attr)
                if f.omitempty and omits(f, value):
                    continue
                if f.attr in reuse:  # encode.marshal_reusing: the field's text, given
                    text = known[f.attr]
                    if not isinstance(text, str):
                        raise text
                    out.append(sep + key + text)
                else:
                    out.append(sep + key)
                    fenc(value, out)
                sep = ","
            out.append("}" if sep == "," else "{}")

        if reuse:
            return enc_known

        def enc(v: Any, out: list[str]) -> None:
            enc_known(v, out, {})

        return enc

    p.fresh_codecs()
    p.set(encode, "_generate_struct_encoder", generate)


def _is_zero_value(value: Any) -> bool:
    if isinstance(value, GoStruct):
        return value == type(value)()
    if isinstance(value, GoTime):
        return value.is_zero()
    return not value


def _plant_omitempty_struct_omitted(p: Patcher) -> None:
    _plant_struct_encoder(
        p,
        lambda f, value: (
            _is_zero_value(value)
            if f.type.kind in (Kind.STRUCT, Kind.TIME)
            else _go_omits(f, value)
        ),
    )


def _plant_omitempty_empty_kept(p: Patcher) -> None:
    lengths = (Kind.SLICE, Kind.MAP, Kind.BYTES, Kind.STRSLICE)
    _plant_struct_encoder(
        p, lambda f, value: value is None if f.type.kind in lengths else _go_omits(f, value)
    )


def _plant_nil_slice_as_empty(p: Patcher) -> None:
    def nil_as(empty: str) -> EncoderAround:
        def around(inner: Encoder, v: Any, out: list[str]) -> None:
            if v is None:
                out.append(empty)
            else:
                inner(v, out)

        return around

    _plant_struct_encoder(p)  # so that every slice goes through the slice encoder
    _around_encoders(p, "_slice_encoder", nil_as("[]"))
    _around_encoders(p, "_map_encoder", nil_as("{}"))


def _plant_empty_slice_as_null(p: Patcher) -> None:
    def around(inner: Encoder, v: Any, out: list[str]) -> None:
        if not v:  # "if not v" cannot tell nil from empty
            out.append("null")
        else:
            inner(v, out)

    _plant_struct_encoder(p)  # so that every slice goes through the slice encoder
    _around_encoders(p, "_slice_encoder", around)


# ---------------------------------------------------------------------------------------------
# §9 []byte


def _plant_base64_unpadded(p: Patcher) -> None:
    real = base64std.decode

    def b64decode(src: bytes) -> bytes:
        stripped = src.replace(b"\n", b"").replace(b"\r", b"")
        if len(stripped) % 4 and re.fullmatch(rb"[A-Za-z0-9+/]*", stripped):
            return real(stripped + b"=" * (-len(stripped) % 4))  # padding made optional
        return real(src)

    p.set(base64std, "decode", b64decode)
    # the capacity of the buffer decoded into (stale bytes after it) for unpadded input
    p.set(base64std, "decoded_len", lambda n: (n + 3) // 4 * 3)


# ---------------------------------------------------------------------------------------------
# §12 time


_LAYOUT_QUOTED: Final = '"\\"2006-01-02T15:04:05Z07:00\\""'


def _time_error(raw: bytes, rest: bytes, element: str) -> GoError:
    return GoError(
        f"parsing time {gotime._quote(raw)} as {_LAYOUT_QUOTED}: "
        f"cannot parse {gotime._quote(rest)} as {gotime._quote(element.encode())}"
    )


TokenParser = Callable[[bytes], GoTime]


def _wrap_time_token(p: Patcher, wrap: Callable[[bytes, TokenParser], GoTime]) -> None:
    """Wrap ``(*time.Time).UnmarshalJSON``: decode.py calls gotime.unmarshal_json_token, or
    (plain strings) gotime.unmarshal_json_string, which calls it and caches by the string: that
    cache runs empty meanwhile, so that every time goes through the wrapper."""
    real = gotime.unmarshal_json_token
    p.set(gotime, "unmarshal_json_token", lambda raw: wrap(raw, real))
    for name in ("_PARSED", "_PARSED_STR"):
        cache = vars(gotime).get(name)
        if isinstance(cache, dict):
            p.fresh(cache)


_TIME_PARTS: Final = re.compile(
    rb'"(\d{4}-\d{2}-\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:([.,])(\d+))?(Z|[+-](\d{2}):(\d{2}))"'
)


def _plant_time_one_digit_hour_rejected(p: Patcher) -> None:
    def parse_token(raw: bytes, real: Callable[[bytes], GoTime]) -> GoTime:
        m = _TIME_PARTS.fullmatch(raw)
        if m is not None and len(m.group(2)) == 1:
            raise _time_error(raw, raw[m.start(2) :], "15")  # Go >= 1.20: exactly 2 digits
        return real(raw)

    _wrap_time_token(p, parse_token)


def _plant_time_comma_rejected(p: Patcher) -> None:
    def parse_token(raw: bytes, real: Callable[[bytes], GoTime]) -> GoTime:
        m = _TIME_PARTS.fullmatch(raw)
        if m is not None and m.group(5) == b",":
            raise _time_error(raw, raw[m.start(5) :], "Z07:00")  # Go <= 1.16
        return real(raw)

    _wrap_time_token(p, parse_token)


def _plant_time_fraction_rounded(p: Patcher) -> None:
    def parse_token(raw: bytes, real: Callable[[bytes], GoTime]) -> GoTime:
        t = real(raw)
        m = _TIME_PARTS.fullmatch(raw)
        digits = m.group(6) if m is not None else None
        # rounded to the nearest nanosecond, not truncated
        if digits is not None and len(digits) > 9 and digits[9] >= ord("5"):
            nsec = t.nsec + 1
            return GoTime(t.unix + nsec // 1_000_000_000, nsec % 1_000_000_000, t.offset)
        return t

    _wrap_time_token(p, parse_token)


def _plant_time_offset_range_checked(p: Patcher) -> None:
    def parse_token(raw: bytes, real: Callable[[bytes], GoTime]) -> GoTime:
        m = _TIME_PARTS.fullmatch(raw)
        hours = m.group(8) if m is not None else None
        if m is not None and hours is not None and (int(hours) > 23 or int(m.group(9)) > 59):
            raise GoError(f"parsing time {gotime._quote(raw)}: time zone offset out of range")
        return real(raw)

    _wrap_time_token(p, parse_token)


def _plant_time_error_text(p: Patcher) -> None:
    def parse_token(raw: bytes, real: Callable[[bytes], GoTime]) -> GoTime:
        try:
            return real(raw)
        except GoError:
            # datetime.fromisoformat's message instead of Go's ParseError
            text = raw.decode("utf-8", "replace")
            raise GoError(f"Invalid isoformat string: {text!r}") from None

    _wrap_time_token(p, parse_token)


def _uncached_time_json(p: Patcher, year_checked: bool = True) -> None:
    """GoTime.json_text without its per-instance cache (decoded times are shared between
    requests, so a cached text would bypass a patched formatter)."""

    def json_text(self: GoTime) -> str | None:
        year, text = self._format()
        if year_checked and not 0 <= year <= 9999:
            return None
        return '"' + text + '"'

    p.set(GoTime, "json_text", json_text)


def _plant_time_trailing_zeros(p: Patcher) -> None:
    real = GoTime._format

    def _format(self: GoTime) -> tuple[int, str]:
        year, text = real(self)
        if self.nsec:
            text = re.sub(r"\.\d+", "." + f"{self.nsec:09d}", text, count=1)
        return year, text

    p.set(GoTime, "_format", _format)
    _uncached_time_json(p)


def _plant_time_utc_as_offset(p: Patcher) -> None:
    real = gotime._format_zone
    p.set(gotime, "_format_zone", lambda offset: "+00:00" if offset == 0 else real(offset))
    _uncached_time_json(p)


def _plant_time_marshal_unchecked(p: Patcher) -> None:
    _uncached_time_json(p, year_checked=False)
    p.set(
        GoTime,
        "marshal_json",
        lambda self, go_type: b'"' + self._format()[1].encode("ascii") + b'"',
    )


def _plant_time_is_zero_wall_clock(p: Patcher) -> None:
    zero = gotime.ZERO_TIME.unix
    p.set(GoTime, "is_zero", lambda self: self.unix + self.offset == zero and self.nsec == 0)


def _plant_time_utc_not_applied(p: Patcher) -> None:
    p.set(GoTime, "utc", lambda self: self)


# ---------------------------------------------------------------------------------------------
# §13 the original's own behaviour


def _plant_inverted_condition_fixed(p: Patcher) -> None:
    def after(t: GoType, value: Any, err: str | None) -> Any:
        if t is model.OCIImage_T:
            # initConfig's test `err != nil` now sees the opposite: it converts on success
            return value, None if err is not None else "(fault: decode succeeded)"
        return value, err

    _copydata_unmarshal(p, after)


def _plant_docker_version_gate_dropped(p: Patcher) -> None:
    def after(t: GoType, value: Any, err: str | None) -> Any:
        if t is model.V2Image_T and err is None and value.DockerVersion == "":
            value.DockerVersion = "(fault)"  # fixupConfig empties it again
        return value, err

    _copydata_unmarshal(p, after)


def _plant_shadowed_parent_visible(p: Patcher) -> None:
    t = model.V2Image_T
    fields = list(t.json_fields)
    parent = next(f for f in fields if f.name == "parent")
    fields.remove(parent)
    at = next(i for i, f in enumerate(fields) if f.name == "id") + 1
    fields.insert(at, parent)  # V1Image's place (a dataclass field override keeps it)
    p.fresh_codecs()
    p.set(t, "json_fields", fields)


def _plant_created_by_repr(p: Patcher) -> None:
    p.set(convert, "_sprint_v", lambda words: str(list(words)))


def _plant_now_real_clock(p: Patcher) -> None:
    real = protocol._set_env

    def set_env(req: Any, need_now: bool) -> copydata.Host:
        host = real(req, need_now)
        return dataclasses.replace(host, now=copydata.Host.real().now)

    p.set(protocol, "_set_env", set_env)


def _plant_v2s1_history_not_reversed(p: Patcher) -> None:
    real = convert.make_docker_v2s1_image

    def make(manifest: model.V2S1Manifest, now: GoTime) -> model.V2Image:
        image = real(manifest, now)
        image.History = list(reversed(image.History or []))
        return image

    p.set(convert, "make_docker_v2s1_image", make)


def _plant_v1compat_cmd_strslice(p: Patcher) -> None:
    t = model.V1CompatibilityContainerConfig_T
    p.fresh_codecs()
    p.set(t, "json_fields", _with_fields(t, lambda f: _copy_field(f, type_=STRSLICE)))


def _plant_digest_upper_hex_rejected(p: Patcher) -> None:
    p.set(digest, "_ANCHORED", re.compile(r"[a-zA-Z0-9\-_+.]+:[a-f0-9]+"))


def _plant_parse_named_normalizes(p: Patcher) -> None:
    real = refname.parse_named

    def parse_named(s: str) -> str | None:
        # the name as ParseNormalizedNamed completes it (docker.io/, library/), then ParseNamed:
        # what the original gets with ParseNormalizedNamed instead of ParseNamed
        domain, remainder = refname._split_docker_domain(s)
        return real(domain + "/" + remainder)

    p.set(refname, "parse_named", parse_named)


def _plant_panic_as_error(p: Patcher) -> None:
    real = protocol._run

    def run(req: Any, resp: Any, stage: Any) -> None:
        try:
            real(req, resp, stage)
        except GoPanic as panic:
            resp.fail(stage.value, GoError(str(panic)))

    p.set(protocol, "_run", run)


def _plant_nil_created_no_panic(p: Patcher) -> None:
    real = copydata.fixup_config

    def fixup_config(c: model.CopyData, host: copydata.Host) -> None:
        if c.OCIv1.Created is None:
            c.OCIv1.Created = gotime.ZERO_TIME  # a nil *time.Time read as the zero time
        real(c, host)

    p.set(copydata, "fixup_config", fixup_config)


def _plant_v2s2_nil_created_zero(p: Patcher) -> None:
    real = convert.make_docker_v2s2_image

    def make(oimage: model.OCIImage) -> model.V2Image:
        if oimage.Created is None:
            oimage.Created = gotime.ZERO_TIME
        return real(oimage)

    p.set(convert, "make_docker_v2s2_image", make)


def _plant_v2s2_history_nil_created_zero(p: Patcher) -> None:
    real = convert.make_docker_v2s2_image

    def make(oimage: model.OCIImage) -> model.V2Image:
        for history in oimage.History or []:
            if history.Created is None:
                history.Created = gotime.ZERO_TIME
        return real(oimage)

    p.set(convert, "make_docker_v2s2_image", make)


def _plant_open_null_is_empty(p: Patcher) -> None:
    def after(t: GoType, value: Any, err: str | None) -> Any:
        if t is model.CopyDataPtr_T and value is None:
            return model.CopyData(), err
        return value, err

    _copydata_unmarshal(p, after)


def _plant_annotations_recovery_keeps_empty(p: Patcher) -> None:
    def after(t: GoType, value: Any, err: str | None) -> Any:
        if t is model.Manifest_T and err is None and value.Annotations is None:
            value.Annotations = {}
        return value, err

    _copydata_unmarshal(p, after)


def _plant_annotations_accessor_nil(p: Patcher) -> None:
    p.set(
        copydata,
        "annotations",
        lambda c: None if c.ImageAnnotations is None else dict(c.ImageAnnotations),
    )


def _plant_workdir_default_missing(p: Patcher) -> None:
    p.set(copydata, "set_work_dir", lambda c, there: None)


def _plant_config_not_aliased(p: Patcher) -> None:
    real = copydata.fixup_config

    def fixup_config(c: model.CopyData, host: copydata.Host) -> None:
        real(c, host)
        # config ends up a copy of container_config, not a pointer to it
        c.Docker.Config = copy.copy(c.Docker.Config)

    p.set(copydata, "fixup_config", fixup_config)


def _plant_container_config_fallback_missing(p: Patcher) -> None:
    real = convert.make_oci_v1_image

    def make(dimage: model.V2Image) -> model.OCIImage:
        if dimage.Config is not None:
            return real(dimage)
        dimage.Config = model.Config()  # an empty config instead of container_config
        try:
            return real(dimage)
        finally:
            dimage.Config = None

    p.set(convert, "make_oci_v1_image", make)


def _plant_parent_always_prefixed(p: Patcher) -> None:
    def parse_digest(s: str) -> str:
        raise GoError(digest.ERR_DIGEST_INVALID_FORMAT)  # the ID is never taken as a digest

    p.set(copydata, "digest", _proxy(digest, parse=parse_digest))


def _plant_open_type_check_skipped(p: Patcher) -> None:
    def open_copy_data(state: bytes, host: copydata.Host) -> model.CopyData:
        c, err = gojson_package.unmarshal(state, model.CopyDataPtr_T, model.CopyData())
        if err is not None:
            raise GoError(err)
        if c is None:
            raise GoPanic()
        copydata.fixup_config(c, host)  # no `c.Type != containerType` check
        result: model.CopyData = c
        return result

    p.set(copydata, "open_copy_data", open_copy_data)


class _PresentBytes(bytes):
    """An empty blob that counts as present (``if c.Config:`` is true)."""

    def __bool__(self) -> bool:
        return True


def _plant_empty_config_decoded(p: Patcher) -> None:
    real = copydata.init_config

    def init_config(c: model.CopyData, host: copydata.Host) -> None:
        blob = c.Config
        if blob is not None and len(blob) == 0:
            c.Config = _PresentBytes(b"")  # `if c.Config is not None` instead of len > 0
        try:
            real(c, host)
        finally:
            c.Config = blob

    p.set(copydata, "init_config", init_config)


def _plant_container_name_unchecked(p: Patcher) -> None:
    real = copydata.import_copy_data_for_container

    def import_for_container(
        image_id: str,
        image_name: str,
        config: bytes | None,
        manifest: bytes | None,
        container_name: str,
        container_id: str,
        host: copydata.Host,
    ) -> tuple[model.CopyData, bytes]:
        if container_name != "":
            return real(image_id, image_name, config, manifest, container_name, container_id, host)
        data, _ = real(image_id, image_name, config, manifest, "-", container_id, host)
        data.Container = ""
        return data, copydata._save_bytes(data)

    p.set(copydata, "import_copy_data_for_container", import_for_container)


def _plant_save_error_unwrapped(p: Patcher) -> None:
    p.set(copydata, "_save_bytes", lambda c: gojson_package.marshal(model.CopyDataPtr_T, c))


class _Unwrapped(GoError):
    """A GoError that errors.Wrapf leaves as it is."""

    def wrap(self, prefix: str) -> GoError:
        return self


def _plant_image_ref_error_unwrapped(p: Patcher) -> None:
    real = protocol._marshal_text

    def marshal_text(t: GoType, value: Any) -> str:
        try:
            return real(t, value)
        except GoError as error:
            if t is model.OCIImage_T or t is model.V2Image_T:  # MakeImageRef's two marshals
                raise _Unwrapped(str(error)) from None
            raise

    p.set(protocol, "_marshal_text", marshal_text)


def _plant_manifest_type_default_docker(p: Patcher) -> None:
    p.set(copydata, "OCIV1_IMAGE_MANIFEST", "application/vnd.docker.distribution.manifest.v2+json")


def _plant_converter_decode_error_ignored(p: Patcher) -> None:
    real = gojson_package

    def unmarshal(data: bytes, t: GoType, value: Any) -> tuple[Any, str | None]:
        new, _ = real.unmarshal(data, t, value)
        return new, None

    p.set(protocol, "gojson", _proxy(real, unmarshal=unmarshal))


def _plant_open_decode_error_ignored(p: Patcher) -> None:
    def after(t: GoType, value: Any, err: str | None) -> Any:
        return value, None if t is model.CopyDataPtr_T else err

    _copydata_unmarshal(p, after)


# ---------------------------------------------------------------------------------------------
# The faults, as data

_UNMARSHAL = "reference.gojson.unmarshal (json.Unmarshal as every caller sees it)"
_STRUCT_DEC = "decode._struct_decoder (the per-struct decoder builder)"
_QUOTE = "encode.quote (Go's string escaping)"
_TIME_TOKEN = "gotime.unmarshal_json_token (time.Time.UnmarshalJSON)"
_CD_UNMARSHAL = "copydata.gojson (json.Unmarshal as copydata.py sees it)"

FAULTS: Final[tuple[Fault, ...]] = (
    # §1 syntax
    Fault(
        "syntax_prefix_decoded",
        "json.syntax",
        "a syntax error no longer decodes nothing: what precedes it is decoded (streaming)",
        _UNMARSHAL,
        _plant_syntax_prefix_decoded,
    ),
    Fault(
        "syntax_trailing_ignored",
        "json.syntax.trailing",
        "text after the first top-level value is ignored (json.JSONDecoder.raw_decode)",
        _UNMARSHAL,
        _plant_syntax_trailing_ignored,
    ),
    Fault(
        "syntax_trailing_comma",
        "json.syntax.grammar",
        "trailing commas before ] and } are accepted",
        _UNMARSHAL,
        _plant_syntax_trailing_comma,
    ),
    Fault(
        "syntax_nan_accepted",
        "json.syntax.numbers",
        "NaN, Infinity and -Infinity are numbers, not syntax errors (json.loads)",
        "parse._C_DECODER (parse_constant)",
        _plant_syntax_nan_accepted,
    ),
    Fault(
        "syntax_bom_skipped",
        "json.syntax.whitespace",
        "a leading UTF-8 BOM is skipped (utf-8-sig)",
        _UNMARSHAL,
        _plant_syntax_bom_skipped,
    ),
    Fault(
        "syntax_control_chars",
        "json.syntax.strings",
        "raw control characters inside strings are accepted (json.loads strict=False)",
        "parse._C_DECODER (strict)",
        _plant_syntax_control_chars,
    ),
    Fault(
        "syntax_empty_is_null",
        "json.syntax.empty",
        "empty or whitespace-only input decodes as null, without an error",
        _UNMARSHAL,
        _plant_syntax_empty_is_null,
    ),
    Fault(
        "syntax_depth_off_by_one",
        "json.syntax.depth",
        "nesting of 10001 levels is accepted (limit off by one)",
        "parse.MAX_NESTING_DEPTH, scanner.MAX_NESTING_DEPTH",
        _plant_syntax_depth_off_by_one,
    ),
    # §2 keys
    Fault(
        "fold_case_sensitive",
        "json.key-folding",
        "keys must match field names exactly (no case folding)",
        "decode.fold_key",
        _plant_fold_case_sensitive,
    ),
    Fault(
        "fold_casefold",
        "json.key-folding.unicode",
        "keys fold with Python's str.casefold (U+FB05 matches st, sharp s matches ss)",
        "decode.fold_key",
        _plant_fold_casefold,
    ),
    Fault(
        "fold_ascii_only",
        "json.key-folding.unicode",
        "keys fold ASCII only: long s (U+017F) and the Kelvin sign (U+212A) match nothing",
        "decode.fold_key",
        _plant_fold_ascii_only,
    ),
    Fault(
        "fold_first_wins",
        "json.key-folding.last-wins",
        "of several spellings of one field (OS, Os), the first one wins",
        _STRUCT_DEC,
        _plant_fold_first_wins,
    ),
    Fault(
        "unknown_keys_rejected",
        "json.unknown-keys",
        'an unknown key is an error (json: unknown field "x"), as with DisallowUnknownFields',
        _STRUCT_DEC,
        _plant_unknown_keys_rejected,
    ),
    Fault(
        "untagged_names_lowercase",
        "json.untagged-names",
        "fields without a tag name are written with the lower-cased Go name (size, hostname)",
        "the json_fields of every declared struct type",
        _plant_untagged_names_lowercase,
    ),
    Fault(
        "unexported_decoded",
        "json.unexported",
        "the unexported store field is decoded: a non-null store value is a type error",
        _STRUCT_DEC + " of CopyData",
        _plant_unexported_decoded,
    ),
    Fault(
        "embedded_fields_last",
        "json.embedded",
        "promoted fields of embedded structs are written after the struct's own fields",
        "the json_fields of every struct type that embeds another",
        _plant_embedded_fields_last,
    ),
    Fault(
        "key_escapes_raw",
        "json.key-escapes",
        'keys are matched before unescaping ("\\u0061uthor" is not author)',
        "parse._string_node for object keys (parse.C_SCANNER off)",
        _plant_key_escapes_raw,
    ),
    # §3 duplicates
    Fault(
        "dup_keys_last_only",
        "json.duplicate-keys",
        "a duplicated key keeps only its last value (a Python dict): nothing merges",
        "decode.parse (the parse tree, deduplicated)",
        _plant_dup_keys_last_only,
    ),
    Fault(
        "dup_map_replaced",
        "json.duplicate-keys.map-merge",
        "a duplicated map-valued key replaces the map instead of merging into it",
        "decode._map_decoder",
        _plant_dup_map_replaced,
    ),
    Fault(
        "dup_struct_replaced",
        "json.duplicate-keys.struct-merge",
        "a duplicated struct-valued key replaces the struct instead of merging its fields",
        _STRUCT_DEC,
        _plant_dup_struct_replaced,
    ),
    Fault(
        "dup_slice_fresh",
        "json.duplicate-keys.slice-reuse",
        "a duplicated slice key decodes into a fresh slice, not into the old elements",
        "decode._slice_decoder",
        _plant_dup_slice_fresh,
    ),
    Fault(
        "dup_slice_no_stale",
        "json.duplicate-keys.slice-reuse",
        "stale elements between a slice's length and capacity are forgotten",
        "decode._make_slice",
        _plant_dup_slice_no_stale,
    ),
    # §4 null
    Fault(
        "null_zeroes_scalars",
        "json.null",
        "null sets strings, numbers, bools and time.Time to their zero value (not a no-op)",
        "decode._string_decoder, _bool_decoder, _int_decoder, _decode_time (_NULL_EFFECT off)",
        _plant_null_zeroes_scalars,
    ),
    Fault(
        "null_keeps_collections",
        "json.null.reset",
        "null leaves slices, maps, pointers, StrSlice and []byte unchanged (not nil)",
        "decode._slice_decoder, _map_decoder, _ptr_decoder, _decode_strslice, _decode_bytes "
        "(_NULL_EFFECT off)",
        _plant_null_keeps_collections,
    ),
    Fault(
        "null_elements_dropped",
        "json.null.elements",
        "null map values and slice elements are dropped instead of stored as zero values",
        "decode._map_decoder, decode._slice_decoder",
        _plant_null_elements_dropped,
    ),
    Fault(
        "null_top_level_error",
        "json.null.top-level",
        "a top-level null is an error (cannot unmarshal null)",
        _UNMARSHAL,
        _plant_null_top_level_error,
    ),
    # §5 type errors
    Fault(
        "type_mismatch_aborts",
        "json.type-mismatch",
        "a wrong JSON type aborts the decode: nothing after it is decoded",
        "decode._Ctx.save_type_error",
        _plant_type_mismatch_aborts,
    ),
    Fault(
        "type_mismatch_last_error",
        "json.type-mismatch",
        "the last type error is returned instead of the first",
        "decode._Ctx.save_type_error",
        _plant_type_mismatch_last_error,
        level="errors",
    ),
    Fault(
        "type_mismatch_no_allocation",
        "json.type-mismatch.allocation",
        'a nil pointer to a struct stays nil on a wrong type ("config":"x" leaves no Config)',
        "decode._ptr_decoder",
        _plant_type_mismatch_no_allocation,
    ),
    Fault(
        "time_error_continues",
        "json.type-mismatch.abort",
        "an unparsable time is recorded like a type error and decoding goes on",
        "decode._decode_time",
        _plant_time_error_continues,
    ),
    Fault(
        "strslice_error_continues",
        "json.type-mismatch.abort",
        "a bad StrSlice is recorded like a type error and decoding goes on",
        "decode._decode_strslice",
        _plant_strslice_error_continues,
    ),
    Fault(
        "strslice_string_rejected",
        "json.strslice",
        'StrSlice is a plain []string: "Cmd":"sh" is a type error, not ["sh"]',
        "decode._decode_strslice",
        _plant_strslice_string_rejected,
    ),
    # §6 integers
    Fault(
        "int_integral_float",
        "json.integers",
        "integral floats (1.0, 1e3) are accepted as integers",
        "decode._int_decoder",
        _plant_int_integral_float,
    ),
    Fault(
        "int_unbounded",
        "json.integers",
        "integers outside int64 are accepted (Python ints)",
        "decode._int_decoder",
        _plant_int_unbounded,
    ),
    Fault(
        "schema_version_float",
        "json.integers.schema-version",
        "schemaVersion 1.0 is read as 1 (Python's 1.0 == 1)",
        _STRUCT_DEC + " of the types with schemaVersion",
        _plant_schema_version_float,
    ),
    # §7 strings in
    Fault(
        "utf8_maximal_subpart",
        "json.utf8-input",
        "invalid UTF-8 becomes one U+FFFD per maximal subpart (Python's replace), not per byte",
        "parse._ERRORS (the codec error handler)",
        _plant_utf8_maximal_subpart,
    ),
    Fault(
        "surrogates_kept",
        "json.utf8-input.surrogates",
        "lone surrogate escapes are kept (Python), not replaced by U+FFFD",
        "parse._LONE_SURROGATE (parse.C_SCANNER off)",
        _plant_surrogates_kept,
    ),
    Fault(
        "utf8_keys_distinct",
        "json.utf8-input.keys",
        "invalid bytes in keys stay distinct (surrogateescape), so such keys never collide",
        "parse._string_node for object keys (parse.C_SCANNER off)",
        _plant_utf8_keys_distinct,
    ),
    # §8 strings out
    Fault(
        "escape_html_off",
        "json.output-escaping",
        "< > & are written raw (no HTML escaping)",
        _QUOTE,
        _plant_escape_html_off,
    ),
    Fault(
        "escape_line_separators_raw",
        "json.output-escaping",
        "U+2028 and U+2029 are written raw",
        _QUOTE,
        _plant_escape_line_separators_raw,
    ),
    Fault(
        "escape_short_bf",
        "json.output-escaping",
        "backspace and form feed are written \\b and \\f (Python), not \\u0008 and \\u000c",
        _QUOTE,
        _plant_escape_short_bf,
    ),
    Fault(
        "escape_non_ascii",
        "json.output-escaping",
        "non-ASCII characters are escaped as \\uXXXX (json.dumps ensure_ascii)",
        _QUOTE,
        _plant_escape_non_ascii,
    ),
    # §9 []byte
    Fault(
        "base64_unpadded",
        "json.bytes-base64",
        "[]byte accepts base64 without padding",
        "base64std.decode",
        _plant_base64_unpadded,
    ),
    # §10 map order, §11 omitempty
    Fault(
        "map_insertion_order",
        "json.map-order",
        "map keys are written in insertion order, not sorted",
        "encode._map_encoder",
        _plant_map_insertion_order,
    ),
    Fault(
        "omitempty_struct_omitted",
        "json.omitempty",
        "omitempty drops all-zero structs and zero times too (OCI config {} disappears)",
        "encode._generate_struct_encoder",
        _plant_omitempty_struct_omitted,
    ),
    Fault(
        "omitempty_empty_kept",
        "json.omitempty",
        "omitempty drops nil slices and maps only: empty ones are written [] and {}",
        "encode._generate_struct_encoder",
        _plant_omitempty_empty_kept,
    ),
    Fault(
        "nil_slice_as_empty",
        "json.omitempty",
        "nil slices and maps are written [] and {} instead of null",
        "encode._slice_encoder, encode._map_encoder",
        _plant_nil_slice_as_empty,
    ),
    Fault(
        "empty_slice_as_null",
        "json.omitempty",
        "empty slices are written null instead of [] (if not v)",
        "encode._slice_encoder",
        _plant_empty_slice_as_null,
    ),
    # §12 time
    Fault(
        "time_one_digit_hour_rejected",
        "time.parse",
        "a 1-digit hour (T1:00:00Z) is rejected (Go 1.20)",
        _TIME_TOKEN,
        _plant_time_one_digit_hour_rejected,
    ),
    Fault(
        "time_comma_rejected",
        "time.parse",
        "a comma before the fraction is rejected (Go 1.16)",
        _TIME_TOKEN,
        _plant_time_comma_rejected,
    ),
    Fault(
        "time_fraction_rounded",
        "time.parse",
        "fraction digits beyond the 9th round the nanoseconds instead of being truncated",
        _TIME_TOKEN,
        _plant_time_fraction_rounded,
    ),
    Fault(
        "time_offset_range_checked",
        "time.parse",
        "zone offsets beyond 23:59 (+24:00, +99:99, +00:60) are rejected (Go 1.20)",
        _TIME_TOKEN,
        _plant_time_offset_range_checked,
    ),
    Fault(
        "time_error_text",
        "time.parse.errors",
        "an unparsable time reports Python's fromisoformat message, not Go's ParseError",
        _TIME_TOKEN,
        _plant_time_error_text,
        level="errors",
    ),
    Fault(
        "time_trailing_zeros",
        "time.format",
        "the fraction is written with all 9 digits (trailing zeros kept)",
        "GoTime._format",
        _plant_time_trailing_zeros,
    ),
    Fault(
        "time_utc_as_offset",
        "time.format",
        "UTC is written +00:00 instead of Z",
        "gotime._format_zone",
        _plant_time_utc_as_offset,
    ),
    Fault(
        "time_marshal_unchecked",
        "time.marshal-range",
        "marshalling a time with a year outside 0..9999 does not fail",
        "GoTime.marshal_json",
        _plant_time_marshal_unchecked,
    ),
    Fault(
        "time_is_zero_wall_clock",
        "time.zero-instant",
        "IsZero looks at the wall clock, not the instant (0001-01-01T01:00:00+01:00 is kept)",
        "GoTime.is_zero",
        _plant_time_is_zero_wall_clock,
    ),
    Fault(
        "time_utc_not_applied",
        "time.utc",
        ".UTC() keeps the offset",
        "GoTime.utc",
        _plant_time_utc_not_applied,
    ),
    # §13 the original
    Fault(
        "inverted_condition_fixed",
        "quirk.inverted-condition",
        "initConfig converts the OCI image to Docker when its decode SUCCEEDS (bug fixed)",
        _CD_UNMARSHAL + ", the OCI decode's error negated",
        _plant_inverted_condition_fixed,
    ),
    Fault(
        "docker_version_gate_dropped",
        "quirk.docker-version-gate",
        "a config that decodes as a Docker image takes the Docker branch without docker_version",
        _CD_UNMARSHAL,
        _plant_docker_version_gate_dropped,
    ),
    Fault(
        "shadowed_parent_visible",
        "quirk.shadowed-parent",
        "the shadowed V1Image.Parent wins: parent is written at V1Image's place, after id",
        "model.V2Image_T.json_fields",
        _plant_shadowed_parent_visible,
    ),
    Fault(
        "created_by_repr",
        "quirk.created-by-format",
        "created_by is Python's str(list) (['sh', '-c']), not %v ([sh -c])",
        "convert._sprint_v",
        _plant_created_by_repr,
    ),
    Fault(
        "now_real_clock",
        "quirk.now-fallback",
        "the time.Now() fallbacks use the real clock, not the injected now",
        "protocol._set_env (the Host's clock)",
        _plant_now_real_clock,
    ),
    Fault(
        "v2s1_history_not_reversed",
        "quirk.v2s1-history",
        "schema 1 history is kept in manifest order, not reversed",
        "convert.make_docker_v2s1_image",
        _plant_v2s1_history_not_reversed,
    ),
    Fault(
        "v1compat_cmd_strslice",
        "quirk.v1compat-cmd",
        "V1Compatibility's Cmd is a StrSlice: a string Cmd no longer fails its entry",
        "model.V1CompatibilityContainerConfig_T.json_fields",
        _plant_v1compat_cmd_strslice,
    ),
    Fault(
        "digest_upper_hex_rejected",
        "digest.rc0",
        "digests with upper-case hex are invalid (go-digest 1.0.0, not rc0)",
        "digest._ANCHORED",
        _plant_digest_upper_hex_rejected,
    ),
    Fault(
        "parse_named_normalizes",
        "reference.canonical",
        "ParseNamed normalizes short names (busybox -> docker.io/library/busybox)",
        "refname.parse_named",
        _plant_parse_named_normalizes,
    ),
    Fault(
        "panic_as_error",
        "panic.empty-image-id",
        "a nil pointer dereference is reported as an error, not as a panic",
        "protocol._run",
        _plant_panic_as_error,
    ),
    Fault(
        "nil_created_no_panic",
        "panic.oci-created-missing",
        "fixupConfig reads a nil OCI created as the zero time (replaced by now), no panic",
        "copydata.fixup_config",
        _plant_nil_created_no_panic,
    ),
    Fault(
        "v2s2_nil_created_zero",
        "panic.v2s2-created",
        "makeDockerV2S2Image reads a nil created as the zero time, no panic",
        "convert.make_docker_v2s2_image",
        _plant_v2s2_nil_created_zero,
    ),
    Fault(
        "v2s2_history_nil_created_zero",
        "panic.v2s2-history-created",
        "makeDockerV2S2Image reads a history entry's nil created as the zero time, no panic",
        "convert.make_docker_v2s2_image",
        _plant_v2s2_history_nil_created_zero,
    ),
    Fault(
        "open_null_is_empty",
        "panic.open-null",
        "the state null opens as an empty CopyData (an error, not a panic)",
        _CD_UNMARSHAL,
        _plant_open_null_is_empty,
    ),
    Fault(
        "annotations_recovery_keeps_empty",
        "quirk.annotations-recovery",
        "a manifest without annotations leaves ImageAnnotations {} instead of nil",
        _CD_UNMARSHAL,
        _plant_annotations_recovery_keeps_empty,
    ),
    Fault(
        "annotations_accessor_nil",
        "quirk.annotations-recovery",
        "Annotations() returns null for nil ImageAnnotations instead of an empty copy",
        "copydata.annotations",
        _plant_annotations_accessor_nil,
    ),
    Fault(
        "workdir_default_missing",
        "quirk.platform-defaults",
        'an empty WorkingDir is not defaulted to "/"',
        "copydata.set_work_dir",
        _plant_workdir_default_missing,
    ),
    Fault(
        "config_not_aliased",
        "quirk.config-aliasing",
        "Docker config is a copy of container_config, not an alias (Image set on one only)",
        "copydata.fixup_config",
        _plant_config_not_aliased,
    ),
    Fault(
        "container_config_fallback_missing",
        "quirk.container-config-fallback",
        "makeOCIv1Image without config uses an empty config, not container_config",
        "convert.make_oci_v1_image",
        _plant_container_config_fallback_missing,
    ),
    Fault(
        "parent_always_prefixed",
        "quirk.parent-from-image-id",
        'Docker.Parent is always "sha256:" + image ID, even when the ID is a digest',
        "copydata.digest (digest.Parse as copydata.py sees it)",
        _plant_parent_always_prefixed,
    ),
    Fault(
        "open_type_check_skipped",
        "quirk.open-type-check",
        "openCopyData accepts a state whose type is not kpod 0.0.1",
        "copydata.open_copy_data",
        _plant_open_type_check_skipped,
    ),
    Fault(
        "empty_config_decoded",
        "quirk.empty-config",
        "an empty config blob is decoded as a config instead of counting as no config",
        "copydata.init_config (the config's length test)",
        _plant_empty_config_decoded,
    ),
    Fault(
        "container_name_unchecked",
        "error.container-name",
        "importCopyData accepts an empty container name",
        "copydata.import_copy_data_for_container",
        _plant_container_name_unchecked,
    ),
    Fault(
        "save_error_unwrapped",
        "error.save-marshal",
        'a Save marshal error lacks the "error saving CopyData state" prefix',
        "copydata._save_bytes",
        _plant_save_error_unwrapped,
        level="errors",
    ),
    Fault(
        "image_ref_error_unwrapped",
        "error.image-ref-encode",
        "MakeImageRef's marshal errors lack the error encoding ... image configuration prefix",
        "protocol._marshal_text (the json.Marshal MakeImageRef is given)",
        _plant_image_ref_error_unwrapped,
        level="errors",
    ),
    Fault(
        "manifest_type_default_docker",
        "imageref.arguments",
        "MakeImageRef defaults the manifest type to Docker v2s2 instead of OCI",
        "copydata.OCIV1_IMAGE_MANIFEST",
        _plant_manifest_type_default_docker,
    ),
    Fault(
        "converter_decode_error_ignored",
        "error.converter-decode",
        "converters and roundtrip go on with the partial value when their input does not decode",
        "protocol.gojson (json.Unmarshal as protocol.py sees it)",
        _plant_converter_decode_error_ignored,
    ),
    Fault(
        "open_decode_error_ignored",
        "error.open-decode",
        "openCopyData goes on with the partial state when it does not decode",
        _CD_UNMARSHAL,
        _plant_open_decode_error_ignored,
    ),
)

BY_ID: Final[dict[str, Fault]] = {fault.id: fault for fault in FAULTS}

_HANDLES: dict[str, Handle] = {}


def handle_for(fault: Fault) -> Handle:
    """``handle(request) -> response``: the reference with `fault` planted."""
    handle = _HANDLES.get(fault.id)
    if handle is None:

        def handle(request: dict[str, Any]) -> dict[str, Any]:
            with planted(fault):
                response = protocol.handle(request)
            implementation = response.get("implementation")
            if isinstance(implementation, dict):  # describe: say which fault runs
                implementation["name"] = f"copydata-reference with planted fault {fault.id}"
            return response

        handle.__name__ = handle.__qualname__ = fault.id
        handle.__doc__ = f"The reference with fault {fault.id} ({fault.rule}): {fault.description}"
        _HANDLES[fault.id] = handle
    return handle


def __getattr__(name: str) -> Handle:
    """``faults.<fault id>`` is that fault's handle (``--copydata-impl faults:<fault id>``)."""
    fault = BY_ID.get(name)
    if fault is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return handle_for(fault)


def __dir__() -> list[str]:
    return sorted([*globals(), *BY_ID])
