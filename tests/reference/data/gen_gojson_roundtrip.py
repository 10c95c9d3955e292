"""Adversarial ``roundtrip`` cases for reference.gojson, answered once by the Go oracle.

    python tests/reference/data/gen_gojson_roundtrip.py [--oracle CMD] [--corpus DIR]

writes ``gojson_roundtrip.jsonl`` beside this file: one case per line, with the oracle's answer.
Run it again after changing a generator below (the unit test notices: every case stores the
sha256 of its input).

Cases come from three sources, all deterministic:

* ``matrix``: for every roundtrip type, every JSON field, at every nesting path down to the
  leaves, a catalogue of values of every JSON kind (Go's type errors, allocation, null rules,
  integer parsing, base64, StrSlice, time.Time);
* ``hand``: targeted inputs (slice capacity and stale elements, duplicate keys, raw tokens of
  time.Time, escapes, invalid UTF-8, nesting depth, syntax errors);
* ``corpus``: mutations of the real documents in ``../shared/corpus`` (case-folded and
  duplicated keys, nulls, wrong kinds, edge numbers, broken strings, time values, deep nesting,
  truncation, byte edits, whitespace), decoded as the types they are (and as others).

Corpus documents belong to others and must not be copied into the repository: a corpus case
stores only its recipe (file, sha256, family, seed) and the sha256 of the oracle's answer; the
test rebuilds the input from ``../shared/corpus`` and skips those cases when it is absent.
Synthetic cases store their input and the answer (a long output as its sha256).

The oracle's roundtrip (cmd/copydata-oracle/main.go): ``v := new(T)``;
``derr := json.Unmarshal(input, v)``; ``json.Marshal(v)`` into ``output`` or ``output_error``;
``ok = derr == nil && output_error == nil``; ``stage``/``error`` = decode and derr, else encode
and the marshal error. `reference_roundtrip` answers the same way from reference.gojson.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
if __name__ == "__main__" and str(REPO) not in sys.path:  # run as a script
    sys.path.insert(0, str(REPO))

# the roundtrip types, in PROTOCOL.md's order (the cases pick from them by index and seeded choice)
from tests.protocol_vocabulary import ROUNDTRIP_TYPES as ROUNDTRIP_TYPE_NAMES  # noqa: E402

DATA_FILE = HERE / "gojson_roundtrip.jsonl"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_ORACLE = REPO.parent / "shared" / "oracle" / "run.sh"

#: Master seed of the stored corpus cases; the live oracle test uses other seeds.
STORED_SEED = 1
STORED_CORPUS_CASES = 2000
MAX_DOC_BYTES = 24_000  # larger documents make slow tests without new behaviour


# --- the reference's answer -------------------------------------------------------------------


def reference_roundtrip(type_name: str, data: bytes) -> dict[str, Any]:
    """The oracle's roundtrip response (without id and op), computed by reference.gojson."""
    from reference import model
    from reference.errors import GoError
    from reference.gojson import marshal, unmarshal
    from reference.gojson.types import PtrType, zero

    t = model.ROUNDTRIP_TYPES[type_name]
    # v := new(T): for *CopyData the oracle's variable is a non-nil *CopyData.
    value = zero(t.elem) if isinstance(t, PtrType) else zero(t)
    value, derr = unmarshal(data, t, value)
    output: str | None = None
    output_error: str | None = None
    try:
        output = marshal(t, value).decode("utf-8")
    except GoError as e:
        output_error = str(e)
    resp: dict[str, Any] = {"ok": derr is None and output_error is None}
    if derr is not None:
        resp["stage"] = "decode"
        resp["error"] = derr
    elif output_error is not None:
        resp["stage"] = "encode"
        resp["error"] = output_error
    else:
        resp["error"] = None
    resp["panic"] = None
    if output is not None:
        resp["output"] = output
    if output_error is not None:
        resp["output_error"] = output_error
    return resp


#: Outputs longer than this are stored as their sha256 (keeps the data file small).
MAX_STORED_OUTPUT = 160


def compact(answer: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a synthetic case's answer: a long ``output`` becomes
    ``output_sha256`` (at the same position)."""
    out: dict[str, Any] = {}
    for k, v in answer.items():
        if k == "output" and isinstance(v, str) and len(v) > MAX_STORED_OUTPUT:
            out["output_sha256"] = sha256(v)
        else:
            out[k] = v
    return out


def canonical(answer: dict[str, Any]) -> str:
    """A byte-stable text of an answer (key order kept) for hashing."""
    return json.dumps(answer, ensure_ascii=True, separators=(",", ":"))


def sha256(b: bytes | str) -> str:
    return hashlib.sha256(b.encode("utf-8") if isinstance(b, str) else b).hexdigest()


# --- a JSON tree independent of the code under test ---------------------------------------------


class Obj(list[tuple[Any, Any]]):
    """Object: (key, value) pairs, duplicates kept. A key is str or Raw."""


class Num(str):
    """A number literal, written verbatim."""


class Raw(bytes):
    """Written verbatim: a whole token (quotes included) or any fragment."""


def _reject(name: str) -> Any:
    raise ValueError(name)


def load(b: bytes) -> Any:
    return json.loads(
        b, object_pairs_hook=Obj, parse_int=Num, parse_float=Num, parse_constant=_reject
    )


def dump(node: Any, style: int = 0, ascii_only: bool = False) -> bytes:
    """Serialize; style 0 compact, 1 spaced, 2 newlines, 3 odd whitespace."""
    item_sep, key_sep = ((b",", b":"), (b", ", b": "), (b",\n  ", b": "), (b"\r\n,\t", b" :\t"))[
        style
    ]
    out: list[bytes] = []

    def s(x: Any) -> bytes:
        if isinstance(x, Raw):
            return bytes(x)
        return json.dumps(x, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")

    todo: list[Any] = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, tuple) and len(n) == 2 and n[0] is _EMIT:
            out.append(n[1])
        elif isinstance(n, Raw):
            out.append(bytes(n))
        elif n is None:
            out.append(b"null")
        elif n is True:
            out.append(b"true")
        elif n is False:
            out.append(b"false")
        elif isinstance(n, Num):
            out.append(n.encode("ascii"))
        elif isinstance(n, str):
            out.append(s(n))
        elif isinstance(n, Obj):
            parts: list[Any] = [(_EMIT, b"{")]
            for i, (k, v) in enumerate(n):
                if i:
                    parts.append((_EMIT, item_sep))
                parts.append((_EMIT, s(k) + key_sep))
                parts.append(v)
            parts.append((_EMIT, b"}"))
            todo.extend(reversed(parts))
        elif isinstance(n, list):
            parts = [(_EMIT, b"[")]
            for i, v in enumerate(n):
                if i:
                    parts.append((_EMIT, item_sep))
                parts.append(v)
            parts.append((_EMIT, b"]"))
            todo.extend(reversed(parts))
        else:
            raise TypeError(type(n))
    return b"".join(out)


_EMIT = object()


def walk(node: Any) -> Iterator[tuple[Any, int, Any]]:
    """(container, index, child) for every node below `node`, in document order."""
    todo: list[Any] = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, Obj):
            for i in reversed(range(len(n))):
                todo.append(n[i][1])
            for i in range(len(n)):
                yield n, i, n[i][1]
        elif isinstance(n, list):
            for i in reversed(range(len(n))):
                todo.append(n[i])
            for i in range(len(n)):
                yield n, i, n[i]


def put(container: Any, i: int, value: Any) -> None:
    if isinstance(container, Obj):
        container[i] = (container[i][0], value)
    else:
        container[i] = value


def get_key(tree: Any, key: str) -> Any:
    if isinstance(tree, Obj):
        for k, v in tree:
            if k == key:
                return v
    return None


# --- value catalogues ----------------------------------------------------------------------------

EDGE_NUMBERS = [
    "0",
    "-0",
    "1",
    "-1",
    "7",
    "255",
    "256",
    "1.5",
    "1.0",
    "-0.0",
    "1e3",
    "1E2",
    "1e400",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "0.000001",
    "123456789012345678901234567890",
]

TIME_VALUES: list[Any] = [
    "2017-06-20T18:20:19.123456780+02:00",
    "2017-06-20T18:20:19Z",
    "2016-02-29T00:00:00-00:00",
    "2017-06-20T18:20:19.1234567895Z",
    "2017-01-01T00:00:00,5Z",
    "2017-01-01T1:00:00Z",
    "2016-02-29T00:00:00+24:00",
    "2016-02-29T00:00:00+99:99",
    "2017-06-20T18:20:19+00:60",
    "0000-01-01T00:00:00+01:00",
    "9999-12-31T23:30:00-01:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T01:00:00+01:00",
    "2017-01-01t00:00:00Z",
    "2017-01-01T00:00:00z",
    "2017-06-20 18:20:19Z",
    "2017-06-20T18:20Z",
    "2016-02-29T00:00:00",
    "2016-02-29T00:00:00+0200",
    "2017-02-29T00:00:00Z",
    "2017-01-01T24:00:00Z",
    "2017-01-01T23:59:60Z",
    "2017-13-01T00:00:00Z",
    " 2017-01-01T00:00:00Z",
    "",
    "bad",
    "2017-01-01T00:00:00.Z",
    "2017-01-01T00:00:00.000000000Z",
    "2017-01-01T00:00:00+02:00:00",
    "2017-1-01T00:00:00Z",
    "20170101T000000Z",
    "2017-01-01T00:00:00Z ",
    "2017-01-01T00:00:00.123+05:30",
    "2017-01-01T00:00:00-23:59",
    "+2017-01-01T00:00:00Z",
    "2017-00-10T00:00:00Z",
    "2017-04-31T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2000-02-29T00:00:00Z",
    "2017-01-01T00:00:00.1234567891234Z",
    "2017-01-01T00:00:60Z",
    "2017-01-01T00:60:00Z",
    "2017-01-01T00:00:00+1:00",
    "2017-01-01T00:00:00+01:0",
    Raw(b'"2016-02-29T00:00:00\\u005a"'),
    Raw(b'"\\u0032016-02-29T00:00:00Z"'),
    Raw(b'"2016-02-29T00:00:00\\/Z"'),
    Raw(b'"2017-01-01T00:00:00Z\xff"'),
    Raw(b'"\xe9t\xc3\xa9"'),
    Num("5"),
    Num("-1.5e3"),
    True,
    False,
    None,
    [],
    [Num("1")],
    Obj(),
    Obj([("a", Num("1"))]),
]

STRING_INJECTIONS: list[bytes] = [
    b"\\u0041",
    b"\\ud800",
    b"\\udc00",
    b"\\ud83d\\ude00",
    b"\\ud800\\ud83d\\ude00\\udc00x",
    b"\\ud83dx",
    b"\\/",
    b"\\b\\f\\n\\r\\t",
    b"\\u0000",
    b"\\u001f",
    b"\\u007f",
    b"\\u2028",
    b"\\u003c",
    b"\\\\",
    b'\\"',
    b"\xff",
    b"\xfe",
    b"\xc0\x80",
    b"\xe2\x82",
    b"\xe2\x82x",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf0\x9f\x98",
    b"\x80\x80",
    b"<&>",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xa9",
    b"\x7f",
    b"\xc3\xa9",
    b"\xf0\x9f\x98\x80",
    b"\xef\xbb\xbf",
]

KEY_VARIANTS: list[Callable[[str, random.Random], Any]] = [
    lambda k, r: k.upper(),
    lambda k, r: k.lower(),
    lambda k, r: k.swapcase(),
    lambda k, r: "".join(c.upper() if r.random() < 0.5 else c.lower() for c in k),
    lambda k, r: k.replace("s", "\u017f", 1) if "s" in k else k.replace("S", "\u017f", 1),
    lambda k, r: k.replace("k", "\u212a", 1) if "k" in k else k.replace("K", "\u212a", 1),
    lambda k, r: k.replace("s", "\u00df", 1),
    lambda k, r: Raw(
        b'"'
        + "".join(f"\\u{ord(c):04x}" if r.random() < 0.3 else c for c in k).encode("utf-8")
        + b'"'
    ),
    lambda k, r: k + " ",
    lambda k, r: k.replace("i", "\u0130", 1),
]


def random_value(r: random.Random, depth: int = 0) -> Any:
    """A random JSON value of any kind (shallow)."""
    kind = r.randrange(10 if depth < 2 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return r.random() < 0.5
    if kind == 2:
        return Num(r.choice(EDGE_NUMBERS))
    if kind in (3, 4):
        return r.choice(
            [
                "",
                "x",
                "sh",
                "YWJj",
                "YWJjZA",
                "a\nb",
                "<&>",
                "\u2028",
                "é😀",
                "2017-01-01T00:00:00Z",
                "layers",
                "sha256:" + "a" * 64,
            ]
        )
    if kind == 5:
        return Raw(b'"' + r.choice(STRING_INJECTIONS) + b'"')
    if kind == 6:
        return [] if r.random() < 0.3 else ["a", "b"]
    if kind in (7, 8):
        return [random_value(r, depth + 1) for _ in range(r.randrange(4))]
    return Obj(
        (r.choice(["a", "Cmd", "type", "created", "author", "User"]), random_value(r, depth + 1))
        for _ in range(r.randrange(4))
    )


# --- mutation families on a tree ----------------------------------------------------------------


def m_fold(tree: Any, r: random.Random) -> Any:
    for container, i, _ in list(walk(tree)):
        if isinstance(container, Obj) and r.random() < 0.35:
            k, v = container[i]
            if isinstance(k, str):
                container[i] = (r.choice(KEY_VARIANTS)(k, r), v)
    return tree


def _variant(v: Any, r: random.Random) -> Any:
    """A different value for a duplicate key, built to exercise merging."""
    if isinstance(v, Obj):
        c = r.randrange(4)
        if c == 0:
            return Obj(p for p in copy.deepcopy(v) if r.random() < 0.5)
        if c == 1:
            return None
        if c == 2:
            out = copy.deepcopy(v)
            for j in range(len(out)):
                if r.random() < 0.4:
                    out[j] = (out[j][0], _variant(out[j][1], r))
            return out
        return Obj()
    if isinstance(v, list):
        c = r.randrange(6)
        if c == 0:
            return copy.deepcopy(v[: r.randrange(len(v) + 1)])
        if c == 1:
            return copy.deepcopy(v) + copy.deepcopy(v[: r.randrange(len(v) + 1)])
        if c == 2:
            return [None] * (len(v) + r.randrange(3))
        if c == 3:
            return []
        if c == 4:
            return None
        return [_variant(x, r) if r.random() < 0.5 else None for x in copy.deepcopy(v)]
    if r.random() < 0.3:
        return None
    return random_value(r, 1)


def m_dup(tree: Any, r: random.Random) -> Any:
    pairs = [(c, i) for c, i, _ in walk(tree) if isinstance(c, Obj)]
    for c, i in r.sample(pairs, min(len(pairs), r.randrange(1, 4))):
        if i >= len(c):
            continue
        k, v = c[i]
        if isinstance(k, str) and r.random() < 0.3:
            k = r.choice(KEY_VARIANTS)(k, r)
        dup = (k, _variant(v, r))
        if r.random() < 0.5:
            c.insert(i + 1, dup)
        else:
            c.append(dup)
        if r.random() < 0.3:  # and a third occurrence
            c.append((k, _variant(v, r)))
    return tree


def m_null(tree: Any, r: random.Random) -> Any:
    for c, i, _ in list(walk(tree)):
        if r.random() < 0.12:
            put(c, i, None)
    return tree


def m_kind(tree: Any, r: random.Random) -> Any:
    nodes = list(walk(tree))
    for c, i, _ in r.sample(nodes, min(len(nodes), r.randrange(1, 4))):
        put(c, i, random_value(r))
    return tree


def m_num(tree: Any, r: random.Random) -> Any:
    nodes = list(walk(tree))
    nums = [(c, i) for c, i, n in nodes if isinstance(n, Num)] or [(c, i) for c, i, _ in nodes]
    for c, i in r.sample(nums, min(len(nums), r.randrange(1, 4))):
        put(c, i, Num(r.choice(EDGE_NUMBERS)))
    return tree


def _inject(s: str | Raw, r: random.Random) -> Raw:
    if isinstance(s, Raw):
        body = bytes(s[1:-1])
    else:
        body = json.dumps(s, ensure_ascii=r.random() < 0.2).encode("utf-8", "surrogatepass")[1:-1]
    pos = r.randrange(len(body) + 1)
    while pos and body[pos - 1 : pos] == b"\\":  # do not split an escape
        pos -= 1
    return Raw(b'"' + body[:pos] + r.choice(STRING_INJECTIONS) + body[pos:] + b'"')


def m_str(tree: Any, r: random.Random) -> Any:
    nodes = list(walk(tree))
    strs = [(c, i) for c, i, n in nodes if isinstance(n, str) and not isinstance(n, Num)]
    for c, i in r.sample(strs, min(len(strs), r.randrange(1, 4))):
        v = c[i][1] if isinstance(c, Obj) else c[i]
        put(c, i, _inject(v, r))
    keys = [(c, i) for c, i, _ in nodes if isinstance(c, Obj) and isinstance(c[i][0], str)]
    for c, i in r.sample(keys, min(len(keys), r.randrange(0, 2))):
        c[i] = (_inject(c[i][0], r), c[i][1])
    return tree


def m_time(tree: Any, r: random.Random) -> Any:
    hit = False
    for c, i, _ in list(walk(tree)):
        if (
            isinstance(c, Obj)
            and isinstance(c[i][0], str)
            and c[i][0].lower() == "created"
            and r.random() < 0.7
        ):
            put(c, i, copy.deepcopy(r.choice(TIME_VALUES)))
            hit = True
    if not hit and isinstance(tree, Obj):
        tree.insert(r.randrange(len(tree) + 1), ("created", copy.deepcopy(r.choice(TIME_VALUES))))
    return tree


def deep_value(depth: int, r: random.Random) -> Raw:
    kind = r.randrange(3)
    if kind == 0:
        return Raw(b"[" * depth + b"]" * depth)
    if kind == 1:
        return Raw(b'{"a":' * (depth - 1) + b"{}" + b"}" * (depth - 1))
    half = depth // 2
    return Raw(b"[{" * half + b'"x":1' + b"}]" * half)


def m_deep(tree: Any, r: random.Random) -> Any:
    depth = r.choice([2, 50, 999, 1001, 5000, 9998, 9999, 10000, 10001])
    nodes = [(c, i) for c, i, _ in walk(tree)]
    if nodes and r.random() < 0.6:
        c, i = r.choice(nodes)
        put(c, i, deep_value(depth, r))
    elif isinstance(tree, Obj):
        tree.append(
            (r.choice(["unknown", "config", "history", "Labels", "created"]), deep_value(depth, r))
        )
    return tree


def m_slices(tree: Any, r: random.Random) -> Any:
    arrays = [
        (c, i)
        for c, i, n in walk(tree)
        if isinstance(c, Obj) and isinstance(n, list) and not isinstance(n, Obj) and n
    ]
    if not arrays:
        return m_dup(tree, r)
    for c, i in r.sample(arrays, min(len(arrays), r.randrange(1, 3))):
        k, v = c[i]
        # longer first, then shorter (stale elements), then longer again with nulls
        seq = [
            copy.deepcopy(v) + copy.deepcopy(v),
            copy.deepcopy(v[:1]),
            [None if r.random() < 0.5 else x for x in copy.deepcopy(v) + copy.deepcopy(v[:1])],
        ]
        for extra in seq[: r.randrange(1, 4)]:
            c.append((k, extra))
    return tree


TREE_FAMILIES: dict[str, Callable[[Any, random.Random], Any]] = {
    "fold": m_fold,
    "dup": m_dup,
    "null": m_null,
    "kind": m_kind,
    "num": m_num,
    "str": m_str,
    "time": m_time,
    "deep": m_deep,
    "slices": m_slices,
}


# --- byte-level families ------------------------------------------------------------------------

EDIT_BYTES = b"{}[],:\"\\ \t\n\r\x0c\x00\x7f\xff\xef\xbb\xbfx0-+.eEtnfu/'"


def b_trunc(data: bytes, r: random.Random) -> bytes:
    return data[: r.randrange(len(data) + 1)]


def b_edit(data: bytes, r: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(r.randrange(1, 4)):
        pos = r.randrange(len(b) + 1)
        op = r.randrange(3)
        ch = EDIT_BYTES[r.randrange(len(EDIT_BYTES))]
        if op == 0:
            b.insert(pos, ch)
        elif op == 1 and pos < len(b):
            b[pos] = ch
        elif pos < len(b):
            del b[pos]
    return bytes(b)


def b_ws(data: bytes, r: random.Random) -> bytes:
    c = r.randrange(6)
    if c == 0:
        return b"\xef\xbb\xbf" + data
    if c == 1:
        return b" \t\r\n" + data + b"\r\n\t "
    if c == 2:
        return data + r.choice([b" x", b"{}", b"null", b",", b"\x00", b" \x0c"])
    if c == 3:
        return b"\x0c" + data
    if c == 4:
        return data + data
    return data.replace(b" ", b"\t")


BYTE_FAMILIES: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "trunc": b_trunc,
    "edit": b_edit,
    "ws": b_ws,
}
FAMILIES = (*TREE_FAMILIES, *BYTE_FAMILIES, "combo")


# --- from a corpus document to (type, tree) -----------------------------------------------------

OTHER_TYPES = ROUNDTRIP_TYPE_NAMES


def choose(kind: str, tree: Any, r: random.Random) -> tuple[str, Any]:
    """A roundtrip type for a document of corpus `kind`, and the (sub)tree to decode."""
    if r.random() < 0.06:
        return r.choice(OTHER_TYPES), tree
    sub = r.random()
    if kind in ("docker-config", "docker-inspect", "oci-config", "other"):
        if sub < 0.15:
            return "CopyData" if r.random() < 0.7 else "*CopyData", wrap_copydata(tree, r)
        if sub < 0.35:
            return subdoc(tree, r)
        if kind == "oci-config":
            return r.choice(["ociv1.Image"] * 3 + ["docker.V2Image"]), tree
        if kind == "other":
            return r.choice(
                ["docker.V1Image", "docker.V2Image", "docker.V1Compatibility", "ociv1.Image"]
            ), tree
        if kind == "docker-inspect":
            return r.choice(["docker.V2Image", "docker.V1Image"]), tree
        return r.choice(["docker.V2Image"] * 3 + ["docker.V1Image", "ociv1.Image"]), tree
    if kind == "v2s1-manifest":
        hist = get_key(tree, "history")
        if sub < 0.5 and isinstance(hist, list) and hist:
            h = r.choice(hist)
            v1c = get_key(h, "v1Compatibility")
            if isinstance(v1c, str):
                try:
                    inner = load(v1c.encode("utf-8", "surrogatepass"))
                except ValueError:
                    inner = None
                if inner is not None:
                    return r.choice(["docker.V1Compatibility", "docker.V2Image"]), inner
        return "docker.V2S1Manifest", tree
    return r.choice(["ociv1.Manifest"] * 4 + ["docker.V2S1Manifest"]), tree


def subdoc(tree: Any, r: random.Random) -> tuple[str, Any]:
    options: list[tuple[str, Any]] = []
    for key, types in (
        ("config", ["docker.Config", "ociv1.ImageConfig"]),
        ("container_config", ["docker.Config"]),
        ("Config", ["docker.Config"]),
        ("rootfs", ["docker.V2S2RootFS", "ociv1.RootFS"]),
    ):
        v = get_key(tree, key)
        if isinstance(v, Obj):
            options += [(t, v) for t in types]
            hc = get_key(v, "Healthcheck")
            if isinstance(hc, Obj):
                options.append(("docker.HealthConfig", hc))
    hist = get_key(tree, "history")
    if isinstance(hist, list) and hist:
        h = r.choice(hist)
        options += [("docker.V2S2History", h), ("ociv1.History", h)]
    if not options:
        return r.choice(OTHER_TYPES), tree
    return r.choice(options)


def wrap_copydata(tree: Any, r: random.Random) -> Obj:
    raw = dump(tree)
    b64 = base64.b64encode(raw).decode("ascii")
    c = r.randrange(6)
    if c == 1:
        b64 = "\n".join(b64[i : i + 76] for i in range(0, len(b64), 76))
    elif c == 2:
        pos = r.randrange(len(b64) + 1)
        b64 = b64[:pos] + r.choice([" ", "-", "_", "=", "!", "\r\n"]) + b64[pos:]
    elif c == 3:
        b64 = b64.rstrip("=")
    config: Any = b64 if c != 4 else [Num(str(x)) for x in raw[:64]]
    if c == 5:
        config = None
    state = Obj(
        [
            ("type", "kpod 0.0.1"),
            ("image", "docker.io/library/busybox:latest"),
            ("image-id", "c" * 64),
            ("config", config),
            ("manifest", r.choice(["", "YWJj", None, [Num("1"), Num("2")]])),
            ("container-name", "ctr"),
            ("annotations", Obj([("a", "b")])),
        ]
    )
    if get_key(tree, "docker_version") is not None or r.random() < 0.5:
        state.append(("docker", tree))
    else:
        state.append(("ociv1", tree))
    return state


def corpus_files(corpus: Path) -> list[tuple[str, str]]:
    """(relative path, kind) of usable corpus documents, sorted."""
    out = []
    for p in sorted(corpus.glob("*/*.json")):
        if p.stat().st_size <= MAX_DOC_BYTES:
            out.append((f"{p.parent.name}/{p.name}", p.parent.name))
    return out


def corpus_input(recipe: dict[str, Any], corpus: Path) -> tuple[str, bytes]:
    """Rebuild a corpus case's (type, input) from its recipe."""
    raw = (corpus / recipe["file"]).read_bytes()
    if sha256(raw) != recipe["sha256"]:
        raise ValueError(f"corpus file changed: {recipe['file']}")
    r = random.Random(f"{recipe['seed']}:{recipe['file']}:{recipe['family']}")
    kind = recipe["file"].split("/", 1)[0]
    family = recipe["family"]
    tree = load(raw)
    type_name, tree = choose(kind, tree, r)
    if family in TREE_FAMILIES:
        tree = TREE_FAMILIES[family](copy.deepcopy(tree), r)
    elif family == "combo":
        tree = copy.deepcopy(tree)
        for name in r.sample(sorted(TREE_FAMILIES), r.randrange(2, 4)):
            tree = TREE_FAMILIES[name](tree, r)
    data = dump(tree, style=r.randrange(4), ascii_only=r.random() < 0.15)
    if family in BYTE_FAMILIES:
        data = BYTE_FAMILIES[family](data, r)
    return type_name, data


#: How often each corpus kind is drawn: image configs carry most of the behaviour.
KIND_WEIGHTS = {
    "docker-config": 30,
    "oci-config": 18,
    "v2s1-manifest": 12,
    "other": 10,
    "docker-inspect": 5,
    "v2s2-manifest": 8,
    "oci-manifest": 8,
    "oci-index": 5,
    "manifest-list": 4,
}


def corpus_recipes(corpus: Path, seed: int, count: int) -> list[dict[str, Any]]:
    by_kind: dict[str, list[str]] = {}
    for rel, kind in corpus_files(corpus):
        by_kind.setdefault(kind, []).append(rel)
    kinds = sorted(k for k in by_kind if k in KIND_WEIGHTS)
    weights = [KIND_WEIGHTS[k] for k in kinds]
    r = random.Random(seed)
    recipes = []
    for n in range(count):
        rel = r.choice(by_kind[r.choices(kinds, weights)[0]])
        recipes.append(
            {
                "file": rel,
                "sha256": sha256((corpus / rel).read_bytes()),
                "family": FAMILIES[n % len(FAMILIES)],
                "seed": r.randrange(1 << 30),
            }
        )
    return recipes


# --- synthetic cases -----------------------------------------------------------------------------

MATRIX_VALUES: list[bytes] = [
    b"null",
    b"true",
    b"0",
    b"-0",
    b"256",
    b"-1",
    b"1.5",
    b"1e3",
    b"9223372036854775808",
    b'""',
    b'"x"',
    b'"YWJj"',
    b'"YWJjZA"',
    b'"2017-01-01T00:00:00+02:00"',
    b"[]",
    b"[null]",
    b'["a",1]',
    b'["a","b"]',
    b"[255,0]",
    b"{}",
    b'{"a":"b"}',
    b'{"a":1}',
]
NESTED_VALUES: list[bytes] = [b"null", b"5", b'"x"', b"[1]", b'{"a":null}']


def _json_fields(type_name: str) -> Any:
    from reference import model
    from reference.gojson.types import PtrType

    t = model.ROUNDTRIP_TYPES[type_name]
    return (t.elem if isinstance(t, PtrType) else t).json_fields


def _field_paths(type_obj: Any, prefix: list[str], depth: int) -> Iterator[list[str]]:
    """JSON key paths to every field under a struct type, down to `depth` levels."""
    from reference.gojson.types import PtrType, SliceType, StructType

    for f in type_obj.json_fields:
        yield [*prefix, f.name]
        ft = f.type
        while isinstance(ft, (PtrType, SliceType)):
            ft = ft.elem
        if isinstance(ft, StructType) and depth > 1:
            yield from _field_paths(ft, [*prefix, f.name], depth - 1)


def _nest(path: list[str], value: bytes, in_array: set[int]) -> bytes:
    out = value
    for i in reversed(range(len(path))):
        if i in in_array:
            out = b"[" + out + b"]"
        out = b"{" + json.dumps(path[i]).encode() + b":" + out + b"}"
    return out


#: How deep the matrix goes per type (CopyData's subtrees are covered by their own types).
MATRIX_DEPTH = {"CopyData": 2, "*CopyData": 1}


def matrix_cases() -> Iterator[tuple[str, str, bytes]]:
    """(case label, type, input): every field of every type, at every path, every value kind."""
    from reference import model
    from reference.gojson.types import PtrType, SliceType

    for type_name in ROUNDTRIP_TYPE_NAMES:
        t = model.ROUNDTRIP_TYPES[type_name]
        st = t.elem if isinstance(t, PtrType) else t
        for path in _field_paths(st, [], MATRIX_DEPTH.get(type_name, 3)):
            # which path elements are slices (their value goes inside an array)
            in_array: set[int] = set()
            cur = st
            for i, key in enumerate(path):
                f = next(f for f in cur.json_fields if f.name == key)
                ft = f.type
                if isinstance(ft, PtrType):
                    ft = ft.elem
                if isinstance(ft, SliceType) and i < len(path) - 1:
                    in_array.add(i)
                    ft = ft.elem
                if isinstance(ft, PtrType):
                    ft = ft.elem
                cur = ft
            values = MATRIX_VALUES if len(path) == 1 else NESTED_VALUES
            for v in values:
                yield f"{'.'.join(path)}={v.decode()}", type_name, _nest(path, v, in_array)
        for v in (b"null", b"[]", b'"x"', b"5", b"true", b"{}"):
            yield f"top={v.decode()}", type_name, v


HAND: list[tuple[str, bytes]] = [
    # slices: capacity growth, stale elements (strings, structs, bytes, digests), [] and null
    ("ociv1.ImageConfig", b'{"Env":["a","b"],"Env":["x"],"Env":["y",null]}'),
    (
        "ociv1.ImageConfig",
        b'{"Env":["a","b","c","d","e"],"Env":["x"],"Env":[null,null,null,null,null,null,null]}',
    ),
    (
        "ociv1.ImageConfig",
        b'{"Env":["a","b","c","d"],"Env":["x"],"Env":[null,null,null,null,null]}',
    ),
    ("ociv1.ImageConfig", b'{"Env":["a","b"],"Env":[],"Env":[null,null]}'),
    ("ociv1.ImageConfig", b'{"Env":["a","b"],"Env":null,"Env":[null,null]}'),
    ("ociv1.ImageConfig", b'{"Cmd":["a","b","c"],"cmd":["x"],"CMD":[null,null,null,null]}'),
    (
        "ociv1.Image",
        b'{"history":[{"author":"a","comment":"c1"},{"author":"b","comment":"c2"}],"history":[{"author":"x"}],"history":[{"author":"y"},{"author":"z"}]}',
    ),
    (
        "ociv1.Image",
        b'{"history":[{"created":"2017-01-01T00:00:00Z"},{"empty_layer":true}],"history":[{}],"history":[null,null,null]}',
    ),
    (
        "ociv1.Image",
        b'{"history":[{},{},{},{},{}],"history":[{"author":"q"}],"history":[null,null,null,null,null,null,null]}',
    ),
    (
        "docker.V2Image",
        b'{"history":[{"author":"a"},{"comment":"b"}],"history":[{"created":"bad"}],"history":[null,null]}',
    ),
    (
        "docker.V2Image",
        b'{"history":[{"author":"a"},{"comment":"b"}],"history":[{"author":"x"},{"created":"bad"}]}',
    ),
    (
        "docker.V2Image",
        b'{"rootfs":{"diff_ids":["a","b"]},"rootfs":{"diff_ids":["c"]},"rootfs":{"diff_ids":[null,null]}}',
    ),
    (
        "docker.V2S1Manifest",
        b'{"fsLayers":[{"blobSum":"a"},{"blobSum":"b"}],"fsLayers":[{}],"fsLayers":[{},{}],"history":[{"v1Compatibility":"x"}],"history":[null,{}]}',
    ),
    (
        "CopyData",
        b'{"config":"YWJjZA==","config":[1,null],"manifest":[1,2,3],"manifest":[9],"manifest":[null,null,null,null]}',
    ),
    (
        "CopyData",
        b'{"config":"YWJjZGVmZ2g=","config":[1],"config":[null,null,null,null,null,null,null]}',
    ),
    ("CopyData", b'{"config":[1,2,3,4,5],"config":[],"config":[null]}'),
    ("CopyData", b'{"config":[1,2],"config":"!!","config":[null,null]}'),
    ("CopyData", b'{"config":"YWJj","config":[300],"config":[null,null]}'),
    (
        "ociv1.Manifest",
        b'{"layers":[{"size":1,"urls":["a","b"]},{"size":2}],"layers":[{"urls":["x"]}],"layers":[{"urls":[null,null]},{}]}',
    ),
    # StrSlice
    ("docker.Config", b'{"Cmd":"sh","Entrypoint":["a",null],"Shell":null}'),
    ("docker.Config", b'{"Cmd":["a"],"Cmd":[null,null],"Entrypoint":[],"Shell":[]}'),
    ("docker.Config", b'{"Cmd":[["a"]],"User":"u"}'),
    ("docker.Config", b'{"User":"x","Cmd":true}'),
    ("docker.Config", b'{"Env":5,"Cmd":{"a":1},"User":"u"}'),
    ("docker.V2Image", b'{"config":{"Shell":5},"os":"x"}'),
    ("docker.V2Image", b'{"container_config":{"Entrypoint":{}},"os":"x"}'),
    ("docker.V2Image", b'{"history":[{"author":5}],"config":{"Cmd":[1]}}'),
    ("docker.V1Compatibility", b'{"container_config":{"Cmd":"x"},"author":"a"}'),
    ("docker.V1Compatibility", b'{"container_config":{"Cmd":["a"],"cmd":[null]},"author":"a"}'),
    # time.Time raw tokens
    ("docker.V2S2History", b'{"created":[1, 2 ,\n3]}'),
    ("docker.V2S2History", b'{"created":{ "a" : [ ] }}'),
    ("docker.V2S2History", b'{"x":[[1],{"y":[2]}],"created":[ [1], {"y" :\t[2]} ]}'),
    ("docker.V2S2History", b'{"created":"2016-02-29T00:00:00\\u005a"}'),
    ("docker.V2S2History", b'{"cr\\u0065ated":"2016-02-29T00:00:00Z"}'),
    ("docker.V2S2History", b'{"cr\\u0065ated":"2016-02-29T00:00:00\\u005a"}'),
    ("docker.V2S2History", b'{"author":"\\u0041","created":"2016-02-29T00:00:00Z"}'),
    ("docker.V2S2History", b'{"created":"\xff2016"}'),
    ("docker.V2S2History", b'{"created":"2016-02-29T00:00:00Z","CREATED":null,"Created":"x"}'),
    ("ociv1.Image", b'{"created":"2016-02-29T00:00:00Z","history":[{"created":"\\ud800"}]}'),
    ("ociv1.Image", b'{"created":-1.5e3,"author":"a"}'),
    ("ociv1.Image", b'{"created":true}'),
    ("ociv1.Image", b'{"created":"2017-01-01T00:00:00Z","created":null,"created":"x"}'),
    ("docker.V2Image", b'{"created":"9999-12-31T23:30:00-01:00"}'),
    ("docker.V2Image", b'{"created":"0000-01-01T00:00:00+01:00"}'),
    # strings and keys
    ("ociv1.ImageConfig", b'{"User":"v\xe2\x82x\xed\xa0\x80y\xc0\x80z\xf4\x90\x80\x80!"}'),
    ("ociv1.ImageConfig", b'{"Labels":{"a\xff":"1","a\xfe":"2","\\u00e9":"3","\xc3\xa9":"4"}}'),
    ("ociv1.ImageConfig", b'{"Labels":{"\\ud800":"1","\\udc00":"2","\xed\xa0\x80":"3"}}'),
    ("ociv1.ImageConfig", b'{"User":"\\ud83d\\ude00\\ud83d\\u0041\\ude00"}'),
    (
        "ociv1.ImageConfig",
        b'{"User":"\\u0000\\b\\f\\n\\r\\t\\u001f\\u007f/\\\\\\"\xc3\xa9\xf0\x9f\x98\x80"}',
    ),
    ("ociv1.ImageConfig", b'{"Labels":{"<&>":"<&>\xe2\x80\xa8\xe2\x80\xa9","\xe2\x80\xa8":""}}'),
    (
        "ociv1.ImageConfig",
        b'{"Labels":{"b":"1","a":"2","B":"3","\xc3\xa9":"4","_":"5","\xc3\x80":"6","~":"7","\xf0\x9f\x98\x80":"8","\xef\xbf\xbd":"9"}}',
    ),
    (
        "ociv1.ImageConfig",
        b'{"us\xc5\xbfr":"ls","U\xc5\xbfER":"LS","env":["a"],"\xe2\x84\xaaey":1}',
    ),
    (
        "docker.Config",
        b'{"Healthchec\xe2\x84\xaa":{"Retries":1},"domainname":"d","\xc5\xbftopSignal":"s"}',
    ),
    ("docker.V2Image", b'{"o\xc5\xbf":"x","OS.VER\xc5\xbfION":"v","\\u006fs":"y"}'),
    ("ociv1.Image", b'{"hi\xef\xac\x85ory":[{"author":"a"}],"\xc3\x9f":1}'),
    # numbers
    (
        "docker.HealthConfig",
        b'{"Retries":-9223372036854775808,"Interval":9223372036854775807,"Timeout":-0}',
    ),
    ("docker.HealthConfig", b'{"Retries":1e0,"Interval":"1s","Timeout":0.0}'),
    ("docker.Config", b'{"StopTimeout":"x"}'),
    ("docker.Config", b'{"StopTimeout":1.5,"Healthcheck":{"Retries":"x"}}'),
    ("docker.Config", b'{"StopTimeout":null,"Healthcheck":null}'),
    ("docker.V1Image", b'{"Size":-1,"size":12345678901234567890}'),
    # base64
    ("CopyData", b'{"config":"YW\\nJj\\r"}'),
    ("CopyData", b'{"config":"YWJj\\n=="}'),
    ("CopyData", b'{"config":"YQ=\\n="}'),
    ("CopyData", b'{"config":"YQ==\\nYQ=="}'),
    ("CopyData", b'{"config":"YQ==x"}'),
    ("CopyData", b'{"config":"Y==="}'),
    ("CopyData", b'{"config":"=YWJ"}'),
    ("CopyData", b'{"config":"YWJjZA=\\n"}'),
    ("CopyData", b'{"config":"YWJjZ"}'),
    ("CopyData", b'{"config":"\xc3\xa9YWJj"}'),
    ("CopyData", b'{"config":"YWJjZGVmZ2hpamts\\u0000"}'),
    ("CopyData", b'{"manifest":"YR==","config":"YWI="}'),
    # allocation before the kind check
    ("docker.V1Image", b'{"config":"x"}'),
    ("docker.V2Image", b'{"rootfs":5,"config":[1]}'),
    ("ociv1.Manifest", b'{"config":{"platform":"x"},"layers":[{"platform":[]}]}'),
    (
        "ociv1.ImageConfig",
        b'{"Volumes":{"/a":1,"/b":{"x":1},"/c":[]},"ExposedPorts":{"1/tcp":null}}',
    ),
    ("*CopyData", b"null"),
    ("*CopyData", b"[]"),
    ("*CopyData", b'{"type":"kpod 0.0.1","docker":{"config":{"Cmd":5}}}'),
    ("CopyData", b'{"ociv1":null,"docker":null,"annotations":{"a":null}}'),
    (
        "CopyData",
        b'{"store":5,"TYPE":"t","Image-ID":"i","ociv1":{"config":{"Labels":{"x":"1"}}},"ociv1":{"config":{"Labels":{"y":"2"}}}}',
    ),
    # the slow path (invalid UTF-8 / deep) with nested arrays and objects
    ("ociv1.ImageConfig", b'{"Env":[["a"]],"Cmd":[[],"x"],"User":"\xff"}'),
    ("ociv1.Image", b'{"history":[[{}],{}],"os":"\xff","rootfs":{"diff_ids":[[[]]]}}'),
    ("docker.V2S2History", b'{"x":[[[1]],{"a":[[2]]}],"created":[[1], [[2]] ],"author":"\xfe"}'),
    ("ociv1.Image", b'{"config":{"Labels":{"a":[["b"]]}},"created":{"a":[[1]]},"os":"\xff"}'),
    # syntax
    ("docker.V2S2History", b'{"author":"a"}\xef\xbb\xbf'),
    ("docker.V2S2History", b"\xef\xbb\xbf{}"),
    ("docker.V2S2History", b'{"a":"\\ud800\\u12"}'),
    ("docker.V2S2History", b'{"a":"\\u12G4"}'),
    ("docker.V2S2History", b'{"a":tru}'),
    ("docker.V2S2History", b'{"a":nul'),
    ("docker.V2S2History", b'{"a":fals}'),
    ("docker.V2S2History", b'{"a":1.e5}'),
    ("docker.V2S2History", b'{"a":1e}'),
    ("docker.V2S2History", b'{"a":-a}'),
    ("docker.V2S2History", b'{"a":1}}'),
    ("docker.V2S2History", b'{"a" 1}'),
    ("docker.V2S2History", b'{"a":[1,]}'),
    ("docker.V2S2History", b'{"a":[,1]}'),
    ("docker.V2S2History", b"[1 2]"),
    ("docker.V2S2History", b'{"a":"\x00"}'),
    ("docker.V2S2History", b'{"a":"\x7f\x80\xff"}'),
    ("docker.V2S2History", b"\x80"),
    ("docker.V2S2History", b"\xc2\xa0{}"),
    ("docker.V2S2History", b"\xc2\xad"),
    ("docker.V2S2History", b"\x7f"),
    ("docker.V2S2History", b"\x07"),
    ("docker.V2S2History", b"\\"),
    ("docker.V2S2History", b"NaN"),
    ("docker.V2S2History", b"-Infinity"),
    ("docker.V2S2History", b'{"a":Infinity}'),
    ("docker.V2S2History", b"   "),
    ("docker.V2S2History", b"{} {}"),
    ("docker.V2S2History", b"{}\x00"),
    ("docker.V2S2History", b'"x'),
    ("docker.V2S2History", b'{"a'),
    ("docker.V2S2History", b'{"a":"b\\'),
    ("docker.V2S2History", b'{"a":"b\\u00'),
    ("docker.V2S2History", b"0123"),
    ("docker.V2S2History", b"-"),
    ("docker.V2S2History", b"1.5e+"),
    ("docker.V2S2History", b"{'a':1}"),
    ("docker.V2S2History", b"[" * 10000 + b"]" * 9999),
    ("docker.V2S2History", b"[" * 10001 + b"]" * 10001),
    ("docker.V2S2History", b"[" * 10000 + b"]" * 10000),
    ("docker.V2S2History", b'{"a":' * 10000 + b"1" + b"}" * 10000),
    ("docker.V2S2History", b'{"a":' * 10001 + b"1" + b"}" * 10001),
    ("docker.V2S2History", b'{"created":' + b"[" * 9999 + b"]" * 9999 + b"}"),
    ("ociv1.ImageConfig", b'{"Env":' + b"[" * 3000 + b"]" * 3000 + b',"User":"u"}'),
]


B64_VALUES = [
    "",
    "YWJj",
    "YWJjZA==",
    "YWJjZGU=",
    "YQ==",
    "YR==",
    "YWJjZA",
    "YWJjZA=",
    "YW Jj",
    "YW\nJj\r",
    "-_-_",
    "Y===",
    "YQ==YQ==",
    "YWJj\n",
    "////",
    "+/+/",
    "QUJD\r\nREVG",
]


def typed_value(t: Any, r: random.Random, depth: int = 0) -> Any:
    """A random value for Go type `t`: mostly of the right shape, sometimes not at all."""
    from reference.gojson.types import Kind, MapType, PtrType, SliceType, StructType

    if r.random() < 0.12 or depth > 6:
        return random_value(r, 1)
    if isinstance(t, PtrType):
        return None if r.random() < 0.1 else typed_value(t.elem, r, depth)
    k = t.kind
    if k is Kind.STRING:
        v = r.choice(["", "x", "layers", "sha256:" + "b" * 64, "a b", "<&>", "é"])
        return _inject(v, r) if r.random() < 0.2 else v
    if k is Kind.BOOL:
        return r.random() < 0.5
    if k in (Kind.INT, Kind.UINT8):
        return Num(r.choice(EDGE_NUMBERS[:8]) if r.random() < 0.7 else r.choice(EDGE_NUMBERS))
    if k is Kind.TIME:
        return copy.deepcopy(r.choice(TIME_VALUES))
    if k is Kind.STRSLICE:
        if r.random() < 0.3:
            return r.choice(["sh", "", "echo hi"])
        return [r.choice(["a", "", None, "b c"]) for _ in range(r.randrange(4))]
    if k is Kind.BYTES:
        if r.random() < 0.7:
            return r.choice(B64_VALUES)
        return [
            Num(str(r.randrange(-1, 258))) if r.random() < 0.9 else None
            for _ in range(r.randrange(6))
        ]
    if k is Kind.EMPTY_STRUCT:
        return r.choice([Obj(), None, Obj([("x", Num("1"))])])
    if isinstance(t, SliceType):
        return [
            typed_value(t.elem, r, depth + 1) if r.random() < 0.9 else None
            for _ in range(r.randrange(5))
        ]
    if isinstance(t, MapType):
        return Obj(
            (
                r.choice(["a", "b", "A", "<", "é", "80/tcp", "", "\u2028"]),
                typed_value(t.elem, r, depth + 1),
            )
            for _ in range(r.randrange(4))
        )
    if isinstance(t, StructType):
        out = Obj()
        for f in t.json_fields:
            if r.random() < 0.5:
                key: Any = f.name
                if r.random() < 0.15:
                    key = r.choice(KEY_VARIANTS)(f.name, r)
                out.append((key, typed_value(f.type, r, depth + 1)))
        if r.random() < 0.2:
            out.append(("unknown", random_value(r)))
        r.shuffle(out) if r.random() < 0.3 else None
        if out and r.random() < 0.4:  # duplicates: merge into the current value
            k0, _ = r.choice(out)
            f0 = next((f for f in t.json_fields if f.name == k0), None)
            if f0 is not None:
                for _ in range(r.randrange(1, 3)):
                    out.append((k0, typed_value(f0.type, r, depth + 1)))
        return out
    return random_value(r)


TYPED_CASES = 1500


def typed_input(seed: int, n: int) -> tuple[str, bytes]:
    """Case `n` of the random documents shaped by the declared types (not by the corpus)."""
    from reference import model
    from reference.gojson.types import PtrType

    r = random.Random(f"typed:{seed}:{n}")
    type_name = ROUNDTRIP_TYPE_NAMES[n % len(ROUNDTRIP_TYPE_NAMES)]
    t = model.ROUNDTRIP_TYPES[type_name]
    st = t.elem if isinstance(t, PtrType) else t
    data = dump(typed_value(st, r), style=r.randrange(4), ascii_only=r.random() < 0.1)
    if r.random() < 0.05:
        data = b_edit(data, r)
    return type_name, data


def typed_cases(seed: int, count: int) -> Iterator[tuple[str, str, bytes]]:
    for n in range(count):
        yield (f"typed#{seed}.{n}", *typed_input(seed, n))


def synthetic_cases() -> list[tuple[str, str, bytes]]:
    """(label, type, input) of every synthetic case."""
    cases = list(matrix_cases())
    cases += [(f"hand#{i}", t, data) for i, (t, data) in enumerate(HAND)]
    return cases


# --- the oracle -----------------------------------------------------------------------------------


def ask_oracle(oracle: list[str], requests: list[tuple[str, str, bytes]]) -> dict[str, Any]:
    """One oracle process for all (id, type, input) requests; answers by id (without id/op)."""
    lines = [
        json.dumps(
            {
                "id": cid,
                "op": "roundtrip",
                "type": t,
                "input": base64.b64encode(data).decode("ascii"),
            }
        )
        for cid, t, data in requests
    ]
    proc = subprocess.run(
        oracle, input=("\n".join(lines) + "\n").encode(), capture_output=True, check=True
    )
    answers: dict[str, Any] = {}
    for line in proc.stdout.split(b"\n"):
        if not line.strip():
            continue
        resp = json.loads(line)
        cid = resp.pop("id")
        resp.pop("op")
        answers[cid] = resp
    missing = [cid for cid, _, _ in requests if cid not in answers]
    if missing:
        raise RuntimeError(f"oracle did not answer {len(missing)} requests, e.g. {missing[0]}")
    return answers


# --- stored cases ---------------------------------------------------------------------------------


def case_input(case: dict[str, Any], corpus: Path) -> bytes:
    """A stored case's input: stored, or rebuilt from its recipe."""
    if "input" in case:
        return base64.b64decode(case["input"])
    recipe = case["recipe"]
    if "typed" in recipe:
        return typed_input(*recipe["typed"])[1]
    return corpus_input(recipe, corpus)[1]


def load_cases(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().split(b"\n") if line.strip()]


def build(corpus: Path, oracle: list[str], out: Path) -> None:
    cases: list[dict[str, Any]] = []
    requests: list[tuple[str, str, bytes]] = []
    for n, (label, t, data) in enumerate(synthetic_cases()):
        cid = f"syn{n:05d}"
        cases.append(
            {"id": cid, "label": label, "type": t, "input": base64.b64encode(data).decode("ascii")}
        )
        requests.append((cid, t, data))
    for n in range(TYPED_CASES):
        cid = f"typ{n:05d}"
        t, data = typed_input(STORED_SEED, n)
        cases.append(
            {
                "id": cid,
                "type": t,
                "recipe": {"typed": [STORED_SEED, n]},
                "input_sha256": sha256(data),
            }
        )
        requests.append((cid, t, data))
    for n, recipe in enumerate(corpus_recipes(corpus, STORED_SEED, STORED_CORPUS_CASES)):
        cid = f"cor{n:05d}"
        t, data = corpus_input(recipe, corpus)
        cases.append({"id": cid, "type": t, "recipe": recipe, "input_sha256": sha256(data)})
        requests.append((cid, t, data))
    answers = ask_oracle(oracle, requests)
    agree = 0
    with out.open("w", encoding="utf-8") as f:
        for case, (cid, t, data) in zip(cases, requests, strict=True):
            answer = answers[cid]
            if not case["id"].startswith("cor"):
                case["expect"] = compact(answer)
            else:
                # the outcome in clear, the answer (which quotes the document) as a hash
                case["ok"] = answer["ok"]
                case["stage"] = answer.get("stage")
                case["expect_sha256"] = sha256(canonical(answer))
            f.write(json.dumps(case, ensure_ascii=True, separators=(",", ":")) + "\n")
            agree += reference_roundtrip(t, data) == answer
    print(f"wrote {len(cases)} cases to {out}; the reference agrees on {agree}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oracle", default=str(DEFAULT_ORACLE), help="oracle command (JSON Lines)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=DATA_FILE)
    args = ap.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    build(args.corpus, [args.oracle], args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
